"""vCard 2.1, 3.0 and 4.0 imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm.parsers import ImportedPerson, ParseResult, SkippedRow, parse_file, vcard

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
COMPANY_CARD = "a company card with no person"

VCARD30_PEOPLE = [
    ImportedPerson(
        line=1,
        first_name="Jane",
        last_name="Doe, MSc",
        email="jane.doe@acme.example",
        phone="+1 (555) 010-0199",
        company="Acme, Inc.",
        title="Principal, Data and AI",
        linkedin_url="https://www.linkedin.com/in/jane-doe-1a2b3c",
        notes="Met at the data summit.\nAsked about moving from academia into industry; "
        "follow up in May.",
        tags=["alumni", "mentor"],
    ),
    ImportedPerson(
        line=23,
        first_name="Hiro",
        last_name="Nakamura",
        email="hiro.nakamura@example.jp",
        company="東京海上日動火災保険株式会社",
        title="シニアエンジニア",
        linkedin_url="https://www.linkedin.com/in/hironakamura",
        notes="東京で会いました。転職の相談をしました。次回は五月に連絡する。",
    ),
    # FN is empty: the name comes from N.
    ImportedPerson(line=41, first_name="Chidi", last_name="Okoro", email="chidi.okoro@example.ng"),
]


def load(name: str) -> ParseResult:
    return parse_file((FIXTURES / name).read_bytes(), name)


def test_vcard21_quoted_printable_with_soft_line_breaks() -> None:
    result = load("vcard21.vcf")

    assert (result.format, result.format_label, result.encoding) == (
        "vcard",
        "vCard 2.1",
        "utf-8",
    )
    assert result.people == [
        ImportedPerson(
            line=1,
            first_name="Jörg",
            last_name="Müller",
            email="joerg.mueller@example.de",
            phone="+49 151 2345678",
            company="Bäckerei Müller",
            title="Inhaber",
            linkedin_url="https://www.linkedin.com/in/joerg-mueller-baeckerei",
            notes="Erste Zeile mit ä und eine sehr lange Zeile, die weich umbrochen wird\n"
            "Zweite Zeile",
        ),
        ImportedPerson(line=17, first_name="小明", last_name="王", phone="+86 138 0013 8000"),
    ]
    assert result.skipped == [SkippedRow(line=24, reason=COMPANY_CARD)]


def test_vcard30_apple_grouped_properties_and_folded_lines() -> None:
    result = load("vcard30.vcf")

    assert (result.format, result.format_label) == ("vcard", "vCard 3.0")
    assert result.people == VCARD30_PEOPLE
    assert result.skipped == [SkippedRow(line=34, reason=COMPANY_CARD)]


@pytest.mark.parametrize("ending", [b"\n", b"\r"])
def test_vcard30_with_lf_or_cr_line_ends_reads_the_same(ending: bytes) -> None:
    data = (FIXTURES / "vcard30.vcf").read_bytes().replace(b"\r\n", ending)

    result = parse_file(data, "contacts.vcf")

    assert result.people == VCARD30_PEOPLE


def test_vcard40() -> None:
    result = load("vcard40.vcf")

    assert (result.format, result.format_label) == ("vcard", "vCard 4.0")
    assert result.people == [
        ImportedPerson(
            line=1,
            first_name="Amélie",
            last_name="Laurent",
            email="amelie.laurent@example.fr",
            phone="+33-6-12-34-56-78",
            company="Société Générale",
            title="Responsable RH",
            linkedin_url="https://www.linkedin.com/in/amelie-laurent",
            notes="Intro via Hannah.",
            tags=["recruiter", "France"],
        ),
        # No N at all: the name is split from FN.
        ImportedPerson(
            line=22, first_name="Sam", last_name="Rivera", email="sam.rivera@example.com"
        ),
    ]
    assert result.skipped == [SkippedRow(line=16, reason=COMPANY_CARD)]


def test_a_file_of_several_versions_names_them_all() -> None:
    data = (FIXTURES / "vcard30.vcf").read_bytes() + (FIXTURES / "vcard21.vcf").read_bytes()

    result = parse_file(data, "all.vcf")

    assert result.format_label == "vCard (2.1, 3.0)"
    assert len(result.people) == 5
    # Line numbers count from the top of the whole file.
    assert [person.line for person in result.people][-2:] == [47, 63]


def test_card_cut_off_at_the_end_of_the_file() -> None:
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Jane Doe\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Jo"

    result = vcard.parse(text)

    assert [(person.first_name, person.last_name) for person in result.people] == [("Jane", "Doe")]
    assert result.skipped == [SkippedRow(5, "the file ends in the middle of this card")]


def test_card_without_end_is_skipped_and_the_next_card_read() -> None:
    text = "BEGIN:VCARD\nFN:Jane Doe\nBEGIN:VCARD\nFN:John Roe\nEND:VCARD\n"

    result = vcard.parse(text)

    assert [person.first_name for person in result.people] == ["John"]
    assert result.skipped == [SkippedRow(1, "this card has no END:VCARD line")]


def test_empty_card_is_skipped_with_a_reason() -> None:
    result = vcard.parse("BEGIN:VCARD\nVERSION:3.0\nN:;;;;\nFN:\nEND:VCARD\n")

    assert result.people == []
    assert result.skipped == [SkippedRow(1, "a card with no name, email, phone or LinkedIn URL")]


def test_an_agent_card_inside_a_card_is_not_a_second_person() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:2.1\nN:Doe;Jane\nAGENT:\nBEGIN:VCARD\nVERSION:2.1\nN:Roe;John\n"
        "END:VCARD\nEMAIL:jane@example.com\nEND:VCARD\n"
    )

    result = vcard.parse(text)

    assert result.people == [
        ImportedPerson(line=1, first_name="Jane", last_name="Doe", email="jane@example.com")
    ]


@pytest.mark.parametrize(
    "line",
    [
        "N;CHARSET=NOT-A-CHARSET;ENCODING=QUOTED-PRINTABLE:Doe;J=C3=A4ne",
        "N;CHARSET=rot13;ENCODING=QUOTED-PRINTABLE:Doe;J=C3=A4ne",
        "N;CHARSET=UTF-8;QUOTED-PRINTABLE:Doe;J=C3=A4ne",
    ],
)
def test_quoted_printable_with_odd_or_bare_parameters(line: str) -> None:
    result = vcard.parse(f"BEGIN:VCARD\r\nVERSION:2.1\r\n{line}\r\nEND:VCARD\r\n")

    assert [(person.first_name, person.last_name) for person in result.people] == [("Jäne", "Doe")]


def test_quoted_parameter_values_may_hold_colons_and_semicolons() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nN:Doe;Jane\n"
        'X-SOCIALPROFILE;TYPE=linkedin;X-LABEL="a:b;c":https://www.linkedin.com/in/jane-doe\n'
        "END:VCARD\n"
    )

    result = vcard.parse(text)

    assert [person.linkedin_url for person in result.people] == [
        "https://www.linkedin.com/in/jane-doe"
    ]


def test_vcard_after_blank_lines_and_a_bom_is_detected() -> None:
    data = b"\xef\xbb\xbf\r\n\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\nEND:VCARD\r\n"

    result = parse_file(data, "contacts.txt")

    assert [(person.line, person.first_name) for person in result.people] == [(3, "Jane")]
