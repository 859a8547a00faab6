from typing import Any

from markupsafe import Markup

class ListWidget:
    def __init__(self, html_tag: str = "ul", prefix_label: bool = True) -> None: ...
    def __call__(self, field: Any, **kwargs: Any) -> Markup: ...

class CheckboxInput:
    input_type: str
    def __call__(self, field: Any, **kwargs: Any) -> Markup: ...
