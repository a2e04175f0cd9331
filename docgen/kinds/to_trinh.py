"""Kind ``to_trinh``: the submission proposing ratings to the level above, with statistics and the list."""

from __future__ import annotations

from .. import parts, rating, vn
from ..blocks import Blocks
from ..content import Writer, block
from ..errors import Problems
from ..header import DocumentHeader
from ..profile import Profile
from ..rating import esc
from ..xlsx import columns as x
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
    rule_set, header, results = rating.begin(data, CODE, "de_xuat", problems)
    nam, subject, unit = data["nam"], results.subject, results.unit["ten"]
    noun, counter = subject.noun, subject.counter
    presenter, recipient = data["chu_the_trinh"], data["kinh_gui"]
    w = Writer(profile, problems)

    can_cu = [
        (esc(f"Căn cứ {parts.citation(profile, rule_set.regulation)}"), "$.che_do"),
        (esc(f"Căn cứ {parts.citation(profile, rule_set.guidance)}"), "$.che_do"),
    ]
    if data.get("ke_hoach"):
        can_cu.append((esc("Căn cứ " + DocumentHeader.cited(data["ke_hoach"]).citation("Kế hoạch")), "$.ke_hoach"))
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

    parts.check_cited_dates("Tờ trình", header.date, can_cu, problems)
    met = (
        ("Kế hoạch được dẫn", (data.get("ke_hoach") or {}).get("ngay")),
        ("hội nghị kiểm điểm", data.get("ngay_hop")),
        "hội nghị thường họp sau khi có kế hoạch; kiểm tra lại hai ngày này",
        "$.ngay_hop",
    )
    rating.check_dates(data, "Tờ trình", rule_set, problems, cited=[met])

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

    attached = header.citation("Tờ trình", long_date=True, by=presenter)
    context = {
        "ban_hanh": header.context(),
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
    parts.keep_with_signature(context, "can_cu", "noi_dung", profile=profile)
    return Built(context, footnotes_xml=w.footnotes_xml(), header=header)


def batch_summary(doc) -> object:
    """What the checks across the documents of a batch need of one (the cap of a peer group spread over
    several units): :func:`docgen.rating.peer_summary`."""
    return rating.peer_summary(doc, "de_xuat", SCHEMA)


TEMPLATE_VARS = {
    **parts.HEADER_VARS,
    **parts.SIGNATURE_VARS,
    **parts.ANNEX_VARS,
    "trich_yeu": ("chuỗi", "Trích yếu “đề nghị xếp loại chất lượng … năm …”, đã ngắt dòng cân đối."),
    "can_cu": (parts.BLOCK, "Các căn cứ."),
    "noi_dung": (parts.BLOCK, "Câu trình, các số liệu thống kê và câu đề nghị."),
}


# ---------------------------------------------------------------- the batch's Excel workbook

SECRETARY = x.column("Bí thư", "nguoi_ky.ho_ten", width=24)

WORKBOOK = x.Layout(
    title="Tờ trình đề nghị xếp loại chất lượng đảng viên",
    common=(
        x.C_REGIME,
        x.C_YEAR,
        x.C_SUPERIOR,
        x.C_SYMBOL,
        x.C_PLACE,
        x.C_DATE,
        x.column("Kính gửi", "chung.kinh_gui", required=True),
        x.C_GROUNDS,
        x.column("Số kế hoạch", "chung.ke_hoach.so", x.INT),
        x.column("Ký hiệu kế hoạch", "chung.ke_hoach.ky_hieu"),
        x.column("Ngày kế hoạch", "chung.ke_hoach.ngay", x.DATE),
        x.column("Cơ quan ban hành kế hoạch", "chung.ke_hoach.co_quan"),
        x.C_RECIPIENTS,
        x.C_SORT,
        x.C_CAP_BASE,
    ),
    units=(
        x.U_NAME,
        x.column("Mức xếp loại chi bộ", "ket_qua.don_vi.de_xuat", x.CHOICE, x.LEVEL, width=26),
        x.U_RATED_AT,
        x.column("Ngày họp chi bộ", "ngay_hop", x.DATE, width=14),
        x.column("Số tờ trình", "ban_hanh.so", x.INT, width=10),
        SECRETARY,
        *x.U_EXCEPTION,
    ),
    members=(*x.M_PARTICULARS, x.M_HEAD, x.M_FORM, *x.M_RATING, *x.M_CIRCUMSTANCES),
    constants={"doi_tuong": "dang_vien"},
    derived=(
        x.Derived("ban_hanh.co_quan_ban_hanh", lambda name: name, x.U_NAME.header),
        x.Derived("chu_the_trinh", x.committee, x.U_NAME.header),
        x.Derived("nguoi_ky.tham_quyen", lambda name: "T/M Chi ủy", SECRETARY.header),
        x.Derived("nguoi_ky.chuc_vu", lambda name: "Bí thư", SECRETARY.header),
    ),
    guide=(
        "Mỗi chi bộ một tờ trình: cơ quan ban hành là chi bộ, chủ thể trình là “Chi ủy <tên chi bộ>”, "
        "người ký “T/M Chi ủy – Bí thư” là người ở cột “Bí thư” (tự ghi).",
    ),
)


KIND = Kind(
    name=NAME,
    title=TITLE,
    code=CODE,
    schema=SCHEMA,
    layouts={TEMPLATE: template_body},
    build=build,
    template_vars=TEMPLATE_VARS,
    # one document per unit, numbered consecutively; the peer group's cap checked across units
    batch=BatchSpec(
        rating.unit_documents, numbered=True, summary=batch_summary, across=rating.peer_problems, workbook=WORKBOOK
    ),
)
