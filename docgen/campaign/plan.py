"""The documents of a campaign, made from its envelope (:mod:`.workbook`): per chi bộ the tờ trình (issued by the
chi bộ), the đảng ủy's decision on its members and the decision on the chi bộ's own rating (both citing the
tờ trình), the pre-filled review forms and the ballot; for the đảng bộ, the report of the results (and the
thông báo when that kind is registered).

Every document is the data of a registered kind (:mod:`docgen.kinds`), built by that kind and checked by it;
this module only says which fields of the workbook each document takes (:attr:`Doc.origin`: a path of the
document → the path of the envelope it came from, so that each problem is placed at its cell).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

from .. import kinds, register, rules
from ..rules import checks
from ..header import DocumentHeader, slug
from ..kinds.bao_cao_kiem_diem.batch import batch_documents as review_forms
from ..xlsx.columns import committee
from .workbook import BAO_CAO, QD_CHI_BO, QD_DANG_VIEN, TO_TRINH

# What a campaign makes, in the order of the manifest: key → (kind name, file prefix, what it is)
PARTS = {
    TO_TRINH: ("to_trinh", "to-trinh", "Tờ trình"),
    QD_DANG_VIEN: ("quyet_dinh_xep_loai", "qd-dang-vien", "Quyết định xếp loại đảng viên"),
    QD_CHI_BO: ("quyet_dinh_xep_loai", "qd-chi-bo", "Quyết định xếp loại chi bộ"),
    "kiem_diem": ("bao_cao_kiem_diem", "kiem-diem", "Bản kiểm điểm (điền sẵn)"),
    "phieu": ("phieu_xep_loai", "phieu", "Phiếu đánh giá, xếp loại"),
    BAO_CAO: ("bao_cao_ket_qua", "bao-cao", "Báo cáo kết quả"),
}
NUMBERED = (TO_TRINH, QD_DANG_VIEN, QD_CHI_BO, BAO_CAO)


def part(key: str) -> tuple[str, str, str]:
    """(kind name, file prefix, what it is) of a document of the campaign: its own, or a kind that joins it."""
    if key in PARTS:
        return PARTS[key]
    kind = kinds.get(key)
    return kind.name, slug(kind.code), kind.campaign.label


def parts() -> list[str]:
    """Every part, in the manifest's order."""
    return [*PARTS, *(k.name for k in kinds.campaign_kinds())]


CONCERNED = "các đồng chí có tên trong danh sách kèm theo"
BALLOT_FIELDS = ("ho_ten", "ngay_vao_dang", "trang_thai")  # what the ballot reads of a member: name, who is rated
# A number the check pass puts where the register's will go: the documents are checked before any is taken.
PENDING = 1


@dataclass
class Doc:
    part: str  # key of PARTS
    label: str  # the unit or person, for messages and the manifest
    data: dict | None
    unit: int | None  # index of the chi bộ in the envelope (None: the đảng bộ's own documents)
    origin: dict[str, str] = field(default_factory=dict)  # document path prefix → envelope path
    skip: str | None = None
    cites: int | None = None  # index (in the campaign's list) of the tờ trình this decision answers
    file_name: str = ""
    # a part of this document that is another document's (the report's results are the decisions'):
    # prefix → (that document, the path of the part in it), so that a problem is placed as that document's
    delegates: dict = field(default_factory=dict)

    @property
    def kind(self):
        return kinds.get(part(self.part)[0])

    @property
    def numbered(self) -> bool:
        return self.part in NUMBERED or self.part not in PARTS  # a kind joining the campaign is the đảng ủy's

    def source(self, doc_path: str) -> str:
        """The envelope path a problem of this document points to (the longest prefix of ``origin``)."""
        for prefix, (other, there) in self.delegates.items():
            if under(doc_path, prefix):
                return other.source(there + doc_path[len(prefix) :])
        found = [p for p in self.origin if doc_path == p or doc_path.startswith((p + ".", p + "["))]
        if not found:
            return self.origin.get("$", "$")
        p = max(found, key=len)
        return self.origin[p] + doc_path[len(p) :]


def available(part: str) -> bool:
    """Whether the kind of that part is registered (the ballot and the report are kinds of their own)."""
    return PARTS[part][0] in kinds.names()


def documents(env: dict) -> list[Doc]:
    """Every document of the campaign, in the manifest's order: for each chi bộ its tờ trình, its two
    decisions, its review forms and its ballot; then the report (and the thông báo)."""
    c, out = env["chung"], []
    by_unit: list[list[Doc]] = []
    for u, unit in enumerate(env["don_vi"]):
        own = []
        to_trinh = _to_trinh(env, u, unit)
        own.append(to_trinh)
        own.append(_decision_members(env, u, unit, to_trinh))
        own.append(_decision_unit(env, u, unit, to_trinh))
        own += _forms(c, u, unit)
        if available("phieu"):
            own.append(_ballot(c, u, unit))
        by_unit.append(own)
    for own in by_unit:
        base = len(out)
        for doc in own:
            if doc.cites is not None:
                doc.cites += base
        out += own
    if available(BAO_CAO):
        out.append(_report(env, out))
        out += [_joining(env, kind, out[-1]) for kind in kinds.campaign_kinds()]
    return out


# ---------------------------------------------------------------- per chi bộ


def _unit_paths(u: int) -> dict[str, str]:
    """Fields every rating document of a chi bộ takes from the common sheet and the chi bộ's rows."""
    base = f"$.don_vi[{u}]"
    return {
        "$": base,
        "$.che_do": "$.chung.che_do",
        "$.nam": "$.chung.nam",
        "$.can_cu_them": "$.chung.can_cu_them",
        "$.sap_xep_ten": "$.chung.sap_xep_ten",
        "$.ban_hanh.dia_danh": "$.chung.ban_hanh.dia_danh",
        "$.ket_qua": f"{base}.ket_qua",
        "$.ket_qua.ngay_danh_gia": f"{base}.ngay_hop",
        "$.ket_qua.nhom_tinh_ty_le": "$.chung.nhom_tinh_ty_le",
        "$.ket_qua.cai_dat": "$.chung.cai_dat",
    }


def _to_trinh_date(env: dict, u: int, unit: dict) -> tuple[str | None, str]:
    """The tờ trình's date and where it was typed: the chi bộ's own, else the one of the "Văn bản" row."""
    if unit.get("ngay_to_trinh"):
        return unit["ngay_to_trinh"], f"$.don_vi[{u}].ngay_to_trinh"
    return env["van_ban"].get(TO_TRINH, {}).get("ngay_ban_hanh"), f"$.van_ban.{TO_TRINH}.ngay_ban_hanh"


def _common_rating(c: dict) -> dict:
    out = {"che_do": c.get("che_do"), "nam": c.get("nam")}
    for key in ("can_cu_them", "sap_xep_ten"):
        if c.get(key) is not None:
            out[key] = c[key]
    return {k: v for k, v in out.items() if v is not None}


def _ket_qua(c: dict, unit: dict, **don_vi) -> dict:
    ket_qua = {
        "don_vi": {"ten": _unit_name(unit), **{k: v for k, v in don_vi.items() if v}},
        "dang_vien": unit["ket_qua"]["dang_vien"],
        "nhom_tinh_ty_le": c.get("nhom_tinh_ty_le") or c.get("dang_bo"),
    }
    if unit.get("ngay_hop"):
        ket_qua["ngay_danh_gia"] = unit["ngay_hop"]
    if c.get("cai_dat"):
        ket_qua["cai_dat"] = c["cai_dat"]
    if unit["ket_qua"].get("ngoai_le_ty_le"):
        ket_qua["ngoai_le_ty_le"] = unit["ket_qua"]["ngoai_le_ty_le"]
    return ket_qua


def _to_trinh(env: dict, u: int, unit: dict) -> Doc:
    c, row = env["chung"], env["van_ban"].get(TO_TRINH, {})
    name, base = _unit_name(unit), f"$.don_vi[{u}]"
    day, day_path = _to_trinh_date(env, u, unit)
    data = {
        **_common_rating(c),
        "doi_tuong": "dang_vien",
        "ban_hanh": _issued(c.get("dang_bo"), name, row.get("ky_hieu"), c, day, unit.get("so_to_trinh")),
        "kinh_gui": row.get("kinh_gui") or c.get("co_quan_quyet_dinh"),
        "chu_the_trinh": committee(name),
        "ket_qua": _ket_qua(c, unit, de_xuat=unit.get("chi_bo", {}).get("de_xuat")),
        "nguoi_ky": {"tham_quyen": "T/M Chi ủy", "chuc_vu": "Bí thư", "ho_ten": unit.get("bi_thu")},
        "noi_nhan": row.get("noi_nhan"),
    }
    if unit.get("ngay_hop"):
        data["ngay_hop"] = unit["ngay_hop"]
    if (c.get("ke_hoach") or {}).get("so") is not None:
        data["ke_hoach"] = c["ke_hoach"]
    origin = {
        **_unit_paths(u),
        "$.ban_hanh": f"$.van_ban.{TO_TRINH}",
        "$.ban_hanh.ngay_ban_hanh": day_path,
        "$.ban_hanh.so": f"{base}.so_to_trinh",
        "$.ban_hanh.co_quan_ban_hanh": f"{base}.ket_qua.don_vi.ten",
        "$.ban_hanh.cap_tren": "$.chung.dang_bo",
        "$.kinh_gui": f"$.van_ban.{TO_TRINH}.kinh_gui",
        "$.noi_nhan": f"$.van_ban.{TO_TRINH}.noi_nhan",
        "$.nguoi_ky": f"{base}.bi_thu",
        "$.ngay_hop": f"{base}.ngay_hop",
        "$.ke_hoach": "$.chung.ke_hoach",
        "$.ket_qua.don_vi.de_xuat": f"{base}.chi_bo.de_xuat",
    }
    return Doc(TO_TRINH, name, _prune(data), u, origin)


def _issued(superior, issuer, ky_hieu, c: dict, day, number=None) -> dict:
    out = {
        "cap_tren": superior,
        "co_quan_ban_hanh": issuer,
        "ky_hieu": ky_hieu,
        "dia_danh": (c.get("ban_hanh") or {}).get("dia_danh"),
        "ngay_ban_hanh": day,
        "so": number,
    }
    return {k: v for k, v in out.items() if v is not None}


def _decision(env: dict, u: int, unit: dict, part: str, to_trinh: Doc, citing: int | None = None) -> tuple:
    """What both decisions of a chi bộ share: the đảng ủy's header, the căn cứ, the tờ trình they answer."""
    c, row, signer = env["chung"], env["van_ban"].get(part, {}), env["nguoi_ky"].get(part, {})
    name = _unit_name(unit)
    tt = to_trinh.data.get("ban_hanh", {})
    data = {
        **_common_rating(c),
        "ban_hanh": _issued(c.get("cap_tren"), c.get("dang_uy"), row.get("ky_hieu"), c, row.get("ngay_ban_hanh")),
        "co_quan_quyet_dinh": c.get("co_quan_quyet_dinh"),
        "to_trinh": {
            "so": tt.get("so", PENDING),
            "ky_hieu": tt.get("ky_hieu"),
            "ngay": tt.get("ngay_ban_hanh"),
            "co_quan": committee(name),
        },
        "nguoi_ky": dict(signer),
        "noi_nhan": row.get("noi_nhan"),
    }
    origin = {
        **_unit_paths(u),
        "$.ban_hanh": f"$.van_ban.{part}",
        "$.ban_hanh.co_quan_ban_hanh": "$.chung.dang_uy",
        "$.ban_hanh.cap_tren": "$.chung.cap_tren",
        "$.co_quan_quyet_dinh": "$.chung.co_quan_quyet_dinh",
        "$.to_trinh": to_trinh.origin["$.ban_hanh"],
        "$.to_trinh.ngay": to_trinh.origin["$.ban_hanh.ngay_ban_hanh"],
        "$.to_trinh.so": to_trinh.origin["$.ban_hanh.so"],
        "$.nguoi_ky": f"$.nguoi_ky.{part}",
        "$.noi_nhan": f"$.van_ban.{part}.noi_nhan",
        "$.thuc_hien": f"$.van_ban.{part}.thuc_hien",
    }
    return data, origin, row, name


def _decision_members(env: dict, u: int, unit: dict, to_trinh: Doc) -> Doc:
    data, origin, row, name = _decision(env, u, unit, QD_DANG_VIEN, to_trinh)
    c = env["chung"]
    level = unit.get("chi_bo", {})
    data["doi_tuong"] = "dang_vien"
    data["thuc_hien"] = [*(row.get("thuc_hien") or []), committee(name), CONCERNED]
    data["ket_qua"] = _ket_qua(c, unit, de_xuat=level.get("de_xuat"), quyet_dinh=level.get("quyet_dinh"))
    origin["$.ket_qua.don_vi.quyet_dinh"] = f"$.don_vi[{u}].chi_bo.quyet_dinh"
    origin["$.ket_qua.don_vi.de_xuat"] = f"$.don_vi[{u}].chi_bo.de_xuat"
    return Doc(QD_DANG_VIEN, name, _prune(data), u, origin, cites=0)


def _unit_name(unit: dict) -> str:
    """The chi bộ's name; a row without one (a problem of its cell) is still checked, under a stand-in."""
    return unit["ket_qua"].get("don_vi", {}).get("ten") or "(chi bộ chưa ghi tên)"


def _head(unit: dict) -> tuple[int, dict] | None:
    for i, m in enumerate(unit["ket_qua"]["dang_vien"]):
        if m.get("nguoi_dung_dau"):
            return i, m
    return None


def _decision_unit(env: dict, u: int, unit: dict, to_trinh: Doc) -> Doc:
    """The decision on the chi bộ's own rating: one organisation, its head (the member marked as such) with
    the head's decided level, so that the rule "the head is not rated above the unit" is checked here too."""
    data, origin, row, name = _decision(env, u, unit, QD_CHI_BO, to_trinh)
    c, own, base = env["chung"], unit.get("chi_bo", {}), f"$.don_vi[{u}]"
    organisation = {"ten": name, **{k: own[k] for k in ("tu_xep_loai", "de_xuat", "quyet_dinh") if own.get(k)}}
    head = _head(unit)
    if head is not None:
        i, member = head
        level = member.get("quyet_dinh") or member.get("de_xuat")
        if level:
            organisation["nguoi_dung_dau"] = {
                "ho_ten": member["ho_ten"],
                **({"chuc_vu": member["chuc_vu_dang"]} if member.get("chuc_vu_dang") else {}),
                "xep_loai": level,
            }
            origin["$.ket_qua.to_chuc[0].nguoi_dung_dau"] = f"{base}.ket_qua.dang_vien[{i}]"
            origin["$.ket_qua.to_chuc[0].nguoi_dung_dau.xep_loai"] = f"{base}.ket_qua.dang_vien[{i}].quyet_dinh"
    organisation["thong_ke_dang_vien"] = _member_counts(c, unit)
    dang_bo = c.get("dang_bo")
    ket_qua = {
        "don_vi": {"ten": dang_bo},
        "to_chuc": [organisation],
        "nhom_tinh_ty_le": f"{c.get('nhom_tinh_ty_le') or dang_bo} (tổ chức đảng)",
    }
    if unit.get("ngay_hop"):
        ket_qua["ngay_danh_gia"] = unit["ngay_hop"]
    if c.get("cai_dat"):
        ket_qua["cai_dat"] = c["cai_dat"]
    data["doi_tuong"] = "to_chuc_dang"
    data["thuc_hien"] = [*(row.get("thuc_hien") or []), committee(name)]
    data["ket_qua"] = ket_qua
    data["trich_yeu"] = f"về việc xếp loại chất lượng {name} năm {c.get('nam')}"
    origin.update(
        {
            "$.ket_qua.don_vi": "$.chung.dang_bo",
            "$.ket_qua.to_chuc": f"{base}.chi_bo",
            "$.ket_qua.to_chuc[0].ten": f"{base}.ket_qua.don_vi.ten",
            "$.ket_qua.to_chuc[0].tu_xep_loai": f"{base}.chi_bo.tu_xep_loai",
            "$.ket_qua.to_chuc[0].de_xuat": f"{base}.chi_bo.de_xuat",
            "$.ket_qua.to_chuc[0].quyet_dinh": f"{base}.chi_bo.quyet_dinh",
            "$.trich_yeu": f"{base}.ket_qua.don_vi.ten",
        }
    )
    return Doc(QD_CHI_BO, f"{name} (xếp loại chi bộ)", _prune(data), u, origin, cites=0)


def _member_counts(c: dict, unit: dict) -> dict[str, int]:
    """The chi bộ's members by decided level (those the rule set rates), for the rules that weigh a chi bộ's
    rating against its members' (qd132, qd124: the organisation thresholds)."""
    try:
        rule_set = rules.load(c.get("che_do") or rules.DEFAULT_RULE_SET)
    except KeyError:
        rule_set = rules.load()  # an unknown regime is its cell's problem
    day = _iso(unit.get("ngay_hop"))
    counts = dict.fromkeys(rules.LEVELS, 0)
    for m in unit["ket_qua"]["dang_vien"]:
        level = m.get("quyet_dinh") or m.get("de_xuat")
        if level in counts and day:
            if not checks.member_not_rated_reason(m.get("trang_thai"), _iso(m.get("ngay_vao_dang")), day, rule_set):
                counts[level] += 1
    return counts


def _iso(value):
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _forms(c: dict, u: int, unit: dict) -> list[Doc]:
    """The pre-filled review forms of the chi bộ's members (the review-report kind's own batch rule: who
    writes one, which form)."""
    merged = {
        "che_do": c.get("che_do"),
        "nam": c.get("nam"),
        "dang_bo": c.get("dang_bo"),
        "dia_danh": (c.get("ban_hanh") or {}).get("dia_danh"),
        "ket_qua": {k: v for k, v in unit["ket_qua"].items() if k in ("don_vi", "dang_vien")},
    }
    if unit.get("ngay_hop"):
        merged["ket_qua"]["ngay_danh_gia"] = unit["ngay_hop"]
    out = []
    base = f"$.don_vi[{u}]"
    for doc in review_forms(_prune(merged)):
        origin = {"$": base, "$.che_do": "$.chung.che_do", "$.nam": "$.chung.nam", "$.dang_bo": "$.chung.dang_bo"}
        origin.update({k: f"{base}.{v}" for k, v in (doc.origin or {}).items()})
        out.append(Doc("kiem_diem", doc.label, doc.data, u, origin, skip=doc.skip))
    return out


def _ballot(c: dict, u: int, unit: dict) -> Doc:
    name = _unit_name(unit)
    data = {
        "che_do": c.get("che_do"),
        "nam": c.get("nam"),
        "dang_bo": c.get("dang_bo"),
        "dia_danh": (c.get("ban_hanh") or {}).get("dia_danh"),
        "ngay": unit.get("ngay_hop"),
        "chi_bo": name,
        "ngay_danh_gia": unit.get("ngay_hop"),
        "dang_vien": [{k: m[k] for k in BALLOT_FIELDS if k in m} for m in unit["ket_qua"]["dang_vien"]],
    }
    base = f"$.don_vi[{u}]"
    origin = {
        **_unit_paths(u),
        "$.chi_bo": f"{base}.ket_qua.don_vi.ten",
        "$.ngay_danh_gia": f"{base}.ngay_hop",
        "$.dang_vien": f"{base}.ket_qua.dang_vien",
        "$.dang_bo": "$.chung.dang_bo",
        "$.dia_danh": "$.chung.ban_hanh.dia_danh",
        "$.ngay": f"$.don_vi[{u}].ngay_hop",
    }
    return Doc("phieu", name, _prune(data), u, origin)


# ---------------------------------------------------------------- the đảng bộ


def _report(env: dict, docs: list[Doc]) -> Doc:
    """The report of the results: the decisions' own results (members per chi bộ, the chi bộ), summed."""
    c, row, signer = env["chung"], env["van_ban"].get(BAO_CAO, {}), env["nguoi_ky"].get(BAO_CAO, {})
    members = [d for d in docs if d.part == QD_DANG_VIEN]
    units = [d for d in docs if d.part == QD_CHI_BO]
    data = {
        "che_do": c.get("che_do"),
        "nam": c.get("nam"),
        "ban_hanh": _issued(c.get("cap_tren"), c.get("dang_uy"), row.get("ky_hieu"), c, row.get("ngay_ban_hanh")),
        "kinh_gui": row.get("kinh_gui"),
        "dang_bo": c.get("dang_bo"),
        "dang_vien": [copy.copy(d.data.get("ket_qua")) for d in members],
        "to_chuc": [copy.copy(d.data.get("ket_qua")) for d in units],
        "nguoi_ky": dict(signer),
        "noi_nhan": row.get("noi_nhan"),
    }
    origin = {
        "$": f"$.van_ban.{BAO_CAO}",
        "$.che_do": "$.chung.che_do",
        "$.nam": "$.chung.nam",
        "$.dang_bo": "$.chung.dang_bo",
        "$.ban_hanh.dia_danh": "$.chung.ban_hanh.dia_danh",
        "$.ban_hanh.co_quan_ban_hanh": "$.chung.dang_uy",
        "$.ban_hanh.cap_tren": "$.chung.cap_tren",
        "$.nguoi_ky": f"$.nguoi_ky.{BAO_CAO}",
    }
    delegates = {f"$.dang_vien[{i}]": (d, "$.ket_qua") for i, d in enumerate(members)}
    delegates.update({f"$.to_chuc[{i}]": (d, "$.ket_qua") for i, d in enumerate(units)})
    return Doc(BAO_CAO, c.get("dang_bo") or "Đảng bộ", _prune(data), None, origin, delegates=delegates)


def _joining(env: dict, kind, report: Doc) -> Doc:
    """A document of a kind that joins the campaign (``Kind.campaign``), made by the kind from the results."""
    row, signer = env["van_ban"].get(kind.name, {}), env["nguoi_ky"].get(kind.name, {})

    def given():
        return {
            "chung": env["chung"],
            "van_ban": dict(row),
            "nguoi_ky": dict(signer),
            "bao_cao": copy.deepcopy(report.data),
        }

    data = kind.campaign.data(given())
    # a part taken from the report is placed as the report places it (at the decisions' cells)
    sources = kind.campaign.sources(given()) if kind.campaign.sources else {}
    delegates = {
        path: (report, "$" + there.removeprefix(BAO_CAO)) for path, there in sources.items() if under(there, BAO_CAO)
    }
    origin = {
        "$": f"$.van_ban.{kind.name}",
        "$.ban_hanh": f"$.van_ban.{kind.name}",
        "$.ban_hanh.co_quan_ban_hanh": "$.chung.dang_uy",
        "$.ban_hanh.cap_tren": "$.chung.cap_tren",
        "$.ban_hanh.dia_danh": "$.chung.ban_hanh.dia_danh",
        "$.nguoi_ky": f"$.nguoi_ky.{kind.name}",
        "$.noi_nhan": f"$.van_ban.{kind.name}.noi_nhan",
        "$.kinh_gui": f"$.van_ban.{kind.name}.kinh_gui",
        "$.che_do": "$.chung.che_do",
        "$.nam": "$.chung.nam",
    }
    return Doc(kind.name, report.label, _prune(data), None, origin, delegates=delegates)


def _prune(value):
    """Drop the fields the workbook left empty (None): the kinds' schemas speak of what is there."""
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v is not None}
    return value


# ---------------------------------------------------------------- checking past a wrong shared cell

# Parts of a document no rule reads, and a well-formed value to check the rest with when the data's is wrong
# (its own problem is reported already); None: the part is left out.
_FILLER = "…"
STAND_INS = {
    "$.nguoi_ky": lambda kind: {"tham_quyen": "T/M " + _FILLER, "chuc_vu": _FILLER, "ho_ten": _FILLER},
    "$.ban_hanh.ky_hieu": lambda kind: f"{kind.code}/X",
    "$.ban_hanh.co_quan_ban_hanh": lambda kind: _FILLER,
    "$.ban_hanh.cap_tren": None,
    "$.ban_hanh.dia_danh": lambda kind: _FILLER,
    "$.noi_nhan": lambda kind: [_FILLER],
    "$.kinh_gui": lambda kind: _FILLER,
    "$.chu_the_trinh": lambda kind: _FILLER,
    "$.co_quan_quyet_dinh": lambda kind: _FILLER,
    "$.thuc_hien": lambda kind: [_FILLER],
    "$.ke_hoach": None,
    "$.can_cu_them": None,
    "$.to_trinh.ky_hieu": lambda kind: "TTr/X",
}


def under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def with_stand_ins(doc: Doc, prefixes) -> dict:
    """The document's data with a stand-in at each of ``prefixes`` (see :data:`STAND_INS`)."""
    data = copy.deepcopy(doc.data)
    for prefix in prefixes:
        *parents, last = prefix[2:].split(".")
        node = data
        for key in parents:
            node = node.setdefault(key, {})
        make = STAND_INS[prefix]
        if make is None:
            node.pop(last, None)
        else:
            node[last] = make(doc.kind)
    return data


# ---------------------------------------------------------------- numbers


def request(doc: Doc) -> register.Request:
    """What the register needs of a numbered document. Its fingerprint leaves out the number it cites
    (the tờ trình's, given by the register in the same step), so that a re-run finds the same document."""
    data = doc.data
    ban_hanh = data["ban_hanh"]
    header = DocumentHeader.from_data(ban_hanh)
    content = copy.deepcopy(data)
    content.get("to_trinh", {}).pop("so", None)
    signer = data.get("nguoi_ky") or {}
    return register.Request(
        issuer=ban_hanh["co_quan_ban_hanh"],
        ky_hieu=ban_hanh["ky_hieu"],
        date=header.date,
        kind=doc.kind.name,
        trich_yeu=data.get("trich_yeu", ""),
        unit=doc.label,
        title=part(doc.part)[2],
        fingerprint=register.fingerprint(content),
        number=ban_hanh.get("so") if doc.part == TO_TRINH else None,
        key=f"campaign\x1f{doc.part}\x1f{doc.label}",
        signer=signer.get("ho_ten", ""),
        recipients=list(data.get("noi_nhan") or []),
        path=doc.source("$"),
    )
