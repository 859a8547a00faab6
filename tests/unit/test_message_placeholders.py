"""Placeholders, filling, mailto links and the reframe: pure functions, no app."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from crm.enums import TemplateKind
from crm.messages.defaults import DEFAULTS
from crm.messages.mailto import mailto_link
from crm.messages.placeholders import (
    PLACEHOLDERS,
    TemplateError,
    fill,
    one_line,
    placeholders_in,
    template_problems,
)
from crm.outreach.reframe import reframe

VALUES = {
    "first_name": "Sam",
    "company": "Acme",
    "role": "product management",
    "introduced_by": "Ana Ruiz",
    "my_name": "Jo",
}


def test_the_five_placeholders():
    assert list(PLACEHOLDERS) == ["first_name", "company", "role", "introduced_by", "my_name"]


def test_fill_replaces_every_placeholder():
    filled = fill(
        "Hi {first_name} of {company}, {introduced_by} says hi. {role}. {my_name}", VALUES
    )
    assert filled.text == "Hi Sam of Acme, Ana Ruiz says hi. product management. Jo"
    assert filled.missing == []


def test_spaces_inside_braces_are_forgiven():
    assert fill("Hi { first_name }", VALUES).text == "Hi Sam"


def test_a_sentence_with_a_missing_value_is_left_out_whole_and_the_value_reported_once():
    filled = fill(
        "Your work at {company}, and {company} again. Thanks.\nBest, {my_name}", {"my_name": "Jo"}
    )
    assert filled.text == "Thanks.\nBest, Jo"
    assert filled.missing == ["company"]


def test_a_paragraph_left_empty_goes_with_its_line_breaks():
    filled = fill(
        "Hi {first_name},\n\n{introduced_by} suggested I write.\n\nBye.", {"first_name": "Sam"}
    )
    assert filled.text == "Hi Sam,\n\nBye."
    assert filled.missing == ["introduced_by"]


def test_doubled_braces_are_literal_braces():
    assert fill("Use {{curly}} braces, {first_name}", VALUES).text == "Use {curly} braces, Sam"
    assert template_problems("{{first_name}}") == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Hi {firstname}", ["{firstname} on line 1 is not a placeholder we know", "{first_name}?"]),
        ("Hi {First Name}", ["Did you mean {first_name}?"]),
        ("Hi\n{nonsense}", ["{nonsense} on line 2", "Use {first_name}, {company}"]),
        ("Hi {first_name", ["A brace on line 1 is not closed"]),
        ("Hi first_name}", ["A brace on line 1 is not closed"]),
        ("Hi {}", ["{} on line 1 is not a placeholder we know"]),
        ("{a{b}c}", ["A brace on line 1 is not closed"]),
    ],
)
def test_bad_templates_get_a_clear_message(text, words):
    problems = " ".join(template_problems(text))
    for expected in words:
        assert expected in problems, problems
    with pytest.raises(TemplateError) as raised:
        fill(text, VALUES)
    assert raised.value.problems == template_problems(text)


def test_every_problem_is_listed_at_once():
    assert len(template_problems("{a} {b}\n{c")) == 3


def test_a_huge_unknown_placeholder_is_shortened_in_the_message():
    problem = template_problems("{" + "x" * 500 + "}")[0]
    assert len(problem) < 250
    assert "…" in problem


def test_placeholders_in_lists_known_names_in_order():
    assert placeholders_in("{my_name} {company} {my_name} {{role}}") == ["my_name", "company"]


def test_script_in_a_name_is_filled_as_text():
    filled = fill("Hi {first_name}", {"first_name": "<script>alert(1)</script>"})
    assert filled.text == "Hi <script>alert(1)</script>"  # escaping is the page's job


def test_values_are_not_filled_twice():
    assert fill("Hi {first_name}", {"first_name": "{company}"}).text == "Hi {company}"


def test_one_line_folds_line_breaks():
    assert one_line("A\r\nsubject\n\twith  breaks") == "A subject with breaks"


@pytest.mark.parametrize("kind", list(TemplateKind))
def test_defaults_are_valid_short_and_ask_for_no_job(kind):
    wording = DEFAULTS[kind]
    assert template_problems(wording.subject) == []
    assert template_problems(wording.body) == []
    assert "{first_name}" in wording.body and "{my_name}" in wording.body
    assert "job" not in wording.body.lower()
    assert kind.label and kind.label != kind.value


def test_the_first_outreach_puts_the_connection_first():
    body = DEFAULTS[TemplateKind.FIRST_OUTREACH].body
    first_paragraph = body.split("\n\n")[1]
    assert first_paragraph.startswith("{introduced_by}")
    assert "15 to 20 minutes" in body


def test_mailto_encodes_subject_and_body():
    link = mailto_link("sam@example.com", "Hi & hello?", "Line one\nLine two & more = 100%")
    assert link is not None
    parts = urlsplit(link)
    assert parts.scheme == "mailto"
    assert parts.path == "sam@example.com"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Hi & hello?"]
    assert query["body"] == ["Line one\r\nLine two & more = 100%"]
    assert " " not in link and "\n" not in link


def test_mailto_cannot_be_used_to_add_headers_or_break_out_of_an_attribute():
    link = mailto_link(
        'a@b.c?cc=evil@x.y&bcc=z@z.z"', 'S"ub\r\nBcc: evil@x.y', '<script>"x"</script>'
    )
    assert link is not None
    address = link.split("?", 1)[0]
    assert address == "mailto:a@b.c%3Fcc%3Devil@x.y%26bcc%3Dz@z.z%22"
    assert link.count("?") == 1 and link.count("&") == 1
    for character in '"<>\r\n ':
        assert character not in link
    subject = parse_qs(urlsplit(link).query)["subject"][0]
    assert subject == 'S"ub Bcc: evil@x.y'  # one line: no header can be smuggled in


def test_mailto_keeps_accents_and_emoji():
    link = mailto_link("zoë@example.com", "Merci", "Grüße 👋")
    assert link is not None
    assert unquote(link) == "mailto:zoë@example.com?subject=Merci&body=Grüße 👋"


@pytest.mark.parametrize("email", [None, "", "   ", "not-an-address"])
def test_no_mailto_without_an_address(email):
    assert mailto_link(email, "Hi", "Body") is None


TODAY = date(2026, 11, 25)  # a Wednesday


def test_no_response_names_the_nudge_day_and_a_second_person():
    text = reframe(
        "no_response", "Jane Doe", TODAY, company="Acme", nudge_on=date(2026, 11, 26),
        other_person="Sam Lee",
    )  # fmt: skip
    assert text == (
        "No reply yet from Jane Doe. That is normal, a non-reply is a temporary delay, not a "
        "roadblock: nudge once on Thu 26 Nov, and write to Sam Lee at Acme."
    )


def test_no_response_with_an_overdue_nudge_says_today_and_without_a_person_says_find_one():
    text = reframe("no_response", "Jane", TODAY, company="Acme Inc.", nudge_on=date(2026, 11, 2))
    assert "nudge once today, and find a second person at Acme Inc." in text


def test_no_response_without_a_company_or_nudge_still_gives_a_next_step():
    text = reframe("no_response", "Jane", TODAY)
    assert text.endswith("not a roadblock: reach out to one more person in the role you want.")


def test_declined_is_a_delay_with_a_next_person():
    text = reframe("declined", "Jane", TODAY, company="Acme", other_person="Sam Lee")
    assert text == (
        "Jane said no for now. That happens to everyone: a non-reply is a temporary delay, not "
        "a roadblock. Thank them for replying, and write to Sam Lee at Acme."
    )
    for word in ("fail", "reject", "sorry"):
        assert word not in text.lower()
