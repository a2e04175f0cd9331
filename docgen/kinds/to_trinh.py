"""Kind ``to_trinh``: the submission proposing ratings to the level above, with statistics and the list."""

from __future__ import annotations

from .. import parts, rating, vn
from ..blocks import Blocks
from ..content import Writer, block
from ..errors import Problems
from ..profile import Profile
from ..rating import esc
from .base import BatchSpec, Built, Kind

NAME = "to_trinh"
TITLE = "Tờ trình đề nghị xếp loại"
CODE = "TTr"
SCHEMA = "to_trinh.schema.json"
TEMPLATE = "to_trinh.docx"


def template_body(b: Blocks) -> str:
    return (
        b.header()
        + b.title("TỜ TRÌNH")
        + b.para("kinh_gui", "Kính gửi: {{ kinh_gui }}")
        + b.block("can_cu")
        + b.block("noi_dung")
        + b.signature()
        + b.annex()
    )


def build(data: dict, problems: Problems, profile: Profile) -> Built:
    rule_set, ban_hanh, results = rating.begin(data, CODE, "de_xuat", problems)
    nam, subject, unit = data["nam"], results.subject, results.unit["ten"]
    noun, counter = subject.noun, subject.counter
    presenter, recipient = data["chu_the_trinh"], data["kinh_gui"]
    w = Writer(profile, problems)

    can_cu = [
        (esc(f"Căn cứ {parts.citation(profile, rule_set.regulation)}"), "$.che_do"),
        (esc(f"Căn cứ {parts.citation(profile, rule_set.guidance)}"), "$.che_do"),
    ]
    if data.get("ke_hoach"):
        k = data["ke_hoach"]
        can_cu.append(
            (
                esc(
                    f"Căn cứ Kế hoạch số {k['so']:02d}-{k['ky_hieu']}, ngày {vn.ngay_so(k['ngay'])} của {k['co_quan']}"
                ),
                "$.ke_hoach",
            )
        )
    can_cu += parts.data_lines(data.get("can_cu_them"), "$.can_cu_them")
    if data.get("ngay_hop"):
        can_cu.append(
            (
                esc(
                    f"Căn cứ kết quả kiểm điểm, đánh giá, xếp loại chất lượng {noun} tại hội nghị "
                    f"{unit} ngày {vn.ngay_so(data['ngay_hop'])}"
                ),
                "$.ngay_hop",
            )
        )

    parts.check_cited_dates("Tờ trình", ban_hanh["ngay_ban_hanh"], can_cu, problems)
    rating.check_dates(data, "Tờ trình", rule_set, problems)

    rated = len(results.rated)
    lead = (
        f"{presenter} kính trình {recipient} xem xét, quyết định xếp loại chất lượng "
        f"{rating.scope(results)} năm {nam} như sau:"
    )
    not_rated = len(results.not_rated)
    items = [{"doan": esc(line)} for line in rating.total_lines(results)] + [
        {
            "doan": esc(
                f"Số {noun} không đánh giá, xếp loại: {vn.so_chu(not_rated)} {counter}"
                + (f", gồm: {rating.not_rated_text(results)}." if not_rated else ".")
            )
        },
        {
            "doan": esc(
                f"Kết quả đề nghị xếp loại ({'tỷ lệ' if rated else 'số'} tính trên số được đánh giá, xếp loại):"
            ),
            "noi_dung": [{"gach": esc(line)} for line in rating.level_lines(results)]
            + [esc(s) for s in rating.cap_sentences(results)],
        },
    ]
    body = [w.paragraph("doan", esc(lead), "$")]
    body.append(w.write_outline(w.number_outline(items, "$.ket_qua", scheme=["1."])))
    proposal = data.get("de_nghi") or esc(f"{presenter} kính đề nghị {recipient} xem xét, quyết định.")
    body.append(w.paragraph("doan", proposal, "$.de_nghi"))
    body.append(w.paragraph("doan", "(Có danh sách kèm theo)", "$"))

    number = ban_hanh["so_ky_hieu"][len("Số ") :]
    attached = f"Tờ trình số {number}, {vn.ngay_thang(ban_hanh['ngay_ban_hanh'])} của {presenter}"
    context = {
        "ban_hanh": ban_hanh,
        "trich_yeu": parts.centred(
            profile,
            "trich_yeu",
            data.get("trich_yeu") or f"đề nghị xếp loại chất lượng {rating.scope(results)} năm {nam}",
        ),
        "kinh_gui": recipient,
        "can_cu": parts.can_cu(w, can_cu, profile.can_cu_style(NAME)),
        "noi_dung": block("".join(body)),
        "nguoi_ky": parts.nguoi_ky(data["nguoi_ky"]),
        "noi_nhan": parts.noi_nhan(data["noi_nhan"], problems),
        "danh_sach": rating.annex(
            results,
            profile,
            f"Danh sách đề nghị xếp loại chất lượng {rating.scope(results)} năm {nam}",
            profile.wording("kem_theo_to_trinh").format(van_ban=attached),
            "Mức đề nghị xếp loại",
            data.get("sap_xep_ten", False),
        ),
    }
    parts.keep_with_signature(context, "can_cu", "noi_dung")
    return Built(context, footnotes_xml=w.footnotes_xml())


def batch_problems(docs: list) -> dict:
    """Checks across the documents of a batch (the cap of a peer group spread over several units)."""
    return rating.batch_problems(docs, "de_xuat", SCHEMA)


TEMPLATE_VARS = {
    **parts.HEADER_VARS,
    **parts.SIGNATURE_VARS,
    **parts.ANNEX_VARS,
    "trich_yeu": ("chuỗi", "Trích yếu “đề nghị xếp loại chất lượng … năm …”, đã ngắt dòng cân đối."),
    "can_cu": (parts.BLOCK, "Các căn cứ."),
    "noi_dung": (parts.BLOCK, "Câu trình, các số liệu thống kê và câu đề nghị."),
}


KIND = Kind(
    name=NAME,
    title=TITLE,
    code=CODE,
    schema=SCHEMA,
    layouts={TEMPLATE: template_body},
    build=build,
    template_vars=TEMPLATE_VARS,
    # one document per unit, numbered consecutively; the peer group's cap checked across units
    batch=BatchSpec(rating.unit_documents, numbered=True, across=batch_problems),
)
