"""Placeholders in message templates: checked when saved, filled per contact. Pure."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

PLACEHOLDERS: dict[str, str] = {
    "first_name": "their first name",
    "company": "their company",
    "role": "the role you are aiming for (the target role their title names, else your first)",
    "introduced_by": "who introduced you",
    "my_name": "your name",
}

# "{{" and "}}" stand for a literal brace; "{name}" is a placeholder; any other brace is a mistake.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")
# A sentence: from its first character to the stop that ends it (a closing quote or bracket
# included), or to the end of its paragraph; a comma and a line break do not end one, so a
# sign-off and the name under it are one.
_SENTENCE = re.compile(r"\S.*?(?:[.!?]+[\"'”’)\]]*(?=\s|\Z)|\Z)", re.S)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


class TemplateError(ValueError):
    """A template that cannot be filled, with every problem in words for the user."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"line {line}"


def template_problems(text: str) -> list[str]:
    """Every unknown placeholder and stray brace in text, in plain words (empty when fine)."""
    problems: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        where = _where(text, match.start())
        if token in ("{", "}"):
            problems.append(
                f"A brace on {where} is not closed: write placeholders like {{first_name}}, "
                "and type {{ or }} for a brace itself."
            )
            continue
        name = match.group(1).strip()
        if name in PLACEHOLDERS:
            continue
        known = ", ".join(f"{{{key}}}" for key in PLACEHOLDERS)
        close = difflib.get_close_matches(name.lower().replace(" ", "_"), PLACEHOLDERS, n=1)
        hint = f" Did you mean {{{close[0]}}}?" if close else ""
        shown = name if len(name) <= 40 else name[:40] + "…"
        problems.append(f"{{{shown}}} on {where} is not a placeholder we know.{hint} Use {known}.")
    return problems


def placeholders_in(text: str) -> list[str]:
    """The known placeholder names text uses, in order of first use."""
    seen: list[str] = []
    for match in _TOKEN.finditer(text):
        name = (match.group(1) or "").strip()
        if name in PLACEHOLDERS and name not in seen:
            seen.append(name)
    return seen


@dataclass(frozen=True)
class Filled:
    """A template filled for one contact, and the placeholders it had no value for."""

    text: str
    missing: list[str] = field(default_factory=list)


@lru_cache(maxsize=256)
def _checked(text: str) -> tuple[str, ...]:
    """template_problems, remembered: a page fills the same few wordings for every row."""
    return tuple(template_problems(text))


def _substitute(text: str, values: dict[str, str | None]) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        return (values.get(match.group(1).strip()) or "").strip()

    return _TOKEN.sub(replace, text)


def _without_sentences_using(paragraph: str, missing: list[str]) -> str:
    """The paragraph less every sentence that names a missing value, spacing kept."""
    kept: list[str] = []
    previous_end = 0
    for match in _SENTENCE.finditer(paragraph):
        space_before, previous_end = paragraph[previous_end : match.start()], match.end()
        if not any(name in missing for name in placeholders_in(match.group(0))):
            kept += [space_before if kept else "", match.group(0)]
    return "".join(kept)


def fill(text: str, values: dict[str, str | None]) -> Filled:
    """Replace each placeholder with its value. A sentence that names a value we do not have is
    left out whole (never left dangling, as "…as I work toward."), and the value reported."""
    problems = _checked(text)
    if problems:
        raise TemplateError(list(problems))
    missing = [name for name in placeholders_in(text) if not (values.get(name) or "").strip()]
    if missing:
        paragraphs = [
            _without_sentences_using(paragraph, missing)
            for paragraph in _PARAGRAPH_BREAK.split(text.strip())
        ]
        text = "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
    return Filled(text=_substitute(text, values), missing=missing)


def one_line(text: str) -> str:
    """A subject on one line: line breaks become spaces (a mail header cannot hold them)."""
    return " ".join(text.split())
