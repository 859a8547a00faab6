"""The tallies (crm.tallies) equal a count from scratch after every write path: random runs of
adding, editing, archiving and deleting people, imports and their undo, restores, outreach,
replies, interviews, cadences and device sync, each step checked; and the repair command."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from crm.enums import Cadence, FollowUpState, Network, OutreachStatus
from crm.extensions import db
from crm.models import Contact, FollowUp, ImportBatch, Outreach, User
from crm.plan.employers import target_employers
from crm.tallies import services as tally_services
from crm.tallies.models import Tally
from crm.tallies.services import counted, kept
from tests.app.networking import log
from tests.app.test_backup import run_backup
from tests.app.test_imports_support import import_bytes, linkedin_csv
from tests.app.test_query_plans import _plans, _recording
from tests.seed import seed, seed_plan
from tests.sync.conftest import make_device
from tests.sync.test_sync_access import dav

TODAY = date(2026, 11, 25)
TITLES = ["Engineer", "Product Manager", "Senior Engineer", "", "Analyst"]
NETWORKS = Network.values()
CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{first} Card\r\nN:Card;{first};;;\r\n"
    "TITLE:{title}\r\nEND:VCARD\r\n"
)


def _check(app) -> None:
    """Every user's tallies equal their count from scratch."""
    with app.app_context():
        assert kept() == counted()
        db.session.rollback()


class Run:
    """One user's random run over the app's write paths, through the real pages."""

    def __init__(self, app, client, runner, tmp_path, rng: random.Random) -> None:
        self.app, self.client, self.runner, self.tmp_path, self.rng = (
            app,
            client,
            runner,
            tmp_path,
            rng,
        )
        self.device = make_device(app, "jo@example.com")
        self.imports = 0
        self.restores = 0

    def _ids(self, model, *where) -> list[int]:
        with self.app.app_context():
            owner = db.session.scalar(select(User.id).where(User.email == "jo@example.com"))
            rows = select(model.id).where(model.user_id == owner, *where).order_by(model.id)
            return list(db.session.scalars(rows))

    def _someone(self) -> int | None:
        people = self._ids(Contact)
        return self.rng.choice(people) if people else None

    def _person_form(self, first: str) -> dict[str, str]:
        form = {
            "first_name": first,
            "last_name": "Tester",
            "company": self.rng.choice(["Acme", "Globex", ""]),
            "network": self.rng.choice(NETWORKS),
            "title": self.rng.choice(TITLES),
        }
        if self.rng.random() < 0.3 and self._ids(Contact):
            form["introduced_by"] = "P0 Tester"
        return form

    def add_person(self) -> None:
        n = len(self._ids(Contact))
        response = self.client.post("/contacts/new", data=self._person_form(f"P{n}"))
        assert response.status_code in (200, 302)

    def edit_person(self) -> None:
        if (person := self._someone()) is not None:
            form = self._person_form(f"E{person}")
            self.client.post(f"/contacts/{person}/edit", data=form)

    def delete_person(self) -> None:
        if (person := self._someone()) is not None:
            assert self.client.post(f"/contacts/{person}/delete").status_code == 302

    def set_cadence(self) -> None:
        if (person := self._someone()) is not None:
            cadence = self.rng.choice(Cadence.values())
            self.client.post(f"/contacts/{person}/cadence", data={"cadence": cadence})

    def log_outreach(self) -> None:
        if (person := self._someone()) is not None:
            sent_on = TODAY - timedelta(days=self.rng.randint(0, 40))
            status = self.rng.choice([OutreachStatus.AWAITING, OutreachStatus.REPLIED])
            log(self.client, person, sent_on=sent_on, status=status)

    def mark_reply(self) -> None:
        waiting = self._ids(Outreach, Outreach.status == OutreachStatus.AWAITING)
        if waiting:
            outreach = self.rng.choice(waiting)
            status = self.rng.choice([OutreachStatus.REPLIED, OutreachStatus.DECLINED])
            self.client.post(f"/outreach/{outreach}/status", data={"status": status})

    def hold_interview(self) -> None:
        if (person := self._someone()) is not None:
            day = TODAY - timedelta(days=self.rng.randint(0, 5))
            response = self.client.post(
                f"/contacts/{person}/interviews/new",
                data={"day": day.isoformat(), "start": "10:00", "duration_minutes": "30"},
            )
            interview = int(response.headers["Location"].rsplit("/", 1)[1])
            self.client.post(f"/interviews/{interview}/done")

    def close_followup(self) -> None:
        """Done or dismissed on the Follow-ups page."""
        open_ones = self._ids(FollowUp, FollowUp.status == FollowUpState.OPEN)
        if open_ones:
            action = self.rng.choice(["done", "dismiss"])
            self.client.post(f"/follow-ups/{self.rng.choice(open_ones)}/{action}")

    def import_people(self) -> None:
        self.imports += 1
        rows = [
            f"I{k},Imported,https://www.linkedin.com/in/imported-{k},,Initech,"
            f"{self.rng.choice(TITLES)},30 May 2024"
            for k in self.rng.sample(range(8), self.rng.randint(1, 5))
        ]
        page = import_bytes(self.client, linkedin_csv(*rows), network=self.rng.choice(NETWORKS))
        assert page.status_code == 200

    def undo_import(self) -> None:
        batches = self._ids(ImportBatch, ImportBatch.undone_at.is_(None))
        if batches:
            batch = self.rng.choice(batches)
            self.client.post(f"/import/history/{batch}/undo", data={"confirmed": "yes"})

    def sync_card(self) -> None:
        """A device writes a card: a new person, or a change to one it has."""
        person = self._someone()
        with self.app.app_context():
            uid = (
                db.session.get(Contact, person).uid
                if person and self.rng.random() < 0.5
                else f"card-{self.rng.randrange(10**9)}"
            )
        card = CARD.format(uid=uid, first="Dev", title=self.rng.choice(TITLES) or "Analyst")
        path = f"/dav/{self.device.email}/contacts/{uid}.vcf"
        put = dav(self.client, "PUT", path, self.device.email, self.device.password, body=card)
        assert put.status_code in (201, 204), put.get_data(as_text=True)

    def archive_on_device(self) -> None:
        if (person := self._someone()) is not None:
            with self.app.app_context():
                uid = db.session.get(Contact, person).uid
            path = f"/dav/{self.device.email}/contacts/{uid}.vcf"
            dav(self.client, "DELETE", path, self.device.email, self.device.password, body="")

    def restore_elsewhere(self) -> None:
        """Back up the account and restore it into a new, empty one."""
        self.restores += 1
        backup = run_backup(self.runner, self.tmp_path, "jo@example.com", f"b{self.restores}.zip")
        email = f"restored{self.restores}@example.com"
        with self.app.app_context():
            db.session.add(User(email=email, password_hash="x"))
            db.session.commit()
        result = self.runner.invoke(args=["restore", str(backup), "--user", email])
        assert result.exit_code == 0, result.output

    STEPS = (
        "add_person",
        "add_person",
        "edit_person",
        "delete_person",
        "set_cadence",
        "log_outreach",
        "log_outreach",
        "mark_reply",
        "hold_interview",
        "close_followup",
        "import_people",
        "undo_import",
        "sync_card",
        "archive_on_device",
        "restore_elsewhere",
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tallies_equal_a_count_from_scratch_after_every_write_path(
    app, client, runner, user, clock, tmp_path, seed
):
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    rng = random.Random(seed)
    run = Run(app, client, runner, tmp_path, rng)
    for _ in range(3):
        run.add_person()
    _check(app)
    steps = [*Run.STEPS, *rng.choices(Run.STEPS, k=22)]
    rng.shuffle(steps)
    for step in steps:
        getattr(run, step)()
        _check(app)
    with app.app_context():
        kinds = {kind for _, kind, _, _ in kept()}
    # The run reached every kind of tally, so each trigger's path was checked.
    assert {"contacts", "reached", "replied", "title", "keep_in_touch", "sent", "replies"} <= kinds
    assert {"listed", "open_followups"} <= kinds


def test_bulk_writes_and_a_deleted_account_keep_the_tallies_right(app, client, user):
    link = "https://www.linkedin.com/in/b-"
    rows = [f"B{k},Bulk,{link}{k},,Acme,Engineer,30 May 2024" for k in range(40)]
    import_bytes(client, linkedin_csv(*rows))
    with app.app_context():
        # Core statements over many rows at once, as the seeders and restore write them.
        db.session.execute(update(Contact).values(network="alumni", first_outreach_on=TODAY))
        db.session.execute(update(Contact).where(Contact.id % 2 == 0).values(title_key=None))
        db.session.commit()
    _check(app)
    with app.app_context():
        db.session.delete(db.session.scalars(select(User)).one())
        db.session.commit()
        assert db.session.scalars(select(Tally)).all() == []
    _check(app)


def test_rebuild_tallies_repairs_counts_gone_wrong(app, client, user, runner):
    add_person = {"first_name": "Ana", "last_name": "Lima", "network": "work", "title": "Engineer"}
    client.post("/contacts/new", data=add_person)
    with app.app_context():
        db.session.execute(update(Tally).values(n=Tally.n + 5))
        db.session.commit()
        assert kept() != counted()

    result = runner.invoke(args=["rebuild-tallies"])

    assert result.exit_code == 0, result.output
    assert "Tallies counted again" in result.output
    with app.app_context():
        assert kept() == counted()
        assert ("contacts", "work", 1) in {(kind, key, n) for _, kind, key, n in kept()}


def test_the_target_employers_are_read_from_their_index_not_every_company(app, user):
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == user))
        seed(user_id, 500)
        seed_plan(user_id)
        with _recording() as ran:
            employers = target_employers(user_id)
        assert [len(employer.people) > 0 for employer in employers] == [True, True]
        plans = _plans(ran)
        db.session.rollback()
    assert any("ix_company_user_target" in plan for plan in plans), plans


def test_a_large_import_counts_its_tallies_once_and_right(app, client, user, monkeypatch):
    # Past BULK_ROWS an import on PostgreSQL writes with the triggers paused and counts the
    # account once at the end (crm.tallies.services.bulk_write); SQLite keeps its triggers.
    monkeypatch.setattr(tally_services, "BULK_ROWS", 3)
    client.post("/contacts/new", data={"first_name": "Ana", "last_name": "Lima", "network": "work"})
    rows = [
        f"L{k},Large,https://www.linkedin.com/in/l-{k},,Acme,Engineer,30 May 2024" for k in range(6)
    ]
    assert import_bytes(client, linkedin_csv(*rows), network="alumni").status_code == 200
    _check(app)
    with app.app_context():
        counts = {(kind, key): n for _, kind, key, n in kept()}
    assert counts[("contacts", "alumni")] == 6 and counts[("contacts", "work")] == 1
