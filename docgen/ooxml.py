"""Low-level WordprocessingML: the only module that writes OOXML by hand.

Everything here returns XML *strings* (fast to concatenate and to hand to Jinja as
``Markup``): runs, paragraphs, tables, section properties, the styles part, the
footnotes part, page-number fields, and a deterministic zip writer for packages.
Kind modules and templates never build XML themselves.

The zip writer writes the archive itself (local headers, data, central directory) rather than through
:mod:`zipfile`, which has no way to take data compressed beforehand: a template's parts that never change
are deflated once (:func:`deflate`) and copied into every document. Its bytes are the ones ``zipfile``
writes for the same parts (tested), so a document is byte-identical whichever way it was zipped.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape as _xml_escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_DECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"

# Fixed timestamp for zip entries: the same input must give byte-identical files.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def esc(text: str) -> str:
    """Escape text for an element's content (quotes stay literal, as Word writes them)."""
    return _xml_escape(text)


def esc_attr(text: str) -> str:
    return _xml_escape(text, {'"': "&quot;"})


def mm_to_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def pt_to_half_points(pt: float) -> int:
    return round(pt * 2)


def pt_to_twips(pt: float) -> int:
    return round(pt * 20)


# ------------------------------------------------------------------ runs


@dataclass(frozen=True)
class RunFormat:
    bold: bool | None = None
    italic: bool | None = None
    underline: bool | None = None
    size: float | None = None
    style: str | None = None
    font: str | None = None

    def xml(self) -> str:
        parts = []
        if self.style:
            parts.append(f'<w:rStyle w:val="{self.style}"/>')
        if self.font:
            f = esc_attr(self.font)
            parts.append(f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>')
        for tag, on in (("b", self.bold), ("i", self.italic)):
            if on is True:
                parts.append(f"<w:{tag}/><w:{tag}Cs/>")
            elif on is False:
                parts.append(f'<w:{tag} w:val="0"/><w:{tag}Cs w:val="0"/>')
        if self.underline is True:
            parts.append('<w:u w:val="single"/>')
        elif self.underline is False:
            parts.append('<w:u w:val="none"/>')
        if self.size:
            hp = pt_to_half_points(self.size)
            parts.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
        return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def run(text: str, fmt: RunFormat | None = None) -> str:
    """A run of literal text (escaped here)."""
    rpr = fmt.xml() if fmt else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'


def template_run(source: str, fmt: RunFormat | None = None) -> str:
    """A run holding Jinja template source ({{ … }}, {%p … %}); only quotes and < > & are escaped."""
    return run(source, fmt)


# Placed inside a {{ … }} that sits in a run's <w:t>: ends the text, breaks the line, reopens the text.
TEXT_LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'


def tab_run() -> str:
    return "<w:r><w:tab/></w:r>"


def footnote_reference_run(number: int) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="{STYLE_FOOTNOTE_REF}"/></w:rPr><w:footnoteReference w:id="{number}"/></w:r>'


def page_field_runs(fmt: RunFormat | None = None) -> str:
    """A PAGE field without a cached result (Word and LibreOffice compute it)."""
    rpr = fmt.xml() if fmt else ""
    return (
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    )


# ------------------------------------------------------------------ paragraphs


@dataclass(frozen=True)
class ParaFormat:
    style: str | None = None
    align: str | None = None  # left | center | right | both
    first_line_mm: float | None = None
    space_before_pt: float | None = None
    space_after_pt: float | None = None
    line_spacing: float | None = None  # multiple of single
    keep_next: bool = False
    keep_lines: bool = False
    page_break_before: bool = False
    outline_level: int | None = None
    dot_leader_twips: int | None = None  # a right tab stop with a dotted leader (lines to fill by hand)
    hanging_twips: int | None = None  # lines after the first start this far in (text aligned after "- ")
    left_mm: float | None = None  # the whole paragraph this far in from the margin (a list set off the body)
    widow_control: bool | None = None  # no first or last line of a paragraph alone at a page's edge

    def xml(self, extra_rpr: str = "") -> str:
        parts = []
        if self.style:
            parts.append(f'<w:pStyle w:val="{self.style}"/>')
        if self.keep_next:
            parts.append("<w:keepNext/>")
        if self.keep_lines:
            parts.append("<w:keepLines/>")
        if self.widow_control is not None:
            parts.append("<w:widowControl/>" if self.widow_control else '<w:widowControl w:val="0"/>')
        if self.page_break_before:
            parts.append("<w:pageBreakBefore/>")
        spacing = []
        if self.space_before_pt is not None:
            spacing.append(f'w:before="{pt_to_twips(self.space_before_pt)}"')
        if self.space_after_pt is not None:
            spacing.append(f'w:after="{pt_to_twips(self.space_after_pt)}"')
        if self.line_spacing is not None:
            spacing.append(f'w:line="{round(self.line_spacing * 240)}" w:lineRule="auto"')
        if spacing:
            parts.append(f"<w:spacing {' '.join(spacing)}/>")
        if self.dot_leader_twips is not None:
            parts.append(f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{self.dot_leader_twips}"/></w:tabs>')
        left = mm_to_twips(self.left_mm) if self.left_mm is not None else 0
        if self.hanging_twips is not None:
            parts.append(f'<w:ind w:left="{left + self.hanging_twips}" w:hanging="{self.hanging_twips}"/>')
        elif self.first_line_mm is not None:
            extra = f' w:left="{left}"' if left else ""
            parts.append(f'<w:ind{extra} w:firstLine="{mm_to_twips(self.first_line_mm)}"/>')
        elif left:
            parts.append(f'<w:ind w:left="{left}"/>')
        if self.align:
            parts.append(f'<w:jc w:val="{self.align}"/>')
        if self.outline_level is not None:
            parts.append(f'<w:outlineLvl w:val="{self.outline_level}"/>')
        if extra_rpr:
            parts.append(extra_rpr)
        return f"<w:pPr>{''.join(parts)}</w:pPr>" if parts else ""


def paragraph(runs_xml: str = "", fmt: ParaFormat | None = None) -> str:
    return f"<w:p>{fmt.xml() if fmt else ''}{runs_xml}</w:p>"


def styled_paragraph(style: str, runs_xml: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs_xml}</w:p>'


def page_break_paragraph() -> str:
    return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


# ------------------------------------------------------------------ tables


def table(
    rows: list[list],
    widths_twips: list[int],
    *,
    valign: str,
    margins_mm: dict,
    line: dict,
    header_rows: int = 0,
    borders: bool = False,
    cant_split: bool = False,
    cell_widths: bool = True,
) -> str:
    """A table of fixed column widths. ``rows`` is a list of rows; a cell is its paragraphs' XML, or
    ``(xml, span)`` for a cell merged across ``span`` columns. The first ``header_rows`` rows repeat
    at the top of every page. From the format profile: ``valign``, the cells' vertical alignment;
    ``margins_mm``, their padding (``top``, ``bottom``, ``left``, ``right``; a side not given has none);
    ``line``, the border line (``size_eighth_pt``, ``color``), drawn when ``borders``. ``cell_widths=False``
    leaves out each cell's width, for a table whose spans the data sets when rendered ({% colspan %}): the
    grid alone then gives the widths."""
    pad = {"top": 0, "bottom": 0, "left": 0, "right": 0, **margins_mm}
    cell_mar = "".join(
        f'<w:{side} w:w="{mm_to_twips(pad[side])}" w:type="dxa"/>' for side in ("top", "left", "bottom", "right")
    )
    border = "single" if borders else "nil"
    tbl_borders = "".join(
        f'<w:{side} w:val="{border}" w:sz="{line["size_eighth_pt"]}" w:space="0" w:color="{line["color"]}"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    total = sum(widths_twips)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths_twips)
    rows_xml = []
    for r, row in enumerate(rows):
        trpr = []
        if cant_split:
            trpr.append("<w:cantSplit/>")
        if r < header_rows:
            trpr.append("<w:tblHeader/>")
        tr = f"<w:trPr>{''.join(trpr)}</w:trPr>" if trpr else ""
        tcs, col = [], 0
        for cell in row:
            content, span = cell if isinstance(cell, tuple) else (cell, 1)
            width = f'<w:tcW w:w="{sum(widths_twips[col : col + span])}" w:type="dxa"/>' if cell_widths else ""
            grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
            tcs.append(
                f'<w:tc><w:tcPr>{width}{grid_span}<w:vAlign w:val="{valign}"/></w:tcPr>{content or paragraph()}</w:tc>'
            )
            col += span
        rows_xml.append(f"<w:tr>{tr}{''.join(tcs)}</w:tr>")
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{tbl_borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f"<w:tblCellMar>{cell_mar}</w:tblCellMar>"
        f'<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        f'w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows_xml)}</w:tbl>"
    )


# ------------------------------------------------------------------ section


def section_properties(page: dict, header_ids: dict[str, str]) -> str:
    """A4 page, margins, and headers: 'default' (page numbers) and 'first' (empty on page 1)."""
    refs = "".join(f'<w:headerReference w:type="{kind}" r:id="{rid}"/>' for kind, rid in header_ids.items())
    return (
        f"<w:sectPr>{refs}"
        f'<w:pgSz w:w="{mm_to_twips(page["width_mm"])}" w:h="{mm_to_twips(page["height_mm"])}"/>'
        f'<w:pgMar w:top="{mm_to_twips(page["margin_top_mm"])}" w:right="{mm_to_twips(page["margin_right_mm"])}" '
        f'w:bottom="{mm_to_twips(page["margin_bottom_mm"])}" w:left="{mm_to_twips(page["margin_left_mm"])}" '
        f'w:header="{mm_to_twips(page["header_mm"])}" w:footer="{mm_to_twips(page["footer_mm"])}" w:gutter="0"/>'
        f'<w:cols w:space="720"/>'
        f"{'<w:titlePg/>' if 'first' in header_ids else ''}"
        f"</w:sectPr>"
    )


def document_part(body_xml: str, sect_pr: str) -> str:
    return f"{XML_DECL}<w:document {NS_DECL}><w:body>{body_xml}{sect_pr}</w:body></w:document>"


def header_part(paragraphs_xml: str) -> str:
    return f"{XML_DECL}<w:hdr {NS_DECL}>{paragraphs_xml}</w:hdr>"


# ------------------------------------------------------------------ footnotes

STYLE_FOOTNOTE_TEXT = "FootnoteText"
STYLE_FOOTNOTE_REF = "FootnoteReference"

_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
)
FOOTNOTES_END = "</w:footnotes>"


def footnotes_part(notes_xml: str = "") -> str:
    """The footnotes part with Word's two separators, plus ``notes_xml`` (from :func:`footnote`)."""
    return f"{XML_DECL}<w:footnotes {NS_DECL}>{_SEPARATORS}{notes_xml}{FOOTNOTES_END}"


def footnote(number: int, runs_xml: str) -> str:
    """One footnote: the reference mark, a space, then the text runs."""
    return (
        f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="{STYLE_FOOTNOTE_TEXT}"/></w:pPr>'
        f'<w:r><w:rPr><w:rStyle w:val="{STYLE_FOOTNOTE_REF}"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> </w:t></w:r>{runs_xml}</w:p></w:footnote>'
    )


def insert_footnotes(footnotes_xml: str, notes_xml: str) -> str:
    """Append rendered footnotes to an existing footnotes part (keeps the template's own content)."""
    if not notes_xml:
        return footnotes_xml
    at = footnotes_xml.rindex(FOOTNOTES_END)
    return footnotes_xml[:at] + notes_xml + footnotes_xml[at:]


# ------------------------------------------------------------------ styles


@dataclass(frozen=True)
class StyleSpec:
    style_id: str
    name: str
    kind: str = "paragraph"  # paragraph | character
    based_on: str | None = None
    para: ParaFormat | None = None
    run: RunFormat | None = None
    builtin: bool = False  # a Word built-in style (name in English, no customStyle flag)
    next_style: str | None = None
    vert_align: str | None = None


def style_xml(spec: StyleSpec) -> str:
    custom = "" if spec.builtin else ' w:customStyle="1"'
    parts = [
        f'<w:style w:type="{spec.kind}"{custom} w:styleId="{spec.style_id}"><w:name w:val="{esc_attr(spec.name)}"/>'
    ]
    if spec.based_on:
        parts.append(f'<w:basedOn w:val="{spec.based_on}"/>')
    if spec.next_style:
        parts.append(f'<w:next w:val="{spec.next_style}"/>')
    parts.append("<w:qFormat/>")
    if spec.para and spec.kind == "paragraph":
        parts.append(spec.para.xml())
    rpr = spec.run.xml() if spec.run else ""
    if spec.vert_align:
        inner = rpr[len("<w:rPr>") : -len("</w:rPr>")] if rpr else ""
        rpr = f'<w:rPr>{inner}<w:vertAlign w:val="{spec.vert_align}"/></w:rPr>'
    parts.append(rpr)
    parts.append("</w:style>")
    return "".join(parts)


def styles_part(font: str, size_pt: float, lang: str, specs: list[StyleSpec]) -> str:
    f = esc_attr(font)
    hp = pt_to_half_points(size_pt)
    defaults = (
        f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" '
        f'w:cs="{f}"/><w:color w:val="000000"/><w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>'
        f'<w:lang w:val="{lang}" w:eastAsia="{lang}" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        f'<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f"</w:pPrDefault></w:docDefaults>"
    )
    base = (
        f'<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f'<w:rPr><w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>'
        f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/></w:rPr></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    )
    return f"{XML_DECL}<w:styles {NS_DECL}>{defaults}{base}{''.join(style_xml(s) for s in specs)}</w:styles>"


# ------------------------------------------------------------------ package


def settings_part(lang: str) -> str:
    return (
        f'{XML_DECL}<w:settings {NS_DECL}><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
        'w:val="15"/></w:compat>'
        f'<w:themeFontLang w:val="{lang}"/></w:settings>'
    )


def content_types(overrides: dict[str, str]) -> str:
    items = "".join(f'<Override PartName="/{name}" ContentType="{ct}"/>' for name, ct in overrides.items())
    return (
        f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{items}</Types>"
    )


def relationships(rels: list[tuple[str, str, str]]) -> str:
    items = "".join(f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"/>' for rid, rtype, target in rels)
    return f'{XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{items}</Relationships>'


def core_properties(title: str, creator: str, created_iso: str) -> str:
    return (
        f"{XML_DECL}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{esc(title)}</dc:title><dc:creator>{esc(creator)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{created_iso}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{created_iso}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def app_properties(application: str) -> str:
    return (
        f'{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>{esc(application)}</Application></Properties>"
    )


def app_properties_by_docgen(app_xml: bytes) -> bytes:
    """A template's docProps/app.xml with docgen as the application: a document rendered from a variant made
    in Word says it was made by docgen, until an editor saves it under its own name."""
    text = app_xml.decode("utf-8", "replace")
    element = re.compile(r"(<(?:\w+:)?Application>)[^<]*(</(?:\w+:)?Application>)")
    if element.search(text):
        return element.sub(r"\g<1>docgen\g<2>", text, count=1).encode("utf-8")
    return re.sub(r"(<(?:\w+:)?Properties\b[^>]*>)", r"\g<1><Application>docgen</Application>", text, count=1).encode()


# The fields zipfile writes for a deflated member made by ``ZipInfo(name, ZIP_EPOCH)`` (spec: PKWARE APPNOTE
# 4.3.7, 4.3.12, 4.3.16): "version 2.0" to extract and made by, the host system zipfile names (3 Unix, 0 on
# Windows), no data descriptor (the sizes are known before the header is written), -rw-r--r--.
_ZIP_VERSION = 20
_ZIP_SYSTEM = zipfile.ZipInfo("x").create_system
_ZIP_DEFLATED = 8
_ZIP_UTF8_NAME = 0x800
_ZIP_DOS_DATE = (ZIP_EPOCH[0] - 1980) << 9 | ZIP_EPOCH[1] << 5 | ZIP_EPOCH[2]
_ZIP_DOS_TIME = ZIP_EPOCH[3] << 11 | ZIP_EPOCH[4] << 5 | ZIP_EPOCH[5] // 2
_ZIP_MODE = 0o644 << 16
_ZIP_LOCAL = struct.Struct("<4s2B4HL2L2H")
_ZIP_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_ZIP_END = struct.Struct("<4s4H2LH")
# Past this zipfile switches to Zip64 records, which this writer does not write; documents are far smaller.
_ZIP_MAX = zipfile.ZIP64_LIMIT


@dataclass(frozen=True)
class Deflated:
    """A package member compressed once, copied as it is into every package :func:`zip_package` writes."""

    name: str
    data: bytes  # raw deflate stream
    crc: int
    size: int  # uncompressed


def deflate(name: str, data: bytes, level: int = 6) -> Deflated:
    """``data`` compressed as zipfile compresses a member at ``level`` (a raw deflate stream)."""
    if name.startswith("/") or "\\" in name or "\0" in name or ".." in name.split("/"):
        raise ValueError(f"not a package member name: {name!r}")  # never written, whoever asks
    if len(data) * 1.05 > _ZIP_MAX:
        raise ValueError(f"package member too large for this writer: {name!r} ({len(data)} bytes)")
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Deflated(name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def zip_package(parts: list[tuple[str, bytes] | Deflated], level: int = 6) -> bytes:
    """Write parts into a .docx/.xlsx zip with fixed timestamps and order (byte-identical output). A part is
    ``(name, data)``, compressed here at ``level``, or a :class:`Deflated` one, copied."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    names: set[str] = set()
    for part in parts:
        entry = part if isinstance(part, Deflated) else deflate(*part, level=level)
        if entry.name in names:
            raise ValueError(f"package member written twice: {entry.name!r}")
        names.add(entry.name)
        try:
            name, flags = entry.name.encode("ascii"), 0
        except UnicodeEncodeError:
            name, flags = entry.name.encode("utf-8"), _ZIP_UTF8_NAME
        fields = (flags, _ZIP_DEFLATED, _ZIP_DOS_TIME, _ZIP_DOS_DATE, entry.crc, len(entry.data), entry.size)
        header = _ZIP_LOCAL.pack(b"PK\x03\x04", _ZIP_VERSION, 0, *fields, len(name), 0)
        out += (header, name, entry.data)
        # no extra field, no comment, disk 0, no internal attributes
        made = (_ZIP_VERSION, _ZIP_SYSTEM, _ZIP_VERSION, 0)
        central += (_ZIP_CENTRAL.pack(b"PK\x01\x02", *made, *fields, len(name), 0, 0, 0, 0, _ZIP_MODE, offset), name)
        offset += len(header) + len(name) + len(entry.data)
        if offset > _ZIP_MAX:
            raise ValueError(f"package too large for this writer ({offset} bytes)")
    directory = b"".join(central)
    count = len(names)
    if count > 0xFFFF:
        raise ValueError(f"too many package members for this writer ({count})")
    return b"".join(out) + directory + _ZIP_END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)


def gap(pt: float) -> str:
    """An empty paragraph exactly ``pt`` high (space after a table, which has no spacing of its own)."""
    return (
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="{pt_to_twips(pt)}" w:lineRule="exact"/></w:pPr></w:p>'
    )


def para_spacer(keep_next: bool = False) -> str:
    """An empty paragraph (Word needs one between two adjacent tables, and before a table at the end);
    ``keep_next``: on the same page as what follows (the space above a signature block)."""
    return "<w:p><w:pPr><w:keepNext/></w:pPr></w:p>" if keep_next else "<w:p/>"


def keep_with_next(body_xml: str, paragraphs: int) -> tuple[str, int | None]:
    """``body_xml`` with its last ``paragraphs`` top-level paragraphs of text (and the empty ones between)
    kept on the page of what follows (Word's "keep with next"), and how many of them there were — None when
    a table ended the run first. Used so that a signature block never opens a page alone: the last lines
    of the body go over with it."""
    from lxml import etree

    root = etree.fromstring(f"<w:body {NS_DECL}>{body_xml}</w:body>".encode("utf-8"))
    w = f"{{{W_NS}}}"
    marked = 0
    for p in list(root)[::-1]:
        if marked >= paragraphs:
            break
        if p.tag != w + "p":
            marked = None
            break
        marked += 1 if "".join(p.itertext()).strip() else 0
        ppr = p.find(w + "pPr")
        if ppr is None:
            ppr = etree.SubElement(p, w + "pPr")
            p.insert(0, ppr)
        if ppr.find(w + "keepNext") is None:
            style = ppr.find(w + "pStyle")
            ppr.insert(0 if style is None else 1, etree.Element(w + "keepNext"))
    inner = etree.tostring(root, encoding="unicode")
    # back to the fragment: drop the wrapper and the namespace declarations lxml put on it
    return inner[inner.index(">") + 1 : inner.rindex("</w:body>")], marked
