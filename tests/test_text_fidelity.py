"""Data text reaches the page exactly, for every text field of every kind, except the changes README lists.

The list of changes is README's "Text on the page" table (between ``<!-- text-rules -->`` markers): this test
reads it and nothing else to know which field may be upper-cased, which has markup, which loses its final
punctuation. How it works, for each kind:

1. every text field of the kind's schema is listed by walking ``schemas/`` (strings that are not enums,
   dates or pattern-checked codes), and each must occur in one of the base documents below (the samples,
   completed with the optional parts they lack) — a field the schema gains fails here until it is covered;
2. the base is rendered with a unique token ("qXzvbadK") in every text field: where each token shows up
   tells which paragraphs a field reaches and how (as typed, or upper-cased); a field that never shows up
   must be listed as not printed, and an upper-cased one as upper-cased;
3. then, round after round, every field gets a different string of an adversarial corpus (markup and Jinja
   delimiters, docxtpl's escapes, XML specials, tone variants and NFD, long words, runs of spaces, no-break
   spaces, emoji, bidi marks …) and every paragraph must read exactly as the base one with each token
   replaced by what the README's rules make of that string — and no other paragraph may change.

Strings the rules refuse (an unclosed ``*`` in a markup field, a typed "1. " in an outline item) are checked
apart: the document is refused, with the field's path and the documented code.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import unicodedata

import pytest
from conftest import load_sample
from docx_read import Doc

from docgen import api, kinds, parts, vn
from docgen.errors import join_path
from conftest import ROOT
from docgen.paths import SCHEMAS_DIR
from docgen.profile import load_profile, style_id

# ---------------------------------------------------------------- README's rules


def readme_rules() -> dict[str, list[str]]:
    """rule code → the selectors of the fields (or definitions, or profile elements) it applies to."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- text-rules -->")[1].split("<!-- /text-rules -->")[0]
    rules = {}
    for line in table.splitlines():
        cells = line.split(" | ")
        if line.startswith("| `") and len(cells) >= 3:
            rules[cells[0].strip("| `")] = re.findall(r"`([^`]+)`", cells[1])
    return rules


RULES = readme_rules()


def _selector(selector: str) -> tuple[str | None, re.Pattern]:
    kind, _, path = selector.rpartition(":")
    return kind or None, re.compile("^" + re.escape(path).replace(r"\*", ".*") + "$")


def applies(rule: str, field: Field) -> bool:
    for selector in RULES.get(rule, []):
        if selector.startswith("#"):  # a definition (#muc), or the fields of one (#muc.*)
            name, _, member = selector[1:].partition(".")
            if (not member and field.definition == name) or (member and field.owner == name):
                return True
        elif not selector.startswith("@"):
            kind, pattern = _selector(selector)
            if (kind is None or kind == field.kind) and pattern.match(field.path):
                return True
    return False


def centred_styles() -> set[str]:
    """Styles whose lines may break at a space (a centred title; the place-and-date line that does not fit)."""
    return {style_id(s[1:]) for s in RULES["centred"] + RULES.get("date_line", []) if s.startswith("@")}


# ---------------------------------------------------------------- the schema's text fields


class Field:
    """A text field: its path, the schema definition it is (if any) and the one whose property it is."""

    def __init__(self, kind: str, path: str, definition: str | None, owner: str | None, pattern: str | None):
        self.kind, self.path, self.definition, self.owner, self.pattern = kind, path, definition, owner, pattern

    def __repr__(self) -> str:
        return f"{self.kind}:{self.path}"

    @property
    def prefix(self) -> str:
        """What a value must start with to match the field's pattern ("T/M " for an authority)."""
        return "T/M " if self.pattern and self.pattern.startswith("^(T/M") else ""


def _schemas() -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS_DIR.glob("*.schema.json")}


def text_fields(kind: str) -> list[Field]:
    """Every text field of the kind's schema; a recursive definition (the outline) is walked two levels deep."""
    files, out = _schemas(), []

    def walk(node, base, path, definition=None, seen=(), owner=None):
        if "$ref" in node:
            file, _, pointer = node["$ref"].partition("#")
            file = file or base
            target = files[file]
            for part in pointer.strip("/").split("/"):
                target = target[part]
            name = pointer.rsplit("/", 1)[-1]
            if seen.count((file, name)) >= 2:
                return
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return walk({**target, **rest}, file, path, name, seen + ((file, name),), owner)
        types = node.get("type") or []
        types = [types] if isinstance(types, str) else types
        if "string" in types and "enum" not in node and "format" not in node:
            out.append(Field(kind, path, definition, owner, node.get("pattern")))
        for name, sub in node.get("properties", {}).items():
            walk(sub, base, f"{path}.{name}" if path else name, None, seen, definition)
        for sub in node.get("patternProperties", {}).values():
            walk(sub, base, f"{path}.*", None, seen, definition)
        if isinstance(node.get("items"), dict):
            walk(node["items"], base, path + "[]", None, seen)

    module = kinds.get(kind)
    walk(files[module.schema], module.schema, "")
    return [f for f in out if not applies("code", f)]


# ---------------------------------------------------------------- base documents: the samples, completed

FILLER = "Nội dung thêm để kiểm tra"


def _with_outlines(kind: str, data: dict, sections: list[str]) -> dict:
    """``data`` with one of each kind of outline item (two levels deep) added to each section, where the
    section's depth allows it (an item the kind refuses there is left out)."""
    candidates = [
        FILLER,
        {"doan": FILLER},
        {"gach": FILLER},
        {"tieu_de": FILLER},
        {"gach": FILLER, "noi_dung": [FILLER, {"gach": FILLER}]},
        {"tieu_de": FILLER, "noi_dung": [FILLER, {"doan": FILLER}, {"gach": FILLER}, {"tieu_de": FILLER}]},
    ]
    for dotted in sections:
        *parents, last = dotted.split(".")
        node = data
        for key in parents:
            node = node.setdefault(key, {})
        for item in candidates:
            before = list(node.get(last) or [])
            node[last] = before + [copy.deepcopy(item)]
            if api.validate(kind, data):
                node[last] = before
    return data


def _override(reason: str = "Lý do đặc biệt") -> dict:
    return {"ly_do": reason, "can_cu": "Kết luận số 12-KL/ĐU ngày 10/12/2025 của Ban Thường vụ"}


def _rating_extras(data: dict, stage: str) -> dict:
    data["sap_xep_ten"] = False  # the annex keeps the input order: rows stay where they were
    data["trich_yeu"] = FILLER
    results = data["ket_qua"]
    results["ngoai_le_ty_le"] = _override()
    items = results.get("dang_vien") or results.get("to_chuc") or results.get("tap_the_lanh_dao")
    for item in items:
        item["nhom"] = "Nhóm chung"
    items[0]["ghi_chu"] = FILLER
    if "dang_vien" in results:
        disciplined = next(m for m in items if m.get("ky_luat_trong_nam"))
        disciplined["ngoai_le_ky_luat"] = _override()
        head = next(m for m in items if m.get("nguoi_dung_dau"))
        results["don_vi"][stage] = "HTNV"  # the head above the unit: the exception is printed
        head["ngoai_le_nguoi_dung_dau"] = _override()
    else:
        first = items[0]
        first["nguoi_dung_dau"]["xep_loai"] = "HTXSNV"
        first["ngoai_le_nguoi_dung_dau"] = _override()
    return data


def _named_group(data: dict) -> dict:
    """The unit's list counted as one named peer group (the group's name is printed, not each record's)."""
    results = data["ket_qua"]
    for item in results.get("dang_vien") or results.get("to_chuc") or results.get("tap_the_lanh_dao"):
        item.pop("nhom", None)
    results["nhom_tinh_ty_le"] = FILLER
    return data


def _collectives(data: dict, list_key: str, stage: str) -> dict:
    source = load_sample("quyet_dinh_xep_loai_to_chuc_dang_hong_quang_2025.json")["ket_qua"]
    items = copy.deepcopy(source["to_chuc"])
    for item in items:
        item.pop("quyet_dinh", None) if stage == "de_xuat" else None
    data["doi_tuong"] = "to_chuc_dang" if list_key == "to_chuc" else "tap_the_lanh_dao"
    rated_on = data["ket_qua"].get("ngay_danh_gia") or source["ngay_danh_gia"]  # the document's own, in date order
    data["ket_qua"] = {"don_vi": dict(source["don_vi"]), "ngay_danh_gia": rated_on, list_key: items}
    return data


def bases() -> list[tuple[str, str, dict]]:
    """(kind, name, data): every sample, with the optional parts the samples do not show added."""
    out = []
    for name in ("ke_hoach_hong_quang_2025.json", "ke_hoach_nguyen_nghiem_2023.json"):
        out.append(("ke_hoach", name, _with_outlines("ke_hoach", load_sample(name), ["noi_dung"])))
    personal = [
        "han_che",
        "nguyen_nhan.khach_quan",
        "nguyen_nhan.chu_quan",
        "giai_trinh",
        "trach_nhiem",
        "phuong_huong",
    ]
    collective = ["uu_diem.nguyen_tac", "uu_diem.ket_qua_nhiem_vu", "uu_diem.xay_dung_dang"]
    collective += ["uu_diem.trach_nhiem_lanh_dao"] + personal
    tap_the = load_sample("bao_cao_kiem_diem_tap_the_khu_dan_cu_so_1_2025.json")
    out.append(("bao_cao_kiem_diem", "tap_the", _with_outlines("bao_cao_kiem_diem", tap_the, collective)))
    form_2a = load_sample("bao_cao_kiem_diem_2a_nguyen_van_hung_2025.json")
    leadership = ["uu_diem.lanh_dao_quan_ly", "uu_diem.trach_nhiem_doi_moi", "uu_diem.neu_guong"]
    own = ["uu_diem.pham_chat", "uu_diem.nhiem_vu", "uu_diem.cam_ket", "xac_nhan_chi_bo.nhan_xet"]
    out.append(("bao_cao_kiem_diem", "2a", _with_outlines("bao_cao_kiem_diem", form_2a, own + leadership + personal)))
    form_02a = load_sample("bao_cao_kiem_diem_02a_tran_thi_thu_trang_2023.json")
    form_02a["ca_nhan"]["chuc_vu_doan_the"] = FILLER  # the 2023 forms' own particulars line
    out.append(("bao_cao_kiem_diem", "02a", form_02a))
    for name in ("2b_ly_thi_ngoc_anh_2025", "2c_dang_van_son_2025"):
        out.append(("bao_cao_kiem_diem", name, load_sample(f"bao_cao_kiem_diem_{name}.json")))

    qd = load_sample("quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json")
    qd["dieu_2"] = FILLER
    out.append(("quyet_dinh_xep_loai", "dang_vien", _rating_extras(qd, "quyet_dinh")))
    qd_tc = load_sample("quyet_dinh_xep_loai_to_chuc_dang_hong_quang_2025.json")
    out.append(("quyet_dinh_xep_loai", "to_chuc", _rating_extras(qd_tc, "quyet_dinh")))
    qd_lead = _collectives(copy.deepcopy(qd_tc), "tap_the_lanh_dao", "quyet_dinh")
    out.append(("quyet_dinh_xep_loai", "tap_the_lanh_dao", _rating_extras(qd_lead, "quyet_dinh")))
    out.append(
        ("quyet_dinh_xep_loai", "nhom_tinh_ty_le", _named_group(_rating_extras(copy.deepcopy(qd), "quyet_dinh")))
    )

    tt = load_sample("to_trinh_khu_dan_cu_so_1_2025.json")
    tt["de_nghi"], tt["can_cu_them"] = FILLER, [FILLER]
    out.append(("to_trinh", "dang_vien", _rating_extras(copy.deepcopy(tt), "de_xuat")))
    for list_key in ("to_chuc", "tap_the_lanh_dao"):
        data = _rating_extras(_collectives(copy.deepcopy(tt), list_key, "de_xuat"), "de_xuat")
        out.append(("to_trinh", list_key, data))
    out.append(("to_trinh", "nhom_tinh_ty_le", _named_group(_rating_extras(copy.deepcopy(tt), "de_xuat"))))

    cv = load_sample("cong_van_hong_quang_2025.json")
    cv["can_cu"] = ["Căn cứ Kế hoạch số 15-KH/ĐU, ngày 27/11/2025 của Ban Thường vụ Đảng ủy phường", FILLER]
    cv["noi_dung"][1]["doan"] += "[^hd43]"  # the first doan gets the token; the second keeps its footnote
    cv["chu_thich"] = {"hd43": "Hướng dẫn số 43-HD/BTCTW, ngày 31/10/2025 của Ban Tổ chức Trung ương."}
    out.append(("cong_van", "nhieu_noi", _with_outlines("cong_van", cv, ["noi_dung"])))
    one = copy.deepcopy(cv)
    one["kinh_gui"], one["nhu_tren"] = ["Các chi bộ trực thuộc Đảng bộ phường"], False
    out.append(("cong_van", "mot_noi", one))

    tb = load_sample("thong_bao_ket_luan_hong_quang_2025.json")
    tb["can_cu"] = ["Căn cứ Kế hoạch số 15-KH/ĐU, ngày 27/11/2025 của Ban Thường vụ Đảng ủy phường", FILLER]
    tb["noi_dung"][1]["noi_dung"][0] += "[^kh]"  # the second plain paragraph: the first gets the token
    tb["chu_thich"] = {"kh": "Kế hoạch triển khai công tác kiểm điểm năm 2025."}
    out.append(("thong_bao", "chung", _with_outlines("thong_bao", tb, ["noi_dung"])))
    for name, main, extra in (("dang_vien", qd, qd_tc), ("to_chuc", qd_tc, qd_lead), ("tap_the_lanh_dao", qd_lead, qd)):
        out.append(("thong_bao", name, _notice(main, extra)))
    out.append(
        ("thong_bao", "nhom_tinh_ty_le", _notice(_named_group(copy.deepcopy(qd)), _named_group(copy.deepcopy(qd))))
    )
    report = load_sample("bao_cao_ket_qua_dang_bo_hong_quang_2025.json")
    report["trich_yeu"] = FILLER
    out.append(("bao_cao_ket_qua", "dang_bo", report))
    out.append(("phieu_xep_loai", "chi_bo", load_sample("phieu_xep_loai_chi_bo_khu_dan_cu_so_2_2025.json")))
    return out


def _notice(main: dict, extra: dict) -> dict:
    """A thông báo kết quả of a decision's results (with its optional parts shown), with a second part and the
    lists attached; dated after both decisions."""
    data = {
        "che_do": main["che_do"],
        "doi_tuong": main["doi_tuong"],
        "nam": main["nam"],
        "ban_hanh": {**main["ban_hanh"], "ky_hieu": "TB/ĐU", "ngay_ban_hanh": "2025-12-28"},
        "trich_yeu": FILLER,
        "can_cu": [FILLER],
        "co_quan_thong_bao": "Ban Thường vụ Đảng ủy phường Hồng Quang",
        "quyet_dinh": {"so": 118, "ky_hieu": "QĐ/ĐU", "ngay": "2025-12-22", "co_quan": "Ban Thường vụ Đảng ủy phường"},
        "kem_danh_sach": True,
        "sap_xep_ten": False,
        "ket_qua": copy.deepcopy(main["ket_qua"]),
        "ket_qua_them": [{"doi_tuong": extra["doi_tuong"], "ket_qua": copy.deepcopy(extra["ket_qua"])}],
        "noi_dung": [{"doan": FILLER}],
        "ket_thuc": [FILLER],
        "nguoi_ky": main["nguoi_ky"],
        "noi_nhan": main["noi_nhan"],
    }
    return data


BASES = bases()


# ---------------------------------------------------------------- fields in a document


def instances(data, path: str) -> list[tuple]:
    """Concrete places (key and index tuples) of a field path in data, where the value is a string."""
    segments = [s for s in path.replace("[]", ".[]").split(".") if s]
    found = []

    def walk(node, i, at):
        if i == len(segments):
            if isinstance(node, str):
                found.append(at)
            return
        s = segments[i]
        if s == "[]" and isinstance(node, list):
            for j, item in enumerate(node):
                walk(item, i + 1, at + (j,))
        elif s == "*" and isinstance(node, dict):
            for key, item in node.items():
                walk(item, i + 1, at + (key,))
        elif isinstance(node, dict) and s in node:
            walk(node[s], i + 1, at + (s,))

    walk(data, 0, ())
    return found


def json_path(at: tuple) -> str:
    out = "$"
    for key in at:
        out = join_path(out, key)
    return out


def put(data, at: tuple, value: str) -> None:
    node = data
    for key in at[:-1]:
        node = node[key]
    node[at[-1]] = value


def token(n: int) -> str:
    """A word nothing normalises, unique, not a substring of another token, showing any change of case."""
    letters = ""
    for _ in range(3):
        n, r = divmod(n, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
    return f"qXzv{letters}K"


def page(docx: bytes) -> list[tuple[str, str | None]]:
    """(text, style) of every paragraph of the body (tables included) and of the footnotes."""
    doc = Doc(docx)
    paras = list(doc.paras)
    for note in doc.footnotes.values():
        paras += note if isinstance(note, list) else [note]
    return [(p.text, p.style) for p in paras]


# ---------------------------------------------------------------- what the rules make of a string


def reference_markup(source: str) -> tuple[str, set[str]]:
    """The markup as README describes it, written independently of docgen.richtext: (text, refusals)."""
    out, refused, i = [], set(), 0
    italic = bold = False
    while i < len(source):
        c = source[i]
        if c == "\\" and i + 1 < len(source) and source[i + 1] in "*[\\":
            out.append(source[i + 1])
            i += 2
        elif c == "*":
            j = i
            while j < len(source) and source[j] == "*":
                j += 1
            if j - i > 3:
                refused.add("markup_stars")
            italic ^= (j - i) in (1, 3)
            bold ^= (j - i) in (2, 3)
            i = j
        elif m := re.match(r"\[([\^#])[A-Za-z0-9_]+\]", source[i:]):
            refused.add("footnote_undefined" if m.group(1) == "^" else "xref_undefined")
            i += m.end()
        else:
            out.append(c)
            i += 1
    if italic or bold:
        refused.add("markup_unclosed")
    return "".join(out), refused


_TYPED_NUMBER = re.compile(r"^\s*(?:(?:[IVXLC]+|[A-Za-zĐđ]|\d+(?:\.\d+)*)[.)\-]|[-+•–])\s")
_LINE_END = re.compile(r"[\s;,.:]+$")
_LEADING_BULLET = re.compile(r"^\s*[-–•+]\s*")


def refusals(field: Field, value: str, issued: dt.date | None = None) -> set[str]:
    """The codes README's rules refuse ``value`` with in ``field`` (empty: it is printed); ``issued``: the date of
    the document the field is in."""
    codes = set()
    text = vn.chuan_hoa(value)
    if applies("cited_dates", field) and issued and any(d > issued for d in parts.cited_dates(text)):
        codes.add("date_order")
    if applies("markup", field):
        codes |= reference_markup(text)[1]
        if field.path.startswith("chu_thich.") and "footnote_undefined" in codes:
            codes = codes - {"footnote_undefined"} | {"footnote_nested"}  # no footnote inside a footnote
    if applies("numbering", field) and _TYPED_NUMBER.match(reference_markup(text)[0]):
        codes.add("typed_numbering")
    return codes


def rendition(field: Field, value: str, shown: str, at_line_end: bool) -> str:
    """What ``value`` becomes on the page where the field's token appeared as ``shown``."""
    text = vn.chuan_hoa(value)
    if applies("recipient", field) or applies("can_cu_line", field):
        text = _LEADING_BULLET.sub("", _LINE_END.sub("", text))
    elif applies("line_end", field) and at_line_end:
        text = _LINE_END.sub("", text)
    if applies("markup", field):
        text = reference_markup(text)[0]
    return vn.upper(text) if shown == "upper" else text


# ---------------------------------------------------------------- the corpus

NFD = unicodedata.normalize("NFD", "Đảng ủy phường Hồng Quang")
CORPUS = [
    "A & B < C > D",
    "\"Trích dẫn\" và 'nháy đơn' ‘cong’ “kép”",
    "{ } {{ trich_yeu }} {% if true %} {# chú #}",
    "{_{ x }_} {_% y %_} và {_{",
    "Ngoặc [ ] [^khong_co] [#khong_co] \\ \\\\ \\* * ** *** ****",
    "*nghiêng* **đậm** ***cả hai*** \\*sao\\*",
    "Hoá uỷ thuỷ khoẻ Hoà Quý",
    NFD,
    "Hai  dấu cách,   ba dấu cách",
    "  Cách đầu và cuối  ",
    "Không\u00a0ngắt\u00a0dòng\u00a0giữa\u00a0các\u00a0chữ",
    "Biểu tượng 😀 👩‍👩‍👧 🇻🇳",
    "Dấu phải-sang-trái \u200f עברית \u202eđảo\u202c \u200d",
    "Ký tự BOM\ufeffgiữa và \u2028 tách dòng",
    "x" * 150,
    "Đảng ủy phường Hồng Quang triển khai công tác kiểm điểm, đánh giá, xếp loại chất lượng "
    "đối với tổ chức đảng, đảng viên và tập thể, cá nhân cán bộ lãnh đạo, quản lý các cấp năm 2025 "
    "theo Quy định số 366-QĐ/TW ngày 30 tháng 8 năm 2025 của Bộ Chính trị",
    "  Kế hoạch  triển khai   công tác kiểm điểm, đánh giá, xếp loại chất lượng năm\u00a02025 "
    "của Đảng ủy phường\u00a0Hồng\u00a0Quang  ",
    "Ωμέγα straße ŉ ǆ ﬁ",
    "12-QĐ/UBKT ngày 05/3/2025 của Ủy ban Kiểm tra Đảng ủy phường Hồng Quang",
    "]]> <![CDATA[ x ]]> <w:t>chữ</w:t> &amp; &lt; &#x41;",
    "%s %d {0} {} %(x)s",
    "Kết thúc bằng dấu ;",
    "Kết thúc . , : ;",
    "- Gạch đầu dòng",
    "1. Số thứ tự",
    "a) Chữ thứ tự",
    "Kết thúc bằng gạch chéo ngược \\",
    "\u0301Dấu kết hợp đứng đầu",
]


def corpus_for(field: Field, accepted: bool, issued: dt.date | None = None) -> list[str]:
    """The corpus strings the field's pattern allows, printed (``accepted``) or refused by the rules."""
    out = []
    for value in CORPUS:
        value = field.prefix + value if field.prefix else value
        if field.pattern and field.pattern != "\\S" and not re.search(field.pattern, value):
            continue
        if bool(refusals(field, value, issued)) != accepted:
            out.append(value)
    return out


# ---------------------------------------------------------------- the checks


class Base:
    """A base document with a token in every text field, rendered once: where each token shows."""

    def __init__(self, kind: str, name: str, data: dict):
        self.kind, self.name = kind, name
        day = (data.get("ban_hanh") or {}).get("ngay_ban_hanh")
        self.issued = dt.date.fromisoformat(day) if day else None  # a căn cứ may not cite a later text
        self.fields = [f for f in text_fields(kind) if instances(data, f.path)]
        self.data = copy.deepcopy(data)
        self.places: dict[str, list[tuple]] = {}
        self.tokens: dict[str, Field] = {}
        for i, field in enumerate(self.fields):
            t = field.prefix + token(i)
            found = instances(data, field.path)
            # A group name must be the same for all members (else the groups, hence the text, change).
            self.places[t] = found if field.path.endswith(".nhom") else found[:1]
            for at in self.places[t]:
                put(self.data, at, t)
            self.tokens[t] = field
        self.paragraphs = self.render(self.data)
        assert isinstance(self.paragraphs, list), f"{kind} {name}: the base is refused: {self.paragraphs}"

    def render(self, data):
        built, problems = api.check(self.kind, data)
        if built is None:  # refused (warnings alone do not stop the document)
            return {(p.path, p.code) for p in problems if p.is_error}
        return page(api.render_built(self.kind, built))

    def shown(self) -> dict[str, list[tuple[int, str]]]:
        """token → [(paragraph index, "plain" / "upper" / what it became)] wherever it appears."""
        out: dict[str, list] = {t: [] for t in self.tokens}
        for i, (text, _) in enumerate(self.paragraphs):
            flat = text.replace("\n", " ")
            for t in self.tokens:
                for m in re.finditer(re.escape(t), flat, re.IGNORECASE):
                    seen = m.group()
                    out[t].append((i, "plain" if seen == t else "upper" if seen == vn.upper(t) else seen))
        return out

    def expected(self, values: dict[str, str]) -> list[str]:
        """Every paragraph of the base with each token replaced by what its value becomes."""
        shown, out = self.shown(), []
        for i, (text, style) in enumerate(self.paragraphs):
            flat = text.replace("\n", " ") if style in centred_styles() else text
            for t, field in self.tokens.items():
                for _, how in (s for s in shown[t] if s[0] == i):
                    seen = t if how == "plain" else vn.upper(t)
                    start = flat.find(seen)
                    at_end = flat[start + len(seen) :][:1] in (";", ",", ".")  # punctuation the document adds
                    flat = flat[:start] + rendition(field, values[t], how, at_end) + flat[start + len(seen) :]
            out.append(flat)
        return out


def _matches(expected: str, actual: str, centred: bool) -> bool:
    if not centred:
        return expected == actual
    # A centred title may break a line at any run of ordinary spaces, which becomes the break.
    pattern = "".join("(?: +|\n)" if part.startswith(" ") else re.escape(part) for part in re.split(r"( +)", expected))
    return re.fullmatch(pattern, actual) is not None


@pytest.fixture(scope="module", params=[(k, n) for k, n, _ in BASES], ids=[f"{k}-{n}" for k, n, _ in BASES])
def base(request):
    kind, name = request.param
    return Base(kind, name, next(d for k, n, d in BASES if (k, n) == (kind, name)))


def test_readme_rules_are_complete():
    assert {"nfc", "markup", "numbering", "upper", "line_end", "recipient", "centred", "not_printed"} <= set(RULES)
    profile = load_profile()
    with_width = {f"@{e}" for e in profile.elements() if "max_line_chars" in profile.element(e)}
    assert with_width == {s for s in RULES["centred"] if s.startswith("@")}, "centred elements differ from the profile"


def _decisions_results(field) -> bool:
    """The results report's lists are the decisions' ``ket_qua`` (their fields are covered by the quyết định
    bases); the report counts them and prints none of their text (README: not_printed)."""
    return field.kind == "bao_cao_ket_qua" and field.path.startswith(("to_chuc[]", "dang_vien[]"))


@pytest.mark.parametrize("kind", kinds.names())
def test_every_text_field_is_in_a_base_document(kind):
    covered = {f.path for k, _, data in BASES if k == kind for f in text_fields(kind) if instances(data, f.path)}
    missing = [
        f.path
        for f in text_fields(kind)
        if f.path not in covered and not applies("outline_depth", f) and not _decisions_results(f)
    ]
    assert not missing, f"{kind}: no base document has these text fields: {missing}"


def test_each_field_is_printed_as_the_rules_say(base):
    """Where the tokens appear: only documented changes of case, and every printed field found."""
    problems = []
    for t, places in base.shown().items():
        field = base.tokens[t]
        if not places and not applies("not_printed", field):
            problems.append(f"{field}: not on the page (README lists it as printed)")
        if places and applies("not_printed", field):
            problems.append(f"{field}: on the page, but README lists it as not printed")
        for i, how in places:
            if how == "upper" and not applies("upper", field):
                problems.append(f"{field}: upper-cased in “{base.paragraphs[i][0]}”, README does not say so")
            if how not in ("plain", "upper"):
                problems.append(f"{field}: printed as “{how}” in “{base.paragraphs[i][0]}”")
    assert not problems, "\n".join(problems)


# Every field gets a different string each round, so two rounds already show every string to many fields;
# the slow run goes through the whole corpus for every field.
FAST_ROUNDS = 2
ROUNDS = [pytest.param(r, marks=[pytest.mark.slow] if r >= FAST_ROUNDS else []) for r in range(len(CORPUS))]


@pytest.mark.parametrize("round_", ROUNDS)
def test_adversarial_text_reaches_the_page_exactly(base, round_):
    values = {}
    for i, (t, field) in enumerate(base.tokens.items()):
        choices = corpus_for(field, accepted=True, issued=base.issued)
        values[t] = choices[(i + round_) % len(choices)]
    data = copy.deepcopy(base.data)
    for t, value in values.items():
        for at in base.places[t]:
            put(data, at, value)
    result = base.render(data)
    if not isinstance(result, list):
        given = {json_path(at): values[t] for t in values for at in base.places[t]}
        pytest.fail(
            "refused: " + "; ".join(f"{path} {code} (given {given.get(path)!r})" for path, code in sorted(result))
        )
    expected = base.expected(values)
    assert len(result) == len(expected), "the number of paragraphs changed"
    wrong = [
        f"paragraph {i}:\n  expected {e!r}\n  printed  {a!r}"
        for i, (e, (a, style)) in enumerate(zip(expected, result))
        if not _matches(e, a, style in centred_styles())
    ]
    assert not wrong, "\n".join(wrong[:8])


def test_refused_strings_are_refused_where_they_are(base):
    """Markup and numbering the rules refuse: the document is refused with the field's path and code."""
    checked = 0
    for i, (t, field) in enumerate(base.tokens.items()):
        refused = corpus_for(field, accepted=False, issued=base.issued)
        for value in refused[i % len(refused) :][:1] if refused else []:  # a different one for each field
            data = copy.deepcopy(base.data)
            put(data, base.places[t][0], value)
            result = base.render(data)
            expected = {(json_path(base.places[t][0]), code) for code in refusals(field, value, base.issued)}
            assert isinstance(result, set) and expected <= result, (field, value, result)
            checked += 1
    assert checked or not any(applies("markup", f) for f in base.tokens.values())
