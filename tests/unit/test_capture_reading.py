"""Reading a person from a LinkedIn page title, the LinkedIn app's share text, or any page."""

from __future__ import annotations

import pytest

from crm.contacts.capture import (
    INPUT_LIMIT,
    CapturedPerson,
    ProfileTitle,
    SentPage,
    name_from_share_text,
    parse_profile_title,
    read_sent_page,
    split_name,
)

PROFILE = "https://www.linkedin.com/in/jane-doe"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Jane Doe - Product Manager - Acme | LinkedIn", ("Jane Doe", "Product Manager", "Acme")),
        ("(3) Jane Doe | LinkedIn", ("Jane Doe", "", "")),
        ("(99+) Jane Doe | LinkedIn", ("Jane Doe", "", "")),
        ("Jane Doe | LinkedIn", ("Jane Doe", "", "")),
        ("Jane Doe - Acme | LinkedIn", ("Jane Doe", "", "Acme")),
        ("Jane Doe - Head of Data at Acme | LinkedIn", ("Jane Doe", "Head of Data", "Acme")),
        ("Jane Doe - Engineer @ Acme | LinkedIn", ("Jane Doe", "Engineer", "Acme")),
        # Other languages' separators: en dash, em dash, middle dot, full-width bar.
        ("Jane Doe – Chef de produit – Acme | LinkedIn", ("Jane Doe", "Chef de produit", "Acme")),
        (
            "(12) Jörg Müller — Leiter Vertrieb — Acme GmbH | LinkedIn",
            ("Jörg Müller", "Leiter Vertrieb", "Acme GmbH"),
        ),
        ("Jane Doe · Produktmanagerin · Acme | LinkedIn", ("Jane Doe", "Produktmanagerin", "Acme")),
        (
            "Jörg Müller – Produktmanager bei Acme | LinkedIn",
            ("Jörg Müller", "Produktmanager", "Acme"),
        ),
        ("王小明 - 产品经理 - 阿里巴巴 | 领英", ("王小明", "产品经理", "阿里巴巴")),
        ("王小明｜領英", ("王小明", "", "")),
        # A title of several parts: the last is the company, the middle the title.
        (
            "Jane Doe - Senior PM - Payments - Acme Bank | LinkedIn",
            ("Jane Doe", "Senior PM - Payments", "Acme Bank"),
        ),
        # Hyphenated names and companies are not split; brackets in a company stay.
        (
            "Jean-Luc Picard - Captain - Star-Fleet (UFP) | LinkedIn",
            ("Jean-Luc Picard", "Captain", "Star-Fleet (UFP)"),
        ),
        # Direction marks and doubled spaces some browsers show in titles.
        ("\u200eJane   Doe\u200f | LinkedIn", ("Jane Doe", "", "")),
        ("Jane Doe, MBA - CFO - Acme | LinkedIn", ("Jane Doe, MBA", "CFO", "Acme")),
        ("LinkedIn", ("", "", "")),
        ("(3) LinkedIn", ("", "", "")),
        ("", ("", "", "")),
        ("Jane Doe", ("Jane Doe", "", "")),
    ],
)
def test_a_profile_title_gives_name_title_and_company(title, expected) -> None:
    assert parse_profile_title(title) == ProfileTitle(*expected)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (f"Check out Jane Doe's profile on LinkedIn {PROFILE}", "Jane Doe"),
        (f"Check out Jane Doe’s profile on LinkedIn\n{PROFILE}", "Jane Doe"),
        (f"View James Brooks' profile on LinkedIn {PROFILE}", "James Brooks"),
        (f"Sieh dir das Profil von Jörg Müller auf LinkedIn an: {PROFILE}", "Jörg Müller"),
        (f"Découvrez le profil de Amélie Roux sur LinkedIn {PROFILE}", "Amélie Roux"),
        (f"Echa un vistazo al perfil de Ana García en LinkedIn {PROFILE}", "Ana García"),
        (f"Bekijk het profiel van Sanne de Vries op LinkedIn {PROFILE}", "Sanne de Vries"),
        (PROFILE, ""),
        ("", ""),
    ],
)
def test_the_linkedin_apps_share_text_gives_the_name(text, name) -> None:
    assert name_from_share_text(text) == name


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Jane Doe", ("Jane", "Doe")),
        ("Jane van Doe", ("Jane van", "Doe")),
        ("Jane Doe, MBA", ("Jane", "Doe, MBA")),
        ("Jane Doe, MBA, PMP", ("Jane", "Doe, MBA, PMP")),
        ("Jane Doe (she/her)", ("Jane", "Doe")),
        ("Cher", ("Cher", "")),
        ("王小明", ("王小明", "")),
        ("", ("", "")),
    ],
)
def test_a_name_splits_into_first_and_last(name, parts) -> None:
    assert split_name(name) == parts


def test_a_linkedin_profile_page_fills_name_title_company_and_the_normal_url() -> None:
    sent = SentPage(
        title="(3) Jane Doe - Product Manager - Acme | LinkedIn",
        url="https://uk.linkedin.com/in/Jane-Doe/?originalSubdomain=uk",
    )
    assert read_sent_page(sent) == CapturedPerson(
        first_name="Jane",
        last_name="Doe",
        title="Product Manager",
        company="Acme",
        linkedin_url=PROFILE,
    )


def test_a_profile_subpage_is_the_same_profile() -> None:
    sent = SentPage(
        title="Jane Doe | LinkedIn",
        url="https://www.linkedin.com/in/jane-doe/overlay/contact-info/",
    )
    assert read_sent_page(sent).linkedin_url == PROFILE


def test_a_share_from_the_linkedin_app_with_the_url_in_the_text() -> None:
    sent = SentPage(text=f"Check out Jane Doe's profile on LinkedIn {PROFILE}/?trk=share")
    person = read_sent_page(sent)
    assert (person.first_name, person.last_name, person.linkedin_url) == ("Jane", "Doe", PROFILE)
    assert person.notes == ""


def test_a_share_with_title_and_url_fields_reads_both() -> None:
    sent = SentPage(title="Jane Doe – Acme | LinkedIn", url="linkedin.com/in/JANE-DOE")
    person = read_sent_page(sent)
    assert (person.first_name, person.company, person.linkedin_url) == ("Jane", "Acme", PROFILE)


def test_a_profile_with_no_usable_title_takes_the_selected_name() -> None:
    sent = SentPage(title="LinkedIn", url=PROFILE, selection="Jane Doe")
    person = read_sent_page(sent)
    assert (person.first_name, person.last_name) == ("Jane", "Doe")


def test_any_other_page_takes_the_selection_as_name_and_keeps_the_address() -> None:
    sent = SentPage(
        title="Our team - Acme",
        url="https://acme.example/team",
        selection="\n  Jane Doe <Jane.Doe@Acme.example>\nChief Data Officer\n",
    )
    assert read_sent_page(sent) == CapturedPerson(
        first_name="Jane",
        last_name="Doe",
        email="jane.doe@acme.example",
        notes="Found on “Our team - Acme”: https://acme.example/team",
    )


def test_a_passage_is_not_a_name_and_goes_to_the_notes() -> None:
    passage = "We met at the meetup and talked about moving from finance into data science."
    sent = SentPage(title="Notes", url="https://example.org/n", selection=passage)
    person = read_sent_page(sent)
    assert (person.first_name, person.last_name) == ("", "")
    assert person.notes == f"Found on “Notes”: https://example.org/n\n\n{passage}"


def test_a_linkedin_page_that_is_not_a_profile_is_any_other_page() -> None:
    sent = SentPage(
        title="(2) Feed | LinkedIn", url="https://www.linkedin.com/feed/", selection="Jane Doe"
    )
    person = read_sent_page(sent)
    assert person.linkedin_url == ""
    assert (person.first_name, person.last_name) == ("Jane", "Doe")
    assert person.notes == "Found on “(2) Feed | LinkedIn”: https://www.linkedin.com/feed/"


def test_a_page_with_nothing_selected_keeps_only_its_address() -> None:
    person = read_sent_page(SentPage(url="https://example.org/"))
    assert person == CapturedPerson(notes="Found on https://example.org/")


def test_an_article_shared_from_a_phone_keeps_its_address_from_the_text() -> None:
    sent = SentPage(title="Why networking works", text="https://example.org/why")
    assert read_sent_page(sent).notes == "Found on “Why networking works”: https://example.org/why"


def test_nothing_sent_is_nothing_filled() -> None:
    assert read_sent_page(SentPage()) == CapturedPerson()


def test_huge_input_is_cut_and_says_so() -> None:
    sent = SentPage(title="Jane Doe - " + "x" * 50_000 + " | LinkedIn", url=PROFILE)
    person = read_sent_page(sent)
    assert person.cut
    assert person.first_name == "Jane" and person.linkedin_url == PROFILE
    assert len(person.company) < INPUT_LIMIT
