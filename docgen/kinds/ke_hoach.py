"""Kind ``ke_hoach``: the plan (kế hoạch) that launches the year's review and rating."""

from __future__ import annotations

from .. import parts
from ..blocks import Blocks
from ..content import Writer, block, check_literal_markup
from ..errors import Problems
from ..importer.ke_hoach import MAPPING
from ..profile import Profile
from .base import Built, Kind

NAME = "ke_hoach"
TITLE = "Kế hoạch"
CODE = "KH"
SCHEMA = "ke_hoach.schema.json"
TEMPLATE = "ke_hoach.docx"


def template_body(b: Blocks) -> str:
    return (
        b.header()
        + b.title("KẾ HOẠCH")
        + b.block("can_cu")
        + b.block("mo_dau")
        + b.block("noi_dung")
        + b.block("ket_thuc")
        + b.signature()
    )


# Plain fields that print as typed: converter artefacts in them are worth a warning.
PRINTED_AS_TYPED = (
    ("ban_hanh", "cap_tren"),
    ("ban_hanh", "co_quan_ban_hanh"),
    ("ban_hanh", "dia_danh"),
    ("nguoi_ky", "tham_quyen"),
    ("nguoi_ky", "chuc_vu"),
    ("nguoi_ky", "ho_ten"),
)


def build(data: dict, problems: Problems, profile: Profile):
    w = Writer(profile, problems, footnote_texts=data.get("chu_thich") or {})
    bases = parts.data_lines(data.get("can_cu"), "$.can_cu")
    parts.check_cited_dates("Kế hoạch", data["ban_hanh"]["ngay_ban_hanh"], bases, problems)
    for part, key in PRINTED_AS_TYPED:
        if data.get(part, {}).get(key):
            check_literal_markup(data[part][key], f"$.{part}.{key}", problems)
    for i, line in enumerate(data["noi_nhan"]):
        check_literal_markup(line, f"$.noi_nhan[{i}]", problems)
    outline = w.number_outline(data["noi_dung"], "$.noi_dung", data.get("danh_so"), data.get("dau_dong"))
    header = parts.header(data["ban_hanh"], CODE, problems)
    context = {
        "ban_hanh": header.context(),
        "trich_yeu": parts.centred(profile, "trich_yeu", data["trich_yeu"]),
        "can_cu": parts.can_cu(w, bases, profile.can_cu_style(NAME)),
        "mo_dau": w.paragraphs(data.get("mo_dau"), "$.mo_dau"),
        "noi_dung": block(w.write_outline(outline)),
        "ket_thuc": w.paragraphs(data.get("ket_thuc"), "$.ket_thuc"),
        "nguoi_ky": parts.nguoi_ky(data["nguoi_ky"]),
        "noi_nhan": parts.noi_nhan(data["noi_nhan"], problems),
    }
    parts.keep_with_signature(context, "can_cu", "mo_dau", "noi_dung", "ket_thuc", profile=profile)
    return Built(context, footnotes_xml=w.footnotes_xml(), header=header)


TEMPLATE_VARS = {
    **parts.HEADER_VARS,
    **parts.SIGNATURE_VARS,
    "trich_yeu": ("chuỗi", "Trích yếu, đã ngắt dòng cân đối."),
    "can_cu": (parts.BLOCK, "Các căn cứ, mỗi căn cứ một đoạn, đã có “;” và “,” cuối đoạn."),
    "mo_dau": (parts.BLOCK, "Các đoạn mở đầu."),
    "noi_dung": (parts.BLOCK, "Toàn bộ nội dung đã đánh số (I., 1., 1.1., a) …), gạch đầu dòng và chú thích."),
    "ket_thuc": (parts.BLOCK, "Các đoạn kết thúc."),
}


KIND = Kind(
    name=NAME,
    title=TITLE,
    code=CODE,
    schema=SCHEMA,
    layouts={TEMPLATE: template_body},
    build=build,
    template_vars=TEMPLATE_VARS,
    importer=MAPPING,
)
