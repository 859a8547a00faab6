"""The outline of a user's network, kept in memory under the network's stamp.

What the Network page needs of the whole network changes only when an introduction does:
which trees there are, their sizes and so their order and pages, who is in each page's
trees, the longest chain, who introduced how many. Planting it reads the id of everyone
introduced (12,000 people at 300,000 contacts), so each process keeps the outlines of the
users it served last under the stamp the database draws again whenever an introduction is
added, moved or removed (crm.network.stamp). A request then reads the stamp and only the
people of the page it shows; how far each person got (reached, replied, interviewed) and
their names change often and are always read, never kept.

Pure but for the cache's lock: ids in, ids out.
"""

from __future__ import annotations

import gc
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from threading import Lock

from crm.network.tree import Planted, pages_of

# Outlines one process keeps: the users it served last (a large network's is about 1 MB).
KEPT = 32


@dataclass(frozen=True)
class Outline:
    """A network's trees and pages, in ids: plain tuples of ints, which the garbage collector
    stops following, however large the network."""

    # Each page's trees as (top's id, size), largest (then oldest) first; one empty page
    # when there is no tree.
    pages: tuple[tuple[tuple[int, int], ...], ...]
    # Each page's people: everyone in its trees, whom drawing them may show or sort by name.
    members: tuple[tuple[int, ...], ...]
    # First-degree contacts who introduced someone.
    first_degree: int
    # People introduced by someone else (not by themselves).
    suggested: int
    # The people each introducer led to.
    led: Mapping[int, tuple[int, ...]]
    # The longest line of introductions, first-degree contact first.
    chain: tuple[int, ...]

    def suggested_by(self, introducers: Iterable[int]) -> int:
        """The people these introducers led to."""
        return sum(len(self.led.get(person_id, ())) for person_id in introducers)


def outline_of(links: Iterable[tuple[int, int | None]], people_per_page: int) -> Outline:
    """The outline of the people introduced, given as (id, introducer's id). The introducers
    nobody introduced are the first-degree contacts at the top of the trees: an introducer is
    always one of the user's own contacts (every path that sets one picks it among them), and
    nobody is their own (bad data: such a person counts as introduced by nobody)."""
    parents = {person_id: by for person_id, by in links if by is not None and by != person_id}
    return outline_of_planted(Planted(parents), people_per_page)


def outline_of_planted(planted: Planted, people_per_page: int) -> Outline:
    """The outline of a network's planted trees."""
    pages = pages_of(planted.planted, people_per_page)
    return Outline(
        pages=tuple(tuple(page) for page in pages),
        members=tuple(tuple(planted.members(top_id for top_id, _ in page)) for page in pages),
        first_degree=sum(1 for top_id, _ in planted.planted if top_id not in planted.parents),
        suggested=len(planted.parents),
        led=planted.led,
        chain=tuple(planted.chain_ids()),
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Plant without the cyclic garbage collector. Planting a large network makes tens of
    thousands of lists, tuples and dicts of ints (12,000 people at 300,000 contacts), which
    count towards the collector's thresholds and set off collections that walk the whole
    process (a full one took a few ms of a 20 ms visit); none of them can be part of a
    reference cycle, so reference counting frees whatever is not kept.
    test_planting_leaves_no_cycle_for_the_collector holds the planting to that."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Outlines:
    """The outlines of the users a process served last, each under the key it was made for
    (the network's stamp and the people per page). Shared by a server's threads."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._outlines: OrderedDict[int, tuple[tuple[int, int], Outline]] = OrderedDict()
        self._lock = Lock()

    def get(self, user_id: int, key: tuple[int, int]) -> Outline | None:
        with self._lock:
            found = self._outlines.get(user_id)
            if found is None or found[0] != key:
                return None
            self._outlines.move_to_end(user_id)
            return found[1]

    def put(self, user_id: int, key: tuple[int, int], outline: Outline) -> None:
        with self._lock:
            self._outlines[user_id] = (key, outline)
            self._outlines.move_to_end(user_id)
            while len(self._outlines) > self._kept:
                self._outlines.popitem(last=False)
