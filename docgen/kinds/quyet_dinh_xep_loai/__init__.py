"""Kind ``quyet_dinh_xep_loai``: the decision that fixes the ratings, with the attached list.

- this module: the declaration, the template, the build and the batch's Excel workbook;
- :mod:`.synthetic` — decisions for a synthetic đảng bộ, for benchmarks and tests.
"""

from __future__ import annotations

from ... import parts, rating, vn
from ...blocks import Blocks
from ...content import Writer, block
from ...errors import Problems
from ...header import DocumentHeader
from ...profile import Profile
from ...rating import esc
from ...xlsx import columns as x
from ..base import BatchSpec, Built, Kind

NAME = "quyet_dinh_xep_loai"
TITLE = "Quyết định xếp loại chất lượng"
CODE = "QĐ"
SCHEMA = "quyet_dinh_xep_loai.schema.json"
TEMPLATE = "quyet_dinh_xep_loai.docx"

DEFAULT_ARTICLE_2 = "Quyết định có hiệu lực kể từ ngày ký."


def template_body(b: Blocks) -> str:
    return (
        b.header()
        + b.title("QUYẾT ĐỊNH")
        + b.block("can_cu")
        + b.para("dong_quyet_dinh", "{{ dong_quyet_dinh }}")
        + b.block("dieu")
        + b.signature()
        + b.annex()
    )


def build(data: dict, problems: Problems, profile: Profile) -> Built:
    rule_set, header, results = rating.begin(data, CODE, "quyet_dinh", problems)
    nam = data["nam"]
    w = Writer(profile, problems)

    can_cu = [
        (esc(profile.wording("can_cu_dieu_le")), "$"),
        (esc(f"Căn cứ {parts.citation(profile, rule_set.regulation)}"), "$.che_do"),
        (esc(f"Căn cứ {parts.citation(profile, rule_set.guidance)}"), "$.che_do"),
    ]
    can_cu += parts.data_lines(data.get("can_cu_them"), "$.can_cu_them")
    if data.get("to_trinh"):
        can_cu.append((esc("Xét " + DocumentHeader.cited(data["to_trinh"]).citation("Tờ trình")), "$.to_trinh"))
    elif data.get("xet_de_nghi"):
        can_cu.append((esc(data["xet_de_nghi"]), "$.xet_de_nghi"))
    parts.check_cited_dates("Quyết định", header.date, can_cu, problems)
    submitted = (
        (rating.RATED, data["ket_qua"].get("ngay_danh_gia")),
        ("Tờ trình được xét", (data.get("to_trinh") or {}).get("ngay")),
        "tờ trình đề nghị kết quả một cuộc đánh giá diễn ra sau nó; kiểm tra lại nếu ngày đánh giá là "
        "ngày cấp trên xem xét",
        "$.to_trinh.ngay",
    )
    rating.check_dates(data, "Quyết định", rule_set, problems, cited=[submitted])

    paragraphs = [
        w.paragraph(
            "doan",
            f"**Điều 1.** Xếp loại chất lượng năm {nam} đối với "
            f"{vn.so_chu(len(results.rated))} {esc(rating.scope(results))}, như sau:",
            "$",
        )
    ]
    paragraphs += [w.paragraph("doan", esc(line), "$.ket_qua", prefix="- ") for line in rating.level_lines(results)]
    not_rated = rating.not_rated_sentence(results)
    if not_rated:
        paragraphs.append(w.paragraph("doan", esc(not_rated), "$.ket_qua"))
    paragraphs += [w.paragraph("doan", esc(s), "$.ket_qua") for s in rating.cap_sentences(results)]
    paragraphs.append(w.paragraph("doan", "(Có danh sách kèm theo)", "$"))
    paragraphs.append(w.paragraph("doan", "**Điều 2.** " + data.get("dieu_2", DEFAULT_ARTICLE_2), "$.dieu_2"))
    executors = ", ".join(data["thuc_hien"])
    last = profile.wording("ket_dieu_cuoi")  # the last article ends "./."
    paragraphs.append(
        w.paragraph("doan", f"**Điều 3.** {esc(executors)} căn cứ Quyết định thi hành{esc(last)}", "$.thuc_hien")
    )

    recipients = list(data["noi_nhan"])
    if not any(r.lower().lstrip("- ").startswith("như điều 3") for r in recipients):
        recipients.insert(0, "Như Điều 3")
    attached = header.citation("Quyết định", long_date=True, by=data["co_quan_quyet_dinh"])
    context = {
        "ban_hanh": header.context(),
        "trich_yeu": parts.centred(
            profile,
            "trich_yeu",
            data.get("trich_yeu") or f"về việc xếp loại chất lượng {rating.scope(results)} năm {nam}",
        ),
        "co_quan_quyet_dinh": vn.upper(data["co_quan_quyet_dinh"]),
        "can_cu": parts.can_cu(w, can_cu, profile.can_cu_style(NAME)),
        "dong_quyet_dinh": parts.centred(
            profile,
            "dong_quyet_dinh",
            profile.wording("dong_quyet_dinh").format(co_quan_quyet_dinh=vn.upper(data["co_quan_quyet_dinh"])),
        ),
        "dieu": block("".join(paragraphs)),
        "nguoi_ky": parts.nguoi_ky(data["nguoi_ky"]),
        "noi_nhan": parts.noi_nhan(recipients, problems, offset=len(recipients) - len(data["noi_nhan"])),
        "danh_sach": rating.annex(
            results,
            profile,
            f"Danh sách xếp loại chất lượng {rating.scope(results)} năm {nam}",
            profile.wording("kem_theo_quyet_dinh").format(van_ban=attached),
            "Mức xếp loại",
            data.get("sap_xep_ten", False),
        ),
    }
    parts.keep_with_signature(context, "can_cu", "dieu", profile=profile)
    return Built(context, footnotes_xml=w.footnotes_xml(), header=header)


def batch_summary(doc) -> object:
    """What the checks across the documents of a batch need of one (the cap of a peer group spread over
    several units): :func:`docgen.rating.peer_summary`."""
    return rating.peer_summary(doc, "quyet_dinh", SCHEMA)


TEMPLATE_VARS = {
    **parts.HEADER_VARS,
    **parts.SIGNATURE_VARS,
    **parts.ANNEX_VARS,
    "trich_yeu": ("chuỗi", "Trích yếu “về việc xếp loại chất lượng … năm …”, đã ngắt dòng cân đối."),
    "co_quan_quyet_dinh": ("chuỗi", "Cấp ủy quyết định, đã in hoa."),
    "dong_quyet_dinh": ("chuỗi", "Dòng “BAN THƯỜNG VỤ … QUYẾT ĐỊNH” sau các căn cứ (không có dấu hai chấm)."),
    "can_cu": (
        parts.BLOCK,
        "Các căn cứ “- Căn cứ …;” (Điều lệ Đảng, quy định, hướng dẫn, căn cứ thêm, “- Xét Tờ trình …,”).",
    ),
    "dieu": (parts.BLOCK, "Điều 1 (số lượng, tỷ lệ từng mức), Điều 2, Điều 3."),
}


# ---------------------------------------------------------------- the batch's Excel workbook

CONCERNED = "các đồng chí có tên trong danh sách kèm theo"

WORKBOOK = x.Layout(
    title="Quyết định xếp loại chất lượng đảng viên",
    common=(
        x.C_REGIME,
        x.C_YEAR,
        x.C_SUPERIOR,
        x.C_ISSUER,
        x.C_SYMBOL,
        x.C_FIRST_NUMBER,
        x.C_PLACE,
        x.C_DATE,
        x.column("Cấp ủy quyết định", "chung.co_quan_quyet_dinh", required=True),
        x.C_GROUNDS,
        x.column("Xét đề nghị", "chung.xet_de_nghi"),
        x.column("Nội dung Điều 2", "chung.dieu_2"),
        x.column("Nơi thi hành", "*.thuc_hien", x.LINES, required=True),
        x.C_AUTHORITY,
        x.C_SIGNER_POST,
        x.C_SIGNER,
        x.C_RECIPIENTS,
        x.C_SORT,
        x.C_CAP_BASE,
    ),
    units=(
        x.U_NAME,
        x.U_DECIDED,
        x.U_RATED_AT,
        *x.u_cited("tờ trình", "to_trinh", "Cơ quan trình"),
        *x.U_EXCEPTION,
    ),
    members=x.M_DECIDED_RATING,
    constants={"doi_tuong": "dang_vien"},
    derived=(x.Derived("thuc_hien", lambda name: [x.committee(name), CONCERNED], x.U_NAME.header, append=True),),
    guide=(
        "Số quyết định: để trống “Số bắt đầu” thì lấy các số kế tiếp trong sổ đăng ký văn bản đi; ghi “Số bắt "
        "đầu” thì văn bản đầu tiên lấy số đó (sổ kiểm tra và ghi nhận); các văn bản sau lấy số liên tiếp theo "
        f"thứ tự chi bộ ở sheet “{x.UNITS}”.",
        f"Nơi thi hành của mỗi quyết định: các dòng đã ghi, rồi “Chi ủy <tên chi bộ>” và “{CONCERNED}” (tự thêm).",
        "Cột “Quyết định” bỏ trống thì lấy mức ở cột “Đề xuất”.",
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
