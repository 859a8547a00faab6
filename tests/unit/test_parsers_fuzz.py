"""Whatever a user uploads, the parsers answer with a result or a plain UnsupportedFormat."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.parsers import (
    ParseResult,
    UnsupportedFormat,
    decode,
    google,
    linkedin,
    outlook,
    parse_file,
    vcard,
)

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PARSERS: list[Callable[[str], ParseResult]] = [
    linkedin.parse,
    google.parse,
    outlook.parse,
    vcard.parse,
]
HEADERS = [
    [],
    ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
    ["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"],
    ["First Name", "Last Name", "Organization Name", "Labels", "E-mail 1 - Value", "Notes"],
    ["Name", "Given Name", "Family Name", "Group Membership", "Website 1 - Value"],
    ["Title", "First Name", "Last Name", "E-mail Address", "Job Title", "Categories"],
]
# Cells that look like what exports hold, mixed with anything at all.
cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "30 May 2024",
            "1/8/18, 6:14 PM",
            "23-Nov-21",
            "31 Feb 2024",
            "urn:li:member:664293716",
            "jane@example.com",
            "https://www.linkedin.com/in/jane-doe",
            "linkedin.com/in/%zz",
            "a ::: b ::: * myContacts",
            '=HYPERLINK("http://evil")',
            '"',
            "\r\n",
            "\r",
        ]
    ),
)
vcard_lines = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "BEGIN:VCARD",
            "END:VCARD",
            "VERSION:2.1",
            "VERSION:4.0",
            "N:Doe\\, MSc;Jane;;;",
            "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B;=E5=B0=",
            "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=utf-16:=FF=",
            "FN:",
            "ORG:Acme\\, Inc.",
            'item1.EMAIL;TYPE="HOME,PREF":jane@example.com',
            "TEL;CELL;PREF:+1 555",
            "X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/jane",
            "CATEGORIES:a,b\\,c",
            "AGENT:",
            ' folded "continuation',
            "\tfolded:continuation\\",
            "=",
            'X;A="unclosed:value',
        ]
    ),
)


def check(result: ParseResult, text: str) -> None:
    """A result holds well-formed people, each on a real line of the file."""
    assert result.format in {"linkedin", "google", "outlook", "vcard"}
    last_line = max(1, text.count("\n") + text.count("\r") + 1)
    for person in result.people:
        assert 1 <= person.line <= last_line
        for value in (
            person.first_name,
            person.last_name,
            person.email,
            person.phone,
            person.company,
            person.title,
            person.notes,
        ):
            assert isinstance(value, str)
        assert person.email == "" or "@" in person.email
        assert person.linkedin_url is None or person.linkedin_url.startswith(
            "https://www.linkedin.com/in/"
        )
        assert person.connected_on is None or isinstance(person.connected_on, date)
        assert all(isinstance(tag, str) and tag for tag in person.tags)
    for skipped in result.skipped:
        assert 1 <= skipped.line <= last_line
        assert skipped.reason


def parse_all(data: bytes) -> None:
    try:
        result = parse_file(data, "upload.csv")
    except UnsupportedFormat as refused:
        assert str(refused).endswith(".")
        return
    check(result, decode(data)[0])


def parse_text_with_each_parser(text: str) -> None:
    for parse in PARSERS:
        try:
            result = parse(text)
        except UnsupportedFormat:
            continue
        check(result, text)


def csv_text(header: list[str], rows: list[list[str]], terminator: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=terminator)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    parse_all(data)


@FUZZ
@given(st.text(max_size=500))
def test_random_text(text: str) -> None:
    parse_all(text.encode("utf-8"))
    parse_text_with_each_parser(text)


@FUZZ
@given(
    st.sampled_from(HEADERS),
    st.lists(st.lists(cells, max_size=9), max_size=12),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.integers(min_value=0, max_value=40),
)
def test_random_csv(header: list[str], rows: list[list[str]], terminator: str, cut: int) -> None:
    text = csv_text(header, rows, terminator)
    parse_all(text.encode("utf-8"))
    parse_text_with_each_parser(text)
    # The same file cut off at an arbitrary point, as an interrupted download leaves it.
    parse_all(text[: len(text) - cut].encode("utf-8"))


@FUZZ
@given(st.lists(vcard_lines, max_size=25), st.sampled_from(["\n", "\r\n"]))
def test_random_vcards(lines: list[str], terminator: str) -> None:
    text = terminator.join(["BEGIN:VCARD", *lines])
    parse_all(text.encode("utf-8"))
    parse_text_with_each_parser(text)
