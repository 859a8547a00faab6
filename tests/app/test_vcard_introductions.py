"""An exported card carries how you met and who introduced the person, where Apple Contacts and
Google Contacts show them (NOTE, and Apple's grouped X-ABRELATEDNAMES labelled "Introduced
by"); importing the file keeps them, and a round trip never doubles the notes."""

from __future__ import annotations

import vobject
from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, User
from tests.app.networking import add

PASSWORD = "a long password\n"
NOTE = (
    "How we met: PyData Berlin, the hallway after the talk\n"
    "Introduced by: Ana Ruiz\n\n"
    "Ask about the data team"
)


def _export(runner, email: str, path) -> str:
    result = runner.invoke(args=["export-vcf", "--user", email, "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path.read_bytes().decode("utf-8")


def _import(runner, email: str, path) -> str:
    result = runner.invoke(args=["import", str(path), "--user", email])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def _sam(app, email: str) -> Contact:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        sam = db.session.scalar(
            select(Contact).where(Contact.user_id == user_id, Contact.first_name == "Sam")
        )
        db.session.expunge(sam)
        sam.introducer_seen = (  # type: ignore[attr-defined]
            db.session.get(Contact, sam.introduced_by_id).full_name
            if sam.introduced_by_id
            else None
        )
        return sam


def _network(client) -> None:
    add(client, "Ana", last_name="Ruiz")
    add(
        client,
        "Sam",
        last_name="Lee",
        email="sam@example.com",
        how_we_met="PyData Berlin, the hallway after the talk",
        introduced_by="Ana Ruiz",
        notes="Ask about the data team",
    )


def test_a_card_carries_how_you_met_and_who_introduced_them(client, user, runner, tmp_path):
    _network(client)
    text = _export(runner, user, tmp_path / "jo.vcf")
    cards = {card.fn.value: card for card in vobject.readComponents(text)}
    sam = cards["Sam Lee"]
    assert sam.note.value == NOTE
    # Apple's grouped form: the name and its label share the group.
    related = [line for line in sam.lines() if line.name == "X-ABRELATEDNAMES"]
    labels = [line for line in sam.lines() if line.name == "X-ABLABEL"]
    assert [(r.group, r.value) for r in related] == [("item1", "Ana Ruiz")]
    assert [(label.group, label.value) for label in labels] == [("item1", "Introduced by")]
    assert "item1.X-ABRELATEDNAMES:Ana Ruiz\r\nitem1.X-ABLabel:Introduced by\r\n" in text
    # Ana was introduced by nobody: her card has neither.
    assert "X-ABRELATEDNAMES" not in cards["Ana Ruiz"].serialize()
    assert not hasattr(cards["Ana Ruiz"], "note")


def test_importing_the_card_elsewhere_restores_them_and_a_round_trip_keeps_the_notes_once(
    client, user, app, runner, tmp_path
):
    _network(client)
    first = _export(runner, user, tmp_path / "jo.vcf")
    assert runner.invoke(args=["create-user", "new@example.com"], input=PASSWORD).exit_code == 0

    # Sam (Lee) comes before his introducer Ana (Ruiz) in the file: linked once both are in.
    assert first.index("FN:Sam Lee") < first.index("FN:Ana Ruiz")
    assert _import(runner, "new@example.com", tmp_path / "jo.vcf") == (
        "created: 2, updated: 0, unchanged: 0, skipped: 0"
    )
    sam = _sam(app, "new@example.com")
    assert sam.how_we_met == "PyData Berlin, the hallway after the talk"
    assert sam.introducer_seen == "Ana Ruiz"
    assert sam.notes == "Ask about the data team"

    # Exported again from the new account, the card says the same, the notes once.
    second = _export(runner, "new@example.com", tmp_path / "new.vcf")
    notes = [c.note.value for c in vobject.readComponents(second) if c.fn.value == "Sam Lee"]
    assert notes == [NOTE]
    assert first.count("Ask about the data team") == second.count("Ask about the data team") == 1

    # And importing it back into the same account changes nothing and doubles nothing.
    assert _import(runner, "new@example.com", tmp_path / "new.vcf") == (
        "created: 0, updated: 0, unchanged: 2, skipped: 0"
    )
    assert _sam(app, "new@example.com").notes == "Ask about the data team"


def test_an_introducer_nobody_has_is_left_unlinked_and_the_notes_stay_clean(
    app, runner, tmp_path, user
):
    path = tmp_path / "apple.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;Sam;;;\r\nFN:Sam Lee\r\n"
        "NOTE:How we met: Choir\\nIntroduced by: Zed Unknown\\n\\nLikes jazz\r\n"
        "item2.X-ABRELATEDNAMES:Zed Unknown\r\nitem2.X-ABLABEL:Introduced by\r\n"
        "END:VCARD\r\n"
    )
    assert _import(runner, user, path) == "created: 1, updated: 0, unchanged: 0, skipped: 0"
    sam = _sam(app, user)
    assert (sam.how_we_met, sam.notes, sam.introduced_by_id) == ("Choir", "Likes jazz", None)
