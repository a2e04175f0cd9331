"""Registry of document kinds. A kind is one module with:

``NAME`` (identifier), ``TITLE`` (Vietnamese name), ``CODE`` (ký hiệu, e.g. "KH"), ``SCHEMA`` and
``TEMPLATE`` (file names), ``template_body(blocks)`` (the layout its template is built from) and
``build(data, problems, profile)`` → :class:`docgen.kinds.base.Built` (the template context).
A kind with several layouts (forms) lists them in ``TEMPLATES`` (file name → layout function) and its
builder names the one to use in ``Built.template``.
Adding a kind is one module, one schema, one template, one sample, and one line below.
"""

from __future__ import annotations

from types import ModuleType

from ..errors import UnknownKind
from . import bao_cao_kiem_diem, ke_hoach, quyet_dinh_xep_loai, to_trinh

KINDS: dict[str, ModuleType] = {m.NAME: m for m in (ke_hoach, bao_cao_kiem_diem, quyet_dinh_xep_loai, to_trinh)}


def get(name: str) -> ModuleType:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(name, list(KINDS)) from None


def names() -> list[str]:
    return list(KINDS)


def templates(module: ModuleType) -> dict:
    """File name → layout function of every template of a kind."""
    return getattr(module, "TEMPLATES", None) or {module.TEMPLATE: module.template_body}
