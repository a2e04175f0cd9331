"""Kind ``bao_cao_kiem_diem``: a collective's review report (Mẫu 01) or a member's review form (2A, 2B, 2C;
02A, 02B under the 2023 regime).

The forms' section and item titles are data (``docgen/forms/bao_cao_kiem_diem.json``); the data gives
only the content under each. A section left empty is printed as dotted lines to fill by hand, so the same
kind produces a filled report and a blank form pre-filled with a member's particulars.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

from .. import parts, richtext, rules, vn
from ..blocks import Blocks
from ..content import TEXT_PATH, Content, Pieces, RawXml, Writer, block
from ..errors import Problems, join_path
from ..profile import Profile
from ..rating import esc
from ..rules import LEVEL_NAMES, checks
from .base import BatchDoc, Built

NAME = "bao_cao_kiem_diem"
TITLE = "Báo cáo kiểm điểm"
CODE = "BC"
SCHEMA = "bao_cao_kiem_diem.schema.json"
TEMPLATE = "bao_cao_kiem_diem_tap_the.docx"
TEMPLATE_CA_NHAN = "bao_cao_kiem_diem_ca_nhan.docx"

FORMS_FILE = Path(__file__).resolve().parent.parent / "forms" / "bao_cao_kiem_diem.json"
SCHEME = ["A.", "I.", "1.", "a)"]
DOTS = "…" * 12  # a name or title to write by hand in a signature block

ONLY_TAP_THE = ("ban_hanh", "tap_the", "nguoi_ky", "noi_nhan")
ONLY_CA_NHAN = (
    "dang_bo",
    "chi_bo",
    "dia_danh",
    "ngay",
    "ca_nhan",
    "ky_luat_trong_nam",
    "xac_nhan_chi_bo",
    "ket_qua_xep_loai",
)
CONTENT_FIELDS = ("uu_diem", "han_che", "nguyen_nhan", "khac_phuc", "giai_trinh", "trach_nhiem", "phuong_huong")


@lru_cache(maxsize=None)
def forms() -> dict:
    return json.loads(FORMS_FILE.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- templates


def template_tap_the(b: Blocks) -> str:
    return b.header() + b.title("{{ ten_loai }}") + b.block("mo_dau") + b.block("noi_dung") + b.signature()


def template_ca_nhan(b: Blocks) -> str:
    return (
        b.header(number=False)
        + b.para("ten_loai", "{{ ten_loai }}")
        + b.para("trich_yeu", "{{ trich_yeu }}")
        + b.optional("ghi_chu_mau", b.para("ghi_chu_tieu_de", "{{ ghi_chu_mau }}"))
        + b.para("gach_ngang")
        + b.block("thong_tin")
        + b.block("mo_dau")
        + b.block("noi_dung")
        + b.signer("nguoi_tu_kiem_diem", note="(Ký, ghi rõ họ tên)")
        + b.para("xac_nhan", "NHẬN XÉT, ĐÁNH GIÁ CỦA CHI ỦY (CHI BỘ)")
        + b.block("xac_nhan_chi_bo.noi_dung")
        + b.signer("xac_nhan_chi_bo")
        + b.para("xac_nhan", "KẾT QUẢ XẾP LOẠI CỦA CẤP CÓ THẨM QUYỀN")
        + b.block("ket_qua_xep_loai.noi_dung")
        + b.signer("ket_qua_xep_loai")
    )


TEMPLATES = {TEMPLATE: template_tap_the, TEMPLATE_CA_NHAN: template_ca_nhan}


# ---------------------------------------------------------------- checks


def _form_type(data: dict, rule_set, problems: Problems) -> str:
    """'tap_the', 'lanh_dao', 'dang_vien' or 'ngoai_he_thong' from hinh_thuc and mau under the regime."""
    if data["hinh_thuc"] == "tap_the":
        if data.get("mau", "01") != rule_set.forms["tap_the"]:
            problems.add("$.mau", "form_not_in_regime", f"Báo cáo tập thể dùng Mẫu {rule_set.forms['tap_the']}.")
        return "tap_the"
    by_number = {number: kind for kind, number in rule_set.forms.items() if kind != "tap_the"}
    if data["mau"] not in by_number:
        allowed = ", ".join(f"{n} ({_FORM_NAMES[k]})" for n, k in sorted(by_number.items()))
        problems.add(
            "$.mau",
            "form_not_in_regime",
            f"Mẫu {data['mau']} không có trong chế độ {rule_set.id}; dùng một trong: {allowed}.",
        )
        return "dang_vien"
    return by_number[data["mau"]]


_FORM_NAMES = {
    "lanh_dao": "giữ chức vụ lãnh đạo, quản lý",
    "dang_vien": "không giữ chức vụ lãnh đạo, quản lý",
    "ngoai_he_thong": "đảng viên không làm việc trong hệ thống chính trị",
}


def _item_specs(form_type: str) -> list[dict]:
    items = forms()["items"]
    if form_type == "tap_the":
        return items["tap_the"]
    if form_type == "ngoai_he_thong":
        return items["ngoai_he_thong"]
    return items["ca_nhan"] + (items["lanh_dao"] if form_type == "lanh_dao" else [])


def _has_content(data: dict) -> bool:
    return any(data.get(f) for f in CONTENT_FIELDS if not isinstance(data.get(f), dict)) or any(
        any(v for v in (data.get(f) or {}).values()) for f in ("uu_diem", "nguyen_nhan")
    )


def _check_fields(data: dict, form_type: str, problems: Problems) -> None:
    other = ONLY_CA_NHAN if data["hinh_thuc"] == "tap_the" else ONLY_TAP_THE
    name = "báo cáo tập thể" if data["hinh_thuc"] == "tap_the" else "bản kiểm điểm cá nhân"
    for field in other:
        if field in data:
            problems.add(join_path("$", field), "field_not_in_form", f"Trường “{field}” không dùng cho {name}.")
    codes = [s["ma"] for s in _item_specs(form_type)]
    for code in data.get("uu_diem") or {}:
        if code not in codes:
            problems.add(
                join_path("$.uu_diem", code),
                "item_not_in_form",
                f"Mục “{code}” không có trong mẫu này; các mục của mẫu: {', '.join(codes)}.",
            )
    if form_type == "lanh_dao" and _has_content(data):
        for spec in forms()["items"]["lanh_dao"]:
            if not (data.get("uu_diem") or {}).get(spec["ma"]):
                problems.add(
                    join_path("$.uu_diem", spec["ma"]),
                    "leadership_items_missing",
                    f"Mẫu {data['mau']} (giữ chức vụ lãnh đạo, quản lý) phải kiểm điểm mục: {spec['tieu_de']}.",
                )


def _check_rating(data: dict, form_type: str, rule_set, problems: Problems) -> None:
    self_rating = data.get("tu_danh_gia") or {}
    level = self_rating.get("tu_xep_loai")
    base = "$.tu_danh_gia"
    if "diem" in self_rating:
        for breach in checks.points(self_rating["diem"], self_rating["diem"].get("tong"), level, rule_set):
            problems.add(join_path(base, "diem"), breach.code, breach.message)
    if "tieu_chi" in self_rating:
        if rule_set.criteria_levels is None:
            problems.add(
                join_path(base, "tieu_chi"),
                "criteria_not_used",
                f"Chế độ {rule_set.id} chấm điểm, không đánh giá theo tiêu chí; dùng “diem”.",
            )
        elif len(self_rating["tieu_chi"]) != len(_criteria(form_type)):
            problems.add(
                join_path(base, "tieu_chi"),
                "criteria_count",
                f"Mẫu này có {len(_criteria(form_type))} tiêu chí; dữ liệu có {len(self_rating['tieu_chi'])}.",
            )
    if level:
        breach = checks.excellent_conditions(self_rating.get("dieu_kien_htxs"), level, rule_set)
        if breach:
            problems.add(join_path(base, "dieu_kien_htxs"), breach.code, breach.message)
    if data.get("ky_luat_trong_nam"):
        for path, value in (
            (join_path(base, "tu_xep_loai"), level),
            ("$.xac_nhan_chi_bo.de_xuat", (data.get("xac_nhan_chi_bo") or {}).get("de_xuat")),
            ("$.ket_qua_xep_loai.xep_loai", (data.get("ket_qua_xep_loai") or {}).get("xep_loai")),
        ):
            breach = checks.discipline(True, value, rule_set) if value else None
            if breach:
                problems.add(path, breach.code, breach.message)


def _check_dates(data: dict, problems: Problems) -> None:
    year = data["nam"]
    for path, value in (
        ("$.ban_hanh.ngay_ban_hanh", (data.get("ban_hanh") or {}).get("ngay_ban_hanh")),
        ("$.ngay", data.get("ngay")),
    ):
        if value and dt.date.fromisoformat(value).year != year:
            problems.add(path, "date_outside_year", f"Ngày {vn.ngay_so(value)} không thuộc năm kiểm điểm {year}.")


def _criteria(form_type: str) -> list[str]:
    c = forms()["criteria"]
    if form_type == "tap_the":
        return c["tap_the"]
    return c["ca_nhan"] + (c["lanh_dao"] if form_type == "lanh_dao" else [])


# ---------------------------------------------------------------- body


def _body(w: Writer, data: dict, form_type: str, rule_set) -> list:
    dotted = RawXml(w.dotted(3))

    def _content(data_items, path: str) -> list:
        """User content under a heading, or dotted lines to write by hand when the data leaves it empty."""
        return Content(data_items, path) if data_items else [dotted]

    f = forms()
    group = "tap_the" if form_type == "tap_the" else "ca_nhan"
    titles = f["sections"][group]
    uu_diem = data.get("uu_diem") or {}
    nguyen_nhan = data.get("nguyen_nhan") or {}
    hc = f["han_che"]
    sections = [
        {
            "tieu_de": titles["uu_diem"],
            "noi_dung": [
                {
                    "tieu_de": esc(spec["tieu_de"]),
                    "noi_dung": _content(uu_diem.get(spec["ma"]), f"$.uu_diem.{spec['ma']}"),
                }
                for spec in _item_specs(form_type)
            ],
        },
        {
            "tieu_de": titles["han_che"],
            "noi_dung": [
                {"tieu_de": hc["han_che"], "noi_dung": _content(data.get("han_che"), "$.han_che")},
                {
                    "tieu_de": hc["nguyen_nhan"],
                    "noi_dung": [
                        {
                            "tieu_de": hc["khach_quan"],
                            "noi_dung": _content(nguyen_nhan.get("khach_quan"), "$.nguyen_nhan.khach_quan"),
                        },
                        {
                            "tieu_de": hc["chu_quan"],
                            "noi_dung": _content(nguyen_nhan.get("chu_quan"), "$.nguyen_nhan.chu_quan"),
                        },
                    ],
                },
            ],
        },
        {"tieu_de": titles["khac_phuc"], "noi_dung": _remedies(data.get("khac_phuc")) or [dotted]},
        {"tieu_de": titles["giai_trinh"], "noi_dung": _content(data.get("giai_trinh"), "$.giai_trinh")},
        {"tieu_de": titles["trach_nhiem"], "noi_dung": _content(data.get("trach_nhiem"), "$.trach_nhiem")},
        {"tieu_de": titles["phuong_huong"], "noi_dung": _content(data.get("phuong_huong"), "$.phuong_huong")},
    ]
    return [
        {"tieu_de": f["parts"]["noi_dung"], "noi_dung": sections},
        {"tieu_de": f["parts"]["tu_danh_gia"], "noi_dung": _self_rating(w, data, form_type, rule_set)},
    ]


def _remedies(items) -> list:
    """Each shortcoming of the previous review with where its remedy stands."""
    if not items:
        return []
    status = forms()["khac_phuc_status"]
    out = []
    for i, item in enumerate(items):
        base = f"$.khac_phuc[{i}]"
        line = [(status[item["ket_qua"]], base)]
        if item.get("muc_do"):
            line += [(", mức độ: ", base), (parts.strip_end(item["muc_do"]), f"{base}.muc_do")]
        if item.get("ly_do"):
            line += [(". Lý do: ", base), (parts.strip_end(item["ly_do"]), f"{base}.ly_do")]
        if not richtext.plain(line[-1][0]).rstrip().endswith((".", "!", "?", ")")):
            line.append((".", base))  # the sentence's end, unless the text already ends one
        out.append(
            {
                "gach": item["van_de"],
                TEXT_PATH: f"{base}.van_de",
                "noi_dung": Content([{"gach": Pieces(line), TEXT_PATH: base}], base),
            }
        )
    return Content(out, "$.khac_phuc")


def _self_rating(w: Writer, data: dict, form_type: str, rule_set) -> list:
    self_rating = data.get("tu_danh_gia") or {}
    who = "Tập thể tự" if form_type == "tap_the" else "Tự"
    out = []
    if rule_set.points:
        spec = rule_set.points
        names = forms()["points_groups"]["tap_the" if form_type == "tap_the" else "ca_nhan"]
        points = self_rating.get("diem") or {}
        total = points.get("tong")
        if total is None and all(g in points for g in spec["groups"]):
            total = sum(points[g] for g in spec["groups"])
        rows = [
            [str(i), names[g], str(maximum), _num(points.get(g))]
            for i, (g, maximum) in enumerate(spec["groups"].items(), 1)
        ]
        rows.append(["", "Tổng điểm", str(spec["total"]), _num(total)])
        out.append(f"{who} chấm điểm theo khung tiêu chí đánh giá:")
        out.append(
            RawXml(
                w.table(
                    ["STT", "Nhóm tiêu chí", "Điểm tối đa", "Điểm tự chấm"], rows, [12, 103, 25, 25], centre=(0, 2, 3)
                )
            )
        )
    else:
        levels = self_rating.get("tieu_chi") or []
        criteria = _criteria(form_type)
        rows = [
            [
                str(i),
                (levels[i - 1].get("ten") if i <= len(levels) else None) or name,
                levels[i - 1]["muc"] if i <= len(levels) else "",
            ]
            for i, name in enumerate(criteria, 1)
        ]
        out.append(f"{who} đánh giá từng tiêu chí ({' / '.join(forms()['criterion_levels'])}):")
        out.append(RawXml(w.table(["STT", "Tiêu chí", "Mức tự đánh giá"], rows, [12, 113, 40], centre=(0, 2))))
    level = self_rating.get("tu_xep_loai")
    if level:
        out.append(f"{who} xếp loại chất lượng: **{LEVEL_NAMES[level]}**.")
    else:
        out.append(RawXml(w.dotted(1, f"{who} xếp loại chất lượng: ")))
    return out


def _num(value) -> str:
    return "" if value is None else checks.number_text(value)


# ---------------------------------------------------------------- confirmation blocks (individual forms)


def _signer(person: dict | None, default_authority: str, default_title: str) -> dict:
    person = person or {}
    return {
        "tham_quyen": vn.upper(person.get("tham_quyen") or default_authority),
        "chuc_vu": vn.upper(person.get("chuc_vu") or default_title),
        "ho_ten": person.get("ho_ten") or DOTS,
        "da_ky": False,
    }


def _confirmations(w: Writer, data: dict) -> tuple[dict, dict]:
    chi_bo = data.get("xac_nhan_chi_bo") or {}
    comment = (
        w.write_outline(
            w.number_outline(
                Content(chi_bo["nhan_xet"], "$.xac_nhan_chi_bo.nhan_xet"), "$.xac_nhan_chi_bo.nhan_xet", scheme=["1."]
            )
        )
        if chi_bo.get("nhan_xet")
        else w.dotted(3)
    )
    proposed = (
        w.paragraph(
            "doan",
            f"Chi bộ đề xuất xếp loại chất lượng: **{LEVEL_NAMES[chi_bo['de_xuat']]}**.",
            "$.xac_nhan_chi_bo.de_xuat",
        )
        if chi_bo.get("de_xuat")
        else w.dotted(1, "Chi bộ đề xuất xếp loại chất lượng: ")
    )
    decided = data.get("ket_qua_xep_loai") or {}
    if decided.get("xep_loai"):
        by = f" ({esc(decided['co_quan'])})" if decided.get("co_quan") else ""
        result = w.paragraph(
            "doan",
            f"Cấp có thẩm quyền{by} quyết định xếp loại chất lượng: **{LEVEL_NAMES[decided['xep_loai']]}**.",
            "$.ket_qua_xep_loai",
        )
    else:
        result = w.dotted(1, "Xếp loại chất lượng: ")
    return (
        {"noi_dung": block(comment + proposed), **_signer(chi_bo.get("nguoi_ky"), "T/M Chi ủy (Chi bộ)", "Bí thư")},
        {"noi_dung": block(result), **_signer(decided.get("nguoi_ky"), "T/M Đảng ủy", "Bí thư")},
    )


def _particulars(w: Writer, data: dict) -> str:
    person = data["ca_nhan"]
    lines = [
        ("Họ và tên", person.get("ho_ten")),
        ("Ngày sinh", vn.ngay_so(person["ngay_sinh"]) if person.get("ngay_sinh") else None),
        ("Chức vụ đảng", person.get("chuc_vu_dang")),
        ("Chức vụ chính quyền, đoàn thể", person.get("chuc_vu_chinh_quyen")),
        ("Đơn vị công tác", person.get("don_vi_cong_tac")),
        ("Chi bộ", data["chi_bo"]),
    ]
    filled = _has_content(data)  # a finished form says "Không" where a blank one leaves a line to fill
    return "".join(
        w.paragraph("dong_cham", esc(f"{label}: {value or 'Không'}"), "$.ca_nhan")
        if value or filled
        else w.dotted(1, f"{label}: ")
        for label, value in lines
    )


# ---------------------------------------------------------------- build


def build(data: dict, problems: Problems, profile: Profile) -> Built:
    rule_set = rules.load(data.get("che_do", rules.DEFAULT_RULE_SET))
    form_type = _form_type(data, rule_set, problems)
    _check_fields(data, form_type, problems)
    _check_rating(data, form_type, rule_set, problems)
    _check_dates(data, problems)
    w = Writer(profile, problems)
    outline = w.number_outline(_body(w, data, form_type, rule_set), "$", scheme=SCHEME)
    nam = data["nam"]
    titles = forms()["titles"]
    context = {"mo_dau": w.paragraphs(data.get("mo_dau"), "$.mo_dau"), "noi_dung": block(w.write_outline(outline))}
    if data["hinh_thuc"] == "tap_the":
        context.update(
            {
                "ban_hanh": parts.ban_hanh(data["ban_hanh"], CODE, problems),
                "ten_loai": titles["tap_the"],
                "trich_yeu": parts.centred(profile, "trich_yeu", f"{data['tap_the']} năm {nam}"),
                "nguoi_ky": parts.nguoi_ky(data["nguoi_ky"]),
                "noi_nhan": parts.noi_nhan(data["noi_nhan"], problems),
            }
        )
        return Built(context, footnotes_xml=w.footnotes_xml(), template=TEMPLATE)
    place_date = (
        vn.dia_danh_ngay(data["dia_danh"], data["ngay"])
        if data.get("ngay")
        else f"{data['dia_danh']}, ngày …… tháng …… năm {nam}"
    )
    chi_bo, decided = _confirmations(w, data)
    context.update(
        {
            "ban_hanh": {
                "cap_tren": vn.upper(data["dang_bo"]),
                "co_quan_ban_hanh": vn.upper(data["chi_bo"]),
                "dia_danh_ngay": place_date,
            },
            "ten_loai": titles["ca_nhan"],
            "trich_yeu": f"Năm {nam}",
            "ghi_chu_mau": titles["ngoai_he_thong_note"] if form_type == "ngoai_he_thong" else "",
            "thong_tin": block(_particulars(w, data)),
            "nguoi_tu_kiem_diem": {
                "tham_quyen": "NGƯỜI TỰ KIỂM ĐIỂM",
                "chuc_vu": "",
                "ho_ten": data["ca_nhan"]["ho_ten"],
                "da_ky": False,
            },
            "xac_nhan_chi_bo": chi_bo,
            "ket_qua_xep_loai": decided,
        }
    )
    return Built(context, footnotes_xml=w.footnotes_xml(), template=TEMPLATE_CA_NHAN)


# ---------------------------------------------------------------- batch: pre-filled forms for every member

BATCH_NUMBERS = False
_PARTICULARS = ("ho_ten", "ngay_sinh", "chuc_vu_dang", "chuc_vu_chinh_quyen", "don_vi_cong_tac")
# The member fields a batch of forms reads (particulars, and what decides the form and who writes one).
BATCH_MEMBER_FIELDS = (*_PARTICULARS, "ngay_vao_dang", "trang_thai", "lanh_dao_quan_ly", "mau")


def batch_documents(doc: dict) -> list[BatchDoc]:
    """One form per member who writes a review, pre-filled with the particulars; the rest is left to fill.
    Members exempt from party work or suspended write no review (DOMAIN: new members still do)."""
    ket_qua = doc.get("ket_qua") or {}
    unit = (ket_qua.get("don_vi") or {}).get("ten") or ""
    try:
        rule_set = rules.load(doc.get("che_do") or rules.DEFAULT_RULE_SET)
    except KeyError:
        rule_set = rules.load()
    out = []
    for k, member in enumerate(ket_qua.get("dang_vien") or []):
        name = member.get("ho_ten") or f"đảng viên thứ {k + 1}"
        label = f"{unit} - {name}" if unit else name
        row = f"ket_qua.dang_vien[{k}]"
        origin = {"$.ca_nhan": row, "$.mau": f"{row}.mau", "$.chi_bo": "ket_qua.don_vi.ten"}
        status = member.get("trang_thai")
        if status in rule_set.not_rated["member_statuses"]:
            out.append(BatchDoc(label, None, origin, skip=checks.NOT_RATED_REASONS[status]))
            continue
        form = {
            "hinh_thuc": "ca_nhan",
            "che_do": rule_set.id,
            "nam": doc.get("nam"),
            "mau": member.get("mau") or rule_set.forms["lanh_dao" if member.get("lanh_dao_quan_ly") else "dang_vien"],
            "dang_bo": doc.get("dang_bo"),
            "chi_bo": unit,
            "dia_danh": doc.get("dia_danh"),
            "ca_nhan": {key: member[key] for key in _PARTICULARS if member.get(key)},
        }
        if doc.get("ngay"):
            form["ngay"] = doc["ngay"]
        out.append(BatchDoc(label, {k2: v for k2, v in form.items() if v is not None}, origin))
    return out


TEMPLATE_VARS = {
    **parts.HEADER_VARS,
    **parts.SIGNATURE_VARS,
    "ten_loai": ("chuỗi", "Tên loại: “BÁO CÁO KIỂM ĐIỂM” hoặc “BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN”."),
    "trich_yeu": ("chuỗi", "Dòng dưới tên loại (tên tập thể và năm, hoặc “Năm …”)."),
    "ghi_chu_mau": ("chuỗi", "Mẫu 2C: “(Đảng viên không làm việc trong hệ thống chính trị)”; mẫu khác: rỗng."),
    "thong_tin": (parts.BLOCK, "Bản cá nhân: các dòng Họ và tên, Ngày sinh, Chức vụ …"),
    "mo_dau": (parts.BLOCK, "Các đoạn mở đầu."),
    "noi_dung": (parts.BLOCK, "Phần A (các mục I–VI) và phần B (tự đánh giá, xếp loại)."),
    **{
        f"{block}.{field}": spec
        for block, who in (
            ("nguoi_tu_kiem_diem", "người tự kiểm điểm"),
            ("xac_nhan_chi_bo", "khối xác nhận của chi bộ"),
            ("ket_qua_xep_loai", "khối của cấp có thẩm quyền"),
        )
        for field, spec in (
            ("tham_quyen", ("chuỗi", f"Bản cá nhân: dòng thẩm quyền của {who}, đã in hoa.")),
            ("chuc_vu", ("chuỗi", f"Bản cá nhân: chức vụ trong {who}, đã in hoa (có thể rỗng).")),
            ("da_ky", ("true/false", f"Bản cá nhân: luôn false — {who} để trống chỗ ký.")),
        )
    },
    "nguoi_tu_kiem_diem.ho_ten": ("chuỗi", "Bản cá nhân: họ tên người tự kiểm điểm."),
    "xac_nhan_chi_bo.noi_dung": (parts.BLOCK, "Nhận xét và mức đề xuất của chi bộ, hoặc dòng chấm."),
    "xac_nhan_chi_bo.ho_ten": ("chuỗi", "Người ký xác nhận của chi bộ (dòng chấm nếu trống)."),
    "ket_qua_xep_loai.noi_dung": (parts.BLOCK, "Mức xếp loại do cấp có thẩm quyền quyết định, hoặc dòng chấm."),
    "ket_qua_xep_loai.ho_ten": ("chuỗi", "Người ký của cấp có thẩm quyền (dòng chấm nếu trống)."),
}
