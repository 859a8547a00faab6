"""Every prebuilt statement binds exactly the names it declares, at a few shapes each.

The declaration is what callers are held to (Prebuilt.bound refuses other names), so a
declaration that drifted from the statement would fail every page that runs it; this test
finds the drift without a page, for each builder and both databases' compilers.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

import crm
from crm.models import FollowUp, Interview, JobChange, Note, Outreach
from crm.prebuilt import BUILDERS, Prebuilt

for module in pkgutil.walk_packages(crm.__path__, "crm."):
    importlib.import_module(module.name)

# A few shapes of each builder, by the builder's name: the simplest and a busy one.
SHAPES: dict[str, list[tuple[Any, ...]]] = {
    "_session_statement": [()],
    "_latest_statement": [(model,) for model in (Outreach, Interview, FollowUp, Note, JobChange)],
    "_around_statement": [(True, 5), (False, 5)],
    "_lists_statement": [
        (
            (
                ("overdue", False, True, 10),
                ("today", True, True, 10),
                ("this_week", True, True, 1),
                ("later", True, False, 1),
            ),
        ),
        ((("overdue", False, True, 200),),),
    ],
    "_people_at_ids": [()],
    "_people_at_starred": [()],
    "_second_people_statement": [()],
    "_sent_statement": [()],
    "_series_statement": [()],
    "_wins_statement": [()],
    "_totals_statement": [()],
    "_check_ins_statement": [()],
    "_obstacles_statement": [()],
    "_suggestions_statement": [(0, 10), (3, 10)],
    "_answers_statement": [()],
    "_to_reach_statement": [(20,)],
    "_first_steps_statement": [()],
    "_roles_statement": [()],
    "_tagged_statement": [()],
    "_counts_statement": [((1,),), ((2, 0, 3),)],
    "_people_statement": [
        (((True, False),),),
        (((True, True), (False, True), (True, False)),),
    ],
    "_paths_statement": [((True, False),), ((False, True),), ((True, True),)],
    "_contact_stats_statement": [()],
    "_job_changes_statement": [()],
    "_pipeline_statement": [()],
    "_latest_changes_statement": [()],
    "_network_links_statement": [("sqlite",), ("postgresql",)],
    "_network_people_statement": [("sqlite",), ("postgresql",)],
    "_stamp_and_tallies_statement": [()],
    "_interviews_held_statement": [()],
}

DIALECTS: list[Dialect] = [sqlite.dialect(), postgresql.psycopg.dialect()]

APP_BUILDERS = [builder for builder in BUILDERS if builder.__module__.startswith("crm.")]


def _bound_names(built: Prebuilt[*tuple[Any, ...]], dialect: Dialect) -> set[str]:
    """The names the compiled statement needs a value for (those with no value of their own)."""
    compiled = built.statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    return {bind.key for bind in compiled.binds.values() if bind.required}


def test_every_builder_has_shapes_to_check_and_a_name_of_its_own() -> None:
    names = [builder.__name__ for builder in APP_BUILDERS]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(SHAPES)


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda dialect: dialect.name)
@pytest.mark.parametrize("builder", APP_BUILDERS, ids=lambda builder: builder.__name__)
def test_a_statement_binds_exactly_the_names_it_declares(builder: Any, dialect: Dialect) -> None:
    for shape in SHAPES[builder.__name__]:
        built = builder(*shape)
        assert built.parameters == _bound_names(built, dialect), shape


def test_the_user_is_always_bound_as_user_id() -> None:
    for builder in APP_BUILDERS:
        for shape in SHAPES[builder.__name__]:
            names = builder(*shape).parameters
            assert "user_id" in names or builder.__name__ == "_session_statement", builder
            assert not names & {"u", "uid", "user"}, builder
