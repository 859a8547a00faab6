"""LinkedIn imports of every era, decoding, detection and the files we refuse."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from crm.parsers import (
    ImportedPerson,
    ParseResult,
    SkippedRow,
    UnsupportedFormat,
    decode,
    detect,
    google,
    linkedin,
    outlook,
    parse_file,
    vcard,
)
from crm.parsers.base import parse_date

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
HIDDEN = "no name, email or LinkedIn URL (a hidden or deactivated member)"
UNRECOGNISED = (
    "We could not recognise this file: it is not a LinkedIn, Google or Outlook CSV nor a vCard."
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


def load(name: str, filename: str | None = None) -> ParseResult:
    return parse_file((FIXTURES / name).read_bytes(), name if filename is None else filename)


def test_current_export_with_preamble_credentials_emoji_and_cjk() -> None:
    result = load("linkedin_current.csv")

    assert (result.format, result.format_label, result.encoding) == (
        "linkedin",
        "LinkedIn Connections.csv (current export)",
        "utf-8",
    )
    assert result.people == [
        ImportedPerson(
            line=5,
            first_name="Priya",
            last_name="Nayak, MSc, MBA, PHR",
            company="Acme, Inc.",
            title="Principal, Data and AI",
            linkedin_url="https://www.linkedin.com/in/priya-nayak-4f2a1b",
            connected_on=date(2024, 5, 30),
        ),
        ImportedPerson(
            line=6,
            first_name="Tomas",
            last_name="Sandvig, CFP®, AAMS™",
            email="tomas.sandvig@example.com",
            company="Northwind Wealth",
            title="Financial Advisor",
            linkedin_url="https://www.linkedin.com/in/tomassandvig",
            connected_on=date(2025, 1, 2),
        ),
        ImportedPerson(
            line=7,
            first_name="🟢 Max",
            last_name="Parker🏳️\u200d🌈, CSM (he/they)",
            company="Contoso",
            title="Scrum Master",
            linkedin_url="https://www.linkedin.com/in/max-parker-csm",
            connected_on=date(2023, 3, 15),
        ),
        ImportedPerson(
            line=8,
            first_name="Mei",
            last_name="Chen",
            company="中國銀行（香港）有限公司",
            title="高級經理",
            linkedin_url="https://www.linkedin.com/in/mei-chen-88",
            connected_on=date(2022, 8, 7),
        ),
        ImportedPerson(
            line=9,
            first_name='James "Tyler"',
            last_name="Okafor",
            company="Fabrikam",
            title="Engineer",
            linkedin_url="https://www.linkedin.com/in/james-tyler-okafor",
            connected_on=date(2021, 11, 11),
        ),
        ImportedPerson(
            line=10,
            first_name="Ali",
            last_name="Hassan",
            company="Blue Yonder",
            title="Product Designer",
            linkedin_url="https://www.linkedin.com/in/ali-hassan-01",
            connected_on=date(2020, 2, 1),
        ),
        ImportedPerson(
            line=12,
            first_name="Ruth",
            last_name="(Rajner) Argus, CDR",
            company="US Navy",
            title="Commander",
            linkedin_url="https://www.linkedin.com/in/ruth-argus",
            connected_on=date(2019, 9, 19),
        ),
    ]
    assert result.skipped == [SkippedRow(line=11, reason=HIDDEN)]


def test_current_export_with_bom_and_crlf() -> None:
    result = load("linkedin_current_bom_crlf.csv")

    assert (result.format, result.format_label, result.encoding) == (
        "linkedin",
        "LinkedIn Connections.csv (current export)",
        "utf-8-sig",
    )
    assert result.people == [
        ImportedPerson(
            line=5,
            first_name="Ana",
            last_name="Souza",
            company="Globex",
            title="Head of Sales",
            linkedin_url="https://www.linkedin.com/in/ana-souza",
            connected_on=date(2025, 4, 3),
        ),
        ImportedPerson(
            line=6,
            first_name="Liam",
            last_name="O'Neil",
            email="liam.oneil@example.org",
            company="Initech",
            title="Director, Platform",
            linkedin_url="https://www.linkedin.com/in/liam-oneil-7",
            connected_on=date(2024, 10, 9),
        ),
        ImportedPerson(
            line=7,
            first_name="Zoë",
            last_name="Ångström",
            company="Malmö Design AB",
            title="Designer",
            linkedin_url="https://www.linkedin.com/in/zoe-angstrom",
            connected_on=date(2024, 2, 28),
        ),
    ]
    assert result.skipped == []


def test_2018_export_without_url_and_with_member_urns_for_emails() -> None:
    result = load("linkedin_2018.csv")

    assert (result.format, result.format_label) == (
        "linkedin",
        "LinkedIn Connections.csv (2018 export)",
    )
    assert result.people == [
        ImportedPerson(
            line=2,
            first_name="Greta",
            last_name="Holm",
            email="greta.holm@example.com",
            company="Nordvik Labs",
            title="Research Engineer",
            connected_on=date(2018, 1, 8),
        ),
        ImportedPerson(
            line=3,
            first_name="Alvin",
            last_name="Kerr",
            company="Viewpoint Studio",
            title="Design Lead",
            connected_on=date(2017, 12, 24),
        ),
        ImportedPerson(
            line=4,
            first_name="Kenji",
            last_name="Tomura",
            email="kenji.tomura@example.net",
            connected_on=date(2018, 3, 5),
        ),
    ]
    assert result.skipped == [SkippedRow(line=5, reason=HIDDEN)]


def test_excel_resaved_cp1252_export() -> None:
    data = (FIXTURES / "linkedin_excel_cp1252.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    result = parse_file(data, "Connections.csv")

    assert (result.format, result.format_label, result.encoding) == (
        "linkedin",
        "LinkedIn Connections.csv (current export)",
        "cp1252",
    )
    assert result.people == [
        ImportedPerson(
            line=5,
            first_name="René",
            last_name="Dubois",
            company="Café Müller GmbH",
            title="Chef de projet",
            linkedin_url="https://www.linkedin.com/in/rene-dubois",
            connected_on=date(2021, 11, 23),
        ),
        ImportedPerson(
            line=6,
            first_name="Siobhán",
            last_name="O’Brien",
            company="“Smart” Quotes Ltd",
            title="Analyst – Risk",
            linkedin_url="https://www.linkedin.com/in/siobhan-obrien",
            connected_on=date(2020, 7, 9),
        ),
        ImportedPerson(
            line=7,
            first_name="Jürgen",
            last_name="Weiß",
            company="Straße AG",
            title="Leiter",
            linkedin_url="https://www.linkedin.com/in/juergen-weiss",
            connected_on=date(2019, 2, 1),
        ),
    ]
    # Excel's trailing empty row is no person and no error either.
    assert result.skipped == []


OUTLOOK_STYLE_PEOPLE = [
    ImportedPerson(
        line=2,
        first_name="Hugo",
        last_name="Lindqvist",
        email="hugo.lindqvist@example.se",
        company="Volvia Cars",
        title="Project Manager",
    ),
    ImportedPerson(
        line=3,
        first_name="Amara",
        last_name="Diallo",
        email="amara@example.sn",
        company="Dakar Digital",
        title="Founder, CEO",
        linkedin_url="https://www.linkedin.com/in/amaradiallo",
    ),
    ImportedPerson(
        line=4,
        first_name="Wen",
        last_name="Li",
        company="Shenzhen Sourcing Co.",
        title="Buyer",
    ),
]


@pytest.mark.parametrize(
    "filename",
    ["linkedin_connections_export_microsoft_outlook.csv", "contacts.csv", ""],
)
def test_pre_2017_outlook_style_export_is_reported_as_linkedin(filename: str) -> None:
    result = load("linkedin_outlook_2016.csv", filename)

    assert detect((FIXTURES / "linkedin_outlook_2016.csv").read_text("utf-8")) == "outlook"
    assert (result.format, result.format_label) == (
        "linkedin",
        "LinkedIn Connections.csv (pre-2017 Outlook-style export)",
    )
    assert result.people == OUTLOOK_STYLE_PEOPLE
    assert result.skipped == []


def test_an_outlook_file_named_after_linkedin_counts_as_linkedin() -> None:
    result = load("outlook_com.csv", "LinkedIn contacts.csv")

    assert result.format == "linkedin"
    assert [person.first_name for person in result.people] == ["Hannah", "Marcus"]


def test_header_without_rows_is_an_empty_result_not_an_error() -> None:
    result = load("header_only.csv")

    assert (result.format, result.people, result.skipped) == ("linkedin", [], [])


def test_file_cut_off_inside_a_quoted_cell_keeps_the_rows_before() -> None:
    result = load("truncated.csv")

    assert [(person.line, person.first_name, person.company) for person in result.people] == [
        (2, "Omar", "Wayne Enterprises"),
        (3, "Lena", "Stark, Industries"),
    ]
    assert result.skipped == [SkippedRow(line=4, reason="the file ends in the middle of this row")]


def test_cut_off_multi_line_row_is_reported_on_the_line_it_starts() -> None:
    text = f'{HEADER}\nAna,Souza,,,Globex,Sales,03 Apr 2025\nBen,"Stone\nsecond line\nthird'

    result = linkedin.parse(text)

    assert [person.first_name for person in result.people] == ["Ana"]
    assert result.skipped == [SkippedRow(3, "the file ends in the middle of this row")]


def test_row_with_more_cells_than_the_header_is_skipped() -> None:
    result = load("extra_cells.csv")

    assert [(person.line, person.first_name) for person in result.people] == [
        (2, "Ines"),
        (4, "Yara"),
    ]
    assert result.skipped == [SkippedRow(line=3, reason="row has more cells than the header")]


def test_formulas_and_markup_stay_plain_text() -> None:
    result = load("formula.csv")

    assert result.people == [
        ImportedPerson(
            line=2,
            first_name='=HYPERLINK("http://evil.example","Click me")',
            last_name="Mallory",
            company="<script>alert(1)</script>",
            title="+SUM(1;2)",
            linkedin_url="https://www.linkedin.com/in/mallory-x",
            connected_on=date(2024, 3, 1),
        ),
        ImportedPerson(
            line=3,
            first_name="@cmd",
            last_name="-2+3",
            email="eve@example.com",
            company="<img src=x onerror=alert(1)>",
            title="=1+1",
            connected_on=date(2024, 3, 2),
        ),
    ]


def test_columns_are_found_by_name_in_any_order_and_may_be_missing() -> None:
    text = (
        "Connected On,Position,Last Name,First Name,URL\n"
        "30 May 2024,CTO,Doe,Jane,linkedin.com/in/jane-doe\n"
    )

    result = parse_file(text.encode())

    assert result.people == [
        ImportedPerson(
            line=2,
            first_name="Jane",
            last_name="Doe",
            title="CTO",
            linkedin_url="https://www.linkedin.com/in/jane-doe",
            connected_on=date(2024, 5, 30),
        )
    ]


def test_rows_shorter_than_the_header_are_padded() -> None:
    result = parse_file(f"{HEADER}\nJane,Doe,https://www.linkedin.com/in/jane\n".encode())

    assert result.people == [
        ImportedPerson(
            line=2,
            first_name="Jane",
            last_name="Doe",
            linkedin_url="https://www.linkedin.com/in/jane",
        )
    ]


def test_a_row_with_only_an_invalid_url_is_a_hidden_member() -> None:
    result = parse_file(f"{HEADER}\n,,https://example.com/jane,,Acme,,30 May 2024\n".encode())

    assert result.people == []
    assert result.skipped == [SkippedRow(2, HIDDEN)]


def test_a_person_with_an_invalid_url_is_kept_without_it() -> None:
    result = parse_file(f"{HEADER}\nJane,Doe,not a url,,,,\n".encode())

    assert [(person.first_name, person.linkedin_url) for person in result.people] == [
        ("Jane", None)
    ]


def test_unparseable_date_is_none_not_an_error() -> None:
    result = parse_file(f"{HEADER}\nJane,Doe,,,,,sometime in May\n".encode())

    assert [(person.first_name, person.connected_on) for person in result.people] == [
        ("Jane", None)
    ]
    assert result.skipped == []


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_every_line_ending_gives_the_same_rows(ending: str) -> None:
    lines = [
        "Notes:",
        '"Some wording"',
        "",
        HEADER,
        "Jane,Doe,https://www.linkedin.com/in/jane,,Acme,CTO,30 May 2024",
        ",,,,,,02 Jun 2022",
        "John,Roe,https://www.linkedin.com/in/john,,Acme,CFO,31 May 2024",
    ]

    result = parse_file(ending.join(lines).encode())

    assert [(person.line, person.first_name) for person in result.people] == [
        (5, "Jane"),
        (7, "John"),
    ]
    assert result.skipped == [SkippedRow(6, HIDDEN)]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_excel_semicolon_and_tab_separated_files(delimiter: str) -> None:
    rows = [
        HEADER.replace(",", "{d}"),
        "Jürgen{d}Weiß{d}https://www.linkedin.com/in/juergen-weiss{d}{d}"
        '"Büro, Nord"{d}Leiter{d}1-Feb-19',
        'Anna{d}Roth{d}{d}{d}"Straße{d}AG{d}2-Mar-19',
    ]
    text = "\r\n".join(row.format(d=delimiter) for row in rows)

    result = parse_file(text.encode("cp1252"), "Connections.csv")

    assert result.people == [
        ImportedPerson(
            line=2,
            first_name="Jürgen",
            last_name="Weiß",
            company="Büro, Nord",
            title="Leiter",
            linkedin_url="https://www.linkedin.com/in/juergen-weiss",
            connected_on=date(2019, 2, 1),
        )
    ]
    assert result.skipped == [SkippedRow(3, "the file ends in the middle of this row")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30 May 2024", date(2024, 5, 30)),
        ("02 Jun 2022", date(2022, 6, 2)),
        ("7 Sept 2023", date(2023, 9, 7)),
        ("1/8/18, 6:14 PM", date(2018, 1, 8)),
        ("12/24/17, 9:02 AM", date(2017, 12, 24)),
        ("23-Nov-21", date(2021, 11, 23)),
        ("9-Jul-20", date(2020, 7, 9)),
        ("2024-05-30", date(2024, 5, 30)),
        (" 30  May  2024 ", date(2024, 5, 30)),
        ("31 Feb 2024", None),
        ("30 Mai 2024", None),
        ("13/1/18, 6:14 PM", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_connected_on_dates(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "This file is empty."),
        ("image.csv", "This looks like an image (PNG), not a contacts file."),
        ("archive.csv", "This is a zip archive; unzip it and upload Connections.csv."),
        ("page.csv", "This looks like a web page saved as .csv, not a contacts export."),
    ],
)
def test_files_that_are_not_contacts_are_refused_with_a_plain_sentence(
    name: str, message: str
) -> None:
    with pytest.raises(UnsupportedFormat) as refused:
        load(name)

    assert str(refused.value) == message


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as workbook:
        workbook.writestr("[Content_Types].xml", "<Types/>")
        workbook.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "This file is empty."),
        (b" \r\n\t\n  ", "This file is empty."),
        (b"\xef\xbb\xbf\r\n", "This file is empty."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "This is a PDF document, not a contacts file."),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "This looks like an image (JPEG), not a contacts file."),
        (b"GIF89a\x01\x00", "This looks like an image (GIF), not a contacts file."),
        (_xlsx(), "This is an Excel workbook (.xlsx); save it as CSV and upload that."),
        (
            b"\x1f\x8b\x08\x00",
            "This is a compressed (gzip) file; unpack it and upload the CSV or vCard inside.",
        ),
        (
            b"First Name\x00Last Name\x00",
            "This looks like a binary file, not a contacts CSV or vCard.",
        ),
        (
            b"\n  <html><body>Sign in</body></html>",
            "This looks like a web page saved as .csv, not a contacts export.",
        ),
        (b"Name,Phone\nJane,555-0100\n", UNRECOGNISED),
        (b"First Name,Last Name,Email\nJane,Doe,jane@example.com\n", UNRECOGNISED),
        (b"Notes:\n" + b"just text\n" * 30 + HEADER.encode() + b"\n", UNRECOGNISED),
    ],
)
def test_unsupported_bytes(data: bytes, message: str) -> None:
    with pytest.raises(UnsupportedFormat) as refused:
        parse_file(data, "Connections.csv")

    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"Ren\xc3\xa9", "René", "utf-8"),
        (b"\xef\xbb\xbfRen\xc3\xa9", "René", "utf-8-sig"),
        (b"Ren\xe9 O\x92Brien", "René O’Brien", "cp1252"),
        (b"\xef\xbb\xbfRen\xe9", "René", "cp1252"),
        ("René".encode("utf-16"), "René", "utf-16"),
    ],
)
def test_decode_never_produces_mojibake(data: bytes, text: str, encoding: str) -> None:
    assert decode(data) == (text, encoding)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("linkedin_current.csv", "linkedin"),
        ("linkedin_current_bom_crlf.csv", "linkedin"),
        ("linkedin_2018.csv", "linkedin"),
        ("linkedin_excel_cp1252.csv", "linkedin"),
        ("linkedin_outlook_2016.csv", "outlook"),
        ("google_current.csv", "google"),
        ("google_legacy.csv", "google"),
        ("outlook_com.csv", "outlook"),
        ("outlook_desktop.csv", "outlook"),
        ("vcard21.vcf", "vcard"),
        ("vcard30.vcf", "vcard"),
        ("vcard40.vcf", "vcard"),
    ],
)
def test_detect_by_content(name: str, key: str) -> None:
    text, _ = decode((FIXTURES / name).read_bytes())

    assert detect(text) == key


def test_the_file_name_never_decides_the_format_alone() -> None:
    data = (FIXTURES / "google_current.csv").read_bytes()

    assert parse_file(data, "Connections.csv").format == "google"
    assert parse_file(data, "contacts.vcf").format == "google"
    assert load("linkedin_2018.csv", "export.vcf").format == "linkedin"


@pytest.mark.parametrize(
    ("parse", "other"),
    [
        (linkedin.parse, "google_current.csv"),
        (google.parse, "linkedin_current.csv"),
        (outlook.parse, "google_legacy.csv"),
        (vcard.parse, "outlook_com.csv"),
    ],
)
def test_each_parser_refuses_another_format(
    parse: Callable[[str], ParseResult], other: str
) -> None:
    text, _ = decode((FIXTURES / other).read_bytes())

    with pytest.raises(UnsupportedFormat, match="We could not recognise this file"):
        parse(text)
