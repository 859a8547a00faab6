"""The tree of introductions laid out as lines for a server-drawn SVG and its table, pure.

An indented outline (each person a line, the people they led to indented under them) rather
than a wide tree: it grows downwards, so at 390 px it fits and only its height grows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from crm.enums import NetworkStage
from crm.network.tree import Node

LINE_HEIGHT = 32
INDENT = 20
MARK_RADIUS = 6
LEFT = 10
TEXT_GAP = 12
# About the width of a character at the SVG's 15 px text, to size the picture.
CHAR_WIDTH = 8
# Names longer than this are cut in the picture (the table has them whole).
NAME_CHARS = 20


@dataclass(frozen=True)
class Line:
    """One line of the outline: a person, or the "and N more" under one."""

    node: Node
    # The introducer's node, for a person; the node whose people are folded, for "and N more".
    above: Node | None
    more: int
    depth: int
    x: int
    y: int
    label: str
    # The connector from the line above's mark: an SVG path, or "" for a first-degree contact.
    connector: str

    @property
    def stage(self) -> NetworkStage | None:
        return None if self.more else self.node.stage


@dataclass(frozen=True)
class Drawing:
    lines: list[Line]
    width: int
    height: int


def short_name(name: str) -> str:
    """A name cut to fit the picture."""
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"


def _walk(node: Node, above: Node | None) -> Iterator[tuple[Node, Node | None, int]]:
    """Each node before the people it led to, then its "and N more" (as (node, above, more))."""
    yield node, above, 0
    for child in node.children:
        yield from _walk(child, node)
    if node.folded:
        yield node, node, node.folded


def lay_out(roots: list[Node]) -> Drawing:
    """The outline's lines, where each mark and connector goes, and the picture's size."""
    lines: list[Line] = []
    marks: dict[int, tuple[int, int]] = {}
    width = 0
    for root in roots:
        for node, above, more in _walk(root, None):
            depth = node.depth + 1 if more else node.depth
            x = LEFT + depth * INDENT
            y = len(lines) * LINE_HEIGHT + LINE_HEIGHT // 2
            connector = ""
            if above is not None:
                top_x, top_y = marks[above.person.id]
                connector = f"M{top_x} {top_y + MARK_RADIUS} V{y} H{x - MARK_RADIUS}"
            if more:
                label = f"and {more} more"
                text = len(label)
            else:
                marks[node.person.id] = (x, y)
                label = short_name(node.person.name)
                text = len(label) + len(node.stage.label) + 3
            lines.append(Line(node, above, more, depth, x, y, label, connector))
            width = max(width, x + MARK_RADIUS + TEXT_GAP + text * CHAR_WIDTH)
    return Drawing(lines, width, len(lines) * LINE_HEIGHT)
