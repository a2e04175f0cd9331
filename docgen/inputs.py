"""What a reader hands to the pipeline: the data, where each value came from, and what reading it found.

``origin`` maps a JSON path of the data (``$.noi_dung[2].tieu_de``) to a place a person can find in the
source: "dòng 57" of a text file, "đoạn 12" of a .docx, a sheet, row and column of a workbook. Problems are
:class:`docgen.errors.Problem` values; a reader's findings that do not stop anything have severity "warning".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Problem


@dataclass
class Input:
    data: dict
    origin: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]
