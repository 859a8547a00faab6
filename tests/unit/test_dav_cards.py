"""Cards from devices: the fields the app models, and every other line kept as it came."""

from __future__ import annotations

from crm.dav.cards import read_card, with_extra

PHONE_CARD = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "PRODID:-//Apple Inc.//iPhone OS 18.0//EN\r\n"
    "UID:ABC-123\r\n"
    "N:Doe;Jane;Q.;;\r\n"
    "FN:Jane Q. Doe\r\n"
    "ORG:Acme\\, Inc.;Research\r\n"
    "TITLE:Head of Data\r\n"
    "item1.EMAIL;type=INTERNET;type=pref:jane@example.org\r\n"
    "item1.X-ABLabel:_$!<Work>!$_\r\n"
    "EMAIL;type=INTERNET;type=HOME:jane.home@example.org\r\n"
    "TEL;type=CELL:+1 415 555 0100\r\n"
    "URL:https://www.linkedin.com/in/janedoe\r\n"
    "NOTE:Met at PyCon\\nLikes tea\r\n"
    "BDAY:1990-04-01\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDA\r\n"
    " 0UDQwLCwwZEhMPFB0aHx4dGhwcICQuJyAiLCMcHCg3KSwwMTQ0NB8nOT04MjwuMzQy\r\n"
    "REV:2026-12-06T10:00:00Z\r\n"
    "END:VCARD\r\n"
)


def test_a_phone_card_gives_the_fields_the_app_models():
    card = read_card(PHONE_CARD)

    assert card.uid == "ABC-123"
    assert (card.first_name, card.last_name) == ("Jane", "Doe")
    assert card.company == "Acme, Inc."
    assert card.title == "Head of Data"
    assert card.email == "jane@example.org"
    assert card.phone == "+1 415 555 0100"
    assert card.linkedin_url == "https://www.linkedin.com/in/janedoe"
    assert card.notes == "Met at PyCon\nLikes tea"


def test_everything_else_is_kept_line_for_line_with_its_folding():
    card = read_card(PHONE_CARD)

    assert card.extra == [
        "item1.X-ABLabel:_$!<Work>!$_",
        "EMAIL;type=INTERNET;type=HOME:jane.home@example.org",
        "BDAY:1990-04-01",
        "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDA\r\n"
        " 0UDQwLCwwZEhMPFB0aHx4dGhwcICQuJyAiLCMcHCg3KSwwMTQ0NB8nOT04MjwuMzQy",
    ]


def test_kept_lines_go_back_before_the_end_of_the_apps_card():
    app_card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\nEND:VCARD\r\n"

    assert with_extra(app_card, "BDAY:1990-04-01\r\nX-A:b") == (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\nBDAY:1990-04-01\r\nX-A:b\r\nEND:VCARD\r\n"
    )
    assert with_extra(app_card, None) == app_card


def test_a_card_with_only_a_formatted_name_is_split_into_first_and_last():
    card = read_card("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:x\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n")

    assert (card.first_name, card.last_name) == ("Ada", "Lovelace")
    assert card.extra == []
