"""The imports flask commands."""

from flask import Flask


def register(app: Flask) -> None:
    """Attach this feature's commands to the app."""
