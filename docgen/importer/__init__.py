"""Import an existing document (.docx, or text copied out of a PDF) as a kind's data.

    read_source(path, report) → Source           the reader entry point: the file's bytes to lines
                                                  (:mod:`.docx` or :mod:`.text`), whatever the kind
    kind.importer.map(source, report) → Mapped    the kind's mapping (``Kind.importer``, e.g. :mod:`.ke_hoach`),
                                                  on the shared recognisers (:mod:`.parts`) and outline
                                                  (:mod:`.numbering`)
    → Imported(data, origin, problems, numbering) normalised as the pipeline does (:func:`docgen.inputs.normalise`)

Numbers and bullet marks are taken off the text (the engine computes them); the numbering scheme is the
document's own. Nothing is dropped silently: what fits nowhere is kept as a plain paragraph where it occurs,
and every warning names its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import limits
from ..inputs import Input, normalise
from . import docx, text
from .mapping import located
from .numbering import Row
from .source import ImportFailed, Report, Source

__all__ = ["ImportFailed", "Imported", "import_document", "read_source"]


@dataclass
class Imported(Input):
    """The data of an imported document, where each value came from, the warnings, and every numbered
    item's label as typed and as the engine will print it (``numbering``)."""

    numbering: list[Row] = field(default_factory=list)


def read_source(path, report: Report) -> Source:
    """The file at ``path`` as lines: a .docx or a text file; a PDF or an old .doc refused with what to do."""
    try:
        raw = limits.read_limited(path, limits.IMPORT_MAX_BYTES)
    except limits.LimitExceeded as exc:
        raise ImportFailed(exc.message) from None
    except OSError as exc:
        raise ImportFailed(f"Không mở được tệp {path}: {exc.strerror or exc}.") from None
    if not raw.strip():
        raise ImportFailed("Tệp trống, không có gì để nhập.")
    if raw.startswith(b"PK\x03\x04"):
        source = docx.read(raw, report, Path(path).name)
    elif raw.startswith(b"%PDF"):
        raise ImportFailed(
            "Tệp là PDF: hãy mở tệp, chọn và sao chép toàn bộ chữ vào một tệp .txt (hoặc lưu thành "
            ".docx) rồi nhập tệp đó."
        )
    elif raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFailed("Tệp là văn bản Word cũ (.doc): hãy mở bằng Word và lưu lại dạng .docx rồi nhập tệp đó.")
    else:
        source = text.read(raw, report)
    if not source.lines:
        raise ImportFailed("Tệp không có chữ nào.")
    return source


def import_document(kind, path) -> Imported:
    """Read the document at ``path`` as data of ``kind`` (a :class:`~docgen.kinds.Kind` or its name), with
    the mapping the kind declares (``Kind.importer``).

    Returns the data to write as JSON (validate it before rendering), the place in the file of every value,
    and the warnings (problems of severity "warning") naming every line that needs a look. Raises
    :class:`ImportFailed` when the file cannot be read or is not a document of that kind."""
    from .. import kinds

    kind = kinds.get(kind)
    if kind.importer is None:
        names = ", ".join(k.name for k in kinds.all_kinds() if k.importer is not None)
        raise ImportFailed(f"Chưa nhập được loại văn bản “{kind.name}”; lệnh import hiện đọc: {names}.")
    report = Report()
    mapped = kind.importer.map(read_source(path, report), report)
    data, origin, paths = located(mapped)
    rows = mapped.outline.rows if mapped.outline else []
    for row in rows:
        row.path = paths.get(id(row.item), "")
    return normalise(Imported(data, origin, report.problems(paths), numbering=rows))
