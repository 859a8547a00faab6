"""Counting in words, as the pages, emails and commands say it."""

import pytest

from crm.words import joined, noun_for, plural, plural_of


@pytest.mark.parametrize(
    ("count", "noun", "said"),
    [
        (1, "follow-up", "1 follow-up"),
        (2, "follow-up", "2 follow-ups"),
        (0, "contact", "0 contacts"),
        (1, "outreach", "1 outreach"),
        (6, "outreach", "6 outreach messages"),
        (1, "person", "1 person"),
        (3, "person", "3 people"),
        (2, "company", "2 companies"),
        (2, "reply", "2 replies"),
        (2, "day", "2 days"),
        (2, "match", "2 matches"),
        (2, "open follow-up", "2 open follow-ups"),
        (4, "interview held", "4 interviews held"),
    ],
)
def test_the_noun_agrees_with_the_count(count: int, noun: str, said: str) -> None:
    assert plural(count, noun, "interviews held" if noun == "interview held" else None) == said


def test_a_phrase_pluralises_its_last_word() -> None:
    assert plural_of("earlier version") == "earlier versions"
    assert plural_of("new person") == "new people"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c")],
)
def test_words_join_as_a_sentence_has_them(parts: list[str], expected: str) -> None:
    assert joined(parts) == expected


def test_counts_read_right_in_the_singular() -> None:
    assert [plural(n, "follow-up") for n in (0, 1, 2)] == [
        "0 follow-ups",
        "1 follow-up",
        "2 follow-ups",
    ]


def test_the_noun_alone_agrees_with_a_count_written_another_way():
    assert noun_for("contact", 1) == "contact"
    assert noun_for("contact", 1200) == "contacts"
    assert noun_for("outreach", 0) == "outreach messages"
