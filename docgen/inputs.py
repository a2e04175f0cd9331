"""What a reader hands to the pipeline: the data, where each value came from, and what reading it found.

Every reader returns an :class:`Input`: a JSON file (:func:`docgen.io.read`), an Excel workbook
(:func:`docgen.xlsx.read.read_workbook`), an imported document (:func:`docgen.importer.import_document`).
``origin`` maps a JSON path of the data (``$.noi_dung[2].tieu_de``) to a place a person can find in the
source: "dòng 57" of a text file, "đoạn 12" of a .docx, a :class:`~docgen.errors.Cell` of a workbook (sheet,
row, the column's header and letter); a JSON file needs none, its paths are its places. Problems are
:class:`docgen.errors.Problem` values; a reader's findings that do not stop anything have severity "warning",
and ``data`` is None when one is an error (``partial``: what can still be checked). ``normalised``: the
text is already NFC with tones placed (:func:`docgen.vn.chuan_hoa_du_lieu`) and checked for control
characters — the pipeline does each once.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field

from . import vn
from .errors import Problem


@dataclass
class Input:
    data: dict | None
    origin: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    normalised: bool = False
    # When ``data`` is None for problems of single values (a workbook cell that is not a date …): the data
    # without those values, to be checked anyway so that every problem is reported in one run — never built.
    partial: dict | None = None

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


# What, in the JSON text of data, shows that a string may hold a character no document can hold: a control
# character escaped (JSON text cannot hold those below U+0020 as they are), or one written as it is.
_ESCAPED_UNPRINTABLE = re.compile(r"\\(?:[bfnrt]|u00[01]|u007[fF]|u00[89]|u[dD][89a-fA-F]|u[fF]{3}[eEfF])")
_UNPRINTABLE = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|.)")


def normalise_value(data, path: str = "$", text: str | None = None) -> tuple[object, list[Problem]]:
    """:func:`normalise` of one value (a batch's unit, read on its own): ``(data, problems)``. ``text``: its
    JSON text as read, when at hand.

    Most data is normalised already and holds no control character, which its JSON text tells at once: no
    control character, and :func:`~docgen.vn.chuan_hoa` leaves the text as it is (with every escape read as
    blanks, words end where the strings' words end, so no string can change). Such data is returned as it
    is, without walking it value by value; anything else is normalised and checked string by string."""
    from .validation import check_text

    if text is None or "\\u" in text:  # a \\uXXXX escape: the text is not what the strings hold
        text = json.dumps(data, ensure_ascii=False)
    clean = not _UNPRINTABLE.search(text) and ("\\" not in text or not _ESCAPED_UNPRINTABLE.search(text))
    probe = _ESCAPE.sub("  ", text) if "\\" in text else text
    if clean and vn.chuan_hoa(probe) == probe:
        return data, []
    data = vn.chuan_hoa_du_lieu(data)
    return data, check_text(data, path)
