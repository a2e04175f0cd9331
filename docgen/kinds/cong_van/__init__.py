"""Kind ``cong_van``: the công văn (CV) — no kind title; the trích yếu "V/v …" under the number, "Kính gửi:",
numbered content, signature and Nơi nhận (opening with "Như trên").

- this module: the declaration, the template and the build;
- :mod:`.importer` — an existing công văn (.docx or copied text) read back as data.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from ... import layout, ooxml, parts
from ...blocks import Blocks
from ...content import Writer, block
from ...errors import Problems
from ...profile import Profile, style_id
from ..base import Built, Kind
from .importer import CongVan

NAME = "cong_van"
TITLE = "Công văn"
CODE = "CV"
SCHEMA = "cong_van.schema.json"
TEMPLATE = "cong_van.docx"

# "V/v " typed before the trích yếu: the engine writes it (profile wording ``trich_yeu_cong_van``).
TYPED_VV = re.compile(r"^\s*(?:V/v|V/V|v/v|Về việc)\s*:?\s*")


def template_body(b: Blocks) -> str:
    return (
        b.header(subject="{{ trich_yeu }}")
        + b.block("kinh_gui")
        + b.block("can_cu")
        + b.block("mo_dau")
        + b.block("noi_dung")
        + b.block("ket_thuc")
        + b.signature()
    )


def build(data: dict, problems: Problems, profile: Profile) -> Built:
    w = Writer(profile, problems, footnote_texts=data.get("chu_thich") or {})
    header = parts.header(data["ban_hanh"], CODE, problems)
    bases = parts.data_lines(data.get("can_cu"), "$.can_cu")
    parts.check_cited_dates("Công văn", header.date, bases, problems)
    parts.check_printed_as_typed(data, problems, ("kinh_gui", "noi_nhan"))
    scheme = data.get("danh_so") or profile.default_scheme(NAME)
    outline = w.number_outline(data["noi_dung"], "$.noi_dung", scheme, data.get("dau_dong"))
    subject = profile.wording("trich_yeu_cong_van").format(trich_yeu=TYPED_VV.sub("", data["trich_yeu"]))
    recipients, added = with_nhu_tren(profile, data)
    context = {
        "ban_hanh": header.context(),
        # the left column of the header: never wider than it is once fitted to the place-and-date line
        "trich_yeu": parts.centred_within(
            profile, "trich_yeu_cong_van", subject, layout.left_column_mm(profile, header)
        ),
        "kinh_gui": kinh_gui_block(profile, data["kinh_gui"]),
        "can_cu": parts.can_cu(w, bases, profile.can_cu_style(NAME)),
        "mo_dau": w.paragraphs(data.get("mo_dau"), "$.mo_dau"),
        "noi_dung": block(w.write_outline(outline)),
        "ket_thuc": w.paragraphs(data.get("ket_thuc"), "$.ket_thuc"),
        "nguoi_ky": parts.nguoi_ky(data["nguoi_ky"]),
        "noi_nhan": parts.noi_nhan(recipients, problems, offset=added),
    }
    parts.keep_with_signature(context, "can_cu", "mo_dau", "noi_dung", "ket_thuc", profile=profile)
    return Built(context, footnotes_xml=w.footnotes_xml(), header=header)


def with_nhu_tren(profile: Profile, data: dict) -> tuple[list[str], int]:
    """Nơi nhận opening with "Như trên" (the recipients of Kính gửi) unless the data says otherwise
    (``nhu_tren: false``) or already has it; and how many lines were added before the data's own."""
    line = profile.wording("nhu_tren")
    recipients = list(data["noi_nhan"])
    typed = any(parts.strip_end(r).lower().lstrip("-–•+ ").startswith(line.lower()) for r in recipients)
    if data.get("nhu_tren", True) and not typed:
        return [line, *recipients], 1
    return recipients, 0


def kinh_gui_block(profile: Profile, lines: list[str]) -> Markup:
    """ "Kính gửi: …" on one line for one recipient; "Kính gửi:" and a "- …," line under it for each of
    several (the last one's style keeps the space before the body)."""
    single, several = parts.kinh_gui(profile, lines)
    label = profile.text("kinh_gui_nhan")
    if not several:
        return block(ooxml.styled_paragraph(style_id("kinh_gui_mot"), ooxml.run(f"{label} {single}")))
    out = [ooxml.styled_paragraph(style_id("kinh_gui_nhan"), ooxml.run(label))]
    for i, text in enumerate(several):
        element = "kinh_gui_dong_cuoi" if i == len(several) - 1 else "kinh_gui_dong"
        out.append(ooxml.styled_paragraph(style_id(element), ooxml.run(text)))
    return block("".join(out))


TEMPLATE_VARS = {
    **parts.HEADER_VARS,
    **parts.SIGNATURE_VARS,
    "trich_yeu": ("chuỗi", "Dòng “V/v …” dưới số và ký hiệu, đã ngắt dòng cân đối vừa cột trái."),
    "kinh_gui": (
        parts.BLOCK,
        "“Kính gửi: …” (một nơi, cùng dòng) hoặc “Kính gửi:” và mỗi nơi một dòng “- …,”, dòng cuối “.”.",
    ),
    "can_cu": (parts.BLOCK, "Các căn cứ, mỗi căn cứ một đoạn, đã có “;” và “,” cuối đoạn."),
    "mo_dau": (parts.BLOCK, "Các đoạn mở đầu."),
    "noi_dung": (parts.BLOCK, "Nội dung đã đánh số (1., 1.1., a) …), gạch đầu dòng và chú thích."),
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
    importer=CongVan(NAME),
)
