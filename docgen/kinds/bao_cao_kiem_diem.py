"""Kind ``bao_cao_kiem_diem``: a collective's review report (Mẫu 01) or a member's review form (2A, 2B, 2C;
02A, 02B under the 2023 regime).

The forms are data (``docgen/forms/bao_cao_kiem_diem.json``): every text they print is a wording entry with
its source and a verified / quoted_by_third_party / not_found flag, and each form's layout says where the
data goes. The data gives only the content under each heading. A part left empty is printed as dotted lines
to fill by hand, so the same kind produces a filled report and a blank form pre-filled with a member's
particulars.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache

from .. import parts, richtext, rules, vn
from ..blocks import Blocks
from ..content import TEXT_PATH, Content, Pieces, RawXml, Writer, block
from ..errors import Problems, join_path
from ..paths import FORMS_DIR
from ..profile import Profile
from ..rating import esc
from ..rules import LEVEL_NAMES, LEVELS, checks
from .base import BatchDoc, BatchSpec, Built, Kind

NAME = "bao_cao_kiem_diem"
TITLE = "Báo cáo kiểm điểm"
CODE = "BC"
SCHEMA = "bao_cao_kiem_diem.schema.json"
TEMPLATE = "bao_cao_kiem_diem_tap_the.docx"
TEMPLATE_CA_NHAN = "bao_cao_kiem_diem_ca_nhan.docx"

FORMS_FILE = FORMS_DIR / "bao_cao_kiem_diem.json"
DOTS = "…" * 12  # a name or title to write by hand in a signature block
DOTTED_LINES = 3  # lines to write by hand under a part the data leaves empty

ONLY_TAP_THE = ("ban_hanh", "tap_the", "nguoi_ky", "noi_nhan")
ONLY_CA_NHAN = (
    "dang_bo",
    "chi_bo",
    "dia_danh",
    "ngay",
    "ca_nhan",
    "ky_luat_trong_nam",
    "muc_ky_luat",
    "vi_pham_ky_luat",
    "xac_nhan_chi_bo",
    "ket_qua_xep_loai",
)
CONTENT_FIELDS = ("uu_diem", "han_che", "nguyen_nhan", "khac_phuc", "giai_trinh", "trach_nhiem", "phuong_huong")


@lru_cache(maxsize=None)
def forms() -> dict:
    return json.loads(FORMS_FILE.read_text(encoding="utf-8"))


def wording(key: str) -> dict:
    """A wording entry of the forms: its text (or parts), source and flag."""
    return forms()["wording"][key]


def word(key: str) -> str:
    return wording(key)["text"]


def form_spec(code: str) -> dict:
    return forms()["forms"][code]


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


# ---------------------------------------------------------------- the form and its items


def _form(data: dict, rule_set, problems: Problems) -> tuple[str, str]:
    """``(form number, form type)``: the type is 'tap_the', 'lanh_dao', 'dang_vien' or 'ngoai_he_thong'."""
    if data["hinh_thuc"] == "tap_the":
        if data.get("mau", "01") != rule_set.forms["tap_the"]:
            problems.add("$.mau", "form_not_in_regime", f"Báo cáo tập thể dùng Mẫu {rule_set.forms['tap_the']}.")
        return rule_set.forms["tap_the"], "tap_the"
    by_number = {number: kind for kind, number in rule_set.forms.items() if kind != "tap_the"}
    if data["mau"] not in by_number:
        allowed = ", ".join(f"{n} ({_FORM_NAMES[k]})" for n, k in sorted(by_number.items()))
        problems.add(
            "$.mau",
            "form_not_in_regime",
            f"Mẫu {data['mau']} không có trong chế độ {rule_set.id}; dùng một trong: {allowed}.",
        )
        fallback = rule_set.forms["dang_vien"]
        return fallback, "dang_vien"
    return data["mau"], by_number[data["mau"]]


_FORM_NAMES = {
    "lanh_dao": "giữ chức vụ lãnh đạo, quản lý",
    "dang_vien": "không giữ chức vụ lãnh đạo, quản lý",
    "ngoai_he_thong": "đảng viên không làm việc trong hệ thống chính trị",
}


def _nodes(nodes):
    """Every node of a form's layout, depth first, with the heading it stands under."""
    for node in nodes:
        yield node
        yield from _nodes(node.get("noi_dung") or [])


def _items(code: str) -> list[tuple[str, str, bool]]:
    """The form's part-I items ``(data code, heading text, leadership item?)`` in order."""
    out = []
    for node in _nodes(form_spec(code)["noi_dung"]):
        for child in node.get("noi_dung") or []:
            path = child.get("du_lieu", "")
            if path.startswith("uu_diem."):
                out.append((path.split(".", 1)[1], word(node["tieu_de"]), bool(child.get("lanh_dao"))))
    return out


def _has_content(data: dict) -> bool:
    return any(data.get(f) for f in CONTENT_FIELDS if not isinstance(data.get(f), dict)) or any(
        any(v for v in (data.get(f) or {}).values()) for f in ("uu_diem", "nguyen_nhan")
    )


# ---------------------------------------------------------------- checks


def _check_fields(data: dict, code: str, form_type: str, problems: Problems) -> None:
    other = ONLY_CA_NHAN if data["hinh_thuc"] == "tap_the" else ONLY_TAP_THE
    name = "báo cáo tập thể" if data["hinh_thuc"] == "tap_the" else "bản kiểm điểm cá nhân"
    for field in other:
        if field in data:
            problems.add(join_path("$", field), "field_not_in_form", f"Trường “{field}” không dùng cho {name}.")
    items = _items(code)
    codes = [c for c, _, _ in items]
    for key in data.get("uu_diem") or {}:
        if key not in codes:
            problems.add(
                join_path("$.uu_diem", key),
                "item_not_in_form",
                f"Mục “{key}” không có trong Mẫu {code}; các mục của mẫu: {', '.join(codes)}.",
            )
    for key in (data.get("tu_danh_gia") or {}).get("tieu_chi") or {}:
        if key not in codes:
            problems.add(
                join_path("$.tu_danh_gia.tieu_chi", key),
                "item_not_in_form",
                f"Mục “{key}” không có trong Mẫu {code}; các mục của mẫu: {', '.join(codes)}.",
            )
    if form_type == "lanh_dao" and _has_content(data):
        for key, heading, leader in items:
            if leader and not (data.get("uu_diem") or {}).get(key):
                problems.add(
                    join_path("$.uu_diem", key),
                    "leadership_items_missing",
                    f"Mẫu {code} (giữ chức vụ lãnh đạo, quản lý) phải kiểm điểm mục: {heading}",
                )
    conditions = (data.get("tu_danh_gia") or {}).get("dieu_kien_htxs") or {}
    if form_type != "tap_the" and "khong_co_ky_luat" in conditions:
        problems.add(
            "$.tu_danh_gia.dieu_kien_htxs.khong_co_ky_luat",
            "field_not_in_form",
            "Điều kiện “không có đơn vị trực thuộc hoặc thành viên bị kỷ luật” chỉ dùng cho báo cáo tập thể.",
        )


def _check_rating(data: dict, form_type: str, rule_set, problems: Problems) -> None:
    self_rating = data.get("tu_danh_gia") or {}
    level = self_rating.get("tu_xep_loai")
    base = "$.tu_danh_gia"
    if "diem" in self_rating:
        for breach in checks.points(self_rating["diem"], self_rating["diem"].get("tong"), level, rule_set):
            problems.add(join_path(base, "diem"), breach.code, breach.message)
    if "tieu_chi" in self_rating and rule_set.criteria_levels is None:
        problems.add(
            join_path(base, "tieu_chi"),
            "criteria_not_used",
            f"Chế độ {rule_set.id} chấm điểm, không đánh giá theo tiêu chí; dùng “diem”.",
        )
    if level:
        collective = form_type == "tap_the"
        breach = checks.excellent_conditions(self_rating.get("dieu_kien_htxs"), level, rule_set, collective)
        if breach:
            problems.add(join_path(base, "dieu_kien_htxs"), breach.code, breach.message)
        for breach in checks.tasks(self_rating.get("tien_do_nhiem_vu"), level, rule_set):
            problems.add(join_path(base, "tien_do_nhiem_vu"), breach.code, breach.message)
    breach = checks.discipline_fields(data, rule_set) if data["hinh_thuc"] == "ca_nhan" else None
    if breach:
        problems.add("$.ky_luat_trong_nam", breach.code, breach.message)
    if data.get("ky_luat_trong_nam"):
        for path, value in (
            (join_path(base, "tu_xep_loai"), level),
            ("$.xac_nhan_chi_bo.de_xuat", (data.get("xac_nhan_chi_bo") or {}).get("de_xuat")),
            ("$.ket_qua_xep_loai.xep_loai", (data.get("ket_qua_xep_loai") or {}).get("xep_loai")),
        ):
            breach = checks.discipline(data, value, rule_set, leader=form_type == "lanh_dao") if value else None
            if breach:
                problems.add(path, breach.code, breach.message)


def _check_dates(data: dict, rule_set, profile: Profile, problems: Problems) -> None:
    """The report's date in the review year, not before the regulation whose form and Phụ lục it uses, nor
    before the texts its opening cites; a member born before the form is written."""
    year = data["nam"]
    what, day = (
        ("Báo cáo", (data.get("ban_hanh") or {}).get("ngay_ban_hanh"))
        if data["hinh_thuc"] == "tap_the"
        else ("Bản kiểm điểm", data.get("ngay"))
    )
    if not day:
        return
    path = "$.ban_hanh.ngay_ban_hanh" if data["hinh_thuc"] == "tap_the" else "$.ngay"
    if dt.date.fromisoformat(day).year != year:
        problems.add(path, "date_outside_year", f"Ngày {vn.ngay_so(day)} không thuộc năm kiểm điểm {year}.")
    cited = [(parts.citation(profile, rule_set.regulation), "$.che_do")]
    parts.check_cited_dates(what, day, cited + parts.data_lines(data.get("mo_dau"), "$.mo_dau"), problems)
    born = (data.get("ca_nhan") or {}).get("ngay_sinh")
    if born:
        breach = checks.date_order(
            ("ngày sinh", dt.date.fromisoformat(born)), (what, dt.date.fromisoformat(day)), "ngày sinh sai"
        )
        if breach:
            problems.add("$.ca_nhan.ngay_sinh", breach.code, breach.message)


# ---------------------------------------------------------------- body


class _Body:
    """Turns a form's layout and the data into the outline the writer numbers."""

    def __init__(self, w: Writer, data: dict, rule_set):
        self.w, self.data, self.rules = w, data, rule_set
        self.self_rating = data.get("tu_danh_gia") or {}

    def outline(self, nodes) -> list:
        out = []
        for node in nodes:
            out.extend(self.node(node))
        return out

    def node(self, node: dict) -> list:
        children = self.outline(node.get("noi_dung") or [])
        if "tieu_de" in node:
            return [{"tieu_de": esc(word(node["tieu_de"])), "noi_dung": children}]
        if "gach" in node:
            return [{"gach": esc(word(node["gach"])), "noi_dung": children}]
        if "doan" in node:
            return [RawXml(self.w.paragraph("doan", esc(word(node["doan"])), "$.mau"))]
        if "du_lieu" in node:
            return self.content(node["du_lieu"])
        if "diem" in node:
            return self.points(wording(node["diem"]))
        if "muc_xep_loai" in node:
            return self.levels(wording(node["muc_xep_loai"]))
        if "cap_do" in node:
            return self.item_level(wording(node["cap_do"]), node["ma"])
        if "hop_kiem" in node:
            return self.ticked_rating(wording(node["hop_kiem"]))
        raise ValueError(f"unknown form node {node}")

    def dotted(self) -> list:
        return [RawXml(self.w.dotted(DOTTED_LINES))]

    def content(self, where: str) -> list:
        """The data's content at ``where`` (``uu_diem.pham_chat``, ``han_che`` …), or lines to fill by hand."""
        if where == "khac_phuc":
            return _remedies(self.data.get("khac_phuc")) or self.dotted()
        if where == "nguyen_nhan":
            causes = self.data.get("nguyen_nhan") or {}
            out = []
            for key, label in (("khach_quan", "nguyen_nhan_khach_quan"), ("chu_quan", "nguyen_nhan_chu_quan")):
                if causes.get(key):
                    path = f"$.nguyen_nhan.{key}"
                    out += [RawXml(self.w.paragraph("doan", word(label), path)), Content(causes[key], path)]
            return out or self.dotted()
        head, _, key = where.partition(".")
        value = (self.data.get(head) or {}).get(key) if key else self.data.get(head)
        return [Content(value, f"$.{where}")] if value else self.dotted()

    def points(self, spec: dict) -> list:
        """'1. Nhóm tiêu chí chung: 26/30' … 'Tổng điểm: 84/100' — the form's plain lines, with the points."""
        rules_points = self.rules.points
        if rules_points is None:
            return []
        points = self.self_rating.get("diem") or {}
        total = points.get("tong")
        if total is None and all(g in points for g in rules_points["groups"]):
            total = sum(points[g] for g in rules_points["groups"])

        def shown(value):
            return spec["blank"] if value is None else checks.number_text(value)

        out = []
        for i, (group, maximum) in enumerate(rules_points["groups"].items(), 1):
            line = spec["line"].format(ten=spec["groups"][group], diem=shown(points.get(group)), toi_da=maximum)
            out.append(RawXml(self.w.paragraph("doan", esc(line), "$.tu_danh_gia.diem", prefix=f"{i}. ")))
        line = spec["total"].format(diem=shown(total), toi_da=rules_points["total"])
        out.append(RawXml(self.w.paragraph("doan", esc(line), "$.tu_danh_gia.diem")))
        return out

    def levels(self, spec: dict) -> list:
        """The four levels as the form lists them; the one the data proposes in bold."""
        chosen = self.self_rating.get("tu_xep_loai")
        out = []
        for level in LEVELS:
            text = esc(spec["format"].format(muc=LEVEL_NAMES[level]))
            text = f"**{text}**" if level == chosen else text
            out.append({"gach": text} if spec["format"].endswith(".") else RawXml(self._plain(text)))
        return out

    def _plain(self, markup: str) -> str:
        return self.w.paragraph("doan", markup, "$.tu_danh_gia.tu_xep_loai")

    def item_level(self, spec: dict, code: str) -> list:
        """2023: 'Tự đánh giá về cấp độ thực hiện: □ Xuất sắc ■ Tốt □ Trung bình □ Kém' after an item."""
        chosen = (self.self_rating.get("tieu_chi") or {}).get(code)
        boxes = "   ".join(f"{spec['checked'] if lv == chosen else spec['box']} {lv}" for lv in spec["levels"])
        return [RawXml(self.w.paragraph("doan", esc(f"{spec['label']} {boxes}"), f"$.tu_danh_gia.tieu_chi.{code}"))]

    def ticked_rating(self, spec: dict) -> list:
        chosen = self.self_rating.get("tu_xep_loai")
        return [
            RawXml(self._plain(esc(f"{spec['checked'] if lv == chosen else spec['box']} {LEVEL_NAMES[lv]}")))
            for lv in LEVELS
        ]


def _remedies(items) -> list:
    """Each shortcoming of the previous review with where its remedy stands."""
    if not items:
        return []
    status = wording("khac_phuc")
    out = []
    for i, item in enumerate(items):
        base = f"$.khac_phuc[{i}]"
        line = [(status[item["ket_qua"]], base)]
        if item.get("muc_do"):
            line += _filled(status["muc_do"], "muc_do", item["muc_do"], base)
        if item.get("ly_do"):
            line += _filled(status["ly_do"], "ly_do", item["ly_do"], base)
        if not richtext.plain(line[-1][0]).rstrip().endswith((".", "!", "?", ")")):
            line.append((".", base))  # the sentence's end, unless the text already ends one
        out.append(
            {
                "gach": item["van_de"],
                TEXT_PATH: f"{base}.van_de",
                "noi_dung": Content([{"gach": Pieces(line), TEXT_PATH: base}], base),
            }
        )
    return [Content(out, "$.khac_phuc")]


def _filled(template: str, key: str, value: str, base: str) -> list[tuple[str, str]]:
    """The form's wording around a data field ("…, mức độ: {muc_do}") as pieces, the field with its own path."""
    before, _, after = template.partition("{" + key + "}")
    pieces = [(before, base), (parts.strip_end(value), f"{base}.{key}")]
    return pieces + [(after, base)] if after else pieces


# ---------------------------------------------------------------- confirmation blocks (individual forms)


def _signer(person: dict | None, default: dict) -> dict:
    person = person or {}
    return {
        "tham_quyen": vn.upper(person.get("tham_quyen") or default["tham_quyen"]),
        "chuc_vu": vn.upper(person.get("chuc_vu") or default["chuc_vu"]),
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
    label = word("de_xuat_chi_bo")
    proposed = (
        w.paragraph("doan", f"{esc(label)}**{LEVEL_NAMES[chi_bo['de_xuat']]}**.", "$.xac_nhan_chi_bo.de_xuat")
        if chi_bo.get("de_xuat")
        else w.dotted(1, label)
    )
    decided = data.get("ket_qua_xep_loai") or {}
    if decided.get("xep_loai"):
        by = f" ({decided['co_quan']})" if decided.get("co_quan") else ""
        result = w.paragraph(
            "doan",
            f"{esc(word('quyet_dinh_cap_tren').format(co_quan=by))}**{LEVEL_NAMES[decided['xep_loai']]}**.",
            "$.ket_qua_xep_loai",
        )
    else:
        result = w.dotted(1, word("xep_loai_trong"))
    return (
        {
            "tieu_de": word("nhan_xet_chi_bo"),
            "noi_dung": block(comment + proposed),
            **_signer(chi_bo.get("nguoi_ky"), wording("ky_chi_bo")),
        },
        {
            "tieu_de": word("ket_qua_cap_tren"),
            "noi_dung": block(result),
            **_signer(decided.get("nguoi_ky"), wording("ky_cap_tren")),
        },
    )


def _particulars(w: Writer, data: dict, spec: dict) -> str:
    """The form's particulars lines ('Họ và tên: …'), each filled from the data or left to fill by hand."""
    person = {**data["ca_nhan"], "chi_bo": data["chi_bo"]}
    if person.get("ngay_sinh"):
        person["ngay_sinh"] = vn.ngay_so(person["ngay_sinh"])
    filled = _has_content(data)  # a finished form says "Không" where a blank one leaves a line to fill
    lines = wording(spec["thong_tin"])["lines"]
    shown = {line["truong"] for line in lines}
    for key in data["ca_nhan"]:
        if (
            key not in shown
        ):  # the official form has no such line (2B, 2C: no post lines): say so, do not drop it silently
            w.problems.warn(
                join_path("$.ca_nhan", key),
                "field_not_printed",
                f"Mẫu {data['mau']} không có dòng cho “{key}” (theo mẫu chính thức) nên giá trị này không được in.",
            )
    out = []
    for line in lines:
        label, value = line["nhan"], person.get(line["truong"]) or ("Không" if filled else None)
        if value is None:
            out.append(w.dotted(1, f"{label} "))
        elif not label.endswith(":") and value.lower().startswith(label.lower() + " "):
            out.append(w.paragraph("dong_cham", esc(value), "$.ca_nhan"))  # "Chi bộ Khu dân cư số 1", not twice
        else:
            out.append(w.paragraph("dong_cham", esc(f"{label} {value}"), "$.ca_nhan"))
    return "".join(out)


# ---------------------------------------------------------------- build


def build(data: dict, problems: Problems, profile: Profile) -> Built:
    rule_set = rules.load(data.get("che_do", rules.DEFAULT_RULE_SET))
    code, form_type = _form(data, rule_set, problems)
    spec = form_spec(code)
    _check_fields(data, code, form_type, problems)
    _check_rating(data, form_type, rule_set, problems)
    _check_dates(data, rule_set, profile, problems)
    w = Writer(profile, problems)
    outline = w.number_outline(_Body(w, data, rule_set).outline(spec["noi_dung"]), "$", scheme=spec["danh_so"])
    nam = data["nam"]
    context = {"mo_dau": w.paragraphs(data.get("mo_dau"), "$.mo_dau"), "noi_dung": block(w.write_outline(outline))}
    if data["hinh_thuc"] == "tap_the":
        if not data.get("mo_dau"):
            context["mo_dau"] = block(
                w.paragraph("doan", esc(word(spec["mo_dau"]).format(tap_the=data["tap_the"])), "$")
            )
        context.update(
            {
                "ban_hanh": parts.ban_hanh(data["ban_hanh"], CODE, problems),
                "ten_loai": word(spec["ten_loai"]),
                "trich_yeu": parts.centred(
                    profile, "trich_yeu", word(spec["trich_yeu"]).format(tap_the=data["tap_the"], nam=nam)
                ),
                "nguoi_ky": parts.nguoi_ky(data["nguoi_ky"]),
                "noi_nhan": parts.noi_nhan(data["noi_nhan"], problems),
            }
        )
        parts.keep_with_signature(context, "mo_dau", "noi_dung")
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
            "ten_loai": word(spec["ten_loai"]),
            "trich_yeu": word(spec["nam"]).format(nam=nam),
            "ghi_chu_mau": word(spec["ghi_chu"]) if spec.get("ghi_chu") else "",
            "thong_tin": block(_particulars(w, data, spec)),
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
    parts.keep_with_signature(context, "thong_tin", "mo_dau", "noi_dung")
    # each confirmation (its title keeps with what follows) stays whole with its signature
    parts.keep_with_signature(context, "xac_nhan_chi_bo.noi_dung", paragraphs=100)
    parts.keep_with_signature(context, "ket_qua_xep_loai.noi_dung", paragraphs=100)
    return Built(context, footnotes_xml=w.footnotes_xml(), template=TEMPLATE_CA_NHAN)


# ---------------------------------------------------------------- batch: pre-filled forms for every member

_PARTICULARS = ("ho_ten", "ngay_sinh", "chuc_vu_dang", "chuc_vu_chinh_quyen", "don_vi_cong_tac")
# The member fields a batch of forms reads (particulars, and what decides the form and who writes one).
BATCH_MEMBER_FIELDS = (*_PARTICULARS, "ngay_vao_dang", "trang_thai", "lanh_dao_quan_ly", "mau")


def review_date(doc: dict, rule_set) -> dt.date | None:
    """The day the 6-month rule for new members counts to: the unit's rating date, else the forms' date, else
    the end of the reviews (31 December, Hướng dẫn 43 point 4.1; the rule set's ``deadline``)."""
    for value in ((doc.get("ket_qua") or {}).get("ngay_danh_gia"), doc.get("ngay")):
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return None  # the schema check of the form reports it
    if not isinstance(doc.get("nam"), int):
        return None
    month, day = (int(x) for x in rule_set.deadline["review_by"].split("-"))
    return dt.date(doc["nam"], month, day)


def batch_documents(doc: dict) -> list[BatchDoc]:
    """One form per member who writes a review, pre-filled with the particulars; the rest is left to fill.
    Who writes none is the regime's: exempt or suspended members, and under qd366 (Điều 5) members admitted
    less than 6 months before (under qd132 new members still wrote one). They are listed with the reason."""
    ket_qua = doc.get("ket_qua") or {}
    unit = (ket_qua.get("don_vi") or {}).get("ten") or ""
    try:
        rule_set = rules.load(doc.get("che_do") or rules.DEFAULT_RULE_SET)
    except KeyError:
        rule_set = rules.load()
    day = review_date(doc, rule_set)
    out = []
    for k, member in enumerate(ket_qua.get("dang_vien") or []):
        name = member.get("ho_ten") or f"đảng viên thứ {k + 1}"
        label = f"{unit} - {name}" if unit else name
        row = f"ket_qua.dang_vien[{k}]"
        origin = {"$.ca_nhan": row, "$.mau": f"{row}.mau", "$.chi_bo": "ket_qua.don_vi.ten"}
        admitted = _iso_date(member.get("ngay_vao_dang"))
        reason = checks.member_not_reviewed_reason(member.get("trang_thai"), admitted, day, rule_set) if day else None
        if reason:
            text = checks.reason_text(reason, rule_set)
            if reason == "moi_ket_nap":
                text += f" (vào Đảng ngày {vn.ngay_so(admitted)}, tính đến ngày {vn.ngay_so(day)})"
            out.append(BatchDoc(label, None, origin, skip=text))
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


def _iso_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


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


KIND = Kind(
    name=NAME,
    title=TITLE,
    code=CODE,
    schema=SCHEMA,
    layouts={TEMPLATE: template_tap_the, TEMPLATE_CA_NHAN: template_ca_nhan},
    build=build,
    template_vars=TEMPLATE_VARS,
    # one pre-filled individual form per member, not numbered
    batch=BatchSpec(batch_documents, numbered=False, member_fields=BATCH_MEMBER_FIELDS),
)
