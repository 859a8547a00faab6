"""The tree of introductions, pure: who led to whom, how far each got, folded to stay readable.

Plain rows in (crm.network.services reads them), nodes out; no Flask, no database. Bad data
(a circle of introducers, an introducer outside the rows) never loops and never hides anyone
who introduced someone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

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
    links = (
        people.links()
        if isinstance(people, People)
        else ((person.id, person.introduced_by) for person in people.values())
    )
    return {
        person_id: introducer_id
        for person_id, introducer_id in links
        if introducer_id is not None and introducer_id != person_id and introducer_id in people
    }


def led_to(parents: Mapping[int, int]) -> dict[int, tuple[int, ...]]:
    """The ids of the people each introducer led to, smallest first: plain tuples of ints,
    which the garbage collector stops following (lists it follows for as long as they live)."""
    led: dict[int, list[int]] = {}
    for person_id in sorted(parents):  # so each list fills smallest first
        led.setdefault(parents[person_id], []).append(person_id)
    return {parent_id: tuple(ids) for parent_id, ids in led.items()}


def _name_order(person: Person) -> tuple[str, int]:
    return person.name.casefold(), person.id


def _leaf_order(person: Person) -> tuple[int, str, int]:
    """Leaves further along first, then by name."""
    return -STAGE_RANK[stage_of(person, False)], person.name.casefold(), person.id


def _level_below(
    top_id: int, led: Mapping[int, tuple[int, ...]], levels: dict[int, int]
) -> tuple[int, ...]:
    """Give everyone in the top's tree their level in it (the top's is 1: how many people the
    chain of introductions down to them holds); return who they are, the top first. Each
    person is visited once, so circles end."""
    levels[top_id] = 1
    found = [top_id]
    for above in found:  # the list grows as it is read: level after level
        level = levels[above] + 1
        for person_id in led.get(above, ()):
            if person_id not in levels:
                levels[person_id] = level
                found.append(person_id)
    return tuple(found)


def _largest(tree: tuple[int, int]) -> tuple[int, int]:
    """Trees in order: the largest first, then the oldest top (the smallest id)."""
    return -tree[1], tree[0]


def _in_circle(person_id: int, parents: Mapping[int, int]) -> int:
    """Walking up from someone no first-degree contact leads to ends in a circle: a person on it."""
    path: set[int] = set()
    while person_id not in path:
        path.add(person_id)
        person_id = parents[person_id]
    return person_id


def _grow(person: Person, depth: int, forest: Forest, placed: set[int]) -> Node:
    """A person's node and, folded to the shape, the nodes of the people they led to."""
    led, shape = forest.led, forest.shape
    placed.add(person.id)
    introduced = forest.introduced_by(person.id)
    node = Node(person, stage_of(person, bool(introduced)), depth, len(introduced))
    waiting = [p for p in introduced if p.id not in placed]
    if depth + 1 >= shape.max_depth:
        node.folded = len(waiting)
        return node
    branches = sorted((p for p in waiting if p.id in led), key=_name_order)
    leaves = sorted((p for p in waiting if p.id not in led), key=_leaf_order)
    for child in [*branches, *leaves[: shape.leaves_shown]]:
        if child.id not in placed:  # a circle may have placed them further down
            node.children.append(_grow(child, depth + 1, forest, placed))
    node.folded = len(waiting) - len(node.children)
    return node


# A tree as the pages count it: anything whose second item is the tree's size.
_Sized = TypeVar("_Sized", bound=tuple[Any, int])


class Tree(NamedTuple):
    """A first-degree contact who introduced someone (or, in bad data, a person on a circle of
    introducers), and how many people their tree holds, themselves included."""

    top: Person
    size: int


class People(Mapping[int, Person]):
    """The forest's people by id, kept as plain tuples and made a Person when asked for.

    A plain tuple of atoms drops out of the garbage collector's sight at its first look (a
    NamedTuple, a list or an object never does), so the thousands of people a large network
    holds, alive through a request, never make it pay for a full collection of the process.
    """

    __slots__ = ("rows",)

    def __init__(self, people: Iterable[Person]) -> None:
        self.rows: dict[int, tuple[Any, ...]] = {person.id: tuple(person) for person in people}

    def __getitem__(self, person_id: int) -> Person:
        return Person._make(self.rows[person_id])

    def __iter__(self) -> Iterator[int]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, person_id: object) -> bool:
        return person_id in self.rows

    def add(
        self,
        person_id: int,
        introduced_by: int | None,
        reached: bool,
        replied: bool,
        interviewed: bool,
    ) -> None:
        """A person without a name (an id the page could not name)."""
        self.rows[person_id] = (
            person_id,
            introduced_by,
            "",
            "",
            None,
            reached,
            replied,
            interviewed,
        )

    def links(self) -> Iterator[tuple[int, int | None]]:
        """Each person's id and introducer's, without making a Person of anyone."""
        return ((row[0], row[1]) for row in self.rows.values())


def page_numbers(sizes: Iterable[int], people_per_page: int) -> Iterator[int]:
    """Each tree's page, from 0, for trees of these sizes in order: pages of about
    people_per_page people (a tree draws at most its people and their "and N more" lines);
    a larger tree has a page alone."""
    page = people = 0
    for size in sizes:
        if people and people + size > people_per_page:
            page += 1
            people = 0
        yield page
        people += size


class Planted:
    """Who introduced whom, in ids, and the trees that makes, largest (then oldest) first:
    plain tuples and dicts of ints, which the garbage collector stops following."""

    def __init__(self, parents: dict[int, int]) -> None:
        # Each person's introducer, when the introducer is another of the people.
        self.parents = parents
        self.led = led_to(parents)
        # Each person's level in their tree, and each tree's people by its top's id, filled
        # in as the trees are planted.
        self.levels: dict[int, int] = {}
        self.tree_of: dict[int, tuple[int, ...]] = {}
        # Each tree's top's id and size, in the trees' order.
        self.planted = self._plant()

    def _plant(self) -> list[tuple[int, int]]:
        led, levels, tree_of = self.led, self.levels, self.tree_of
        for person_id in led:
            if person_id not in self.parents:
                tree_of[person_id] = _level_below(person_id, led, levels)
        planted = sorted(((top_id, len(ids)) for top_id, ids in tree_of.items()), key=_largest)
        # Nobody first-degree leads to a circle of introducers: each circle is a tree, once.
        for person_id in sorted(led):
            if person_id not in levels:
                top_id = _in_circle(person_id, self.parents)
                tree_of[top_id] = _level_below(top_id, led, levels)
                planted.append((top_id, len(tree_of[top_id])))
        return planted

    def members(self, top_ids: Iterable[int]) -> list[int]:
        """Everyone in the trees of these tops, each top first: whom growing them may draw or
        sort by name."""
        return [person_id for top_id in top_ids for person_id in self.tree_of[top_id]]

    def chain_ids(self) -> list[int]:
        """The longest line of introductions, first-degree contact first; empty without any."""
        if not self.levels:
            return []
        level = max(self.levels.values())
        deepest = min(person_id for person_id, at in self.levels.items() if at == level)
        chain = [deepest]
        while len(chain) < level:
            chain.append(self.parents[chain[-1]])
        return chain[::-1]


class Forest(Planted):
    """The trees of these people: a tree becomes nodes only when drawn, so a page of a large
    network grows just its own."""

    def __init__(self, people: Iterable[Person] | People, shape: Shape = Shape()) -> None:
        self.people = people if isinstance(people, People) else People(people)
        self.shape = shape
        super().__init__(introducers(self.people))

    @property
    def trees(self) -> list[Tree]:
        return [Tree(self.people[top_id], size) for top_id, size in self.planted]

    def introduced_by(self, person_id: int) -> list[Person]:
        """The people this person introduced."""
        return [self.people[child_id] for child_id in self.led.get(person_id, ())]

    def grow(self, tree: Tree) -> Node:
        """The tree's nodes, folded to the forest's shape."""
        return _grow(self.people[tree.top.id], 0, self, set())

    def longest_chain(self) -> list[Person]:
        """The longest line of introductions, first-degree contact first; empty without any."""
        return [self.people[person_id] for person_id in self.chain_ids()]


def build_forest(people: Iterable[Person], shape: Shape = Shape()) -> list[Node]:
    """Every tree grown: one per first-degree contact who introduced someone, the largest
    first; people on a circle of introducers (bad data) get a tree of their own, drawn once."""
    forest = Forest(people, shape)
    return [forest.grow(tree) for tree in forest.trees]


def longest_chain(people: Iterable[Person]) -> list[Person]:
    """The longest line of introductions, first-degree contact first; empty without any."""
    return Forest(people).longest_chain()


def pages_of(trees: Sequence[_Sized], people_per_page: int) -> list[list[_Sized]]:
    """The trees, each a Tree or a planted (top's id, size), split into pages (page_numbers
    says how)."""
    pages: list[list[_Sized]] = [[]]
    numbers = page_numbers((tree[1] for tree in trees), people_per_page)
    for tree, number in zip(trees, numbers, strict=True):
        if number == len(pages):
            pages.append([])
        pages[-1].append(tree)
    return pages
