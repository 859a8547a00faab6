"""The tree of introductions, pure: who led to whom, how far each got, folded to stay readable.

Plain rows in (crm.network.services reads them), nodes out; no Flask, no database. Bad data
(a circle of introducers, an introducer outside the rows) never loops and never hides anyone
who introduced someone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from crm.enums import NetworkStage

# Past this many people who introduced nobody, a node's leaves fold into "and N more".
LEAVES_SHOWN = 5
# Levels drawn below a first-degree contact; deeper introductions fold into "and N more".
MAX_DEPTH = 6
STAGE_RANK = {stage: rank for rank, stage in enumerate(NetworkStage)}


@dataclass(frozen=True)
class Person:
    """One contact in the tree: who introduced them and how far the user got with them."""

    id: int
    name: str
    introduced_by: int | None
    reached: bool = False
    replied: bool = False
    interviewed: bool = False


def stage_of(person: Person, introduced_anyone: bool) -> NetworkStage:
    """How far a person got: suggested, reached, replied, interviewed or referred on."""
    if introduced_anyone:
        return NetworkStage.REFERRED_ON
    if person.interviewed:
        return NetworkStage.INTERVIEWED
    if person.replied:
        return NetworkStage.REPLIED
    if person.reached:
        return NetworkStage.REACHED
    return NetworkStage.SUGGESTED


@dataclass
class Node:
    """A person drawn in the tree, with the people they led to that are drawn under them."""

    person: Person
    stage: NetworkStage
    depth: int
    # Everyone this person introduced, drawn or not.
    introduced: int
    children: list[Node] = field(default_factory=list)
    # Of those, the ones not drawn under this node: "and N more".
    folded: int = 0

    @property
    def rows(self) -> int:
        """Lines this node takes when drawn: itself, its children's, and one for "and N more"."""
        return 1 + sum(child.rows for child in self.children) + (1 if self.folded else 0)


@dataclass(frozen=True)
class Shape:
    """How much of the tree is drawn."""

    leaves_shown: int = LEAVES_SHOWN
    max_depth: int = MAX_DEPTH


def introducers(people: Mapping[int, Person]) -> dict[int, int]:
    """Each person's introducer, when the introducer is among the people and not themselves."""
    return {
        person.id: person.introduced_by
        for person in people.values()
        if person.introduced_by is not None
        and person.introduced_by != person.id
        and person.introduced_by in people
    }


def led_to(people: Mapping[int, Person], parents: Mapping[int, int]) -> dict[int, list[Person]]:
    """The people each introducer led to."""
    introduced: dict[int, list[Person]] = {}
    for person_id, parent_id in parents.items():
        introduced.setdefault(parent_id, []).append(people[person_id])
    return introduced


def _name_order(person: Person) -> tuple[str, int]:
    return person.name.casefold(), person.id


def _leaf_order(person: Person) -> tuple[int, str, int]:
    """Leaves further along first, then by name."""
    return -STAGE_RANK[stage_of(person, False)], person.name.casefold(), person.id


def _descendants(start: Iterable[int], led: Mapping[int, list[Person]]) -> set[int]:
    """Everyone below the start people, and themselves; each visited once, so circles end."""
    seen = set(start)
    todo = list(seen)
    while todo:
        for person in led.get(todo.pop(), ()):
            if person.id not in seen:
                seen.add(person.id)
                todo.append(person.id)
    return seen


def _in_circle(person_id: int, parents: Mapping[int, int]) -> int:
    """Walking up from someone no first-degree contact leads to ends in a circle: a person on it."""
    path: set[int] = set()
    while person_id not in path:
        path.add(person_id)
        person_id = parents[person_id]
    return person_id


def _grow(
    person: Person, depth: int, led: Mapping[int, list[Person]], placed: set[int], shape: Shape
) -> Node:
    """A person's node and, folded to the shape, the nodes of the people they led to."""
    placed.add(person.id)
    introduced = led.get(person.id, [])
    node = Node(person, stage_of(person, bool(introduced)), depth, len(introduced))
    waiting = [p for p in introduced if p.id not in placed]
    if depth + 1 >= shape.max_depth:
        node.folded = len(waiting)
        return node
    branches = sorted((p for p in waiting if p.id in led), key=_name_order)
    leaves = sorted((p for p in waiting if p.id not in led), key=_leaf_order)
    for child in [*branches, *leaves[: shape.leaves_shown]]:
        if child.id not in placed:  # a circle may have placed them further down
            node.children.append(_grow(child, depth + 1, led, placed, shape))
    node.folded = len(waiting) - len(node.children)
    return node


def build_forest(people: Iterable[Person], shape: Shape = Shape()) -> list[Node]:
    """One tree per first-degree contact who introduced someone, the largest first; people
    in a circle of introducers (bad data) get a tree of their own, drawn once."""
    by_id = {person.id: person for person in people}
    parents = introducers(by_id)
    led = led_to(by_id, parents)
    tops = [by_id[person_id] for person_id in led if person_id not in parents]
    sizes = {top.id: len(_descendants([top.id], led)) for top in tops}
    tops.sort(key=lambda top: (-sizes[top.id], *_name_order(top)))
    reached = _descendants(sizes, led)
    for person_id in sorted(led):
        if person_id not in reached:
            top_id = _in_circle(person_id, parents)
            tops.append(by_id[top_id])
            reached |= _descendants([top_id], led)
    placed: set[int] = set()
    return [_grow(top, 0, led, placed, shape) for top in tops]


def chain_depths(parents: Mapping[int, int]) -> dict[int, int]:
    """How many people each chain of introductions holds down to each person (a first-degree
    contact counts 1); a circle is counted once round, never walked forever."""
    depth: dict[int, int] = {}
    for start in parents:
        path: list[int] = []
        on_path: set[int] = set()
        current: int | None = start
        base = 0
        while current is not None:
            if current in depth:
                base = depth[current]
                break
            if current in on_path:
                break
            path.append(current)
            on_path.add(current)
            current = parents.get(current)
        for offset, person_id in enumerate(reversed(path), start=1):
            depth[person_id] = base + offset
    return depth


def longest_chain(people: Iterable[Person]) -> list[Person]:
    """The longest line of introductions, first-degree contact first; empty without any."""
    by_id = {person.id: person for person in people}
    parents = introducers(by_id)
    depths = chain_depths(parents)
    if not depths:
        return []
    deepest = max(depths, key=lambda person_id: (depths[person_id], -person_id))
    chain = [by_id[deepest]]
    while len(chain) < depths[deepest]:
        chain.append(by_id[parents[chain[-1].id]])
    return chain[::-1]


def pages_of(roots: list[Node], rows_per_page: int) -> list[list[Node]]:
    """The trees split into pages of about rows_per_page lines; a larger tree has a page alone."""
    pages: list[list[Node]] = [[]]
    rows = 0
    for root in roots:
        if pages[-1] and rows + root.rows > rows_per_page:
            pages.append([])
            rows = 0
        pages[-1].append(root)
        rows += root.rows
    return pages
