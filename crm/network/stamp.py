"""The triggers that draw a user's network stamp again whenever an introduction changes.

The Network page keeps the outline of a user's network (its trees, their sizes and pages, the
longest chain) in memory under this stamp (crm.network.outline), so it must change in the
same transaction as every write that adds, moves or removes an introduction, whatever path
writes it: the forms, imports and their undo, the restore, the device sync, and the
`ON DELETE SET NULL` that frees the people a deleted introducer led to. Row triggers on
contact see them all. What the stamp relies on:

- it is random (64 bits), not a counter: a database emptied and filled again, as tests and
  restores do, never hands an old outline's stamp to a different network;
- a contact deleted, or moved to another user, only UPDATEs the old user's stamp, so a
  cascade from a deleted user never inserts a row for them;
- a migration that rebuilds the contact table (SQLite batch mode) makes these triggers again
  with create_triggers, as it does the tally triggers (crm.tallies.counters).
"""

from __future__ import annotations

# A new random value: SQLite's random() is 64 bits; PostgreSQL's is a float in [0, 1).
RANDOM = {"sqlite": "random()", "postgresql": "floor(random() * 9e18)::bigint"}
# The contact columns whose change moves an introduction.
COLUMNS = "introduced_by_id, user_id"
# SQLite's statements, run for each row: draw the new row's user a stamp (made on their
# first introduction), and the old row's user one again (an update only: see above).
_DRAW_NEW = (
    f"INSERT INTO network_stamp (user_id, stamp) VALUES (new.user_id, {RANDOM['sqlite']}) "
    "ON CONFLICT (user_id) DO UPDATE SET stamp = excluded.stamp;"
)
_DRAW_OLD = f"UPDATE network_stamp SET stamp = {RANDOM['sqlite']} WHERE user_id = old.user_id;"
_MOVED = "(old.introduced_by_id IS NOT new.introduced_by_id OR old.user_id <> new.user_id)"


def sqlite_triggers() -> list[str]:
    """A trigger per row: SQLite keeps no old versions of a row for an update to walk."""
    return [
        "CREATE TRIGGER network_stamp_insert AFTER INSERT ON contact "
        f"WHEN new.introduced_by_id IS NOT NULL BEGIN {_DRAW_NEW} END",
        "CREATE TRIGGER network_stamp_delete AFTER DELETE ON contact "
        f"WHEN old.introduced_by_id IS NOT NULL BEGIN {_DRAW_OLD} END",
        f"CREATE TRIGGER network_stamp_update AFTER UPDATE OF {COLUMNS} ON contact "
        f"WHEN {_MOVED} BEGIN {_DRAW_OLD} {_DRAW_NEW} END",
    ]


def postgresql_triggers() -> list[str]:
    """Once per statement, over its transition tables (a row trigger would update one user's
    stamp once per row, and PostgreSQL walks every version a transaction made of a row on
    each update: quadratic in a bulk write)."""
    random = RANDOM["postgresql"]
    draw_new = (
        "INSERT INTO network_stamp (user_id, stamp) "
        f"SELECT u.user_id, {random} FROM (SELECT DISTINCT r.user_id FROM new_rows AS r "
        "WHERE {where}) AS u "
        "ON CONFLICT (user_id) DO UPDATE SET stamp = excluded.stamp;"
    )
    draw_old = (
        f"UPDATE network_stamp SET stamp = {random} "
        "WHERE user_id IN (SELECT r.user_id FROM old_rows AS r WHERE {where});"
    )
    moved = (
        "EXISTS (SELECT 1 FROM {pair} AS o WHERE o.id = r.id AND "
        "(r.introduced_by_id, r.user_id) IS DISTINCT FROM (o.introduced_by_id, o.user_id))"
    )
    introduced = "r.introduced_by_id IS NOT NULL"
    body = (
        f"BEGIN IF TG_OP = 'INSERT' THEN {draw_new.format(where=introduced)} "
        f"ELSIF TG_OP = 'DELETE' THEN {draw_old.format(where=introduced)} "
        f"ELSE {draw_old.format(where=moved.format(pair='new_rows'))} "
        f"{draw_new.format(where=moved.format(pair='old_rows'))} END IF; RETURN NULL; END"
    )
    run = "FOR EACH STATEMENT EXECUTE FUNCTION network_stamp()"
    return [
        f"CREATE FUNCTION network_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$",
        f"CREATE TRIGGER network_stamp_insert AFTER INSERT ON contact "
        f"REFERENCING NEW TABLE AS new_rows {run}",
        f"CREATE TRIGGER network_stamp_delete AFTER DELETE ON contact "
        f"REFERENCING OLD TABLE AS old_rows {run}",
        f"CREATE TRIGGER network_stamp_update AFTER UPDATE ON contact "
        f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {run}",
    ]


def create_triggers(dialect: str) -> list[str]:
    """Every statement that makes the triggers, for this database."""
    return postgresql_triggers() if dialect == "postgresql" else sqlite_triggers()


def drop_triggers(dialect: str) -> list[str]:
    """Every statement that drops them."""
    if dialect == "postgresql":
        return ["DROP FUNCTION IF EXISTS network_stamp() CASCADE"]
    return [
        f"DROP TRIGGER IF EXISTS network_stamp_{event}" for event in ("insert", "delete", "update")
    ]
