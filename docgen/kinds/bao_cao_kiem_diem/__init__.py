"""Kind ``bao_cao_kiem_diem``: a collective's review report (Mẫu 01) or a member's review form (2A, 2B, 2C;
02A, 02B under the 2023 regime).

The forms are data (``docgen/forms/bao_cao_kiem_diem.json``): every text they print is a wording entry with
its source and a verified / quoted_by_third_party / not_found flag, and each form's layout says where the
data goes. The data gives only the content under each heading. A part left empty is printed as dotted lines
to fill by hand, so the same kind produces a filled report and a blank form pre-filled with a member's
particulars.

- this module: the declaration, the two templates and the build;
- :mod:`.forms` — the forms as data, which form a document is and its items;
- :mod:`.checks` — the report's own rules (fields of each form, the self-rating, the dates);
- :mod:`.body` — the outline of a form filled from the data, the particulars and confirmation blocks;
- :mod:`.batch` — one pre-filled form per member who writes a review.
"""

from __future__ import annotations

import datetime as dt

from ... import parts, rules, vn
from ...blocks import Blocks
from ...content import Writer, block
from ...errors import Problems
from ...header import DocumentHeader
from ...profile import Profile
from ...rating import esc
from ...xlsx import columns as x
from ..base import BatchSpec, Built, Kind, WebHints
from .batch import BATCH_MEMBER_FIELDS, batch_documents
from .body import Body, confirmations, particulars
from .checks import check_dates, check_fields, check_rating
from .forms import form_spec, select_form, word

NAME = "bao_cao_kiem_diem"
TITLE = "Báo cáo kiểm điểm"
CODE = "BC"
SCHEMA = "bao_cao_kiem_diem.schema.json"
TEMPLATE = "bao_cao_kiem_diem_tap_the.docx"
TEMPLATE_CA_NHAN = "bao_cao_kiem_diem_ca_nhan.docx"


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
        + b.signer("nguoi_tu_kiem_diem", note="{{ nguoi_tu_kiem_diem.ghi_chu }}")
        + b.para("xac_nhan", "{{ xac_nhan_chi_bo.tieu_de }}")
        + b.block("xac_nhan_chi_bo.noi_dung")
        + b.signer("xac_nhan_chi_bo")
        + b.para("xac_nhan", "{{ ket_qua_xep_loai.tieu_de }}")
        + b.block("ket_qua_xep_loai.noi_dung")
        + b.signer("ket_qua_xep_loai")
    )


# ---------------------------------------------------------------- build


def build(data: dict, problems: Problems, profile: Profile) -> Built:
    rule_set = rules.load(data.get("che_do", rules.DEFAULT_RULE_SET))
    code, form_type = select_form(data, rule_set, problems)
    spec = form_spec(code)
    check_fields(data, code, form_type, problems)
    check_rating(data, form_type, rule_set, problems)
    check_dates(data, rule_set, profile, problems)
    w = Writer(profile, problems)
    outline = w.number_outline(Body(w, data, rule_set).outline(spec["noi_dung"]), "$", scheme=spec["danh_so"])
    nam = data["nam"]
    context = {"mo_dau": w.paragraphs(data.get("mo_dau"), "$.mo_dau"), "noi_dung": block(w.write_outline(outline))}
    if data["hinh_thuc"] == "tap_the":
        if not data.get("mo_dau"):
            context["mo_dau"] = block(
                w.paragraph("doan", esc(word(spec["mo_dau"]).format(tap_the=data["tap_the"])), "$")
            )
        header = parts.header(data["ban_hanh"], CODE, problems)
        context.update(
            {
                "ban_hanh": header.context(),
                "ten_loai": word(spec["ten_loai"]),
                "trich_yeu": parts.centred(
                    profile, "trich_yeu", word(spec["trich_yeu"]).format(tap_the=data["tap_the"], nam=nam)
                ),
                "nguoi_ky": parts.nguoi_ky(data["nguoi_ky"]),
                "noi_nhan": parts.noi_nhan(data["noi_nhan"], problems),
            }
        )
        parts.keep_with_signature(context, "mo_dau", "noi_dung", profile=profile)
        return Built(context, footnotes_xml=w.footnotes_xml(), template=TEMPLATE, header=header)
    # a member's form: no number; the date left to fill by hand when the data gives none
    header = DocumentHeader(
        issuer=data["chi_bo"],
        superior=data["dang_bo"],
        place=data["dia_danh"],
        date=dt.date.fromisoformat(data["ngay"]) if data.get("ngay") else None,
        year=nam,
    )
    chi_bo, decided = confirmations(w, data)
    context.update(
        {
            "ban_hanh": {
                "cap_tren": vn.upper(header.superior),
                "co_quan_ban_hanh": vn.upper(header.issuer),
                "dia_danh_ngay": header.place_date,
            },
            "ten_loai": word(spec["ten_loai"]),
            "trich_yeu": word(spec["nam"]).format(nam=nam),
            "ghi_chu_mau": word(spec["ghi_chu"]) if spec.get("ghi_chu") else "",
            "thong_tin": block(particulars(w, data, spec)),
            "nguoi_tu_kiem_diem": {
                "tham_quyen": word("nguoi_tu_kiem_diem"),
                "chuc_vu": "",
                "ghi_chu": word("ky_ghi_ro"),
                "ho_ten": data["ca_nhan"]["ho_ten"],
                "da_ky": False,
            },
            "xac_nhan_chi_bo": chi_bo,
            "ket_qua_xep_loai": decided,
        }
    )
    parts.keep_with_signature(context, "thong_tin", "mo_dau", "noi_dung", profile=profile)
    # each confirmation (its title keeps with what follows) stays whole with its signature
    parts.keep_with_signature(context, "xac_nhan_chi_bo.noi_dung", paragraphs=parts.WHOLE, profile=profile)
    parts.keep_with_signature(context, "ket_qua_xep_loai.noi_dung", paragraphs=parts.WHOLE, profile=profile)
    return Built(context, footnotes_xml=w.footnotes_xml(), template=TEMPLATE_CA_NHAN, header=header)


TEMPLATE_VARS = {
    **parts.HEADER_VARS,
    **parts.SIGNATURE_VARS,
    "ten_loai": (
        "chuỗi",
        "Tên loại: “BÁO CÁO KIỂM ĐIỂM”, “BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN” "
        "hoặc “BẢN KIỂM ĐIỂM CÁ NHÂN” (2023).",
    ),
    "trich_yeu": ("chuỗi", "Dòng dưới tên loại (tên tập thể và năm, hoặc “Năm …”)."),
    "ghi_chu_mau": ("chuỗi", "Dòng trong ngoặc dưới “Năm …” (Mẫu 2C, 02A, 02B); mẫu khác: rỗng."),
    "thong_tin": (parts.BLOCK, "Bản cá nhân: các dòng Họ và tên, Ngày sinh, Đơn vị công tác, Chi bộ … của mẫu."),
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
    "nguoi_tu_kiem_diem.ghi_chu": ("chuỗi", "Bản cá nhân: dòng “(Ký, ghi rõ họ tên)” dưới NGƯỜI TỰ KIỂM ĐIỂM."),
    "xac_nhan_chi_bo.tieu_de": ("chuỗi", "Bản cá nhân: tên khối nhận xét, đánh giá của chi ủy (chi bộ)."),
    "ket_qua_xep_loai.tieu_de": ("chuỗi", "Bản cá nhân: tên khối kết quả xếp loại của cấp có thẩm quyền."),
    "nguoi_tu_kiem_diem.ho_ten": ("chuỗi", "Bản cá nhân: họ tên người tự kiểm điểm."),
    "xac_nhan_chi_bo.noi_dung": (parts.BLOCK, "Nhận xét và mức đề xuất của chi bộ, hoặc dòng chấm."),
    "xac_nhan_chi_bo.ho_ten": ("chuỗi", "Người ký xác nhận của chi bộ (dòng chấm nếu trống)."),
    "ket_qua_xep_loai.noi_dung": (parts.BLOCK, "Mức xếp loại do cấp có thẩm quyền quyết định, hoặc dòng chấm."),
    "ket_qua_xep_loai.ho_ten": ("chuỗi", "Người ký của cấp có thẩm quyền (dòng chấm nếu trống)."),
}


# The batch's Excel workbook: the members' particulars, one pre-filled form each.
WORKBOOK = x.Layout(
    title="Bản kiểm điểm cá nhân (điền sẵn thông tin của từng đảng viên)",
    common=(
        x.C_REGIME,
        x.C_YEAR,
        x.column("Đảng bộ", "chung.dang_bo", required=True),
        x.column("Địa danh", "chung.dia_danh", required=True),
        x.column("Ngày viết bản kiểm điểm", "chung.ngay", x.DATE),
    ),
    units=(x.U_NAME,),
    members=(*x.M_PARTICULARS, x.M_FORM),
    guide=(
        "Mỗi đảng viên được một bản kiểm điểm để trống phần nội dung, đã điền sẵn thông tin cá nhân.",
        "Cột “Mẫu kiểm điểm” bỏ trống: mẫu theo chức vụ lãnh đạo, quản lý.",
    ),
)


KIND = Kind(
    name=NAME,
    title=TITLE,
    code=CODE,
    schema=SCHEMA,
    layouts={TEMPLATE: template_tap_the, TEMPLATE_CA_NHAN: template_ca_nhan},
    build=build,
    template_vars=TEMPLATE_VARS,
    # one pre-filled individual form per member, not numbered
    batch=BatchSpec(batch_documents, numbered=False, member_fields=BATCH_MEMBER_FIELDS, workbook=WORKBOOK),
    # the web page's form: labels of the fields and codes whose descriptions start with codes
    web=WebHints(
        labels={"hinh_thuc": "Hình thức báo cáo", "ket_qua": "Kết quả khắc phục"},
        enum_labels={
            "tap_the": "Tập thể (Mẫu 01)",
            "ca_nhan": "Cá nhân",
            "01": "Mẫu 01 (tập thể)",
            "da_khac_phuc": "Đã khắc phục",
            "dang_khac_phuc": "Đang khắc phục",
            "chua_khac_phuc": "Chưa khắc phục",
        },
        form_note="Với báo cáo kiểm điểm, mục để trống in dòng chấm để viết tay.",
    ),
)
