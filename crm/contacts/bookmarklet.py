"""The "Add to Networking CRM" bookmarklet: crm/static/js/bookmarklet.js packed into a link."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

SOURCE = Path(__file__).resolve().parent.parent / "static" / "js" / "bookmarklet.js"
PLACEHOLDER = "CAPTURE_ADDRESS"
# A string literal is kept whole; spaces around punctuation go; other runs become one space.
_TOKEN = re.compile(r'("(?:[^"\\\n]|\\.)*")|\s*([{}()\[\];,=+<>!&|?:])\s*|\s+')
# Left readable in the link; everything else (spaces, quotes, %, <, >) is percent-encoded.
_KEPT = "(){}[];,=+!&|?:.'/_-*~$"


@cache
def bookmarklet_source() -> str:
    """The bookmarklet's readable source, read once per process."""
    return SOURCE.read_text(encoding="utf-8")


def minify(source: str) -> str:
    """The script on one line: comment lines dropped, spaces squeezed, strings untouched."""
    lines = (line.strip() for line in source.splitlines())
    code = " ".join(line for line in lines if line and not line.startswith("//"))
    return _TOKEN.sub(_squeeze, code).strip()


def _squeeze(match: re.Match[str]) -> str:
    string, punctuation = match.group(1), match.group(2)
    if string is not None:
        return string
    return punctuation if punctuation is not None else " "


def bookmarklet_href(capture_address: str, source: str | None = None) -> str:
    """The javascript: link that opens `capture_address` with the page's title, address and
    selected text."""
    code = minify(bookmarklet_source() if source is None else source)
    code = code.replace(PLACEHOLDER, json.dumps(capture_address))
    return "javascript:" + quote(code, safe=_KEPT)
