"""The check beside an outreach message: each of the five marks, met and not met."""

from __future__ import annotations

import pytest

from crm.enums import TemplateKind
from crm.messages.check import MAX_WORDS, as_json, check_message, words
from crm.messages.defaults import DEFAULTS
from crm.messages.placeholders import fill

GOOD = (
    "Hi Sam,\n\nAna Ruiz suggested I write to you. Your move from teaching into product at "
    "Acme is the path I hope to follow.\n\nWould you have 15 to 20 minutes to tell me how you "
    "got there and what advice you would give?\n\nThanks,\nJo"
)


def marks(text, kind="first_outreach", introduced_by=None):
    return {item.key: item for item in check_message(text, kind, introduced_by)}


def test_a_good_first_outreach_meets_all_five_marks():
    result = marks(GOOD, introduced_by="Ana Ruiz")
    assert list(result) == ["short", "connected", "path", "time", "about_them"]
    assert all(item.ok for item in result.values()), result
    assert result["time"].detail == "“15 to 20 minutes”."


def test_labels_are_the_five_marks_in_plain_words():
    labels = [item.label for item in check_message(GOOD)]
    assert labels == [
        "Under 100 words",
        "Says how you are connected",
        "Asks about their path or advice, not for a job",
        "One clear ask for 15 to 20 minutes",
        "More about them than about you",
    ]


def test_an_empty_message_meets_nothing_and_says_to_write_it():
    result = marks("")
    assert not any(item.ok for item in result.values())
    assert result["short"].detail == "Write the message first."


@pytest.mark.parametrize(("count", "ok"), [(99, True), (100, False), (140, False)])
def test_under_100_words(count, ok):
    text = " ".join(["word"] * count)
    item = marks(text)["short"]
    assert item.ok is ok
    assert item.detail.startswith(f"{count} words.")
    if not ok:
        assert "under 100" in item.detail


def test_contractions_and_accented_words_count_once():
    assert words("I'm José’s friend, well-known") == ["I'm", "José’s", "friend", "well-known"]
    assert MAX_WORDS == 100


@pytest.mark.parametrize(
    "text",
    [
        "We met at the PyCon sprint last spring.",
        "As a fellow Leeds alumna, I hoped to ask you.",
        "I read your article on hiring freezes.",  # mentions hiring, but the connection counts
        "We both worked at Initech.",
    ],
)
def test_connection_phrases_count(text):
    assert marks(text)["connected"].ok


def test_naming_the_introducer_counts_as_the_connection():
    text = "Ana thought you would be the right person."
    assert marks(text, introduced_by="Ana Ruiz")["connected"].ok
    assert not marks(text)["connected"].ok


def test_a_message_without_a_connection_says_what_to_add():
    item = marks("Hello, could you spare 15 minutes?", introduced_by="Ana Ruiz")["connected"]
    assert not item.ok
    assert "mention Ana, who introduced you" in item.detail
    plain = marks("Hello, could you spare 15 minutes?")["connected"]
    assert "say where you met" in plain.detail


@pytest.mark.parametrize(
    "text",
    [
        "Are you hiring at the moment?",
        "Could you refer me for the opening on your team?",
        "I attach my resume in case there is an open role.",
        "I'd love to apply for a position there; any jobs?",
        "Is there an internship I could join?",
    ],
)
def test_asking_for_a_job_is_named_and_redirected_to_their_path(text):
    item = marks(text + " How did you get into your career?")["path"]
    assert not item.ok
    assert "reads as asking for a job" in item.detail
    assert "Ask about their path instead" in item.detail


def test_a_question_about_their_path_is_needed_in_a_first_outreach():
    item = marks("We met at the fair. Would you have 15 minutes?")["path"]
    assert not item.ok
    assert "career path" in item.detail
    assert marks("We met at the fair. How did you get into design?")["path"].ok


def test_talking_about_their_position_is_not_a_job_request():
    assert marks("Your position at Acme and your career path interest me.")["path"].ok


@pytest.mark.parametrize(
    "ask",
    [
        "15 minutes",
        "15-20 minutes",
        "15–20 min",
        "20 minutes",
        "fifteen to twenty minutes",
        "a 15-minute call",
        "15 or 20 minutes",
    ],
)
def test_one_ask_for_15_to_20_minutes_is_met(ask):
    assert marks(f"Would you have {ask} next week?")["time"].ok, ask


@pytest.mark.parametrize(
    ("text", "words_in_detail"),
    [
        ("Do you have 30 minutes?", "is a lot to ask"),
        ("Could we talk for an hour?", "is a lot to ask"),
        ("Could we meet for half an hour?", "is a lot to ask"),
        ("Do you have 5 minutes?", "too short"),
        ("Could you give me 10 minutes?", "too short"),
        ("Could we talk?", "Ask for 15 to 20 minutes"),
        ("15 minutes on Monday, or 20 minutes on Friday?", "Make one ask"),
    ],
)
def test_asks_for_other_amounts_of_time_say_what_to_change(text, words_in_detail):
    item = marks(text)["time"]
    assert not item.ok
    assert words_in_detail in item.detail


def test_more_about_them_than_about_you():
    mine = marks("I am moving into data. My plan is set. I'd like to ask about you.")
    assert not mine["about_them"].ok
    assert mine["about_them"].detail.startswith("About them 1 time, about you 3 times.")
    assert "Turn a sentence about you into one about them" in mine["about_them"].detail
    theirs = marks("Your path and your advice: how did you choose it? I wonder.")
    assert theirs["about_them"].ok


def test_a_tie_is_not_yet_more_about_them():
    assert not marks("I admire your work.")["about_them"].ok


def test_curly_apostrophes_count_like_straight_ones():
    assert marks("You’re kind and you’ve done it; I’m new.")["about_them"].ok


def test_a_nudge_skips_the_connection_but_still_asks_for_time():
    keys = [item.key for item in check_message("Hi again", "nudge")]
    assert keys == ["short", "path", "time", "about_them"]


@pytest.mark.parametrize("kind", ["thank_you", "update", "referral_ask"])
def test_messages_after_an_interview_only_need_to_be_short_kind_and_jobless(kind):
    result = marks("Thank you for your time and your advice.", kind)
    assert list(result) == ["short", "path", "about_them"]
    assert result["path"].label == "No job request"
    assert all(item.ok for item in result.values())
    assert not marks("Thank you! Are you hiring?", kind)["path"].ok


@pytest.mark.parametrize("kind", list(TemplateKind))
def test_every_default_template_filled_meets_its_own_check(kind):
    values = {
        "first_name": "Sam",
        "company": "Acme",
        "role": "product management",
        "introduced_by": "Ana Ruiz",
        "my_name": "Jo Bloggs",
    }
    text = fill(DEFAULTS[kind].body, values).text
    failing = [item for item in check_message(text, kind, "Ana Ruiz") if not item.ok]
    assert not failing, failing


def test_the_check_is_plain_json_for_the_script():
    data = as_json(check_message("Hi"))
    assert data[0] == {"key": "short", "label": "Under 100 words", "ok": True, "detail": "1 word."}


def test_a_huge_message_is_checked_quickly_and_reports_the_count():
    item = marks("word " * 10_000)["short"]
    assert item.detail.startswith("10000 words.")
