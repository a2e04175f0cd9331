"""What every kind's builder returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Built:
    """The template context, plus OOXML the template cannot hold (footnote texts)."""

    context: dict
    footnotes_xml: str = ""
    template: str | None = None  # file in templates_docx/ when the kind has several (default: the kind's TEMPLATE)
    warnings: list = field(default_factory=list)  # problems of severity "warning": reported, not blocking


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
