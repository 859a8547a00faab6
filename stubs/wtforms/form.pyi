from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from wtforms.fields import Field

class FormMeta(type): ...

class BaseForm:
    form_errors: list[str]
    def __init__(
        self,
        fields: Sequence[tuple[str, Any]] | Mapping[str, Any],
        prefix: str = "",
        meta: Any = ...,
    ) -> None: ...
    @property
    def data(self) -> dict[str, Any]: ...
    # Each field's errors by name; the form's own (form_errors) under None.
    @property
    def errors(self) -> dict[str | None, list[str]]: ...
    def __iter__(self) -> Iterator[Field]: ...
    def __contains__(self, name: str) -> bool: ...
    def __getitem__(self, name: str) -> Field: ...
    def populate_obj(self, obj: object) -> None: ...
    def process(
        self,
        formdata: Any | None = None,
        obj: Any | None = None,
        data: Mapping[str, Any] | None = None,
        extra_filters: Mapping[str, Sequence[Any]] | None = None,
        **kwargs: Any,
    ) -> None: ...
    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool: ...

class Form(BaseForm, metaclass=FormMeta):
    def __init__(
        self,
        formdata: Any | None = None,
        obj: Any | None = None,
        prefix: str = "",
        data: Mapping[str, Any] | None = None,
        meta: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None: ...
