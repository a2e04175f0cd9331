"""The kế hoạch mapping: a plan read as ``ke_hoach`` data.

The zones of a plan: header | "KẾ HOẠCH" and the trích yếu under it | căn cứ and the lead-in | the numbered
body | the closing paragraphs | signature and recipients. The header, signature and recipients are the
shared recognisers' (:mod:`.parts`); the body is :class:`~.mapping.Body`'s. What this module knows is the
plan's own: its title, the trích yếu lines, which paragraphs are căn cứ and which the lead-in, whether the
file is a plan at all, and which of the plan's fields are still to be filled in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import richtext
from . import parts
from .mapping import CLOSING, Body, Mapped, Mapping
from .numbering import parse_bullet, parse_label
from .source import ImportFailed, Line, Report, Source, clean, ends_sentence, is_upper
from .text import CAN_CU, starts_item

TITLE = re.compile(r"^KẾ\s+HOẠCH(?:\s+(?P<rest>\S.*))?$")
OTHER_TITLE = re.compile(
    r"^(?P<kind>BÁO CÁO|QUYẾT ĐỊNH|TỜ TRÌNH|BẢN KIỂM ĐIỂM|CÔNG VĂN|THÔNG BÁO|HƯỚNG DẪN|NGHỊ QUYẾT|"
    r"DANH SÁCH|BIÊN BẢN)(?:$|[\s,])"
)
RULE = re.compile(r"^(?:\*|[-–—_=.*\s]{3,})$")
SUBJECT_MAX_LINES = 6
FIELDS = ("can_cu", "mo_dau", "noi_dung", "ket_thuc")  # the markup fields, in reading order
DATA_KEYS = (
    "ban_hanh",
    "trich_yeu",
    "can_cu",
    "mo_dau",
    "danh_so",
    "dau_dong",
    "noi_dung",
    "ket_thuc",
    "chu_thich",
    "nguoi_ky",
    "noi_nhan",
)
NOT_A_PLAN = (
    "Không nhận ra kế hoạch trong tệp: không thấy dòng “KẾ HOẠCH”, số và ký hiệu (“Số …-KH/…”), các "
    "đề mục đánh số (I., 1., …) hay khối chữ ký và nơi nhận."
)


@dataclass
class _Zones:
    header: list[Line]
    title: Line | None
    subject: list[Line]
    body: list[Line]
    tail: list[Line]


class KeHoach(Mapping):
    def map(self, source: Source, report: Report) -> Mapped:
        zones = _split_zones(source.lines, source.mode)
        head = parts.header(zones.header, report)
        body = Body(source, report)
        tail_lines, last_notes = body.notes_among(zones.tail)
        paras = body.take_footnotes(source.paragraphs(zones.body) + last_notes)
        start = body.first_numbered(paras)
        if start is None:
            if paras:
                report.warn(
                    "no_numbered_items",
                    "Không thấy đề mục đánh số (I., 1., …); nội dung được giữ thành các đoạn văn thường.",
                )
            start = next((i + 1 for i, p in enumerate(paras) if p.plain.endswith(":")), 0)
        can_cu, mo_dau = _preamble(paras[:start])
        tree = body.outline(paras[start:])
        tail = parts.tail(tail_lines, report)
        _require_plan(source, zones, head, tree, tail)
        danh_so, dau_dong = tree.finish()
        ket_thuc = tree.closing(CLOSING)
        for line in head.unused:
            report.warn(
                "header_line",
                "Dòng ở phần đầu văn bản này không phải tên cơ quan, số, ký hiệu hay ngày tháng; không dùng được.",
                line,
            )
        for line in tail.unused:
            report.warn(
                "tail_line", "Dòng ở phần cuối này không phải nơi nhận hay chữ ký; đã giữ làm đoạn văn kết thúc.", line
            )
        ket_thuc += [richtext.escape(line.plain) for line in tail.unused]
        places = {f"$.ban_hanh.{k}": line for k, line in head.found.items()}
        places.update({f"$.{k}": line for k, line in tail.found.items()})
        ban_hanh = head.ban_hanh
        if not head.empty and "co_quan_ban_hanh" not in ban_hanh:
            _infer_issuer(ban_hanh, [p for p in mo_dau + can_cu], report, places)
        trich_yeu = _subject_text(zones)
        if zones.subject:
            places["$.trich_yeu"] = zones.subject[0]
        data = {
            "ban_hanh": ban_hanh,
            "trich_yeu": trich_yeu,
            "can_cu": [text for text, _ in can_cu],
            "mo_dau": [text for text, _ in mo_dau],
            "danh_so": danh_so,
            "dau_dong": dau_dong,
            "noi_dung": tree.root,
            "ket_thuc": ket_thuc,
            "chu_thich": None,
            "nguoi_ky": tail.nguoi_ky,
            "noi_nhan": tail.noi_nhan,
        }
        for key, lines in (("can_cu", can_cu), ("mo_dau", mo_dau)):
            places.update({f"$.{key}[{i}]": line for i, (_, line) in enumerate(lines)})
        data["chu_thich"] = body.settle(data, tree, FIELDS)
        _report_missing(data, head, report)
        data = {k: data[k] for k in DATA_KEYS if data[k] or k == "ban_hanh"}
        return Mapped(data, places, tree)


MAPPING = KeHoach()


# ---------------------------------------------------------------- zones


def _split_zones(lines: list[Line], mode: str) -> _Zones:
    title = next((i for i, line in enumerate(lines) if TITLE.match(parts.bare(line.plain))), None)
    if title is None:
        start = 0
        while start < len(lines) and _header_like(lines[start]):
            start += 1
        header, subject_start = lines[:start], start
    else:
        header, subject_start = lines[:title], title + 1
    tail = next((i for i in range(subject_start, len(lines)) if parts.is_tail_start(lines[i].plain)), len(lines))
    if title is None:
        subject, extra, body_start = [], [], subject_start
    else:
        subject, extra, body_start = _subject(lines, subject_start, tail, mode)
    return _Zones(
        header + extra, lines[title] if title is not None else None, subject, lines[body_start:tail], lines[tail:]
    )


def _header_like(line: Line) -> bool:
    text = parts.bare(line.plain)
    return bool(
        parts.PARTY.search(text)
        or parts.NUMBER.match(text)
        or parts.NUMBER_CUT.match(text)
        or parts.DATE.search(text)
        and len(text) < 80
        or RULE.match(text)
        or (is_upper(text) and len(text) < 80 and not parse_label(text))
    )


def _subject(lines: list[Line], i: int, end: int, mode: str) -> tuple[list[Line], list[Line], int]:
    """The trích yếu lines after the title, header lines found among them (number, date, the party's name —
    a copy may give the header's right column after the title), and where the body starts (after the rule
    under the trích yếu)."""
    subject, extra = [], []
    while i < end:
        line = lines[i]
        text = parts.bare(line.plain)
        if RULE.match(text):
            break
        if parts.NUMBER.match(text) or parts.PARTY.fullmatch(text) or (parts.DATE.search(text) and len(text) < 80):
            extra.append(line)
        elif subject and (
            starts_item(text)
            or len(subject) >= SUBJECT_MAX_LINES
            or ends_sentence(subject[-1].plain)
            or line.group != subject[-1].group
            or (mode in ("docx", "paragraph") and line.blank_before)
        ):
            break
        elif not subject and (parse_label(text) or (CAN_CU.match(text) and ends_sentence(text))):
            break  # no trích yếu: the body starts at once
        else:
            subject.append(line)
        i += 1
    while i < end and RULE.match(parts.bare(lines[i].plain)):
        i += 1
    return subject, extra, i


def _subject_text(zones: _Zones) -> str:
    rest = TITLE.match(parts.bare(zones.title.plain)).group("rest") if zones.title else None
    return clean(" ".join(([rest] if rest else []) + [parts.bare(line.plain) for line in zones.subject]))


# ---------------------------------------------------------------- căn cứ and the lead-in


def _preamble(paras: list[Line]) -> tuple[list[tuple[str, Line]], list[tuple[str, Line]]]:
    """Căn cứ paragraphs (without their final ";" or ","), then the lead-in. A căn cứ that also holds the
    operative sentence ("…, Đảng ủy phường triển khai thực hiện như sau:") is kept whole as the lead-in."""
    can_cu, mo_dau = [], []
    for p in paras:
        bullet = parse_bullet(p.text)
        text = bullet[1] if bullet and CAN_CU.match(richtext.plain(bullet[1])) else p.text
        if not mo_dau and CAN_CU.match(richtext.plain(text)):
            can_cu.append((text, p))
        else:
            mo_dau.append((text, p))
    if can_cu and richtext.plain(can_cu[-1][0]).rstrip().endswith(":"):
        mo_dau.insert(0, can_cu.pop())
    return [(re.sub(r"\s*[;,.]\s*$", "", c), line) for c, line in can_cu], mo_dau


# ---------------------------------------------------------------- is it a plan, and what is missing


def _require_plan(source: Source, zones: _Zones, head, tree, tail) -> None:
    if zones.title is None:
        other = next(
            (
                m.group("kind")
                for line in source.lines[:20]
                if is_upper(line.plain) and (m := OTHER_TITLE.match(parts.bare(line.plain)))
            ),
            None,
        )
        if other:
            raise ImportFailed(f"Tệp là một {other.lower()}, không phải kế hoạch; lệnh import hiện chỉ đọc kế hoạch.")
    signals = [
        zones.title is not None,
        "ky_hieu" in head.ban_hanh,
        tree.numbered >= 2,
        bool(tail.nguoi_ky or tail.noi_nhan),
    ]
    if sum(signals) < 2:
        raise ImportFailed(NOT_A_PLAN)


def _infer_issuer(ban_hanh: dict, paras, report: Report, places: dict) -> None:
    """No issuing body in the header (some copies lose it): the body the lead-in names, ending with the place."""
    place = ban_hanh.get("dia_danh")
    if not place:
        return
    pattern = re.compile(r"(?:Đảng (?:ủy|uỷ|bộ)|Chi (?:bộ|ủy|uỷ))(?:\s+\S+){0,2}?\s+" + re.escape(place) + r"\b")
    for text, line in paras:
        if m := pattern.search(richtext.plain(text)):
            named = parts.ordered({**ban_hanh, "co_quan_ban_hanh": m.group(0)}, parts.BAN_HANH_KEYS)
            ban_hanh.clear()
            ban_hanh.update(named)
            places["$.ban_hanh.co_quan_ban_hanh"] = line
            report.warn(
                "issuer_from_text",
                f"Phần đầu không có tên cơ quan ban hành; đã lấy “{m.group(0)}” từ nội dung văn bản — kiểm tra "
                "lại (và thêm cap_tren nếu cần).",
                line,
            )
            return


def _report_missing(data: dict, head, report: Report) -> None:
    """One warning for a copy without any header (many start at the title), one naming every other field
    still to fill in."""
    missing = []
    if head.empty:
        report.warn(
            "header_missing",
            "Văn bản không có phần đầu (cơ quan ban hành, số và ký hiệu, địa danh, ngày): đã để trống ban_hanh — "
            "hãy điền co_quan_ban_hanh (cơ quan ban hành), ky_hieu (ký hiệu “KH/…”), dia_danh (địa danh), "
            "ngay_ban_hanh (ngày ban hành, dạng NĂM-THÁNG-NGÀY), và so, cap_tren nếu có.",
            target=data["ban_hanh"],
        )
    else:
        wanted = [
            ("co_quan_ban_hanh", "tên cơ quan ban hành (ban_hanh.co_quan_ban_hanh)"),
            ("ky_hieu", "số và ký hiệu (ban_hanh.ky_hieu, “KH/…”)"),
            ("dia_danh", "địa danh (ban_hanh.dia_danh)"),
            ("ngay_ban_hanh", "ngày ban hành (ban_hanh.ngay_ban_hanh)"),
        ]
        missing = [what for key, what in wanted if key not in data["ban_hanh"]]
    missing += [
        what
        for key, what in (
            ("trich_yeu", "trích yếu (trich_yeu, dòng dưới chữ KẾ HOẠCH)"),
            ("noi_dung", "nội dung (noi_dung)"),
            ("noi_nhan", "nơi nhận (noi_nhan)"),
        )
        if not data[key]
    ]
    missing += [
        what
        for key, what in (
            ("chuc_vu", "chức vụ người ký (nguoi_ky.chuc_vu)"),
            ("ho_ten", "họ tên người ký (nguoi_ky.ho_ten)"),
        )
        if key not in data["nguoi_ky"]
    ]
    if missing:
        report.warn(
            "missing_fields",
            "Không tìm thấy " + "; ".join(missing) + " — hãy điền vào tệp JSON trước khi tạo văn bản.",
        )
