"""Statements built once per process and run with each request's values bound.

Building a SQLAlchemy statement, and computing the key it is cached under, costs the app
more CPU than the database spends running most of the statements a page sends: the open
follow-ups statement took 7.8 ms of app CPU when built for every request and 2.3 ms when
built once (PostgreSQL, 3,000 contacts). So the statements of the busiest pages are made by
a function marked `@prebuilt`: it takes only what shapes the statement (never a user's id,
a date or any other value from a request), puts `bindparam("name")` where a request's
values go, and returns the statement with those names declared: `Prebuilt(statement,
"user_id", "since")`. Its callers run it with `.execute(values)` or `.scalars(values)`,
which refuse values whose names differ from the declared ones; tests/unit/
test_prebuilt_parameters.py compares every builder's declaration with the statement's own
bound names. One naming rule: the user's id is `user_id`; every other name says what it
holds (`since`, `role0_word1`), once per value.

A statement is immutable, so one built statement serves every request and thread. Each
builder keeps its latest KEPT statements: a few shapes serve almost every request, and a
user whose data makes many shapes (target roles of many lengths) cannot grow the process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, Generic, ParamSpec, TypeVar, TypeVarTuple, cast

from sqlalchemy import Result, ScalarResult
from sqlalchemy.sql.selectable import TypedReturnsRows

from crm.extensions import db

_Params = ParamSpec("_Params")
_Rows = TypeVarTuple("_Rows")
_Built = TypeVar("_Built", bound="Prebuilt[*tuple[Any, ...]]")
_Column = TypeVar("_Column")

# How many statements (shapes) each builder keeps.
KEPT = 128

# Every builder marked @prebuilt, so a test can check each one's declared parameters.
BUILDERS: list[Callable[..., Prebuilt[*tuple[Any, ...]]]] = []


class ParameterMismatch(TypeError):
    """A prebuilt statement was run with values whose names differ from those it declares."""


class Prebuilt(Generic[*_Rows]):
    """A statement built once, and the names of the values each run of it binds."""

    __slots__ = ("parameters", "statement")

    def __init__(self, statement: TypedReturnsRows[*_Rows], *parameters: str) -> None:
        self.statement = statement
        self.parameters = frozenset(parameters)

    def bound(self, values: Mapping[str, object]) -> Mapping[str, object]:
        """The values, when they are named exactly as the statement declares."""
        if values.keys() != self.parameters:
            missing = sorted(self.parameters - values.keys())
            unknown = sorted(values.keys() - self.parameters)
            raise ParameterMismatch(f"missing {missing}, not declared {unknown}")
        return values

    def execute(self, values: Mapping[str, object]) -> Result[*_Rows]:
        """Run the statement in the request's session with these values."""
        return db.session.execute(self.statement, self.bound(values))

    def scalars(self: Prebuilt[_Column], values: Mapping[str, object]) -> ScalarResult[_Column]:
        """Run the statement with these values and read its first column."""
        return db.session.scalars(self.statement, self.bound(values))


def prebuilt(builder: Callable[_Params, _Built]) -> Callable[_Params, _Built]:
    """Build the statement once for each distinct set of arguments, then reuse it (the
    latest KEPT of them)."""
    kept = cast(Callable[_Params, _Built], lru_cache(maxsize=KEPT)(builder))
    BUILDERS.append(kept)
    return kept
