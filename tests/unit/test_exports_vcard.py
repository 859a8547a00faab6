"""vCard export, read back with vobject (which shares no code with the writer)."""

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.exports.vcard import contact_card, iter_vcards

UPDATED = datetime(2025, 5, 30, 14, 5, 9, tzinfo=UTC)
CJK_BANK = "中國銀行（香港）有限公司"


@dataclass
class Contact:
    id: int
    uid: str
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None
    company_name: str | None = None
    title: str | None = None
    linkedin_url: str | None = None
    notes: str | None = None
    network: str = "other"
    tag_names: list[str] = field(default_factory=list)
    updated_at: datetime = UPDATED
    how_we_met: str | None = None
    introduced_by_name: str | None = None


JANE = Contact(
    id=1,
    uid="contact-0b6f6a2e-4b1e-4c47-9d0e-1f0c1d2e3f40@crm",
    first_name="Jane",
    last_name="Doe, MSc",
    email="jane.doe@example.org",
    phone="+1 415 555 0100",
    company_name="Acme, Inc.",
    title="Principal, Data and AI",
    linkedin_url="https://www.linkedin.com/in/jane-doe-1a2b3c",
    notes="Met at the alumni mixer.\nAsk about her move into data; she offered an intro.",
    network="alumni",
    tag_names=["mentor", "data, ai"],
)
MAX = Contact(
    id=2,
    uid="contact-7c1d2f3a-0000-4000-8000-000000000002@crm",
    first_name="🟢 Max",
    last_name="Parker🏳️‍🌈, CSM (he/they)",
    company_name=CJK_BANK,
    title="風險管理部 高級經理 " * 4,
    notes=CJK_BANK * 6,
    network="work",
    tag_names=["香港", "banking"],
)
SEMICOLON = Contact(
    id=3,
    uid="contact-3@crm",
    first_name="Ana; Maria",
    last_name="Sandvig, CFP®, AAMS™",
    company_name="R&D; Europe",
    notes='C:\\Users\\ana; see "notes"',
    network="friend",
)


def _cards(*contacts: Contact) -> str:
    return b"".join(iter_vcards(contacts)).decode("utf-8")


def _read(text: str) -> list[vobject.base.Component]:
    return list(vobject.readComponents(text))


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def _assert_wire_format(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    for line in data[:-2].split(b"\r\n"):
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a multi-byte sequence


def test_fields_read_back_equal() -> None:
    (card,) = _read(contact_card(JANE))

    assert card.version.value == "3.0"
    assert card.uid.value == JANE.uid
    assert card.fn.value == "Jane Doe, MSc"
    assert card.n.value.family == "Doe, MSc"
    assert card.n.value.given == "Jane"
    assert card.org.value == ["Acme, Inc."]
    assert card.title.value == "Principal, Data and AI"
    assert card.email.value == "jane.doe@example.org"
    assert card.email.params["TYPE"] == ["INTERNET"]
    assert card.tel.value == "+1 415 555 0100"
    assert card.url.value == JANE.linkedin_url
    assert card.x_socialprofile.value == JANE.linkedin_url
    assert card.x_socialprofile.params["TYPE"] == ["linkedin"]
    assert card.note.value == JANE.notes
    assert card.categories.value == ["alumni", "mentor", "data, ai"]
    assert card.rev.value == "2025-05-30T14:05:09Z"


def test_raw_text_escapes_commas_semicolons_and_newlines() -> None:
    lines = _unfold(contact_card(JANE))
    assert "N:Doe\\, MSc;Jane;;;" in lines
    assert "ORG:Acme\\, Inc." in lines
    note = "NOTE:Met at the alumni mixer.\\nAsk about her move into data\\; she offered an intro."
    assert note in lines
    assert "CATEGORIES:alumni,mentor,data\\, ai" in lines
    assert "EMAIL;TYPE=INTERNET:jane.doe@example.org" in lines

    lines = _unfold(contact_card(SEMICOLON))
    assert "N:Sandvig\\, CFP®\\, AAMS™;Ana\\; Maria;;;" in lines
    assert 'NOTE:C:\\\\Users\\\\ana\\; see "notes"' in lines


def test_card_starts_with_version_and_has_required_properties_in_order() -> None:
    lines = _unfold(contact_card(JANE))
    names = [line.split(":", 1)[0].split(";", 1)[0] for line in lines if line]
    assert names == [
        "BEGIN",
        "VERSION",
        "UID",
        "FN",
        "N",
        "ORG",
        "TITLE",
        "EMAIL",
        "TEL",
        "URL",
        "X-SOCIALPROFILE",
        "NOTE",
        "CATEGORIES",
        "REV",
        "END",
    ]


def test_many_cards_all_read_back_with_any_script() -> None:
    contacts = [JANE, MAX, SEMICOLON]
    data = b"".join(iter_vcards(contacts))
    _assert_wire_format(data)

    cards = _read(data.decode("utf-8"))

    assert [card.uid.value for card in cards] == [c.uid for c in contacts]
    max_card = cards[1]
    assert max_card.fn.value == "🟢 Max Parker🏳️‍🌈, CSM (he/they)"
    assert max_card.n.value.given == "🟢 Max"
    assert max_card.n.value.family == "Parker🏳️‍🌈, CSM (he/they)"
    assert max_card.org.value == [CJK_BANK]
    assert max_card.title.value == MAX.title.strip()
    assert max_card.note.value == CJK_BANK * 6
    assert max_card.categories.value == ["work", "香港", "banking"]
    ana = cards[2]
    assert ana.n.value.given == "Ana; Maria"
    assert ana.org.value == ["R&D; Europe"]
    assert ana.note.value == SEMICOLON.notes


def test_long_cjk_and_emoji_lines_fold_at_75_octets_on_character_boundaries() -> None:
    text = contact_card(MAX)
    data = text.encode("utf-8")
    _assert_wire_format(data)

    folded = data.split(b"\r\n")
    assert any(line.startswith(b" ") for line in folded)
    # CJK is 3 octets a character: vobject's character folding would give lines of ~225 octets.
    assert max(len(line) for line in folded) > 70


def test_absent_properties_are_left_out() -> None:
    bare = Contact(id=4, uid="contact-4@crm", first_name="Ali", last_name="")

    lines = _unfold(contact_card(bare))

    assert lines == [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "UID:contact-4@crm",
        "FN:Ali",
        "N:;Ali;;;",
        "CATEGORIES:other",
        "REV:2025-05-30T14:05:09Z",
        "END:VCARD",
        "",
    ]


@pytest.mark.parametrize(
    ("changes", "expected_fn"),
    [
        ({"email": "someone@example.org", "company_name": "Acme"}, "someone@example.org"),
        ({"company_name": "Acme, Inc."}, "Acme, Inc."),
        ({"phone": "+44 20 7946 0000"}, "+44 20 7946 0000"),
        ({}, "Unnamed contact"),
    ],
)
def test_nameless_card_still_has_fn_and_n(changes: dict[str, str], expected_fn: str) -> None:
    nameless = replace(Contact(id=5, uid="contact-5@crm", first_name="", last_name=""), **changes)

    (card,) = _read(contact_card(nameless))

    assert card.fn.value == expected_fn
    assert card.n.value.family == ""
    assert card.n.value.given == ""
    assert "N:;;;;" in _unfold(contact_card(nameless))


def test_blank_and_padded_values_are_trimmed() -> None:
    padded = Contact(
        id=6,
        uid="contact-6@crm",
        first_name=" Ali ",
        last_name="  ",
        email="  ",
        title="\t",
        notes="   ",
        network="friend",
        tag_names=["", "  ", "Friend", "mentor"],
    )

    lines = _unfold(contact_card(padded))

    assert "FN:Ali" in lines
    assert "N:;Ali;;;" in lines
    assert not [line for line in lines if line.startswith(("EMAIL", "TITLE", "NOTE"))]
    assert "CATEGORIES:friend,mentor" in lines


def test_newlines_and_control_characters_cannot_inject_properties() -> None:
    sneaky = replace(
        JANE,
        first_name="Jane\r\nEMAIL:evil@example.org",
        email="jane@example.org\r\nTEL:0",
        company_name="Acme\x00\x1b Inc.",
        notes="one\rtwo\r\nthree\u2028four",
    )

    (card,) = _read(contact_card(sneaky))

    assert [email.value for email in card.email_list] == ["jane@example.org TEL:0"]
    assert card.n.value.given == "Jane EMAIL:evil@example.org"
    assert card.org.value == ["Acme Inc."]
    assert card.note.value == "one\ntwo\nthree\nfour"
    assert len(card.tel_list) == 1


def test_rev_is_written_in_utc() -> None:
    paris = timezone(timedelta(hours=2))
    card = contact_card(replace(JANE, updated_at=datetime(2025, 5, 30, 16, 5, 9, tzinfo=paris)))
    assert "REV:2025-05-30T14:05:09Z" in _unfold(card)


def test_the_same_contact_gives_the_same_card() -> None:
    assert contact_card(JANE) == contact_card(replace(JANE))


def test_iter_vcards_streams_one_card_per_contact() -> None:
    def contacts_then_failure() -> Iterator[Contact]:
        yield JANE
        raise AssertionError("read past the first card")

    stream = iter_vcards(contacts_then_failure())

    first = next(stream)
    assert isinstance(first, bytes)
    assert first == contact_card(JANE).encode("utf-8")
    assert list(iter_vcards([])) == []


_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), st.sampled_from("\n,;\\")
    ),
    max_size=120,
).filter(lambda text: text == text.strip())


@settings(max_examples=150, deadline=None)
@given(first=_TEXT.filter(lambda t: "\n" not in t), last=_TEXT.filter(lambda t: "\n" not in t))
def test_any_name_round_trips(first: str, last: str) -> None:
    contact = replace(JANE, first_name=" ".join(first.split()), last_name=" ".join(last.split()))
    data = contact_card(contact).encode("utf-8")
    _assert_wire_format(data)

    (card,) = _read(data.decode("utf-8"))

    assert card.n.value.given == contact.first_name
    assert card.n.value.family == contact.last_name
    assert card.fn.value


@settings(max_examples=150, deadline=None)
@given(notes=_TEXT.filter(bool))
def test_any_note_round_trips(notes: str) -> None:
    data = contact_card(replace(JANE, notes=notes)).encode("utf-8")
    _assert_wire_format(data)

    (card,) = _read(data.decode("utf-8"))

    assert card.note.value == notes
