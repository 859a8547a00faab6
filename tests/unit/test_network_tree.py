"""The tree of introductions: who is drawn where, what folds, and bad data that never loops."""

from __future__ import annotations

import gc

from crm.enums import NetworkStage
from crm.network.drawing import LINE_HEIGHT, NAME_CHARS, lay_out, short_name
from crm.network.figures import Counts, Share, network_figures
from crm.network.outline import Outlines, collector_paused, outline_of
from crm.network.tree import (
    LEAVES_SHOWN,
    MAX_DEPTH,
    Forest,
    Node,
    Person,
    Shape,
    build_forest,
    longest_chain,
    pages_of,
    stage_of,
)


def person(person_id: int, by: int | None = None, name: str | None = None, **stage) -> Person:
    return Person(person_id, by, first_name=name or f"P{person_id:02d}", **stage)


def names(nodes: list[Node]) -> list[str]:
    return [node.person.name for node in nodes]


def drawn(nodes: list[Node]) -> list[int]:
    """Every person drawn, in the order the outline draws them."""
    ids: list[int] = []
    for node in nodes:
        ids.append(node.person.id)
        ids += drawn(node.children)
    return ids


def test_a_person_is_at_the_furthest_stage_they_reached() -> None:
    assert stage_of(person(1), False) == NetworkStage.SUGGESTED
    assert stage_of(person(1, reached=True), False) == NetworkStage.REACHED
    assert stage_of(person(1, reached=True, replied=True), False) == NetworkStage.REPLIED
    assert stage_of(person(1, replied=True, interviewed=True), False) == NetworkStage.INTERVIEWED
    # Introducing someone is the furthest: the conversation grew the network.
    assert stage_of(person(1), True) == NetworkStage.REFERRED_ON


def test_roots_are_first_degree_contacts_who_introduced_someone_largest_tree_first() -> None:
    people = [
        person(1, name="Ana"),
        person(2, 1, name="Tom"),
        person(3, 2, name="Léa"),
        person(4, name="Bea"),
        person(5, 4, name="Cy"),
        person(6, name="Nobody introduced by me"),
    ]
    forest = build_forest(people)
    assert names(forest) == ["Ana", "Bea"]
    ana = forest[0]
    assert names(ana.children) == ["Tom"] and names(ana.children[0].children) == ["Léa"]
    assert [ana.stage, ana.children[0].stage, ana.children[0].children[0].stage] == [
        NetworkStage.REFERRED_ON,
        NetworkStage.REFERRED_ON,
        NetworkStage.SUGGESTED,
    ]
    assert forest[0].rows == 3 and forest[1].rows == 2


def test_leaves_past_five_fold_into_and_n_more_and_branches_always_show() -> None:
    people = [person(1, name="Ana"), person(2, 1, name="Zed branch"), person(3, 2)]
    # Eight leaves under Ana: one interviewed, one replied, the rest only suggested.
    stages = {3: {"interviewed": True}, 6: {"reached": True, "replied": True}}
    people += [person(10 + n, 1, name=f"Leaf {n}", **stages.get(n, {})) for n in range(8)]
    ana = build_forest(people)[0]
    assert names(ana.children) == [
        "Zed branch",
        "Leaf 3",
        "Leaf 6",
        "Leaf 0",
        "Leaf 1",
        "Leaf 2",
    ]
    assert len(ana.children) == 1 + LEAVES_SHOWN
    assert ana.introduced == 9 and ana.folded == 3
    assert ana.rows == 1 + 2 + LEAVES_SHOWN + 1  # the "and 3 more" line


def test_a_long_chain_is_drawn_to_the_depth_cap_and_the_rest_folds() -> None:
    people = [person(1)] + [person(n, n - 1) for n in range(2, 30)]
    (root,) = build_forest(people)
    node, depth = root, 0
    while node.children:
        node, depth = node.children[0], depth + 1
    assert depth == MAX_DEPTH - 1
    assert node.folded == 1 and node.introduced == 1


def test_a_circle_of_introducers_is_drawn_once_and_ends() -> None:
    # Bad data: Ana introduced Tom, Tom introduced Ana; Léa hangs below Tom; Kai introduced
    # himself.
    people = [
        person(1, 2, name="Ana"),
        person(2, 1, name="Tom"),
        person(3, 2, name="Léa"),
        person(4, 4, name="Kai"),
        person(5, 4, name="Kai's friend"),
    ]
    forest = build_forest(people)
    assert sorted(drawn(forest)) == [1, 2, 3, 4, 5]
    assert sum(tree.rows for tree in forest) == 5
    assert longest_chain(people)[-1].name in {"Ana", "Léa"}
    assert len(longest_chain(people)) <= 3


def test_an_introducer_outside_the_rows_counts_as_nobody() -> None:
    # Another user's contact id, say: the person is drawn as someone the user knew already.
    forest = build_forest([person(1, 999, name="Ana"), person(2, 1, name="Tom")])
    assert names(forest) == ["Ana"] and names(forest[0].children) == ["Tom"]


def test_a_long_chain_is_walked_without_recursion() -> None:
    forest = Forest([person(1)] + [person(n, n - 1) for n in range(2, 5_001)])
    assert forest.levels[5_000] == 5_000 and forest.trees[0].size == 5_000
    chain = longest_chain([person(1)] + [person(n, n - 1) for n in range(2, 5_001)])
    assert [p.id for p in chain[:3]] == [1, 2, 3] and len(chain) == 5_000


def test_longest_chain_picks_the_deepest_line_first_degree_first() -> None:
    people = [person(1, name="Ana"), person(2, 1, name="Tom"), person(3, 2, name="Léa")]
    people += [person(4, name="Bea"), person(5, 4)]
    assert [p.name for p in longest_chain(people)] == ["Ana", "Tom", "Léa"]
    assert longest_chain([person(1), person(2)]) == []


def test_trees_are_planted_largest_first_and_pages_hold_whole_trees() -> None:
    people = [person(n * 10) for n in range(1, 5)] + [
        person(n * 10 + k, n * 10) for n in range(1, 5) for k in range(1, n + 1)
    ]
    forest = Forest(people)
    assert [(tree.top.id, tree.size) for tree in forest.trees] == [
        (40, 5),
        (30, 4),
        (20, 3),
        (10, 2),
    ]
    assert [[t.top.id for t in page] for page in pages_of(forest.trees, 9)] == [[40, 30], [20, 10]]
    assert [len(page) for page in pages_of(forest.trees, 3)] == [1, 1, 1, 1]
    assert pages_of([], 10) == [[]]
    # Growing one tree draws only its people.
    assert drawn([forest.grow(forest.trees[-1])]) == [10, 11]


def test_the_shape_sets_the_fold() -> None:
    people = [person(1)] + [person(n, 1) for n in range(2, 10)]
    (root,) = build_forest(people, Shape(leaves_shown=2, max_depth=3))
    assert len(root.children) == 2 and root.folded == 6


def test_figures_compare_suggested_people_with_cold_outreach() -> None:
    # Ana (interviewed twice) introduced 2, 3 and 4; Bea (never interviewed) introduced 6.
    outline = outline_of([(2, 1), (3, 1), (4, 1), (6, 5)], people_per_page=100)
    counts = Counts(
        interviews_held=3,
        suggested_by_interviewed=outline.suggested_by({1: 2, 6: 1}),
        suggested_reached=3,
        suggested_replied=2,
        all_reached=10,
        all_replied=4,
    )
    figures = network_figures(outline, counts, [person(1), person(2, 1)])
    assert figures.suggested == 4
    assert figures.suggested_by_interviewed == 3  # Ana's three; Bea was never interviewed
    assert figures.names_per_interview == 1.0
    assert figures.reached == Share(3, 4) and figures.reached.percent == 75
    assert figures.replied == Share(2, 3) and figures.replied.percent == 67
    # Everyone else reached was written to cold: 10 - 3 reached, 4 - 2 replied.
    assert figures.cold_replied == Share(2, 7) and figures.cold_replied.percent == 29
    assert [p.id for p in figures.chain] == [1, 2]


def test_figures_without_any_data_say_nothing_rather_than_zero_percent() -> None:
    outline = outline_of([], people_per_page=100)
    figures = network_figures(outline, Counts(0, 0, 0, 0, 0, 0), [])
    assert figures.names_per_interview is None
    assert figures.reached.percent is None and figures.replied.percent is None
    assert figures.cold_replied.percent is None and figures.chain == []
    assert outline.pages == ((),) and outline.members == ((),) and outline.chain == ()


def test_the_outline_pages_whole_trees_in_ids_and_names_the_longest_chain() -> None:
    # 10 led to 11 and 12, 12 to 13; 20 led to 21; 30 to 31; 7 introduced themselves.
    links = [(11, 10), (12, 10), (13, 12), (21, 20), (31, 30), (7, 7)]
    outline = outline_of(links, people_per_page=4)
    assert outline.pages == (((10, 4),), ((20, 2), (30, 2)))
    assert sorted(outline.members[0]) == [10, 11, 12, 13]
    assert sorted(outline.members[1]) == [20, 21, 30, 31]
    assert outline.chain == (10, 12, 13)
    assert outline.first_degree == 3 and outline.suggested == 5
    assert outline.suggested_by([10, 30, 99]) == 3
    for _ in range(3):  # a tuple of tuples is let go a level per collection
        gc.collect()
    parts = (outline.pages, outline.members, *outline.pages, *outline.members, outline.led)
    assert not any(gc.is_tracked(part) for part in parts)


def test_a_process_keeps_the_outlines_of_the_users_it_served_last_under_their_stamp() -> None:
    kept = Outlines(kept=2)
    one, two = outline_of([(2, 1)], 100), outline_of([(3, 1)], 100)
    kept.put(1, (111, 100), one)
    assert kept.get(1, (111, 100)) is one
    # Another stamp, or another page size, is another outline.
    assert kept.get(1, (222, 100)) is None and kept.get(1, (111, 50)) is None
    kept.put(2, (5, 100), two)
    kept.get(1, (111, 100))
    kept.put(3, (6, 100), two)
    # The user served longest ago made room.
    assert kept.get(2, (5, 100)) is None and kept.get(1, (111, 100)) is one


def test_the_outline_draws_each_person_under_their_introducer_and_the_fold_last() -> None:
    people = [person(1, name="Ana")] + [person(n, 1) for n in range(2, 9)]
    drawing = lay_out(build_forest(people))
    labels = [line.label for line in drawing.lines]
    assert labels == ["Ana", "P02", "P03", "P04", "P05", "P06", "and 2 more"]
    first, child, more = drawing.lines[0], drawing.lines[1], drawing.lines[-1]
    assert first.connector == "" and child.x > first.x and child.y > first.y
    assert child.connector.startswith(f"M{first.x} ") and child.above is not None
    assert more.more == 2 and more.stage is None and more.depth == 1
    assert drawing.height == 7 * LINE_HEIGHT


def test_the_picture_stays_narrow_at_the_deepest_level_with_long_names() -> None:
    long = "Maximiliana Augustina von Hohenzollern-Sigmaringen"
    people = [person(1, name=long)] + [person(n, n - 1, name=long) for n in range(2, 20)]
    drawing = lay_out(build_forest(people))
    assert all(len(line.label) <= NAME_CHARS for line in drawing.lines)
    assert short_name(long).endswith("…")
    # About a phone's width at the deepest level; CSS scales it down from there.
    assert drawing.width <= 420


def test_a_planted_forest_leaves_the_garbage_collector_nothing_to_follow() -> None:
    # What keeps a large network's page cheap: thousands of people alive through a request
    # as plain tuples of atoms, which the collector untracks, never set off a full collection.
    people = [person(n) for n in range(1, 1_001)]
    people += [person(n, n - 1_000 + (n % 2)) for n in range(1_001, 3_001)]
    forest = Forest(people)
    gc.collect()
    assert not any(gc.is_tracked(row) for row in forest.people.rows.values())
    assert not any(gc.is_tracked(tree) for tree in forest.planted)
    assert not any(gc.is_tracked(led) for led in forest.led.values())
    assert not gc.is_tracked(forest.parents) and not gc.is_tracked(forest.levels)
    # A Person is made when asked for.
    assert forest.people[2] == person(2)
    assert not any(gc.is_tracked(tree) for tree in forest.tree_of.values())
    assert len(forest.trees) == len(forest.planted)


def test_planting_leaves_no_cycle_for_the_collector() -> None:
    # What collector_paused relies on: planting makes no reference cycle, so once an outline
    # is dropped, reference counting has freed all of it and the collector finds nothing.
    links = [(n, n // 2) for n in range(2, 3_000)] + [(5_000, 5_001), (5_001, 5_000)]
    gc.collect()
    with collector_paused():
        assert not gc.isenabled()
        outline = outline_of(links, people_per_page=100)
    assert gc.isenabled()
    assert outline.chain[:2] == (1, 2) and len(outline.pages) > 1
    del outline
    assert gc.collect() == 0
    # A caller that had switched the collector off finds it off still.
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
