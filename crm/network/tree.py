"""The tree of introductions, pure: who led to whom, how far each got, folded to stay readable.

Plain rows in (crm.network.services reads them), nodes out; no Flask, no database. Bad data
(a circle of introducers, an introducer outside the rows) never loops and never hides anyone
who introduced someone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from crm.enums import NetworkStage
from crm.names import display_name

# Past this many people who introduced nobody, a node's leaves fold into "and N more".
LEAVES_SHOWN = 5
# Levels drawn below a first-degree contact; deeper introductions fold into "and N more".
MAX_DEPTH = 6
STAGE_RANK = {stage: rank for rank, stage in enumerate(NetworkStage)}


class Person(NamedTuple):
    """One contact in the trees: who introduced them and how far the user got with them.

    A tuple, and named only when shown: a page reads thousands and draws about a hundred.
    """

    id: int
    introduced_by: int | None
    first_name: str = ""
    last_name: str = ""
    email: str | None = None
    reached: bool = False
    replied: bool = False
    interviewed: bool = False

    @property
    def name(self) -> str:
        return display_name(self.first_name, self.last_name, self.email)


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


def _level_below(top_id: int, led: Mapping[int, list[Person]], levels: dict[int, int]) -> int:
    """Give everyone in the top's tree their level in it (the top's is 1: how many people the
    chain of introductions down to them holds); return how many they are. Each person is
    visited once, so circles end."""
    levels[top_id] = 1
    todo = [top_id]
    size = 1
    while todo:
        above = todo.pop()
        for person in led.get(above, ()):
            if person.id not in levels:
                levels[person.id] = levels[above] + 1
                todo.append(person.id)
                size += 1
    return size


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


class Tree(NamedTuple):
    """A first-degree contact who introduced someone (or, in bad data, a person on a circle of
    introducers), and how many people their tree holds, themselves included.

    A tuple of atoms, as Person is: the collector stops tracking it, so the thousands a large
    network plants never make a request pay for a full garbage collection.
    """

    top: Person
    size: int


class Forest:
    """Who introduced whom among the people, and their trees, largest (then oldest) first.
    A tree becomes nodes only when drawn, so a page of a large network grows just its own."""

    def __init__(self, people: Iterable[Person], shape: Shape = Shape()) -> None:
        self.people = {person.id: person for person in people}
        self.parents = introducers(self.people)
        self.led = led_to(self.people, self.parents)
        self.shape = shape
        # Each person's level in their tree, filled in as the trees are planted.
        self.levels: dict[int, int] = {}
        self.trees = self._plant()

    def _plant(self) -> list[Tree]:
        trees = []
        for person_id in self.led:
            if person_id not in self.parents:
                trees.append(self._tree(person_id))
        trees.sort(key=lambda tree: (-tree.size, tree.top.id))
        # Nobody first-degree leads to a circle of introducers: each circle is a tree, once.
        for person_id in sorted(self.led):
            if person_id not in self.levels:
                trees.append(self._tree(_in_circle(person_id, self.parents)))
        return trees

    def _tree(self, top_id: int) -> Tree:
        return Tree(self.people[top_id], _level_below(top_id, self.led, self.levels))

    def grow(self, tree: Tree) -> Node:
        """The tree's nodes, folded to the forest's shape."""
        return _grow(self.people[tree.top.id], 0, self.led, set(), self.shape)

    def members(self, trees: Iterable[Tree]) -> list[int]:
        """Everyone in the trees, the top first: whom growing them may draw or sort by name."""
        found: list[int] = []
        seen: set[int] = set()
        for tree in trees:
            todo = [tree.top.id]
            seen.add(tree.top.id)
            while todo:
                person_id = todo.pop()
                found.append(person_id)
                for person in self.led.get(person_id, ()):
                    if person.id not in seen:
                        seen.add(person.id)
                        todo.append(person.id)
        return found

    def name(self, names: Mapping[int, tuple[str, str, str | None]]) -> None:
        """Give the people read without names theirs (first, last, email): those of the
        trees drawn and of the longest chain, so the rest of a large network stays ids."""
        for person_id, (first, last, email) in names.items():
            if person_id in self.people:
                person = self.people[person_id]._replace(
                    first_name=first, last_name=last, email=email
                )
                self.people[person_id] = person
        # The lists of people each introducer led to hold the people too: renew the named's.
        for parent_id in {self.parents[i] for i in names if i in self.parents}:
            self.led[parent_id] = [self.people[person.id] for person in self.led[parent_id]]

    def longest_chain(self) -> list[Person]:
        """The longest line of introductions, first-degree contact first; empty without any."""
        if not self.levels:
            return []
        deepest = max(self.levels, key=lambda person_id: (self.levels[person_id], -person_id))
        chain = [self.people[deepest]]
        while len(chain) < self.levels[deepest]:
            chain.append(self.people[self.parents[chain[-1].id]])
        return chain[::-1]


def build_forest(people: Iterable[Person], shape: Shape = Shape()) -> list[Node]:
    """Every tree grown: one per first-degree contact who introduced someone, the largest
    first; people on a circle of introducers (bad data) get a tree of their own, drawn once."""
    forest = Forest(people, shape)
    return [forest.grow(tree) for tree in forest.trees]


def longest_chain(people: Iterable[Person]) -> list[Person]:
    """The longest line of introductions, first-degree contact first; empty without any."""
    return Forest(people).longest_chain()


def pages_of(trees: list[Tree], people_per_page: int) -> list[list[Tree]]:
    """The trees split into pages of about people_per_page people (a tree draws at most its
    people and their "and N more" lines); a larger tree has a page alone."""
    pages: list[list[Tree]] = [[]]
    people = 0
    for tree in trees:
        if pages[-1] and people + tree.size > people_per_page:
            pages.append([])
            people = 0
        pages[-1].append(tree)
        people += tree.size
    return pages
