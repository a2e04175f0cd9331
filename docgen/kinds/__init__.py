"""The registry of document kinds: the one place a kind's name is tied to its declaration.

Each kind is one module declaring a :class:`~docgen.kinds.base.Kind` (``KIND``); adding a kind is one
module, one schema, one template layout, one sample, and one line below.
"""

from __future__ import annotations

from ..errors import UnknownKind
from . import bao_cao_kiem_diem, ke_hoach, quyet_dinh_xep_loai, to_trinh
from .base import BatchDoc, BatchSpec, Built, Kind, WebHints

KINDS: dict[str, Kind] = {
    k.name: k for k in (ke_hoach.KIND, bao_cao_kiem_diem.KIND, quyet_dinh_xep_loai.KIND, to_trinh.KIND)
}


def get(kind: Kind | str) -> Kind:
    """The kind of that name (a Kind is its own); :class:`~docgen.errors.UnknownKind` names the others."""
    if isinstance(kind, Kind):
        return kind
    try:
        return KINDS[kind]
    except KeyError:
        raise UnknownKind(kind, list(KINDS)) from None


def names() -> list[str]:
    return list(KINDS)


def all_kinds() -> list[Kind]:
    return list(KINDS.values())


def batch_kinds() -> list[Kind]:
    """The kinds that make documents in bulk."""
    return [k for k in KINDS.values() if k.batch is not None]


__all__ = ["KINDS", "Kind", "BatchSpec", "BatchDoc", "Built", "WebHints", "get", "names", "all_kinds", "batch_kinds"]
