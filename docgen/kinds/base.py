"""What every kind's builder returns."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Built:
    """The template context, plus OOXML the template cannot hold (footnote texts)."""

    context: dict
    footnotes_xml: str = ""
    template: str | None = None  # file in templates_docx/ when the kind has several (default: the kind's TEMPLATE)
