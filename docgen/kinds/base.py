"""A document kind, declared once: what it is, its schema and templates, how it is built, what it can do.

Every layer asks the :class:`Kind` (the CLI, the web page, batch, the Excel workbooks, the importer, the
template tools); none keeps a list of kind names of its own. A capability a kind lacks is ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..header import DocumentHeader


@dataclass
class Built:
    """The template context, plus OOXML the template cannot hold (footnote texts), and the header."""

    context: dict
    footnotes_xml: str = ""
    template: str | None = None  # file in templates_docx/ when the kind has several (default: the kind's TEMPLATE)
    header: DocumentHeader | None = None  # the document's identity: number, ký hiệu, issuer, place and date


@dataclass
class BatchDoc:
    """One document of a batch: its label (unit or person), its data, and where its fields come from.

    ``origin`` maps paths of the document (``$.ca_nhan``) to paths inside the unit
    (``ket_qua.dang_vien[3]``) when the document is made from parts of the unit, for locating problems;
    other fields come from the batch's common part. None when the document is the unit itself. ``skip``
    gives the reason when no document is due (a member exempt from party work writes no review)."""

    label: str
    data: dict | None
    origin: dict | None = None
    skip: str | None = None


@dataclass(frozen=True)
class BatchSpec:
    """How a kind makes documents in bulk: one unit of a batch (the common part merged with the unit's own)
    becomes its documents (one decision per chi bộ; one pre-filled review form per member)."""

    documents: Callable[[dict], list[BatchDoc]]
    numbered: bool  # documents take consecutive numbers
    across: Callable[[list], dict] | None = None  # rules spanning documents: data of every job → {index: problems}
    member_fields: tuple[str, ...] = ()  # the member fields a batch reads, when it reads only some


@dataclass(frozen=True)
class Kind:
    """A document kind. ``layouts`` maps each template file (in templates_docx/) to the function that lays it
    out (:mod:`docgen.blocks`); the first is the kind's default template, and a builder that needs another
    names it in :attr:`Built.template`. ``build(data, problems, profile)`` turns valid data into the template
    context. ``template_vars``: the variables the builder computes (path → (type, Vietnamese description)),
    listed by ``docgen template vars`` beside the schema's fields."""

    name: str  # identifier users type: "quyet_dinh_xep_loai"
    title: str  # Vietnamese name: "Quyết định xếp loại chất lượng"
    code: str  # the kind's part of the ký hiệu: "QĐ"
    schema: str  # file in schemas/
    layouts: Mapping[str, Callable]
    build: Callable
    template_vars: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    batch: BatchSpec | None = None

    @property
    def template(self) -> str:
        """The default template's file name."""
        return next(iter(self.layouts))
