"""A template's Word package, read safely: only the parts a .docx has, every XML part without a DTD.

A .docx is a zip of parts tied together by relationships (``_rels/.rels``, ``word/_rels/document.xml.rels``
…) and typed in ``[Content_Types].xml``. :func:`read` keeps the parts reachable from the package's root
through internal relationships (plus those files themselves) and drops everything else, so nothing a
template carries besides its document reaches the output; it refuses, with a problem per cause:

* a member name that is not a plain relative path (``../``, ``/x``, ``C:``, ``\\``), or a duplicate one —
  written out, such names make a file Word and LibreOffice cannot open, and unpacked they escape the folder;
* a part with a DOCTYPE (entities: XXE, "billion laughs") or that is not well-formed XML; XML is parsed
  with a parser that resolves no entities, loads no DTD and uses no network;
* a reachable part that is not document content: macros (``vbaProject``), ActiveX, OLE objects;
* a relationship to an outside address other than a hyperlink (a remote ``attachedTemplate`` would make
  Word fetch it when the document is opened);
* a package over the sizes in :mod:`docgen.limits` (members, unpacked bytes, one XML part).

A Word template (.dotx) is accepted: its main part is typed as a document in the output.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import limits

CONTENT_TYPES = "[Content_Types].xml"
ROOT_RELS = "_rels/.rels"
MAIN_PART = "word/document.xml"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": None,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    ),
}
# Content types a reachable part may have: Office Open XML parts, pictures, fonts, custom XML …
_ALLOWED_TYPES = (
    "application/vnd.openxmlformats-officedocument.",
    "application/vnd.openxmlformats-package.",
    "application/vnd.ms-word.",
    "application/vnd.ms-office.",
    "application/xml",
    "text/xml",
    "image/",
    "application/x-fontdata",
    "application/x-font",
    "font/",
)
# … except code and embedded programs.
_FORBIDDEN_TYPES = ("vba", "macroenabled", "activex", "oleobject")

# A safe parser: no entity is expanded, no DTD loaded, nothing fetched; a DOCTYPE is then refused.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False)
_DOCTYPE_MARKS = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
_UNSAFE_NAME = re.compile(r"[\\\x00-\x1f]|^/|^[A-Za-z]:")  # a backslash or control character, an absolute path


@dataclass(frozen=True)
class PackageProblem:
    code: str
    part: str  # the member concerned, or "" for the whole file
    message: str


@dataclass
class Package:
    """The parts kept, in the file's order, and the names dropped."""

    parts: dict[str, bytes] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, problem: PackageProblem):
        self.problem = problem


def parse_xml(data: bytes, part: str):
    """The root element of an XML part, parsed safely; PackageProblem ``doctype`` or ``broken_part``."""
    try:
        root = etree.fromstring(data, SAFE_PARSER)
        doctype = bool(root.getroottree().docinfo.doctype)
    except etree.XMLSyntaxError as exc:
        root, doctype, error = None, False, exc
    # Looked for in the bytes too: libxml2 may stop at the entities before saying there is a DTD.
    if doctype or any(mark in data for mark in _DOCTYPE_MARKS):
        raise _Refused(
            PackageProblem(
                "doctype",
                part,
                f"Phần {part} có khai báo DOCTYPE (thực thể XML); tệp Word bình thường không có. docgen không "
                "dùng mẫu này vì khai báo đó có thể đọc tệp trên máy hoặc làm treo chương trình mở văn bản.",
            )
        )
    if root is None:
        raise _Refused(PackageProblem("broken_part", part, f"Phần {part} không phải XML hợp lệ ({error})."))
    return root


def check_xml(data: bytes, part: str) -> list[PackageProblem]:
    """Problems of one XML part (rendered output included): not well-formed, or a DOCTYPE."""
    try:
        parse_xml(data, part)
    except _Refused as refused:
        return [refused.problem]
    return []


def read(path: Path) -> tuple[Package | None, list[PackageProblem]]:
    """The package at ``path`` with only the parts a .docx has; ``(None, problems)`` when it is refused."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [PackageProblem("not_docx", "", f"Không mở được tệp ({exc.strerror or exc}).")]
    if size > limits.TEMPLATE_FILE_BYTES:
        return None, [
            PackageProblem(
                "too_large", "", f"Tệp mẫu nặng {_mb(size)}, quá giới hạn {_mb(limits.TEMPLATE_FILE_BYTES)}."
            )
        ]
    try:
        with zipfile.ZipFile(path) as z:
            members = _members(z)
            data = {info.filename: _read_member(z, info) for info in members}
    except _Refused as refused:
        return None, [refused.problem]
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError):
        return None, [
            PackageProblem(
                "not_docx", "", "Tệp không phải gói .docx (có thể là tệp .doc cũ, hoặc tệp khác bị đổi đuôi)."
            )
        ]
    except OSError as exc:
        return None, [PackageProblem("not_docx", "", f"Không đọc được tệp ({exc.strerror or exc}).")]
    problems: list[PackageProblem] = []
    try:
        types = _ContentTypes(data)
        reached = _reach(data, problems)
    except _Refused as refused:
        return None, [refused.problem]
    if MAIN_PART not in reached:
        return None, [PackageProblem("not_docx", "", f"Gói không có phần thân văn bản ({MAIN_PART}).")]
    kept = [name for name in data if name in reached or name in (CONTENT_TYPES,)]
    for name in kept:
        kind = types.of(name)
        if name != CONTENT_TYPES and not name.endswith(".rels") and not _allowed(name, kind):
            problems.append(
                PackageProblem(
                    "forbidden_part",
                    name,
                    f"Phần {name} ({kind or 'không rõ loại'}) không phải nội dung văn bản (macro, ActiveX, "
                    "đối tượng nhúng …); hãy lưu mẫu dạng Word Document (.docx) không có những phần đó.",
                )
            )
        if _is_xml(name, kind):
            problems += check_xml(data[name], name)
    if problems:
        return None, _unique(problems)
    package = Package({name: data[name] for name in kept}, [name for name in data if name not in kept])
    if types.needs_rewrite(set(kept)):
        package.parts[CONTENT_TYPES] = types.rewritten(set(kept))
    return package, []


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB"


def _members(z: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = z.infolist()
    if len(infos) > limits.TEMPLATE_MEMBERS:
        raise _Refused(
            PackageProblem(
                "too_large", "", f"Gói có {len(infos)} tệp bên trong, quá giới hạn {limits.TEMPLATE_MEMBERS}."
            )
        )
    total, seen, out = 0, set(), []
    for info in infos:
        name = info.filename
        if name.endswith("/"):
            continue  # a folder entry: nothing to keep
        if not _safe_name(name):
            raise _Refused(
                PackageProblem(
                    "unsafe_part_name",
                    name,
                    f"Gói có tệp tên “{name}” (đường dẫn ra ngoài gói, đường dẫn tuyệt đối hoặc dấu “\\”); "
                    "tệp Word bình thường không có, và LibreOffice không mở được văn bản chứa nó.",
                )
            )
        if name.lower() in seen:
            raise _Refused(PackageProblem("unsafe_part_name", name, f"Gói có hai tệp cùng tên “{name}”."))
        seen.add(name.lower())
        total += info.file_size
        if total > limits.TEMPLATE_UNPACKED_BYTES:
            raise _Refused(
                PackageProblem(
                    "too_large",
                    "",
                    f"Gói giải nén ra hơn {_mb(limits.TEMPLATE_UNPACKED_BYTES)}, quá giới hạn của một tệp mẫu.",
                )
            )
        out.append(info)
    return out


def _safe_name(name: str) -> bool:
    return not _UNSAFE_NAME.search(name) and all(segment not in ("", ".", "..") for segment in name.split("/"))


def _read_member(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, never more than its limit whatever its header claims."""
    limit = limits.TEMPLATE_XML_PART_BYTES if _is_xml(info.filename, None) else limits.TEMPLATE_UNPACKED_BYTES
    with z.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise _Refused(
            PackageProblem(
                "too_large", info.filename, f"Phần {info.filename} giải nén ra hơn {_mb(limit)}, quá giới hạn."
            )
        )
    return data


def _is_xml(name: str, kind: str | None) -> bool:
    return name.endswith((".xml", ".rels")) or bool(kind and kind.endswith("xml"))


def _allowed(name: str, kind: str | None) -> bool:
    if not kind:
        return False
    low = kind.lower()
    if name == MAIN_PART:
        return kind in _MAIN_TYPES
    return low.startswith(_ALLOWED_TYPES) and not any(token in low for token in _FORBIDDEN_TYPES)


def _reach(data: dict[str, bytes], problems: list[PackageProblem]) -> set[str]:
    """Every part reachable from the root relationships, and the relationship files on the way."""
    reached: set[str] = set()
    todo = [""]  # "" is the package itself, whose relationships are _rels/.rels
    while todo:
        source = todo.pop()
        rels = _rels_name(source)
        if rels not in data:
            continue
        reached.add(rels)
        root = parse_xml(data[rels], rels)
        for rel in root.iter(f"{{{_REL_NS}}}Relationship"):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External":
                if rel.get("Type") != _HYPERLINK:
                    problems.append(
                        PackageProblem(
                            "external_relationship",
                            rels,
                            f"Mẫu trỏ tới một địa chỉ bên ngoài ({target}) mà Word sẽ tự tải khi mở văn bản; "
                            "docgen không dùng mẫu này. Hãy bỏ liên kết đó (ví dụ mẫu đính kèm trong "
                            "Developer → Document Template).",
                        )
                    )
                continue
            name = _resolve(source, target)
            if name is None:
                problems.append(
                    PackageProblem("unsafe_part_name", rels, f"Quan hệ trong {rels} trỏ ra ngoài gói (“{target}”).")
                )
            elif name not in reached and name in data:
                reached.add(name)
                todo.append(name)
    return reached


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels") if part else ROOT_RELS


def _resolve(source: str, target: str) -> str | None:
    """A relationship target as a member name, or None when it leaves the package."""
    target = target.split("#", 1)[0]
    joined = target.lstrip("/") if target.startswith("/") else posixpath.join(posixpath.dirname(source), target)
    name = posixpath.normpath(joined) if joined else ""
    if not name or name.startswith("../") or name == ".." or name.startswith("/"):
        return None
    return name


def _unique(problems: list[PackageProblem]) -> list[PackageProblem]:
    out: list[PackageProblem] = []
    for p in problems:
        if p not in out:
            out.append(p)
    return out


class _ContentTypes:
    """``[Content_Types].xml``: the type of each part, and the same file listing only the parts kept."""

    def __init__(self, data: dict[str, bytes]):
        if CONTENT_TYPES not in data:
            raise _Refused(PackageProblem("not_docx", "", f"Gói không có {CONTENT_TYPES}."))
        self.root = parse_xml(data[CONTENT_TYPES], CONTENT_TYPES)
        self.defaults = {
            (el.get("Extension") or "").lower(): el.get("ContentType") for el in self.root.iter(f"{{{_CT_NS}}}Default")
        }
        self.overrides = {
            (el.get("PartName") or "").lstrip("/"): el.get("ContentType")
            for el in self.root.iter(f"{{{_CT_NS}}}Override")
        }

    def of(self, name: str) -> str | None:
        return self.overrides.get(name) or self.defaults.get(posixpath.splitext(name)[1].lstrip(".").lower())

    def needs_rewrite(self, kept: set[str]) -> bool:
        return any(name not in kept or _MAIN_TYPES.get(kind or "") for name, kind in self.overrides.items())

    def rewritten(self, kept: set[str]) -> bytes:
        for el in list(self.root.iter(f"{{{_CT_NS}}}Override")):
            name = (el.get("PartName") or "").lstrip("/")
            if name not in kept:
                self.root.remove(el)
            elif _MAIN_TYPES.get(el.get("ContentType") or ""):  # a .dotx: its main part becomes a document's
                el.set("ContentType", _MAIN_TYPES[el.get("ContentType")])
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)
