"""The công văn mapping: a công văn read as ``cong_van`` data.

The zones of a công văn: header (issuer block, number and the trích yếu "V/v …" under it, the party's name,
place and date) | "Kính gửi" and the recipients | căn cứ and the lead-in | the numbered body | the closing
paragraphs | signature and recipients. The header, signature and recipients are the shared recognisers'
(:mod:`.parts`: the header hands back the lines it does not know, among them "V/v …"); the body is
:class:`~.mapping.Body`'s. What this module knows is the công văn's own: the "V/v" lines, the "Kính gửi"
forms (one recipient on its line, or several "- …," lines under it, broken lines joined), the "Như trên"
the engine adds to Nơi nhận, whether the file is a công văn at all, and which fields are still to fill in.
"""

from __future__ import annotations

import re

from ... import richtext
from ...profile import load_profile
from ...importer import parts
from ...importer.mapping import CLOSING, Body, Mapped, Mapping, preamble, report_missing
from ...importer.numbering import parse_label
from ...importer.source import ImportFailed, Line, Report, Source, clean, ends_sentence, is_upper, lower_start
from ...importer.text import CAN_CU

VV = re.compile(r"^(?:V/v|V/V|v/v|Về việc)\s*:?\s*(?P<rest>.*)$")
KINH_GUI = re.compile(r"^Kính\s+gửi\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
BULLET = re.compile(r"^[-–•+]\s*")
END = re.compile(r"\s*[,;.]+$")
RECIPIENT_MAX = 150  # a dashed line longer than this after "Kính gửi" is the body's first paragraph
# A kind title in the header zone: the file is another kind (a công văn has none).
OTHER_TITLE = re.compile(
    r"^(?P<kind>KẾ HOẠCH|BÁO CÁO|QUYẾT ĐỊNH|TỜ TRÌNH|BẢN KIỂM ĐIỂM|THÔNG BÁO|HƯỚNG DẪN|NGHỊ QUYẾT|KẾT LUẬN|"
    r"CHƯƠNG TRÌNH|QUY ĐỊNH|BIÊN BẢN)(?:$|\s)"
)
FIELDS = ("can_cu", "mo_dau", "noi_dung", "ket_thuc")  # the markup fields, in reading order
DATA_KEYS = (
    "ban_hanh",
    "trich_yeu",
    "kinh_gui",
    "can_cu",
    "mo_dau",
    "danh_so",
    "dau_dong",
    "noi_dung",
    "ket_thuc",
    "chu_thich",
    "nguoi_ky",
    "noi_nhan",
    "nhu_tren",
)
MISSING = (  # the công văn's fields to name when the file did not give them
    ("trich_yeu", "trích yếu (trich_yeu, dòng “V/v …” dưới số và ký hiệu)"),
    ("kinh_gui", "nơi được gửi (kinh_gui, dòng “Kính gửi”)"),
    ("noi_dung", "nội dung (noi_dung)"),
    ("noi_nhan", "nơi nhận (noi_nhan)"),
)
NOT_A_CONG_VAN = (
    "Không nhận ra công văn trong tệp: không thấy số và ký hiệu (“Số …-CV/…”), dòng “V/v …”, dòng “Kính gửi” "
    "hay khối chữ ký và nơi nhận."
)


class CongVan(Mapping):
    """``kind``: the kind's name, whose default numbering (profile ``danh_so``) the data leaves out."""

    def __init__(self, kind: str):
        self.kind = kind

    def map(self, source: Source, report: Report) -> Mapped:
        lines = source.lines
        tail_at = next((i for i, line in enumerate(lines) if parts.is_tail_start(line.plain)), len(lines))
        at = next((i for i, line in enumerate(lines[:tail_at]) if KINH_GUI.match(parts.bare(line.plain))), None)
        header_end = at if at is not None else _header_end(lines, tail_at)
        _refuse_other_kind(lines[:header_end])
        head = parts.header(lines[:header_end], report)
        subject, subject_lines = _subject(head, report)
        recipients, body_start = _recipients(lines, at, tail_at) if at is not None else ([], header_end)

        body = Body(source, report)
        tail_lines, last_notes = body.notes_among(lines[tail_at:])
        paras = body.take_footnotes(source.paragraphs(lines[body_start:tail_at]) + last_notes)
        start = body.first_numbered(paras)
        if start is None:
            start = next((i + 1 for i, p in enumerate(paras) if p.plain.endswith(":")), 0)
        can_cu, mo_dau = preamble(paras[:start])
        tree = body.outline(paras[start:])
        tail = parts.tail(tail_lines, report)
        if (
            sum(
                [bool(subject), at is not None, head.ban_hanh.get("ky_hieu", "").startswith("CV/"), bool(tail.nguoi_ky)]
            )
            < 2
        ):
            raise ImportFailed(NOT_A_CONG_VAN)
        _, dau_dong = tree.finish()
        ket_thuc = tree.closing(CLOSING)
        for line in tail.unused:
            report.warn(
                "tail_line", "Dòng ở phần cuối này không phải nơi nhận hay chữ ký; đã giữ làm đoạn văn kết thúc.", line
            )
        ket_thuc += [richtext.escape(line.plain) for line in tail.unused]

        places = {f"$.ban_hanh.{k}": line for k, line in head.found.items()}
        places.update({f"$.{k}": line for k, line in tail.found.items() if not k.startswith("noi_nhan")})
        if subject_lines:
            places["$.trich_yeu"] = subject_lines[0]
        places.update({f"$.kinh_gui[{i}]": line for i, (_, line) in enumerate(recipients)})
        for key, found in (("can_cu", can_cu), ("mo_dau", mo_dau)):
            places.update({f"$.{key}[{i}]": line for i, (_, line) in enumerate(found)})
        noi_nhan, nhu_tren = _without_nhu_tren(tail, places)
        data = {
            "ban_hanh": head.ban_hanh,
            "trich_yeu": subject,
            "kinh_gui": [text for text, _ in recipients],
            "can_cu": [text for text, _ in can_cu],
            "mo_dau": [text for text, _ in mo_dau],
            "danh_so": _scheme(tree.scheme, self.kind),
            "dau_dong": dau_dong,
            "noi_dung": tree.root,
            "ket_thuc": ket_thuc,
            "chu_thich": None,
            "nguoi_ky": tail.nguoi_ky,
            "noi_nhan": noi_nhan,
            "nhu_tren": nhu_tren,
        }
        data["chu_thich"] = body.settle(data, tree, FIELDS)
        for line in head.unused:
            if line not in subject_lines:
                report.warn(
                    "header_line",
                    "Dòng ở phần đầu văn bản này không phải tên cơ quan, số, ký hiệu, trích yếu “V/v …” hay ngày "
                    "tháng; không dùng được.",
                    line,
                )
        report_missing(data, "CV", MISSING, report)
        data = {k: data[k] for k in DATA_KEYS if data[k] or k == "ban_hanh" or (k == "nhu_tren" and data[k] is False)}
        return Mapped(data, places, tree)


# ---------------------------------------------------------------- header and subject


def _header_end(lines: list[Line], end: int) -> int:
    """Without "Kính gửi": the header ends at the first line of the body (a numbered item, a căn cứ, or a
    line long enough to be a paragraph)."""
    for i, line in enumerate(lines[:end]):
        text = parts.bare(line.plain)
        if parse_label(text) or CAN_CU.match(text) or (len(text) > 90 and not parts.DATE.search(text)):
            return i
    return end


def _refuse_other_kind(lines: list[Line]) -> None:
    for line in lines:
        text = parts.bare(line.plain)
        if is_upper(text) and (m := OTHER_TITLE.match(text)):
            raise ImportFailed(
                f"Tệp là một {m.group('kind').lower()}, không phải công văn (công văn không có tên loại văn bản; "
                "trích yếu “V/v …” đứng dưới số và ký hiệu): hãy nhập bằng loại văn bản đó."
            )


def _subject(head: parts.Header, report: Report) -> tuple[str, list[Line]]:
    """The trích yếu: the "V/v …" line the header did not recognise, and the lines under it in its column."""
    unused = head.unused
    first = next((i for i, line in enumerate(unused) if VV.match(parts.bare(line.plain))), None)
    if first is None:
        return "", []
    lines = [unused[first]] + [line for line in unused[first + 1 :] if line.group == unused[first].group]
    text = " ".join(parts.bare(line.plain) for line in lines)
    return clean(VV.match(text).group("rest")), lines


# ---------------------------------------------------------------- Kính gửi


def _recipients(lines: list[Line], at: int, end: int) -> tuple[list[tuple[str, Line]], int]:
    """The recipients after "Kính gửi" and where the body starts: one on the line ("Kính gửi: Các chi bộ."),
    or "- …," lines, the first of them on the line or under it; a line a copy broke is joined back."""
    rest = KINH_GUI.match(parts.bare(lines[at].plain)).group("rest").strip()
    found: list[list] = []  # [text, line] of each recipient
    if rest:
        found.append([rest, lines[at]])
    several = not rest or bool(BULLET.match(rest))
    i = at + 1
    while i < end:
        line = lines[i]
        text = parts.bare(line.plain)
        last = found[-1][0] if found else ""
        if several and found and last.endswith("."):
            break  # the list's last line ends with "."
        if several and BULLET.match(text) and len(text) <= RECIPIENT_MAX:
            found.append([text, line])
        elif (
            found
            and not ends_sentence(last)
            and not parse_label(text)
            and not BULLET.match(text)
            and (
                lower_start(text) or line.indent > lines[at].indent  # a copy kept the list's indent
            )
        ):
            found[-1][0] = f"{last} {text}"  # one recipient broken over two lines
        else:
            break
        i += 1
    return [(END.sub("", BULLET.sub("", text)).strip(), line) for text, line in found], i


# ---------------------------------------------------------------- the rest


def _scheme(scheme: list[str], kind: str) -> list[str] | None:
    """The document's numbering, None where it is (the beginning of) the kind's default."""
    default = load_profile().default_scheme(kind)
    return None if not scheme or tuple(scheme) == default[: len(scheme)] else scheme


def _without_nhu_tren(tail: parts.Tail, places: dict) -> tuple[list[str], bool | None]:
    """Nơi nhận without the "Như trên" the engine adds (``nhu_tren`` left out), or ``nhu_tren: false`` when the
    document has none; the places of the lines kept."""
    line = load_profile().wording("nhu_tren").lower()
    recipients = list(tail.noi_nhan)
    dropped = 1 if recipients and recipients[0].lower() == line else 0
    for i in range(dropped, len(recipients)):
        if f"noi_nhan[{i}]" in tail.found:
            places[f"$.noi_nhan[{i - dropped}]"] = tail.found[f"noi_nhan[{i}]"]
    return recipients[dropped:], (None if dropped or not recipients else False)
