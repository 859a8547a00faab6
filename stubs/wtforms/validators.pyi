import re
from collections.abc import Callable
from typing import Any

from wtforms.fields import Field
from wtforms.form import BaseForm

class ValidationError(ValueError):
    def __init__(self, message: str = "", *args: Any) -> None: ...

class StopValidation(Exception):
    def __init__(self, message: str = "", *args: Any) -> None: ...

class _Check:
    def __call__(self, form: BaseForm, field: Field) -> None: ...

class DataRequired(_Check):
    def __init__(self, message: str | None = None) -> None: ...

class InputRequired(_Check):
    def __init__(self, message: str | None = None) -> None: ...

class Optional(_Check):
    def __init__(self, strip_whitespace: bool = True) -> None: ...

class Length(_Check):
    def __init__(self, min: int = -1, max: int = -1, message: str | None = None) -> None: ...

class NumberRange(_Check):
    def __init__(
        self, min: float | None = None, max: float | None = None, message: str | None = None
    ) -> None: ...

class EqualTo(_Check):
    def __init__(self, fieldname: str, message: str | None = None) -> None: ...

class Regexp(_Check):
    def __init__(
        self,
        regex: str | re.Pattern[str],
        flags: int = 0,
        message: str | None = None,
        matcher: Callable[..., re.Match[str] | None] = ...,
        html_pattern: bool | str | Callable[[re.Pattern[str]], bool | str] = False,
    ) -> None: ...
    def __call__(self, form: BaseForm, field: Field, message: str | None = None) -> None: ...

class Email(_Check):
    def __init__(
        self,
        message: str | None = None,
        granular_message: bool = False,
        check_deliverability: bool = False,
        test_environment: bool | None = None,
        allow_smtputf8: bool | None = None,
        allow_empty_local: bool | None = None,
    ) -> None: ...
