"""Draw the app's home-screen icons (crm/static/icons/icon-192.png and icon-512.png).

Two people side by side, white on the app's dark blue, on a rounded square: drawn with the
standard library only, so anyone can change and redraw them. Run from the repository root:
`python scripts/draw_icons.py`.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "crm" / "static" / "icons"
BLUE = (31, 59, 99)
LIGHT = (214, 228, 245)
WHITE = (255, 255, 255)
SAMPLES = 3  # per side of a pixel, for smooth edges


def _in_rounded_square(x: float, y: float) -> bool:
    """Inside the square of side 1 with corners rounded by 0.2."""
    r = 0.2
    dx = max(r - x, 0.0, x - (1 - r))
    dy = max(r - y, 0.0, y - (1 - r))
    return dx * dx + dy * dy <= r * r


def _person(x: float, y: float, cx: float, scale: float, margin: float = 0.0) -> bool:
    """A head and shoulders centred on cx, `scale` times the size of the front person,
    grown by `margin` (the gap that keeps the front person apart from the one behind)."""
    head = math.hypot(x - cx, y - (0.64 - 0.26 * scale)) <= 0.11 * scale + margin
    shoulders = y <= 0.78 and math.hypot(x - cx, y - 0.78) <= 0.22 * scale + margin
    return head or shoulders


def _colour(x: float, y: float) -> tuple[int, int, int] | None:
    """The colour at a point of the unit square, or None outside the icon."""
    if not _in_rounded_square(x, y):
        return None
    if _person(x, y, 0.42, 1.0):
        return WHITE
    if not _person(x, y, 0.42, 1.0, margin=0.025) and _person(x, y, 0.66, 0.8):
        return LIGHT
    return BLUE


def draw(size: int) -> bytes:
    """The icon as a PNG of size x size pixels, RGBA."""
    rows = []
    for row in range(size):
        line = bytearray([0])  # PNG filter: none
        for column in range(size):
            total = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (column + (sx + 0.5) / SAMPLES) / size
                    y = (row + (sy + 0.5) / SAMPLES) / size
                    colour = _colour(x, y)
                    if colour is not None:
                        total = [t + c for t, c in zip(total, (*colour, 255), strict=True)]
            count = SAMPLES * SAMPLES
            alpha = total[3] / 255
            rgb = [round(c / alpha) if alpha else 0 for c in total[:3]]
            line += bytes([*rgb, round(total[3] / count)])
        rows.append(bytes(line))
    return _png(size, b"".join(rows))


def _png(size: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    ICONS.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (ICONS / f"icon-{size}.png").write_bytes(draw(size))
        print(f"wrote {ICONS / f'icon-{size}.png'}")
