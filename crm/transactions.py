"""How a request's transaction ends: with COMMIT when it only read, with ROLLBACK otherwise.

Views commit what they write; whatever a request flushed or wrote and did not commit is
rolled back when the request ends, as before. A request that only read ends with a COMMIT,
which for a read is the same as a rollback, except to psycopg: a ROLLBACK makes it forget
every statement it has prepared on that connection, so PostgreSQL plans each of a page's
statements afresh on every request. After a COMMIT it keeps them, and after five runs a
statement is prepared and runs without being planned again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session

from crm.extensions import db

# Set in Session.info once the transaction has written anything (or might have).
_WROTE = "crm.transactions.wrote"


def _flushed(session: Session, flush_context: Any) -> None:
    session.info[_WROTE] = True


def _executed(state: ORMExecuteState) -> None:
    # Anything but a SELECT (an UPDATE, a DELETE, an INSERT, raw SQL text) counts as a write.
    if not state.is_select:
        state.session.info[_WROTE] = True


def _ended(session: Session) -> None:
    session.info.pop(_WROTE, None)


def execute_write(
    session: Session, sql: str, rows: Sequence[Any] | Mapping[str, Any] | None = None
) -> None:
    """Send raw SQL that writes (one row's values, or many rows' for the driver's executemany)
    on the session's connection, and mark the transaction as written: the session sees its
    own flushes and statements, not SQL sent on its connection. Every raw write goes here."""
    session.info[_WROTE] = True
    session.connection().exec_driver_sql(sql, rows)


def copy_rows(
    session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """PostgreSQL: COPY rows (each value already in the driver's form) into a table on the
    session's connection, and mark the transaction as written, as execute_write does. One
    statement however many rows: the server neither plans nor answers each row."""
    session.info[_WROTE] = True
    # psycopg's own connection (its COPY), and its errors, reached through the dialect: a
    # SQLite server never loads psycopg (a few MB of memory).
    connection: Any = session.connection().connection.dbapi_connection
    driver_error = session.get_bind().dialect.loaded_dbapi.Error
    names = ", ".join(f'"{column}"' for column in columns)
    statement = f'COPY "{table}" ({names}) FROM STDIN'
    try:
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except driver_error as error:
        # As SQLAlchemy would have raised it (IntegrityError for a unique row twice, ...).
        raise DBAPIError.instance(statement, None, error, driver_error) from error


def wrote(session: Session) -> bool:
    """Whether the session's transaction has flushed or sent anything but a SELECT."""
    return bool(session.info.get(_WROTE))


def end_reads_with_commit(app: Flask) -> None:
    """At the end of each request, commit a transaction that only read (see the module)."""
    if not event.contains(Session, "after_flush", _flushed):
        event.listen(Session, "after_flush", _flushed)
        event.listen(Session, "do_orm_execute", _executed)
        event.listen(Session, "after_commit", _ended)
        event.listen(Session, "after_rollback", _ended)

    @app.teardown_request
    def _end_read(error: BaseException | None) -> None:
        session = db.session()
        # Changes still pending in the session would be flushed by a commit: those roll back.
        pending = session.new or session.dirty or session.deleted
        if error is not None or not session.in_transaction() or wrote(session) or pending:
            return  # Flask-SQLAlchemy's session removal rolls it back, as always
        # Nothing the request loaded is read again: expiring every object would be wasted work.
        expire, session.expire_on_commit = session.expire_on_commit, False
        try:
            session.commit()
        except SQLAlchemyError:
            # The connection went away after the page was made: nothing was written anyway.
            app.logger.warning("Could not end a read-only transaction", exc_info=True)
            session.rollback()
        finally:
            session.expire_on_commit = expire
