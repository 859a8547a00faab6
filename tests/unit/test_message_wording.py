"""Every default message reads as good English whatever is missing: no role, no company, no
introducer, no name of your own. A sentence without its value is left out, never left dangling."""

from __future__ import annotations

import itertools
import re

import pytest

from crm.enums import TemplateKind
from crm.messages.check import check_message
from crm.messages.defaults import DEFAULTS, THANK_YOU_LATE, Wording
from crm.messages.services import fill_for
from crm.models import Company, Contact, User

OPTIONAL = ("company", "role", "introduced_by", "my_name")
COMBINATIONS = [
    frozenset(missing)
    for size in range(len(OPTIONAL) + 1)
    for missing in itertools.combinations(OPTIONAL, size)
]
WORDINGS = [(kind, DEFAULTS[kind]) for kind in TemplateKind] + [
    (TemplateKind.THANK_YOU, THANK_YOU_LATE)
]
DANGLING = re.compile(
    r"\b(toward|towards|into|at|from|with|of|for|about|as|the|a|an|and|by|in)\s*([.,;:!?]|$)",
    re.MULTILINE,
)


def render(kind: TemplateKind, wording: Wording, missing: frozenset[str]) -> tuple[str, str]:
    user = User(email="maria@example.com", name="" if "my_name" in missing else "Maria Lopez")
    contact = Contact(first_name="Sam", last_name="Lee", email="sam@example.com")
    if "company" not in missing:
        contact.company = Company(name="Acme Analytics")
    role = "" if "role" in missing else "Data Scientist"
    introducer = None if "introduced_by" in missing else "Ana Ruiz"
    late = wording is THANK_YOU_LATE
    message = fill_for(kind, wording, user, contact, role, introducer, late)
    return message.subject, message.body


def problems(text: str) -> list[str]:
    """What a reader would stumble on, as the issue lists it."""
    found = []
    if "{" in text or "}" in text:
        found.append("a leftover brace")
    found += [f"dangling “{m.group(0).strip()}”" for m in DANGLING.finditer(text)]
    if re.search(r"“\s*”|\"\s*\"|\(\s*\)", text):
        found.append("empty quotes")
    if re.search(r"[^\n]  +|[ \t]+[,.;:!?]|[ \t]$", text, re.MULTILINE):
        found.append("a double space or a space before a stop")
    if re.search(r"\n\s*\n\s*\n|\A\s|\s\Z", text):
        found.append("an empty paragraph")
    if re.search(r"(?:\A|\n\n)[^A-Z]", text):
        found.append("a paragraph that starts mid-sentence")
    return found


@pytest.mark.parametrize("missing", COMBINATIONS, ids=lambda m: "+".join(sorted(m)) or "none")
@pytest.mark.parametrize(("kind", "wording"), WORDINGS, ids=lambda w: getattr(w, "value", "w"))
def test_every_default_reads_whole_with_any_value_missing(kind, wording, missing):
    subject, body = render(kind, wording, missing)
    assert subject and not problems(subject), subject
    assert not problems(body), (problems(body), body)
    assert body.startswith("Hi Sam,\n\n")
    # The check finds nothing broken, and what is left still asks what the kind must ask.
    failing = [item.key for item in check_message(body, kind, None) if not item.ok]
    assert not set(failing) & {"whole", "short", "path", "time", "about_them"}, (failing, body)


def test_without_a_role_the_sentence_about_it_is_left_out():
    _, body = render(TemplateKind.FIRST_OUTREACH, DEFAULTS[TemplateKind.FIRST_OUTREACH], {"role"})
    assert "I would love to learn from your path into your role at Acme Analytics.\n" in body
    assert "toward" not in body
    _, with_role = render(TemplateKind.FIRST_OUTREACH, DEFAULTS[TemplateKind.FIRST_OUTREACH], set())
    assert "I am working toward the role of Data Scientist." in with_role


def test_without_a_name_of_your_own_the_sign_off_is_left_out_not_signed_with_the_email():
    _, body = render(TemplateKind.NUDGE, DEFAULTS[TemplateKind.NUDGE], {"my_name"})
    assert "maria" not in body.lower()
    assert body.endswith("Your advice would mean a lot to me.")
    _, signed = render(TemplateKind.NUDGE, DEFAULTS[TemplateKind.NUDGE], set())
    assert signed.endswith("Thank you,\nMaria Lopez")


def test_without_a_company_the_subject_still_reads():
    subject, _ = render(
        TemplateKind.FIRST_OUTREACH, DEFAULTS[TemplateKind.FIRST_OUTREACH], {"company"}
    )
    assert subject == "A question about your career path"
    subject, _ = render(TemplateKind.FIRST_OUTREACH, DEFAULTS[TemplateKind.FIRST_OUTREACH], set())
    assert subject == "A question about your path at Acme Analytics"


def test_a_late_thank_you_does_not_say_today():
    _, on_the_day = render(TemplateKind.THANK_YOU, DEFAULTS[TemplateKind.THANK_YOU], set())
    _, late = render(TemplateKind.THANK_YOU, THANK_YOU_LATE, set())
    assert "Thank you for your time today." in on_the_day
    assert "today" not in late.lower()
    assert "Thank you again for your time and for sharing your story." in late


@pytest.mark.parametrize(
    "text",
    [
        "Hi Sam,\n\nIt is the path I hope to learn from as I work toward.",
        "Hi Sam,\n\nIt is the road into .",
        "Hi {first_name},\n\nThank you.",
        "Hi Sam,\n\nsuggested I get in touch with you.",
        "Hi Sam,\n\nYou said “” about it.",
    ],
)
def test_the_check_flags_a_leftover_placeholder_or_a_broken_sentence(text):
    items = check_message(text, TemplateKind.FIRST_OUTREACH, None)
    assert items[0].key == "whole" and not items[0].ok
    assert "5 of 5" not in f"{sum(i.ok for i in items)} of {len(items)}"
