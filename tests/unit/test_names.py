"""The one rule for naming a contact wherever the app shows or exports one."""

import pytest

from crm.models import Contact
from crm.names import NO_NAME, display_name


@pytest.mark.parametrize(
    ("first", "last", "email", "shown"),
    [
        ("Ada", "Lovelace", "ada@example.org", "Ada Lovelace"),
        ("Ada", "", "ada@example.org", "Ada"),
        ("", "Lovelace", None, "Lovelace"),
        (" Ada ", "  ", None, "Ada"),
        ("", "", "ada@example.org", "ada@example.org"),
        ("  ", None, "  ", NO_NAME),
        (None, None, None, NO_NAME),
    ],
)
def test_a_contact_is_named_by_name_then_email_then_a_placeholder(
    first: str | None, last: str | None, email: str | None, shown: str
) -> None:
    assert display_name(first, last, email) == shown


def test_a_file_format_can_choose_its_own_placeholder() -> None:
    assert display_name("", "", "", nameless="") == ""
    assert display_name("", "", "ada@example.org", nameless="") == "ada@example.org"


def test_the_contact_model_uses_the_same_rule() -> None:
    assert Contact(first_name="", last_name="", email="a@example.org").full_name == "a@example.org"
    assert Contact(first_name="", last_name="", email=None).full_name == NO_NAME
    assert Contact(first_name="Ada", last_name="King", email="a@b.org").full_name == "Ada King"
