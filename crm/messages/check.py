"""The check beside an outreach message: the method's five marks of a note that gets a yes. Pure.

The same function runs on save and behind the small JSON endpoint the page's script calls as
the person types, so the rules are written once, here.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from crm.enums import TemplateKind
from crm.words import plural

MAX_WORDS = 100  # "under 100 words"
MIN_MINUTES, MAX_MINUTES = 15, 20

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_ABOUT_THEM = {"you", "your", "yours", "yourself", "you're", "you've", "you'd", "you'll"}
_ABOUT_ME = {"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"}

_CONNECTION = re.compile(
    r"\b(we met|met at|met you|you met|introduced|introduction|suggested (?:i|that i|we)|"
    r"recommended (?:i|that i|you)|referred me|fellow|alum(?:na|nus|nae|ni)?|classmates?|"
    r"colleagues?|worked together|same (?:school|team|company|program|class|university)|"
    r"mutual|friend of|connected on|we both|your talk|your post|your article|i saw your|"
    r"i read your|i heard you)\b",
    re.IGNORECASE,
)
_PATH = re.compile(
    r"\b(path|paths|journey|career|careers|advice|how you (?:got|became|moved|made|ended|"
    r"started|found|went|chose)|what you (?:learned|learnt|wish|would do)|your (?:story|"
    r"experience|route|move|transition)|got into|get into|learn from|recommend)\b",
    re.IGNORECASE,
)
_JOB_REQUEST = re.compile(
    r"\b(jobs?|openings?|vacanc(?:y|ies)|hiring|hire me|recruit\w*|refer me|referral for|"
    r"apply(?:ing)? (?:for|to)|(?:my|the attached) (?:resume|résumé|cv)|employment|"
    r"internships?|work for you|(?:open|any|a) (?:roles?|positions?))\b",
    re.IGNORECASE,
)
_NUMBER = r"\d{1,3}|five|ten|fifteen|twenty|twenty-five|thirty|forty-five|sixty|ninety"
_DURATION = re.compile(
    rf"\b(?P<low>{_NUMBER})(?:\s*(?:-|–|—|to|or)\s*(?P<high>{_NUMBER}))?[\s-]*"
    r"(?:minutes?|mins?)\b"
    r"|\b(?P<hours>an|one|two|three|half an|\d+)\s+hours?\b|\bhalf an hour\b",
    re.IGNORECASE,
)
# Signs that a value was left empty in a sentence: a placeholder not filled in, a sentence
# that ends on a word that needs another after it, or a gap where a word was.
_LEFTOVER = re.compile(r"\{[^{}\n]*\}")
_DANGLING = re.compile(
    r"\b(?:toward|towards|into|at|from|of|the|an|and|or)[ \t]*(?=[.,;:!?]|$)",
    re.IGNORECASE | re.MULTILINE,
)
_GAP = re.compile(r"[ \t]+[,.;:!?]|“\s*”|\"\s*\"|‘\s*’|\(\s*\)|\[\s*\]|[^.!?\s][ \t]{2,}(?=\S)")
_HEADLESS = re.compile(r"\n[ \t]*\n[ \t]*(?=[a-z,.;:])")
_WORD_NUMBERS = {
    "five": 5,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "twenty-five": 25,
    "thirty": 30,
    "forty-five": 45,
    "sixty": 60,
    "ninety": 90,
}


@dataclass(frozen=True)
class CheckItem:
    """One mark of a good message: met or not, and what to do about it, in plain words."""

    key: str
    label: str
    ok: bool
    detail: str


def words(text: str) -> list[str]:
    """The words of a message (a contraction such as I'm is one word)."""
    return _WORD.findall(text)


def _minutes(value: str) -> int:
    value = value.lower()
    return int(value) if value.isdigit() else _WORD_NUMBERS[value]


def _check_length(text: str) -> CheckItem:
    count = len(words(text))
    label = f"Under {MAX_WORDS} words"
    if count == 0:
        return CheckItem("short", label, False, "Write the message first.")
    if count < MAX_WORDS:
        return CheckItem("short", label, True, f"{plural(count, 'word')}.")
    cut = "A short note gets read: cut it to under 100."
    return CheckItem("short", label, False, f"{plural(count, 'word')}. {cut}")


def _check_connection(text: str, introduced_by: str | None) -> CheckItem:
    label = "Says how you are connected"
    introducer = (introduced_by or "").split()
    named = bool(introducer) and re.search(rf"\b{re.escape(introducer[0])}\b", text, re.IGNORECASE)
    if named or _CONNECTION.search(text):
        return CheckItem("connected", label, True, "They know why you are writing to them.")
    hint = f"mention {introducer[0]}, who introduced you" if introducer else "say where you met"
    return CheckItem(
        "connected",
        label,
        False,
        f"Start with the connection: {hint}, or what you share (a school, a team, a talk).",
    )


def _check_withheld(text: str, withheld: str) -> CheckItem:
    """A suggested person's referrer who has not said yes stays unnamed."""
    label = f"Leaves out {withheld}'s name"
    first = withheld.split()[0] if withheld.split() else withheld
    if re.search(rf"\b{re.escape(first)}\b", text, re.IGNORECASE):
        return CheckItem(
            "unnamed",
            label,
            False,
            f"{first} has not said you may mention them: take their name out, or ask them first.",
        )
    return CheckItem("unnamed", label, True, f"{first} is not named, as agreed.")


def _check_path(text: str, needs_question: bool) -> CheckItem:
    label = "Asks about their path or advice, not for a job" if needs_question else "No job request"
    job = _JOB_REQUEST.search(text)
    if job:
        return CheckItem(
            "path",
            label,
            False,
            f"“{job.group(0)}” reads as asking for a job. Ask about their path instead: "
            "people gladly share advice, and jobs follow from the conversations.",
        )
    if needs_question and not _PATH.search(text):
        return CheckItem(
            "path",
            label,
            False,
            "Ask about their career path or their advice, like “how did you get into your role?”",
        )
    if needs_question:
        return CheckItem("path", label, True, "It asks for their story, not a favour.")
    return CheckItem("path", label, True, "Nothing in it reads as asking for a job.")


def _check_time_ask(text: str) -> CheckItem:
    label = f"One clear ask for {MIN_MINUTES} to {MAX_MINUTES} minutes"
    asks = list(_DURATION.finditer(text))
    if not asks:
        return CheckItem(
            "time",
            label,
            False,
            "Ask for 15 to 20 minutes of their time: a small, clear ask is easy to say yes to.",
        )
    if len(asks) > 1:
        return CheckItem(
            "time",
            label,
            False,
            f"It asks for time {len(asks)} times. Make one ask, once.",
        )
    ask = asks[0]
    if ask.group("low") is None:
        return CheckItem(
            "time", label, False, f"“{ask.group(0)}” is a lot to ask: 15 to 20 minutes is enough."
        )
    low = _minutes(ask.group("low"))
    high = _minutes(ask.group("high")) if ask.group("high") else low
    if high > MAX_MINUTES:
        return CheckItem(
            "time", label, False, f"“{ask.group(0)}” is a lot to ask: 15 to 20 minutes is enough."
        )
    if low < MIN_MINUTES:
        return CheckItem(
            "time",
            label,
            False,
            f"“{ask.group(0)}” is too short for a real conversation: ask for 15 to 20 minutes.",
        )
    return CheckItem("time", label, True, f"“{ask.group(0)}”.")


def _check_about_them(text: str) -> CheckItem:
    label = "More about them than about you"
    lowered = [word.lower().replace("’", "'") for word in words(text)]
    them = sum(word in _ABOUT_THEM for word in lowered)
    me = sum(word in _ABOUT_ME for word in lowered)
    detail = f"About them {plural(them, 'time')}, about you {plural(me, 'time')}."
    if them > me:
        return CheckItem("about_them", label, True, detail)
    return CheckItem(
        "about_them", label, False, f"{detail} Turn a sentence about you into one about them."
    )


def _line_at(text: str, position: int) -> str:
    """The line around a position, cut to about 60 characters."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    line = text[start : end if end >= 0 else len(text)].strip()
    return line if len(line) <= 60 else line[:57] + "…"


def _broken_sentence(text: str) -> str | None:
    """Where the message reads as if a value were missing, in words, or None when it is whole."""
    leftover = _LEFTOVER.search(text)
    if leftover:
        return f"“{leftover.group(0)}” is still a placeholder: write in what it stands for."
    for pattern in (_DANGLING, _GAP, _HEADLESS):
        found = pattern.search(text)
        if found:
            line = _line_at(text, found.end() if pattern is _HEADLESS else found.start())
            return f"“{line}” reads as if a word is missing: read it through and fill the gap."
    return None


def _check_whole(text: str) -> CheckItem | None:
    problem = _broken_sentence(text)
    if problem is None:
        return None
    return CheckItem("whole", "Every sentence whole, no placeholder left", False, problem)


def check_message(
    text: str,
    kind: str = TemplateKind.FIRST_OUTREACH,
    introduced_by: str | None = None,
    withheld: str | None = None,
) -> list[CheckItem]:
    """The marks that apply to this kind of message, in the order the page shows them.

    A first outreach and a nudge are asking a near-stranger for time, so they get all five
    marks (the nudge skips the connection, said in the first message); a thank-you, an update
    or a referral ask is to someone you have met, so it needs only to be short, ask for no job
    and be about them. `withheld` names a referrer the first message must not mention (they
    suggested the person but have not said yes to being named).
    """
    text = text or ""
    # Shown only when something is broken, so a whole message still meets its five marks.
    whole = _check_whole(text)
    items = [whole] if whole else []
    items.append(_check_length(text))
    if kind == TemplateKind.FIRST_OUTREACH:
        items.append(_check_connection(text, introduced_by))
        if withheld:
            items.append(_check_withheld(text, withheld))
    asks_for_time = kind in (TemplateKind.FIRST_OUTREACH, TemplateKind.NUDGE)
    items.append(_check_path(text, needs_question=asks_for_time))
    if asks_for_time:
        items.append(_check_time_ask(text))
    items.append(_check_about_them(text))
    return items


def as_json(items: list[CheckItem]) -> list[dict[str, object]]:
    """The items as plain dictionaries for the page's script."""
    return [asdict(item) for item in items]
