"""The Network page keeps each network's outline in memory while no introduction changes
(crm.network.outline): after every write path, the page it draws from the kept outline is
the page it draws from scratch, and a visit that finds the outline kept reads only its page."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text, update

from crm.extensions import db
from crm.models import Contact, User
from crm.network.services import OUTLINES
from tests.app.networking import add
from tests.app.test_tallies import Run
from tests.conftest import counting_statements
from tests.seed import seed, seed_introductions

# Introductions move most on these steps; the others are there to leave them alone.
STEPS = (*Run.STEPS, "add_person", "edit_person", "delete_person", "move_introducer")


def _main(html: str) -> str:
    """The page's content, without the one-time values its forms carry or the flash a step
    left for the next page."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r'<div class="flashes".*?</div>', "", main, flags=re.S)
    return re.sub(r'value="[^"]*"', "", main)


def _pages(client) -> list[str]:
    first = client.get("/network").get_data(as_text=True)
    count = re.search(r"Page 1 of (\d+)", first)
    pages = [_main(first)]
    for number in range(2, int(count.group(1)) + 1 if count else 1):
        pages.append(_main(client.get(f"/network?page={number}").get_data(as_text=True)))
    return pages


def _from_scratch(app, client) -> list[str]:
    app.extensions.pop(OUTLINES, None)
    return _pages(client)


class MovingRun(Run):
    def move_introducer(self) -> None:
        """A bulk statement moves several introductions at once, as an import's update or
        a restore's second pass does. The new introducer was introduced by nobody, so no
        circle forms (a backup with one could not be restored)."""
        people = self._ids(Contact)
        tops = self._ids(Contact, Contact.introduced_by_id.is_(None))
        if len(people) > 2 and tops:
            by = self.rng.choice(tops)
            moved = self.rng.sample([p for p in people if p != by], 2)
            with self.app.app_context():
                db.session.execute(
                    update(Contact).where(Contact.id.in_(moved)).values(introduced_by_id=by)
                )
                db.session.commit()


@pytest.mark.parametrize("seed", [4, 5])
def test_the_kept_outline_draws_the_page_drawn_from_scratch_after_every_write_path(
    app, client, runner, user, clock, tmp_path, seed
):
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    rng = random.Random(seed)
    run = MovingRun(app, client, runner, tmp_path, rng)
    for _ in range(3):
        run.add_person()
    steps = [*STEPS, *rng.choices(STEPS, k=20)]
    rng.shuffle(steps)
    drawn = 0
    for step in steps:
        kept = _pages(client)  # keeps the outline, before the step changes anything
        getattr(run, step)()
        assert _pages(client) == _from_scratch(app, client), step
        drawn += "network-svg" in kept[0]
    assert drawn, "no step had a tree to draw"


def test_a_visit_that_finds_the_outline_kept_reads_only_its_page(app, client, user):
    with app.app_context():
        user_id = db.session.scalar(select(User.id))
        seed(user_id, 200)
        seed_introductions(user_id, 40)
    client.get("/network")
    with counting_statements(app) as statements:
        again = client.get("/network").get_data(as_text=True)
    assert not [s for s in statements if "contact.introduced_by_id IS NOT NULL" in s]
    assert "network-svg" in again

    # A new introduction draws the stamp again: the next visit plants the network anew.
    add(client, "Zed")
    add(client, "Zoe", introduced_by="Zed Tester")
    with counting_statements(app) as statements:
        html = client.get("/network?page=999").get_data(as_text=True)
    assert [s for s in statements if "contact.introduced_by_id IS NOT NULL" in s]
    assert "Zoe Tester" in html + "".join(
        client.get(f"/network?page={n}").get_data(as_text=True) for n in range(1, 20)
    )


def test_the_stamp_changes_with_every_kind_of_write_to_an_introduction(app, user):
    with app.app_context():
        user_id = db.session.scalar(select(User.id))

        def stamp() -> int | None:
            return db.session.scalar(
                text("SELECT stamp FROM network_stamp WHERE user_id = :u"), {"u": user_id}
            )

        ana = Contact(user_id=user_id, first_name="Ana")
        db.session.add(ana)
        db.session.flush()
        before = stamp()
        ben = Contact(user_id=user_id, first_name="Ben", introduced_by_id=ana.id)
        db.session.add(ben)
        db.session.flush()
        seen = [before, stamp()]
        ben.first_name = "Benito"  # not an introduction: the stamp stays
        db.session.flush()
        assert stamp() == seen[-1]
        cal = Contact(user_id=user_id, first_name="Cal")
        db.session.add(cal)
        db.session.flush()
        ben.introduced_by_id = cal.id
        db.session.flush()
        seen.append(stamp())
        db.session.delete(cal)  # ON DELETE SET NULL frees Ben
        db.session.flush()
        seen.append(stamp())
        db.session.expire_all()
        assert db.session.get(Contact, ben.id).introduced_by_id is None
        db.session.execute(update(Contact).values(introduced_by_id=ana.id))
        seen.append(stamp())
        db.session.execute(text("DELETE FROM contact WHERE first_name = 'Benito'"))
        seen.append(stamp())
        db.session.rollback()
    assert None not in seen[1:] and len(set(seen[1:])) == len(seen) - 1
