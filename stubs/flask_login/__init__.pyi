# Flask-Login 0.6.3: the parts crm uses.
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from blinker import NamedSignal
from flask import Flask

_P = ParamSpec("_P")
_R = TypeVar("_R")
_U = TypeVar("_U")

# A proxy to the logged-in crm.models.User, or an anonymous user before login.
current_user: Any

# Sent by login_user() (flask_login.signals).
user_logged_in: NamedSignal

def login_required(func: Callable[_P, _R]) -> Callable[_P, _R]: ...
def login_user(
    user: UserMixin,
    remember: bool = False,
    duration: Any | None = None,
    force: bool = False,
    fresh: bool = True,
) -> bool: ...
def logout_user() -> bool: ...

class UserMixin:
    __hash__: Any
    @property
    def is_active(self) -> bool: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_anonymous(self) -> bool: ...
    def get_id(self) -> str | None: ...

class LoginManager:
    login_view: str | None
    login_message: str
    login_message_category: str
    def __init__(self, app: Flask | None = None, add_context_processor: bool = True) -> None: ...
    def init_app(self, app: Flask, add_context_processor: bool = True) -> None: ...
    def user_loader(self, callback: Callable[[str], _U]) -> Callable[[str], _U]: ...
