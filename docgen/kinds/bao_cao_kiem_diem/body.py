"""The review report's body: a form's layout and the data made into the outline the writer numbers (parts
left empty as dotted lines to fill by hand), the remedies of earlier shortcomings, and on a member's form
the particulars and the two confirmation blocks."""

from __future__ import annotations

from ... import richtext, vn
from ...content import TEXT_PATH, Content, Pieces, RawXml, Writer, block
from ...errors import join_path
from ...profile import Profile
from ...rating import esc
from ...rules import LEVEL_NAMES, LEVELS, checks
from ... import parts
from .forms import has_content, word, wording


class Body:
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
        return [RawXml(self.w.dotted())]  # the profile's lines to write by hand

    def content(self, where: str) -> list:
        """The data's content at ``where`` (``uu_diem.pham_chat``, ``han_che`` …), or lines to fill by hand."""
        if where == "khac_phuc":
            return remedies(self.data.get("khac_phuc")) or self.dotted()
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


def remedies(items) -> list:
    """Each shortcoming of the previous review with where its remedy stands."""
    if not items:
        return []
    status = wording("khac_phuc")
    out = []
    for i, item in enumerate(items):
        base = f"$.khac_phuc[{i}]"
        line = [(status[item["ket_qua"]], base)]
        if item.get("muc_do"):
            line += filled(status["muc_do"], "muc_do", item["muc_do"], base)
        if item.get("ly_do"):
            line += filled(status["ly_do"], "ly_do", item["ly_do"], base)
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


def filled(template: str, key: str, value: str, base: str) -> list[tuple[str, str]]:
    """The form's wording around a data field ("…, mức độ: {muc_do}") as pieces, the field with its own path."""
    before, _, after = template.partition("{" + key + "}")
    pieces = [(before, base), (parts.strip_end(value), f"{base}.{key}")]
    return pieces + [(after, base)] if after else pieces


# ---------------------------------------------------------------- confirmation blocks (individual forms)


def signer(person: dict | None, default: dict, profile: Profile) -> dict:
    """A confirmation's signer; a name the data does not give is left to write by hand (a row of dots as long
    as the profile's ``ho_ten_nguoi_ky.fill_chars``)."""
    person = person or {}
    return {
        "tham_quyen": vn.upper(person.get("tham_quyen") or default["tham_quyen"]),
        "chuc_vu": vn.upper(person.get("chuc_vu") or default["chuc_vu"]),
        "ho_ten": person.get("ho_ten") or "…" * profile.element("ho_ten_nguoi_ky")["fill_chars"],
        "da_ky": False,
    }


def confirmations(w: Writer, data: dict) -> tuple[dict, dict]:
    chi_bo = data.get("xac_nhan_chi_bo") or {}
    comment = (
        w.write_outline(
            w.number_outline(
                Content(chi_bo["nhan_xet"], "$.xac_nhan_chi_bo.nhan_xet"), "$.xac_nhan_chi_bo.nhan_xet", scheme=["1."]
            )
        )
        if chi_bo.get("nhan_xet")
        else w.dotted()
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
            **signer(chi_bo.get("nguoi_ky"), wording("ky_chi_bo"), w.profile),
        },
        {
            "tieu_de": word("ket_qua_cap_tren"),
            "noi_dung": block(result),
            **signer(decided.get("nguoi_ky"), wording("ky_cap_tren"), w.profile),
        },
    )


def particulars(w: Writer, data: dict, spec: dict) -> str:
    """The form's particulars lines ('Họ và tên: …'), each filled from the data or left to fill by hand."""
    person = {**data["ca_nhan"], "chi_bo": data["chi_bo"]}
    if person.get("ngay_sinh"):
        person["ngay_sinh"] = vn.ngay_so(person["ngay_sinh"])
    filled = has_content(data)  # a finished form says "Không" where a blank one leaves a line to fill
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
