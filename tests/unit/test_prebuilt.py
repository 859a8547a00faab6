"""Statements built once: reused for the same shape, only the latest shapes kept, and run
only with the values they declare."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import bindparam, literal, select

from crm.prebuilt import KEPT, ParameterMismatch, Prebuilt, prebuilt


def test_a_shape_is_built_once_and_only_the_latest_shapes_are_kept() -> None:
    built: list[int] = []

    @prebuilt
    def statement(columns: int) -> Prebuilt[*tuple[Any, ...]]:
        built.append(columns)
        query = select(*(literal(n) for n in range(columns))).where(bindparam("user_id") == 1)
        return Prebuilt(query, "user_id")

    first = statement(1)
    assert statement(1) is first  # the same shape: the same statement, not built again
    assert built == [1]

    for columns in range(2, KEPT + 2):  # as many more shapes as are kept
        statement(columns)
    assert len(built) == KEPT + 1
    assert statement(KEPT + 1) is statement(KEPT + 1)  # a recent shape is still kept
    assert len(built) == KEPT + 1

    rebuilt = statement(1)  # the oldest was let go: built again, and alike
    assert built[-1] == 1 and len(built) == KEPT + 2
    assert rebuilt is not first
    assert str(rebuilt.statement) == str(first.statement)


def test_values_named_otherwise_than_declared_are_refused_before_the_database() -> None:
    statement = Prebuilt(select(literal(1)).where(bindparam("user_id") == 1), "user_id")
    assert statement.bound({"user_id": 7}) == {"user_id": 7}
    with pytest.raises(ParameterMismatch, match=r"missing \['user_id'\], not declared \['u'\]"):
        statement.bound({"u": 7})
    with pytest.raises(ParameterMismatch, match=r"not declared \['since'\]"):
        statement.bound({"user_id": 7, "since": 1})
    with pytest.raises(ParameterMismatch, match=r"missing \['user_id'\]"):
        statement.bound({})
