"""Kind ``ke_hoach``: the plan (kế hoạch) that launches the year's review and rating.

- this module: the declaration, the template and the build;
- :mod:`.importer` — an existing plan (.docx or copied text) read back as data.
"""

from __future__ import annotations

from ... import parts
from ...blocks import Blocks
from ...content import Writer, block
from ...errors import Problems
from .importer import MAPPING
from ...profile import Profile
from ..base import Built, Kind

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


def build(data: dict, problems: Problems, profile: Profile):
    w = Writer(profile, problems, footnote_texts=data.get("chu_thich") or {})
    bases = parts.data_lines(data.get("can_cu"), "$.can_cu")
    parts.check_cited_dates("Kế hoạch", data["ban_hanh"]["ngay_ban_hanh"], bases, problems)
    parts.check_printed_as_typed(data, problems)
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
