"""What the rating documents say of a unit's results: the level lines ("Hoàn thành xuất sắc nhiệm vụ: 03
(ba) đồng chí, chiếm 13,0%;"), who is not rated and why, how the excellence share compares with its cap,
and the annex list (its rows, title, "(Kèm theo …)" line and columns sized from what they hold)."""

from __future__ import annotations

from .. import richtext, vn
from ..rules import LEVEL_NAMES, LEVELS, checks
from .results import Entry, Results, Subject, override_note


def level_lines(results: Results, of: str = "") -> list[str]:
    """'Hoàn thành xuất sắc nhiệm vụ: 03 (ba) đồng chí, chiếm 13,0%;' for the four levels (last ends '.')."""
    counter = results.subject.counter
    lines = [
        f"{LEVEL_NAMES[level]}: {vn.so_chu(results.counts[level])} {counter}, chiếm {results.pct(level)}{of}"
        for level in LEVELS
    ]
    return [line + (";" if i < len(lines) - 1 else ".") for i, line in enumerate(lines)]


def not_rated_text(results: Results) -> str:
    """'01 (một) đồng chí được miễn công tác và sinh hoạt đảng; 01 (một) đồng chí mới kết nạp …'"""
    counter = results.subject.counter
    return "; ".join(
        f"{vn.so_chu(n)} {counter} {checks.reason_text(reason, results.rules)}"
        for reason, n in results.not_rated_by_reason()
    )


def cap_sentences(results: Results) -> list[str]:
    """How the excellence share compares with its cap, and on what base it is counted (a locality setting)."""
    out = []
    counter = results.subject.counter
    if results.peer_group:  # counted over several documents: say so, not this document's own share
        htxs = results.counts["HTXSNV"]
        if htxs:
            cap = results.caps[0][1] if results.caps else None
            percent = cap.percent if cap else results.rules.excellence_cap["percent"]
            base = (
                "tổng số xếp loại “Hoàn thành tốt nhiệm vụ” và “Hoàn thành xuất sắc nhiệm vụ”"
                if results.base_includes_htxs
                else "số xếp loại “Hoàn thành tốt nhiệm vụ”"
            )
            by = (
                f" theo quyết định của cấp có thẩm quyền: {override_note(results.override)}" if results.override else ""
            )
            out.append(
                f"Số xếp loại “Hoàn thành xuất sắc nhiệm vụ” là {vn.so_chu(htxs)} {counter}; tỷ lệ tối đa "
                f"{percent}%{by} so với {base} được tính chung cho {results.peer_group}."
            )
        return out
    for name, cap in results.caps:
        if cap.htxs == 0:
            continue
        base = (
            "tổng số xếp loại “Hoàn thành tốt nhiệm vụ” và “Hoàn thành xuất sắc nhiệm vụ”"
            if cap.base_includes_htxs
            else "số xếp loại “Hoàn thành tốt nhiệm vụ”"
        )
        group = f" của nhóm {name}" if name else ""
        if cap.htxs > cap.allowed:  # allowed only by the small-group exception
            limit = (
                f"đơn vị có dưới {vn.hai_chu_so(results.rules.excellence_cap['small_group_below'])} {counter}, "
                f"tất cả còn lại xếp loại “Hoàn thành tốt nhiệm vụ”, được chọn 01 {counter}"
            )
        else:
            limit = f"tỷ lệ tối đa là {cap.percent}%"
            if results.override:
                limit += f" theo quyết định của cấp có thẩm quyền: {override_note(results.override)}"
        out.append(
            f"Số xếp loại “Hoàn thành xuất sắc nhiệm vụ”{group} là {vn.so_chu(cap.htxs)} {counter}, "
            f"bằng {cap.ratio} so với {base} ({cap.base} {counter}); {limit}."
        )
    return out


def annex_rows(results: Results, sort_by_name: bool) -> list[dict]:
    """Rows of the annex table: a group row per level (best first), then the not-rated apart."""
    rows, number = [], 0
    counter = results.subject.counter

    def ordered(entries):
        return sorted(entries, key=lambda e: vn.khoa_ten(e.name)) if sort_by_name else entries

    for level in LEVELS:
        members = [e for e in results.rated if e.level == level]
        if not members:
            continue
        rows.append({"nhom": f"{LEVEL_NAMES[level]} ({vn.hai_chu_so(len(members))} {counter})"})
        for e in ordered(members):
            number += 1
            rows.append(_row(number, e, results.subject, LEVEL_NAMES[level]))
    if results.not_rated:
        rows.append({"nhom": f"Không đánh giá, xếp loại ({vn.hai_chu_so(len(results.not_rated))} {counter})"})
        for e in ordered(results.not_rated):  # one numbering for the whole list: no second "1"
            number += 1
            rows.append(_row(number, e, results.subject, ""))
    return rows


def _row(number: int, e: Entry, subject: Subject, level_name: str) -> dict:
    d = e.data
    if subject.member:
        posts = [d[k] for k in ("chuc_vu_dang", "chuc_vu_chinh_quyen") if d.get(k)]
        position = ", ".join(posts) or d.get("don_vi_cong_tac") or "Đảng viên"
    else:
        position = d.get("mo_ta", "")
    return {
        "nhom": "",
        "stt": str(number),
        "ten": e.name,
        "chuc_vu": position,
        "xep_loai": level_name,
        "ghi_chu": "; ".join(e.notes),
    }


def esc(text: str) -> str:
    """Data text placed inside generated markup (names may hold '*' or '[')."""
    return richtext.escape(text)


def annex(results: Results, profile, title: str, attached_line: str, level_column: str, sort_by_name: bool) -> dict:
    """Template context of the attached list (title and the "(Kèm theo …)" line of the profile's wording,
    broken into even centred lines)."""
    from ..layout import table_columns
    from ..parts import centred

    subject = results.subject
    rows = annex_rows(results, sort_by_name)
    titles = {
        "stt": "STT",
        "ten": subject.name_column,
        "chuc_vu": "Chức vụ, đơn vị" if subject.member else "Loại hình",
        "xep_loai": level_column,
        "ghi_chu": "Ghi chú",
    }
    elements = {key: "bang_so" if key == "stt" else "bang_o" for key in titles}
    return {
        "tieu_de": centred(profile, "danh_sach_tieu_de", vn.upper(title)),
        "kem_theo": centred(profile, "danh_sach_kem_theo", attached_line),
        "cot_ten": titles["ten"],
        "cot_chuc_vu": titles["chuc_vu"],
        "cot_xep_loai": level_column,
        "dong": rows,
        # the columns sized from what they hold (grid columns of the profile's annex_table)
        "rong": table_columns(profile, "annex_table", titles, [r for r in rows if not r["nhom"]], elements),
    }


def scope(results: Results) -> str:
    """'đảng viên Chi bộ Khu dân cư số 1' / 'tổ chức đảng trực thuộc Đảng bộ phường Hồng Quang'."""
    subject, unit = results.subject, results.unit["ten"]
    return f"{subject.noun} {unit}" if subject.member else f"{subject.noun} trực thuộc {unit}"
