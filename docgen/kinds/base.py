"""A document kind, declared once: what it is, its schema and templates, how it is built, what it can do.

Every layer asks the :class:`Kind` (the CLI, the web page, batch, the Excel workbooks, the importer, the
template tools, the samples and demos); none keeps a list of kind names of its own. A capability a kind
lacks is ``None``: ``batch`` (documents in bulk, and the Excel workbook they can be typed in), ``importer``
(reading an existing document back as data), ``web`` (what the web page's form shows beyond the schema),
``campaign`` (a document of the đảng ủy that ``docgen campaign`` makes from the year's results).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..header import DocumentHeader
from ..importer.mapping import Mapping as Importer
from ..xlsx.columns import Layout


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
    # rules spanning documents: ``summary`` of each document's data (small: a batch read unit by unit keeps no
    # document), then ``across`` of every document's summary → {index: problems}
    summary: Callable[[dict], object] | None = None
    across: Callable[[list], dict] | None = None
    member_fields: tuple[str, ...] = ()  # the member fields a batch reads, when it reads only some
    workbook: Layout | None = None  # the Excel workbook the batch can be typed in (docgen.xlsx.columns.Layout)


@dataclass(frozen=True)
class CampaignSpec:
    """How a kind joins a đảng bộ's campaign (``docgen campaign``) as one more numbered document of the đảng ủy,
    made from the campaign's results (e.g. the thông báo of the results): ``label``, its row on the workbook's
    "Văn bản" and "Người ký" sheets; ``data(parts)``, the kind's data from ``{"chung": the common sheet,
    "van_ban": its row (ky_hieu, ngay_ban_hanh, kinh_gui, noi_nhan), "nguoi_ky": its signer, "bao_cao": the
    results report's data (:mod:`docgen.kinds.bao_cao_ket_qua`)}``. ``sources(parts)``, when the data takes
    parts of those: paths of the kind's document → the path in ``parts`` each came from
    (``"$.ket_qua.dang_vien[7]"`` → ``"bao_cao.dang_vien[1].dang_vien[2]"``), so that a problem there is placed
    at the cell it came from, as the document it was taken from places it."""

    label: str
    data: Callable[[dict], dict]
    sources: Callable[[dict], dict[str, str]] | None = None


@dataclass(frozen=True)
class WebHints:
    """What the web page's form shows for the kind's fields beyond their schema's descriptions: a label for a
    field whose description opens with codes ("tap_the: …"), and a label for each code of a choice."""

    labels: Mapping[str, str] = field(default_factory=dict)
    enum_labels: Mapping[str, str] = field(default_factory=dict)
    form_note: str = ""  # a line the form shows under its help, e.g. what an empty part prints


@dataclass(frozen=True, eq=False, repr=False)  # one object per kind, the registry's: compared and hashed as itself
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
    importer: Importer | None = None  # reads an existing document as data (docgen.importer.mapping.Mapping)
    web: WebHints | None = None
    campaign: CampaignSpec | None = None  # joins `docgen campaign` as a document of the đảng ủy

    @property
    def template(self) -> str:
        """The default template's file name."""
        return next(iter(self.layouts))

    @property
    def variants(self) -> dict[str, str]:
        """A kind with several templates: each one's name (what its file adds to the kind's name,
        "tap_the" of "bao_cao_kiem_diem_tap_the.docx") → the file; {} for a kind with one."""
        if len(self.layouts) < 2:
            return {}
        return {name.removesuffix(".docx").removeprefix(f"{self.name}_"): name for name in self.layouts}

    def __repr__(self) -> str:
        return f"Kind({self.name!r})"

    def __reduce__(self):
        # A kind travels to worker processes by name and is the registry's own there.
        from . import get

        return (get, (self.name,))
