"""Problems found in input data, and the exceptions that carry them.

A problem names *where* (a JSON path such as ``$.noi_dung[2].tieu_de``, or a place in an
Excel workbook), *what* in Vietnamese for the person who typed the data, and a stable
English ``code`` for programs and tests. A problem is an ``"error"`` (nothing is produced) or a
``"warning"`` (something that can be explained, e.g. dates in an unusual order: reported, not blocking).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    path: str
    code: str
    message: str
    where: str = ""  # human location when it is not a JSON path (e.g. "Sheet Đảng viên, dòng 14, cột Xếp loại")
    severity: str = "error"  # "error" blocks the document; "warning" is reported and the document is made

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        mark = "" if self.is_error else " (cảnh báo)"
        return f"{self.where or self.path}: {self.message} [{self.code}]{mark}"

    def as_dict(self) -> dict:
        d = {"path": self.path, "code": self.code, "message": self.message, "severity": self.severity}
        if self.where:
            d["where"] = self.where
        return d


def errors(problems) -> list:
    """The problems that block a document (warnings left out)."""
    return [p for p in problems if p.is_error]


def join_path(base: str, key: str | int) -> str:
    """Extend a JSON path: ``join_path("$.a", 2) == "$.a[2]"``, ``join_path("$", "b") == "$.b"``."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    if key.isidentifier():
        return f"{base}.{key}"
    return f'{base}["{key}"]'


@dataclass
class Problems:
    """Collects problems during a pass so that all of them are reported at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, code: str, message: str, where: str = "", severity: str = "error") -> None:
        self.items.append(Problem(path, code, message, where, severity))

    def warn(self, path: str, code: str, message: str) -> None:
        self.add(path, code, message, severity="warning")

    def extend(self, problems) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class DocgenError(Exception):
    """Base class of the errors docgen raises on purpose."""


class InvalidInput(DocgenError):
    """The input data has problems; nothing was produced."""

    def __init__(self, problems):
        self.problems = list(problems)  # errors first, then any warnings found with them
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # picklable with its problems (the web page's worker processes send it back)
        return (type(self), (self.problems,))


class UnknownKind(DocgenError):
    def __init__(self, kind: str, known):
        self.kind, self.known = kind, list(known)
        super().__init__(f"Không có loại văn bản “{kind}”. Các loại có: {', '.join(known)}.")

    def __reduce__(self):
        return (type(self), (self.kind, self.known))


class TemplateProblem(DocgenError):
    """A template could not be read, compiled or rendered: ``code`` (stable, English), the template ``part``
    ("thân văn bản", "đầu trang 1" …) and the paragraph (``where``) when known; the message says all three."""

    def __init__(self, message: str, code: str = "template_error", part: str = "", where: str = ""):
        super().__init__(message)
        self.code, self.part, self.where = code, part, where
