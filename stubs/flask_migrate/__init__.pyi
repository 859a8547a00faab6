# Flask-Migrate 4.1: the parts crm uses.
from typing import Any

from flask import Flask

class Migrate:
    directory: str
    def __init__(
        self,
        app: Flask | None = None,
        db: Any | None = None,
        directory: str = "migrations",
        command: str = "db",
        compare_type: bool = True,
        render_as_batch: bool = True,
        **kwargs: Any,
    ) -> None: ...
    def init_app(
        self,
        app: Flask,
        db: Any | None = None,
        directory: str | None = None,
        command: str | None = None,
        compare_type: bool | None = None,
        render_as_batch: bool | None = None,
        **kwargs: Any,
    ) -> None: ...

def upgrade(
    directory: str | None = None,
    revision: str = "head",
    sql: bool = False,
    tag: str | None = None,
    x_arg: Any | None = None,
) -> None: ...
