"""The Network page reads only the trees of the page asked for: each page shows its own trees
whole, named and in order, none skipped and none repeated."""

from __future__ import annotations

import re

import pytest

from crm.network import services
from tests.app.networking import add
from tests.app.test_network import page, rows


@pytest.fixture
def forest(client, user, monkeypatch) -> None:
    """Five trees of four pages: Eva's nine people (the longest chain runs down from her),
    Ana's five, four levels deep, then three pairs, two on a page."""
    monkeypatch.setattr(services, "PEOPLE_PER_PAGE", 4)
    add(client, "Eva")
    for n in range(1, 5):
        add(client, f"Fay{n}", introduced_by="Eva Tester")
    for above, name in (("Fay1", "Gus"), ("Gus", "Hex"), ("Hex", "Ivy"), ("Ivy", "Jo")):
        add(client, name, introduced_by=f"{above} Tester")
    add(client, "Ana")
    add(client, "Ben", introduced_by="Ana Tester")
    add(client, "Cal", introduced_by="Ben Tester")
    add(client, "Dan", introduced_by="Cal Tester")
    add(client, "Bo", introduced_by="Ana Tester")
    for top, led in (("Hal", "Ida"), ("Jan", "Kai"), ("Lou", "Max")):
        add(client, top)
        add(client, led, introduced_by=f"{top} Tester")


def test_a_later_page_shows_a_tree_several_levels_deep_whole_and_named(client, forest):
    html = page(client, "?page=2")
    assert "Page 2 of 4" in html
    assert rows(html) == [
        "Ana Tester | you knew them already | Referred on | 2 people",
        "Ben Tester | Ana Tester | Referred on | 1 person",
        "Cal Tester | Ben Tester | Referred on | 1 person",
        "Dan Tester | Cal Tester | Suggested | nobody yet",
        "Bo Tester | Ana Tester | Suggested | nobody yet",
    ]


def test_each_page_has_its_own_trees_none_skipped_none_repeated(client, forest):
    pages = [rows(page(client, f"?page={number}")) for number in range(1, 5)]
    assert pages[0][0] == "Eva Tester | you knew them already | Referred on | 4 people"
    assert pages[0][-1] == "Fay4 Tester | Eva Tester | Suggested | nobody yet"
    assert sorted(row.split(" | ")[0] for row in pages[0]) == sorted(
        f"{name} Tester"
        for name in ("Eva", "Fay1", "Fay2", "Fay3", "Fay4", "Gus", "Hex", "Ivy", "Jo")
    )
    assert pages[2] == [
        "Hal Tester | you knew them already | Referred on | 1 person",
        "Ida Tester | Hal Tester | Suggested | nobody yet",
        "Jan Tester | you knew them already | Referred on | 1 person",
        "Kai Tester | Jan Tester | Suggested | nobody yet",
    ]
    assert pages[3] == [
        "Lou Tester | you knew them already | Referred on | 1 person",
        "Max Tester | Lou Tester | Suggested | nobody yet",
    ]
    everyone = [row.split(" | ")[0] for shown in pages for row in shown]
    assert len(everyone) == len(set(everyone)) == 9 + 5 + 6
    # Past the last page, the last page; the figures count the whole network on every page.
    last = page(client, "?page=9")
    assert "Page 4 of 4" in last and rows(last) == pages[3]
    assert "5 people you already knew have introduced you on" in last
    figures = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", last.split('id="figures-h"')[1]))
    chain = " → ".join(f"{name} Tester" for name in ("Eva", "Fay1", "Gus", "Hex", "Ivy", "Jo"))
    assert f"6 people longest chain {chain}" in figures
