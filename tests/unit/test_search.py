"""LIKE patterns: what the user typed is matched literally, wildcards included."""

import pytest
from sqlalchemy import create_engine, literal, select

from crm.search import LIKE_ESCAPE, escape_like, like_pattern, prefix_pattern


def test_wildcards_and_the_escape_character_are_made_literal() -> None:
    assert escape_like("50% off_now/then") == "50/% off/_now//then"
    assert like_pattern("a_b") == "%a/_b%"
    assert prefix_pattern("100%") == "100/%%"


@pytest.mark.parametrize(
    ("text", "pattern", "matches"),
    [
        ("save 50% now", like_pattern("50%"), True),
        ("save 50 now", like_pattern("50%"), False),
        ("first_last", like_pattern("t_l"), True),
        ("firstXlast", like_pattern("t_l"), False),
        ("a/b", like_pattern("a/b"), True),
        ("ab", like_pattern("a/b"), False),
        ("ada lovelace", prefix_pattern("ada"), True),
        ("lovelace ada", prefix_pattern("ada"), False),
    ],
)
def test_a_database_reads_the_patterns_literally(text: str, pattern: str, matches: bool) -> None:
    with create_engine("sqlite://").connect() as connection:
        found = connection.scalar(select(literal(text).like(pattern, escape=LIKE_ESCAPE)))
    assert bool(found) is matches
