"""``docgen template new``: a kind's built-in template copied as the starting point of a variant."""

from __future__ import annotations

from pathlib import Path

from .. import kinds
from ..errors import DocgenError
from ..export import write_atomic
from ..paths import TEMPLATES_DIR


class TemplateExists(DocgenError):
    """``new_template`` does not overwrite a file."""


class UnknownForm(DocgenError):
    """The kind has no template for the form asked for."""


def new_template(kind, out: Path, form: str | None = None) -> Path:
    """Copy the kind's built-in template to ``out`` (``form``: which one, for a kind with several)."""
    source = TEMPLATES_DIR / _template_name(kinds.get(kind), form)
    out = Path(out)
    if out.exists():
        raise TemplateExists(f"Tệp “{out}” đã có; docgen không ghi đè. Hãy chọn tên khác hoặc xóa tệp cũ.")
    return write_atomic(out, source.read_bytes())


def _template_name(kind, form: str | None) -> str:
    if form is None:
        return kind.template
    if form not in kind.variants:
        raise UnknownForm(
            f"Loại {kind.name} không có mẫu cho hình thức “{form}”; các mẫu có: {', '.join(kind.layouts)}."
        )
    return kind.variants[form]
