"""Statements built once: reused for the same shape, and only the latest shapes kept."""

from __future__ import annotations

from sqlalchemy import Select, bindparam, literal, select

from crm.prebuilt import KEPT, prebuilt


def test_a_shape_is_built_once_and_only_the_latest_shapes_are_kept() -> None:
    built: list[int] = []

    @prebuilt
    def statement(columns: int) -> Select[tuple[int, ...]]:
        built.append(columns)
        return select(*(literal(n) for n in range(columns))).where(bindparam("u") == 1)

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
    assert str(rebuilt) == str(first)
