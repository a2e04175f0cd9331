"""What a reader hands to the pipeline: the data, where each value came from, and what reading it found.

Every reader returns an :class:`Input`: a JSON file (:func:`docgen.io.read`), an Excel workbook
(:func:`docgen.xlsx.read.read_workbook`), an imported document (:func:`docgen.importer.import_document`).
``origin`` maps a JSON path of the data (``$.noi_dung[2].tieu_de``) to a place a person can find in the
source: "dòng 57" of a text file, "đoạn 12" of a .docx, a :class:`~docgen.errors.Cell` of a workbook (sheet,
row, the column's header and letter); a JSON file needs none, its paths are its places. Problems are
:class:`docgen.errors.Problem` values; a reader's findings that do not stop anything have severity "warning",
and ``data`` is None when one is an error. ``normalised``: the text is already NFC with tones placed
(:func:`docgen.vn.chuan_hoa_du_lieu`) and checked for control characters — the pipeline does each once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from . import vn
from .errors import Problem


@dataclass
class Input:
    data: dict | None
    origin: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    normalised: bool = False

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def normalise(inp: Input) -> Input:
    """The pipeline's normalisation, done once per input: every string NFC with tones placed
    (:func:`docgen.vn.chuan_hoa_du_lieu`), keys too, and checked for characters no document can hold (their
    problems added; the data is kept, so that the schema's problems are reported with them). An input
    already normalised (a workbook's cells are, as they are read) is returned as it is."""
    from .validation import check_text

    if inp.normalised or inp.data is None:
        return inp
    data = vn.chuan_hoa_du_lieu(inp.data)
    return dataclasses.replace(inp, data=data, problems=[*inp.problems, *check_text(data)], normalised=True)
