from collections.abc import Callable, Iterator, Sequence
from typing import Any

from wtforms.fields import Field, _Validator

class SelectChoice:
    # The posted value; the field's coerce turns it into the field's data (an int, say).
    value: Any
    label: str
    render_kw: dict[str, Any]
    optgroup: str | None
    def __init__(
        self,
        value: Any,
        label: str | None = None,
        render_kw: dict[str, Any] = ...,
        optgroup: str | None = None,
    ) -> None: ...

class SelectFieldBase(Field):
    def __init__(
        self,
        label: str | None = None,
        validators: Sequence[_Validator] | None = None,
        option_widget: Any = None,
        **kwargs: Any,
    ) -> None: ...
    def iter_choices(self) -> Iterator[Any]: ...

class SelectField(SelectFieldBase):
    coerce: Callable[[Any], Any]
    validate_choice: bool
    # As given: SelectChoices, (value, label) pairs, a dict of groups or a callable.
    choices: Any
    def __init__(
        self,
        label: str | None = None,
        validators: Sequence[_Validator] | None = None,
        coerce: Callable[[Any], Any] = ...,
        choices: Any = None,
        validate_choice: bool = True,
        invalid_value_message: str | None = None,
        invalid_choice_message: str | None = None,
        **kwargs: Any,
    ) -> None: ...

class SelectMultipleField(SelectField): ...
