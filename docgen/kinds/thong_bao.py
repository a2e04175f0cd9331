"""Kind ``thong_bao``: the thông báo (TB) — "THÔNG BÁO", trích yếu, body (outline), signature, Nơi nhận.

With ``ket_qua`` (the unit's results, as the quyết định xếp loại takes them) it is the thông báo kết quả đánh
giá, xếp loại: the statements are :mod:`docgen.rating`'s, worded as in the decision — counts, each level with
its share, those not rated and why, the excellence cap — one part per results (``ket_qua``, then
``ket_qua_them``), optionally with the decision's list attached; one document per unit in a batch.
"""

from __future__ import annotations

import datetime as dt

from .. import parts, rating, vn
from ..blocks import Blocks
from ..content import Content, Writer, block
from ..errors import Problems, join_path
from ..header import DocumentHeader
from ..profile import Profile
from ..rating import esc
from ..rules import checks
from ..xlsx import columns as x
from .base import BatchSpec, Built, CampaignSpec, Kind

NAME = "thong_bao"
TITLE = "Thông báo"
CODE = "TB"
SCHEMA = "thong_bao.schema.json"
TEMPLATE = "thong_bao.docx"
STAGE = "quyet_dinh"  # a thông báo announces the decided levels (the proposed one where none is recorded)

# Fields of the results variant: without ket_qua they would be dropped silently.
RESULT_FIELDS = ("che_do", "doi_tuong", "nam", "co_quan_thong_bao", "quyet_dinh", "ket_qua_them", "kem_danh_sach")
RESULT_FIELDS += ("sap_xep_ten",)


def template_body(b: Blocks) -> str:
    return (
        b.header()
        + b.title("THÔNG BÁO")
        + b.block("can_cu")
        + b.block("mo_dau")
        + b.block("noi_dung")
        + b.block("ket_thuc")
        + b.signature()
        + b.loop("danh_sach", "cac_danh_sach", b.annex())
    )


def build(data: dict, problems: Problems, profile: Profile) -> Built:
    w = Writer(profile, problems, footnote_texts=data.get("chu_thich") or {})
    parts.check_printed_as_typed(data, problems)
    if "ket_qua" in data:
        return _results(data, problems, profile, w)
    for key in RESULT_FIELDS:
        if key in data:
            problems.add(
                f"$.{key}",
                "results_without_ket_qua",
                f"Trường “{key}” chỉ dùng cho thông báo kết quả đánh giá, xếp loại, nhưng dữ liệu không có "
                "ket_qua (kết quả của đơn vị): thêm ket_qua hoặc bỏ trường này (nếu không sẽ không được in).",
            )
    header = parts.header(data["ban_hanh"], CODE, problems)
    bases = parts.data_lines(data.get("can_cu"), "$.can_cu")
    parts.check_cited_dates("Thông báo", header.date, bases, problems)
    scheme = data.get("danh_so") or profile.default_scheme(NAME)
    outline = w.number_outline(data["noi_dung"], "$.noi_dung", scheme, data.get("dau_dong"))
    context = {
        "ban_hanh": header.context(),
        "trich_yeu": parts.centred(profile, "trich_yeu", data["trich_yeu"]),
        "can_cu": parts.can_cu(w, bases, profile.can_cu_style(NAME)),
        "mo_dau": w.paragraphs(data.get("mo_dau"), "$.mo_dau"),
        "noi_dung": block(w.write_outline(outline)),
        "cac_danh_sach": [],
        **_closing(data, w, problems),
    }
    parts.keep_with_signature(context, "can_cu", "mo_dau", "noi_dung", "ket_thuc", profile=profile)
    return Built(context, footnotes_xml=w.footnotes_xml(), header=header)


def _closing(data: dict, w: Writer, problems: Problems) -> dict:
    return {
        "ket_thuc": w.paragraphs(data.get("ket_thuc"), "$.ket_thuc"),
        "nguoi_ky": parts.nguoi_ky(data["nguoi_ky"]),
        "noi_nhan": parts.noi_nhan(data["noi_nhan"], problems),
    }


def _results(data: dict, problems: Problems, profile: Profile, w: Writer) -> Built:
    """The thông báo kết quả đánh giá, xếp loại: every part's results evaluated by the rule set and stated."""
    rule_set, header, main = rating.begin(data, CODE, STAGE, problems)
    day = header.date
    results, rated_days = [main], [rating.rating_date(data)]
    for i, part in enumerate(data.get("ket_qua_them") or []):
        path = f"$.ket_qua_them[{i}].ket_qua"
        rated_on = part["ket_qua"].get("ngay_danh_gia")
        rated_on = dt.date.fromisoformat(rated_on) if rated_on else day
        results.append(rating.evaluate(part["ket_qua"], part["doi_tuong"], STAGE, rule_set, rated_on, problems, path))
        rated_days.append(rated_on)
        problems.place(
            checks.date_order(
                (rating.RATED, rated_on), ("Thông báo", day), "việc đánh giá, xếp loại phải có trước văn bản"
            ),
            join_path(path, "ngay_danh_gia"),
        )
    rating.check_dates(data, "Thông báo", rule_set, problems)

    bases = parts.data_lines(data.get("can_cu"), "$.can_cu")
    if data.get("quyet_dinh"):
        decision = DocumentHeader.cited(data["quyet_dinh"])
        bases.append((esc("Căn cứ " + decision.citation("Quyết định")), "$.quyet_dinh"))
        for rated_on in rated_days:
            problems.place(
                checks.date_order(
                    (rating.RATED, rated_on),
                    ("Quyết định được thông báo", decision.date),
                    "quyết định xếp loại kết quả của một cuộc đánh giá diễn ra sau nó",
                ),
                "$.quyet_dinh.ngay",
            )
    parts.check_cited_dates("Thông báo", header.date, bases, problems)

    nam, body = data["nam"], data["co_quan_thong_bao"]
    several = len(results) > 1
    nouns = list(dict.fromkeys(r.subject.noun for r in results))  # "tổ chức đảng, đảng viên"
    scope = ", ".join(nouns) if several else rating.scope(main)
    # each part under its heading: "ĐỐI VỚI ĐẢNG VIÊN", with the unit when two parts rate the same kind
    named = len(nouns) < len(results)
    attach = data.get("kem_danh_sach", False)
    items = []
    for r in results:
        statements = statement_items(r)
        if attach:
            statements.append("(Có danh sách kèm theo)")
        if not several:
            items += statements
            continue
        heading = rating.scope(r) if named else r.subject.noun
        items.append({"tieu_de": esc(vn.upper(f"Đối với {heading}")), "noi_dung": statements})
    if data.get("noi_dung"):
        items.append(Content(data["noi_dung"], "$.noi_dung", continues=True))  # numbered on after the results
    default = ("I.", "1.", "1.1.", "a)") if several else profile.default_scheme(NAME)
    outline = w.number_outline(items, "$.ket_qua", data.get("danh_so") or default, data.get("dau_dong"))
    lead = profile.wording("mo_dau_thong_bao_ket_qua").format(co_quan=body, pham_vi=scope, nam=nam)
    subject = profile.wording("trich_yeu_thong_bao_ket_qua").format(pham_vi=scope, nam=nam)
    context = {
        "ban_hanh": header.context(),
        "trich_yeu": parts.centred(profile, "trich_yeu", data.get("trich_yeu") or subject),
        "can_cu": parts.can_cu(w, bases, profile.can_cu_style(NAME)),
        "mo_dau": w.paragraphs(data.get("mo_dau") or [esc(lead)], "$.mo_dau"),
        "noi_dung": block(w.write_outline(outline)),
        "cac_danh_sach": [],
        **_closing(data, w, problems),
    }
    if attach:  # one list per part, each on its own page
        attached = header.citation("Thông báo", long_date=True, by=body)
        context["cac_danh_sach"] = [
            rating.annex(
                r,
                profile,
                f"Danh sách xếp loại chất lượng {rating.scope(r)} năm {nam}",
                profile.wording("kem_theo_thong_bao").format(van_ban=attached),
                "Mức xếp loại",
                data.get("sap_xep_ten", False),
            )
            for r in results
        ]
    parts.keep_with_signature(context, "can_cu", "mo_dau", "noi_dung", "ket_thuc", profile=profile)
    return Built(context, footnotes_xml=w.footnotes_xml(), header=header)


def statement_items(results: rating.Results) -> list:
    """One part's results as outline items, each sentence the rating documents' own (:mod:`docgen.rating`):
    the total and those rated, each level with its share and the excellence cap, those not rated and why."""
    items: list = [{"doan": esc(line)} for line in rating.total_lines(results)]
    base = "tỷ lệ" if results.rated else "số"
    items.append(
        {
            "doan": esc(f"Kết quả xếp loại ({base} tính trên số được đánh giá, xếp loại):"),
            "noi_dung": [{"gach": esc(line)} for line in rating.level_lines(results)]
            + [esc(s) for s in rating.cap_sentences(results)],
        }
    )
    not_rated = rating.not_rated_sentence(results)
    if not_rated:
        items.append({"doan": esc(not_rated)})
    return items


def batch_summary(doc) -> object:
    """What the checks across the documents of a batch need of one (the cap of a peer group spread over
    several units): :func:`docgen.rating.peer_summary`."""
    return rating.peer_summary(doc, STAGE, SCHEMA)


TEMPLATE_VARS = {
    **parts.HEADER_VARS,
    **parts.SIGNATURE_VARS,
    **parts.ANNEX_VARS,
    "trich_yeu": ("chuỗi", "Trích yếu dưới chữ THÔNG BÁO, đã ngắt dòng cân đối."),
    "can_cu": (parts.BLOCK, "Các căn cứ (thông báo kết quả: thêm “Căn cứ Quyết định số …”)."),
    "mo_dau": (parts.BLOCK, "Các đoạn mở đầu (thông báo kết quả: “… thông báo kết quả … như sau:”)."),
    "noi_dung": (
        parts.BLOCK,
        "Nội dung đã đánh số; thông báo kết quả: số liệu, tỷ lệ từng mức, trường hợp không xếp loại.",
    ),
    "ket_thuc": (parts.BLOCK, "Các đoạn kết thúc."),
    "cac_danh_sach": (
        "danh sách",
        "Các danh sách kèm theo, mỗi phần kết quả một danh sách (chỉ có khi kem_danh_sach là true); "
        "dùng {%p for danh_sach in cac_danh_sach %} rồi các biến danh_sach.… như trên.",
    ),
}


# ---------------------------------------------------------------- the batch's Excel workbook

WORKBOOK = x.Layout(
    title="Thông báo kết quả đánh giá, xếp loại chất lượng đảng viên",
    common=(
        x.C_REGIME,
        x.C_YEAR,
        x.C_SUPERIOR,
        x.C_ISSUER,
        x.C_SYMBOL,
        x.C_FIRST_NUMBER,
        x.C_PLACE,
        x.C_DATE,
        x.column("Cơ quan thông báo", "chung.co_quan_thong_bao", required=True),
        x.column("Căn cứ", "chung.can_cu", x.LINES),
        x.column("Đoạn mở đầu", "chung.mo_dau", x.LINES),
        x.column("Đoạn kết thúc", "chung.ket_thuc", x.LINES),
        x.column("Kèm danh sách", "chung.kem_danh_sach", x.CHOICE, x.YES_NO),
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
        *x.u_cited("quyết định", "quyet_dinh", "Cơ quan quyết định"),
        *x.U_EXCEPTION,
    ),
    members=x.M_DECIDED_RATING,
    constants={"doi_tuong": "dang_vien"},
    guide=(
        "Mỗi chi bộ một thông báo kết quả; số thông báo: văn bản đầu tiên lấy “Số bắt đầu”, các văn bản sau lấy số "
        f"liên tiếp theo thứ tự chi bộ ở sheet “{x.UNITS}”.",
        "Các cột quyết định (số, ký hiệu, ngày, cơ quan) điền khi muốn dẫn “Căn cứ Quyết định số …” của chi bộ đó.",
        "Cột “Quyết định” bỏ trống thì lấy mức ở cột “Đề xuất”. Thông báo cả tổ chức đảng và đảng viên "
        "(ket_qua_them) thì dùng tệp JSON.",
    ),
)


# ---------------------------------------------------------------- in a đảng bộ's campaign


def campaign_data(parts: dict) -> dict:
    """The đảng ủy's thông báo kết quả of a campaign (``docgen campaign``): the results of its tổ chức đảng
    (the decisions on the chi bộ) and of its members across all chi bộ (the decisions on each chi bộ's
    members), each part the decisions' own data put together, so that its counts are theirs.

    The cap's peer group stays the decisions' (they check it across the campaign); a part is rated on its
    latest chi bộ's date, when the last decided results are in, and a member of a chi bộ that met earlier on
    that chi bộ's date (``dang_vien[].ngay_danh_gia``), so that who is rated is what the decision says."""
    return _campaign(parts)[0]


def campaign_sources(parts: dict) -> dict[str, str]:
    """Where each entry of :func:`campaign_data`'s parts came from in the report's data."""
    return _campaign(parts)[1]


def _campaign(parts: dict) -> tuple[dict, dict[str, str]]:
    c, row, report = parts["chung"], parts["van_ban"], parts["bao_cao"]
    ban_hanh = {k: v for k, v in report.get("ban_hanh", {}).items() if k not in ("so", "ky_hieu", "ngay_ban_hanh")}
    ban_hanh.update({k: row[k] for k in ("ky_hieu", "ngay_ban_hanh") if row.get(k) is not None})
    unit, sources = report.get("dang_bo"), {}
    units = _joined(report.get("to_chuc") or [], "to_chuc", unit, "$.ket_qua", "bao_cao.to_chuc", sources)
    path = "$.ket_qua_them[0].ket_qua"
    members = _joined(report.get("dang_vien") or [], "dang_vien", unit, path, "bao_cao.dang_vien", sources)
    data = {
        "che_do": report.get("che_do"),
        "nam": report.get("nam"),
        "ban_hanh": ban_hanh,
        "co_quan_thong_bao": c.get("co_quan_quyet_dinh"),
        "doi_tuong": "to_chuc_dang",
        "ket_qua": units,
        "ket_qua_them": [{"doi_tuong": "dang_vien", "ket_qua": members}],
        "nguoi_ky": parts.get("nguoi_ky"),
        "noi_nhan": row.get("noi_nhan"),
    }
    return {k: v for k, v in data.items() if v is not None}, sources


def _joined(results: list, key: str, unit, path: str, there: str, sources: dict) -> dict:
    """Several decisions' ``ket_qua`` as the one of their đảng bộ: every entry, the shared settings;
    ``sources`` gets where each entry came from."""
    out = {"don_vi": {"ten": unit}, key: []}
    days = [r["ngay_danh_gia"] for r in results if r.get("ngay_danh_gia")]
    if days:
        out["ngay_danh_gia"] = max(days)
    for i, r in enumerate(results):
        day = r.get("ngay_danh_gia")
        for j, item in enumerate(r.get(key) or []):
            sources[f"{path}.{key}[{len(out[key])}]"] = f"{there}[{i}].{key}[{j}]"
            if key == "dang_vien" and day and day != out["ngay_danh_gia"]:
                item = {**item, "ngay_danh_gia": day}  # rated on its own chi bộ's day, as its decision says
                sources[f"{path}.{key}[{len(out[key])}].ngay_danh_gia"] = f"{there}[{i}].ngay_danh_gia"
            out[key].append(item)
    for setting in ("nhom_tinh_ty_le", "cai_dat", "ngoai_le_ty_le"):
        found = [(i, r[setting]) for i, r in enumerate(results) if r.get(setting) is not None]
        if found:
            i, out[setting] = found[0]  # one per peer group: differing ones are the decisions' problem
            sources[f"{path}.{setting}"] = f"{there}[{i}].{setting}"
    return out


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
    campaign=CampaignSpec("Thông báo kết quả đánh giá, xếp loại", campaign_data, campaign_sources),
)
