"""Plans made by the tests themselves, one per numbering scheme the engine supports and the mixes real plans
use, to render, convert and import back (tests/test_import_roundtrip.py).

Each plan is valid kế hoạch data whose every part a reader of the printed page can tell apart: headings short
and without a final stop, numbered paragraphs and plain ones ending a sentence, no emphasis (a PDF's text
does not keep it). The words vary from plan to plan so that line breaks fall in different places.
"""

from __future__ import annotations

import copy

HEADINGS = [
    "MỤC ĐÍCH, YÊU CẦU",
    "NỘI DUNG KIỂM ĐIỂM",
    "ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
    "TỔ CHỨC THỰC HIỆN",
    "THỜI GIAN VÀ TIẾN ĐỘ",
]
SUBHEADINGS = [
    "Đối tượng kiểm điểm",
    "Nội dung kiểm điểm đối với tập thể",
    "Nội dung kiểm điểm đối với cá nhân",
    "Cách thức tiến hành",
    "Thời gian hoàn thành",
    "Trách nhiệm của các chi bộ",
    "Hồ sơ gửi về Đảng ủy",
    "Quy trình thực hiện",
    "Tập thể lãnh đạo, quản lý",
    "Đảng viên trong toàn Đảng bộ",
]
SENTENCES = [
    "Các cấp ủy, tổ chức đảng tiến hành kiểm điểm nghiêm túc, đúng quy trình, bảo đảm thực chất, tránh hình thức "
    "và gắn với kết quả thực hiện nhiệm vụ chính trị của địa phương, cơ quan, đơn vị trong năm.",
    "Tập thể lãnh đạo, quản lý làm rõ những kết quả đạt được, khuyết điểm, hạn chế, nguyên nhân và giải pháp "
    "khắc phục, nhất là những vấn đề được cấp có thẩm quyền chỉ ra ở kỳ kiểm điểm trước.",
    "Mỗi đảng viên làm bản tự kiểm điểm theo mẫu, tự nhận mức xếp loại và gửi chi bộ trước ngày tổ chức hội "
    "nghị ít nhất 03 ngày làm việc để các đồng chí trong chi ủy nghiên cứu, góp ý.",
    "Việc đánh giá, xếp loại chất lượng phải căn cứ vào kết quả thực hiện nhiệm vụ được giao, lượng hóa bằng "
    "sản phẩm cụ thể, bảo đảm khách quan, công khai, dân chủ và đúng thẩm quyền.",
    "Văn phòng Đảng ủy tổng hợp kết quả kiểm điểm, đánh giá, xếp loại của các chi bộ trực thuộc, báo cáo Ban "
    "Thường vụ Đảng ủy xem xét, quyết định theo thẩm quyền trước ngày 25 tháng 12.",
    "Những nơi có gợi ý kiểm điểm thì thời gian kiểm điểm tùy thuộc vào nội dung, tính chất, mức độ của vấn đề "
    "và do cấp có thẩm quyền gợi ý kiểm điểm xem xét, quyết định.",
    "Đảng viên được miễn công tác và sinh hoạt đảng, đảng viên bị đình chỉ sinh hoạt đảng và đảng viên mới kết "
    "nạp chưa đủ sáu tháng không thực hiện đánh giá, xếp loại chất lượng.",
    "Ủy ban Kiểm tra Đảng ủy chủ trì, phối hợp với các cơ quan liên quan theo dõi, kiểm tra việc thực hiện kế "
    "hoạch này ở các chi bộ và kịp thời báo cáo những vướng mắc phát sinh.",
]
BULLETS = [
    "Ban Thường vụ Đảng ủy phường;",
    "Ban Chấp hành Đảng bộ phường;",
    "Chi ủy các chi bộ trực thuộc Đảng ủy;",
    "Tập thể lãnh đạo Ủy ban nhân dân phường;",
    "Tập thể Ban Thường trực Ủy ban Mặt trận Tổ quốc phường;",
    "Cán bộ lãnh đạo, quản lý các cấp trong hệ thống chính trị của phường.",
]
FOOTNOTES = [
    "Ví dụ: đồng chí Phó Chủ tịch Ủy ban nhân dân phường kiểm điểm ở chi bộ nơi sinh hoạt và ở tập thể lãnh đạo "
    "Ủy ban nhân dân phường.",
    "Theo Quy định số 366 của Bộ Chính trị về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm.",
    "Thời điểm tính là ngày tổ chức hội nghị kiểm điểm của chi bộ.",
]
ENUMERATION = (
    "Việc kiểm điểm năm nay tập trung vào các nội dung sau: (1) công tác chuẩn bị đại hội đảng bộ các cấp; (2) "
    "việc sắp xếp tổ chức bộ máy của hệ thống chính trị; (3) việc thực hiện chế độ sinh hoạt chi bộ định kỳ; (4) "
    "việc khắc phục hạn chế, khuyết điểm đã được chỉ ra; (5) trách nhiệm nêu gương của người đứng đầu."
)
CLOSING = (
    "Trong quá trình thực hiện, nếu có vướng mắc, các chi bộ phản ánh kịp thời về Ban Thường vụ Đảng ủy (qua Văn "
    "phòng Đảng ủy) để được hướng dẫn."
)


def _sentence(k: int) -> str:
    return SENTENCES[k % len(SENTENCES)]


def _base(k: int, scheme, bullets=None) -> dict:
    places = [("Hồng Quang", "phường Hồng Quang", "Đảng bộ tỉnh Thái Nguyên"), ("Tân Lập", "xã Tân Lập", None)]
    place, unit, above = places[k % 2]
    data = {
        "ban_hanh": {
            **({"cap_tren": above} if above else {}),
            "co_quan_ban_hanh": f"Đảng ủy {unit}",
            **({"so": 10 + k} if k % 5 else {}),
            "ky_hieu": "KH/ĐU",
            "dia_danh": place,
            "ngay_ban_hanh": f"2025-11-{10 + k:02d}",
        },
        "trich_yeu": "kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm 2025"
        + (" đối với tập thể và cá nhân trong hệ thống chính trị" if k % 3 == 0 else ""),
        "can_cu": [
            "Căn cứ Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị về kiểm điểm và đánh giá, xếp loại chất "
            "lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị",
            "Căn cứ Hướng dẫn của Ban Thường vụ Đảng ủy cấp trên về kiểm điểm cuối năm",
        ][: 1 + k % 2],
        "mo_dau": [f"Ban Thường vụ Đảng ủy {unit} xây dựng kế hoạch thực hiện như sau:"],
        "danh_so": list(scheme),
        "noi_dung": [],
        "ket_thuc": [CLOSING],
        "nguoi_ky": (
            {"tham_quyen": "T/M Ban Thường vụ", "chuc_vu": "Phó Bí thư Thường trực", "ho_ten": "Trần Nhật Lộc"}
            if k % 2
            else {"tham_quyen": "K/T Bí thư", "chuc_vu": "Phó Bí thư", "ho_ten": "Nguyễn Thị Hồng Hạnh"}
        )
        | {"da_ky": k % 3 == 1},
        "noi_nhan": [
            "Ban Tổ chức Tỉnh ủy (để báo cáo)",
            "Thường trực Đảng ủy",
            "Các chi bộ trực thuộc Đảng bộ",
            "Mặt trận Tổ quốc và các tổ chức chính trị xã hội của phường",
            "Lưu Văn phòng Đảng ủy",
        ][: 3 + k % 3]
        + ["Lưu Văn phòng Đảng ủy"],
    }
    if bullets:
        data["dau_dong"] = list(bullets)
    return data


def _tree(depth: int, k: int, width: int = 2, *, doan_at=None, bullets_at=None, footnote=None):
    """A nested outline ``depth`` levels deep: headings, with plain paragraphs, numbered paragraphs (doan) at
    level ``doan_at`` and bullets under the deepest headings."""

    def level(d, j):
        items = []
        for i in range(width):
            n = k + j * 3 + i
            if d == doan_at:
                items.append({"doan": _sentence(n)})
                continue
            item = {"tieu_de": HEADINGS[n % len(HEADINGS)] if d == 0 else SUBHEADINGS[n % len(SUBHEADINGS)]}
            if d + 1 < depth:
                item["noi_dung"] = ([_sentence(n + 1)] if i == 0 else []) + level(d + 1, n)
            else:
                body = [_sentence(n + 2)]
                if bullets_at is not None:
                    body += [{"gach": BULLETS[(n + b) % len(BULLETS)]} for b in range(2)]
                item["noi_dung"] = body
            items.append(item)
        return items

    tree = level(0, 0)
    if footnote is not None:
        tree[0]["noi_dung"].insert(0, _sentence(k + 5)[:-1] + "[^1].")
    return tree


def plans() -> dict[str, dict]:
    """name → kế hoạch data."""
    out: dict[str, dict] = {}

    def add(name, scheme, tree, bullets=None, notes=None, k=None):
        k = len(out) if k is None else k
        data = _base(k, scheme, bullets)
        data["noi_dung"] = tree
        if notes:
            data["chu_thich"] = notes
        out[name] = data

    k = 0
    add("mac_dinh", ["I.", "1.", "1.1.", "a)"], _tree(4, k, footnote=1), notes={"1": FOOTNOTES[0]})
    k = 1
    # The đảng ủy khối shape: I. → A. → 1. → 1.1. → a., and "1." straight under "I." in the first part.
    t = [
        {
            "tieu_de": HEADINGS[0],
            "noi_dung": [
                {"tieu_de": "Mục đích", "cap": 3, "noi_dung": [_sentence(1)]},
                {"tieu_de": "Yêu cầu", "cap": 3, "noi_dung": [_sentence(2)]},
            ],
        },
        {
            "tieu_de": "NỘI DUNG",
            "noi_dung": [
                {"tieu_de": "KIỂM ĐIỂM TỰ PHÊ BÌNH VÀ PHÊ BÌNH", "noi_dung": _tree(3, 3, bullets_at=2)},
                {"tieu_de": "ĐÁNH GIÁ, XẾP LOẠI", "noi_dung": _tree(2, 5)},
            ],
        },
    ]
    add("dang_uy_khoi", ["I.", "A.", "1.", "1.1.", "a."], t, bullets=["-", "+"])
    add("gach_ngang", ["I-", "1-", "a)"], _tree(3, 2, bullets_at=2))
    add("phan_chu", ["A.", "I.", "1.", "a)"], _tree(4, 3))
    add("so_ghep_ba_cap", ["I.", "1.", "1.1.", "1.1.1."], _tree(4, 4, footnote=1), notes={"1": FOOTNOTES[1]})
    add("so_ghep_la_ma", ["I.", "1.1.", "a)"], _tree(3, 5))
    add("gach_cheo", ["I/", "1/", "a/"], _tree(3, 6, bullets_at=2), bullets=["-", "+"])
    add("phan_dieu", ["Phần I.", "Điều 1.", "1.", "a)"], _tree(3, 7, doan_at=2))
    add("buoc", ["I.", "1.", "Bước 1:", "a)"], _tree(3, 8))
    add("ngoac_don", ["I.", "1.", "(1)", "(a)"], _tree(4, 9, doan_at=3))
    add("cach_gach", ["I -", "1.", "1.1", "a)"], _tree(4, 10))
    add("dau_sao", ["I.", "1)", "a)"], _tree(3, 11, bullets_at=2), bullets=["-", "+", "*"])
    add("cham_tron", ["1.", "a)"], _tree(2, 12, bullets_at=1), bullets=["•", "-"])
    add("chu_in_hoa", ["A -", "1.", "a."], _tree(3, 13, doan_at=2))
    # Bullets: a "+" list straight under a heading (its level skipped), and an inline enumeration kept as written.
    t = _tree(2, 14)
    t[0]["noi_dung"][2]["noi_dung"].append({"gach": BULLETS[2], "noi_dung": [{"gach": BULLETS[3]}]})
    t[0]["noi_dung"][1]["noi_dung"] += [{"gach": BULLETS[0], "cap": 2}, {"gach": BULLETS[1], "cap": 2}]
    t[1]["noi_dung"].insert(0, ENUMERATION)
    add("liet_ke", ["I.", "1."], t, bullets=["-", "+"])
    # A doan level under headings, footnotes in two places.
    t = _tree(3, 15, doan_at=2)
    t[0]["noi_dung"].insert(0, _sentence(6)[:-1] + "[^1].")
    t[1]["noi_dung"].insert(0, _sentence(3)[:-1] + "[^2].")
    add("doan_so", ["I.", "1.", "a)"], t, notes={"1": FOOTNOTES[2], "2": FOOTNOTES[0]})
    return out


def canonical(data: dict) -> dict:
    """The plan as the importer writes it: ``danh_so`` and ``dau_dong`` only as deep as they are used, and left
    out when they are the engine's default (or the start of it)."""
    data = copy.deepcopy(data)

    def depth(items, numbered=0, bullets=0):
        n = b = 0
        for item in items:
            if not isinstance(item, dict):
                continue
            if "gach" in item:
                at = item.get("cap", bullets + 1)
                b = max(b, at)
                cn, cb = depth(item.get("noi_dung", []), numbered, at)
            else:
                at = item.get("cap", numbered + 1)
                n = max(n, at)
                cn, cb = depth(item.get("noi_dung", []), at, 0)
            n, b = max(n, cn), max(b, cb)
        return n, b

    used, marks = depth(data["noi_dung"])
    for key, default, count in (("danh_so", DEFAULT_SCHEME, used), ("dau_dong", DEFAULT_BULLETS, marks)):
        value = list(data.get(key) or default)[:count]
        if tuple(value) == tuple(default[: len(value)]):
            data.pop(key, None)
        else:
            data[key] = value
    return data


DEFAULT_SCHEME = ("I.", "1.", "1.1.", "a)")
DEFAULT_BULLETS = ("-", "+")
