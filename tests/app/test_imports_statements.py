"""An import issues the same number of SQL statements for 20 rows as for 2,000: no per-row
SELECT, no per-row INSERT (the speed budget itself is measured by benchmarks/import_linkedin.py)."""

from __future__ import annotations

import pytest

from crm.auth.services import create_user, find_user
from crm.extensions import db
from crm.imports import services
from crm.tallies import services as tallies
from tests.app.test_imports_support import linkedin_csv
from tests.conftest import counting_statements


def rows(size: int, title: str = "Engineer") -> bytes:
    return linkedin_csv(
        *(
            f"Person,Number {n},https://www.linkedin.com/in/p-{n},,Company {n % 10},{title},"
            for n in range(size)
        )
    )


def statements(app, email: str, data: bytes) -> tuple[int, str]:
    """Import the file for the user; return the statements it took and its summary line."""
    with counting_statements(app) as seen, app.app_context():
        user = find_user(email)
        outcome = services.import_file(user, data, "Connections.csv")
        db.session.commit()
    return len(seen), services.summary_line(outcome.counts)


@pytest.mark.parametrize("bulk_rows", [1, 10**9], ids=["both-counted-once", "both-per-row"])
def test_statement_count_does_not_grow_with_the_file(app, monkeypatch, bulk_rows):
    # A large import on PostgreSQL counts its tallies once at the end (a few statements more,
    # crm.tallies.services.bulk_write): both files take the same path here.
    monkeypatch.setattr(tallies, "BULK_ROWS", bulk_rows)
    with app.app_context():
        create_user("small@example.com", "a long password")
        create_user("large@example.com", "a long password")
        db.session.commit()

    small = [statements(app, "small@example.com", rows(20, title)) for title in ("A", "A", "B")]
    large = [statements(app, "large@example.com", rows(2_000, title)) for title in ("A", "A", "B")]

    assert [summary for _, summary in small] == [
        "created: 20, updated: 0, unchanged: 0, skipped: 0",
        "created: 0, updated: 0, unchanged: 20, skipped: 0",
        "created: 0, updated: 20, unchanged: 0, skipped: 0",
    ]
    assert [summary for _, summary in large][
        2
    ] == "created: 0, updated: 2000, unchanged: 0, skipped: 0"
    assert [count for count, _ in small] == [count for count, _ in large]
    assert max(count for count, _ in large) <= 15
