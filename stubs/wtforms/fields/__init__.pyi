from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup
from wtforms.fields.choices import SelectField as SelectField
from wtforms.fields.choices import SelectFieldBase as SelectFieldBase
from wtforms.fields.choices import SelectMultipleField as SelectMultipleField
from wtforms.form import BaseForm

# A validator is called with the form and the field, and raises ValidationError.
_Validator = Callable[[Any, Any], object]

class Label:
    field_id: str
    text: str
    def __init__(self, field_id: str, text: str) -> None: ...
    def __call__(self, text: str | None = None, **kwargs: Any) -> Markup: ...

class Field:
    name: str
    short_name: str
    id: str
    type: str
    label: Label
    description: str
    default: Any
    render_kw: dict[str, Any] | None
    validators: Sequence[_Validator]
    flags: Any
    # What the field holds: its type depends on the field and on whether the form was posted.
    data: Any
    raw_data: list[Any] | None
    object_data: Any
    # A tuple until validation runs, then the list views append their own messages to.
    errors: list[str]
    process_errors: list[str]
    def __init__(
        self,
        label: str | None = None,
        validators: Sequence[_Validator] | None = None,
        filters: Sequence[Callable[[Any], Any]] = (),
        description: str = "",
        id: str | None = None,
        default: Any = None,
        invalid_value_message: str | None = None,
        widget: Any = None,
        render_kw: dict[str, Any] | None = None,
        name: str | None = None,
        datalist: Any = None,
    ) -> None: ...
    def __call__(self, **kwargs: Any) -> Markup: ...
    def process_data(self, value: Any) -> None: ...
    def process_formdata(self, valuelist: list[Any]) -> None: ...
    def pre_validate(self, form: BaseForm) -> None: ...
    def post_validate(self, form: BaseForm, validation_stopped: bool) -> None: ...
    def validate(self, form: BaseForm, extra_validators: Sequence[_Validator] = ()) -> bool: ...
    def populate_obj(self, obj: object, name: str) -> None: ...

class StringField(Field): ...
class TextAreaField(StringField): ...
class PasswordField(StringField): ...
class HiddenField(StringField): ...
class EmailField(StringField): ...
class FileField(Field): ...

class IntegerField(Field):
    def __init__(
        self,
        label: str | None = None,
        validators: Sequence[_Validator] | None = None,
        invalid_value_message: str | None = None,
        **kwargs: Any,
    ) -> None: ...

class BooleanField(Field):
    def __init__(
        self,
        label: str | None = None,
        validators: Sequence[_Validator] | None = None,
        false_values: Sequence[Any] | None = None,
        **kwargs: Any,
    ) -> None: ...

class SubmitField(BooleanField): ...

class DateField(Field):
    def __init__(
        self,
        label: str | None = None,
        validators: Sequence[_Validator] | None = None,
        format: str | Sequence[str] = "%Y-%m-%d",
        invalid_value_message: str | None = None,
        **kwargs: Any,
    ) -> None: ...

class TimeField(Field):
    def __init__(
        self,
        label: str | None = None,
        validators: Sequence[_Validator] | None = None,
        format: str | Sequence[str] = "%H:%M",
        invalid_value_message: str | None = None,
        **kwargs: Any,
    ) -> None: ...
