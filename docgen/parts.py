"""Context builders for the parts every party document shares: issuance header, signature, recipients.

They turn the data's ``ban_hanh``, ``nguoi_ky``, ``noi_nhan`` and ``can_cu`` into what the page
shows — upper case where the format wants it, the number "Số 15-KH/ĐU", the place-and-date line,
the punctuation of căn cứ and recipient lines — and report format-rule problems with their paths.
"""
from __future__ import annotations

import re

from . import vn
from .content import Writer, block
from .errors import Problems, join_path

_TRAILING_PUNCT = re.compile(r"[\s;,.:]+$")
_LEADING_DASH = re.compile(r"^\s*[-–•+]\s*")


def so_ky_hieu(so: int | None, ky_hieu: str) -> str:
    """'Số 15-KH/ĐU'; numbers below 10 take a leading zero ('Số 05-KH/ĐU'); no number leaves room
    for the registry clerk to write it by hand ('Số     -KH/ĐU')."""
    number = f"{so:02d}" if so is not None else "\u00a0" * 6
    return f"Số {number}-{ky_hieu}"


def ban_hanh(data: dict, kind_code: str, problems: Problems, path: str = "$.ban_hanh") -> dict:
    ky_hieu = data["ky_hieu"]
    code = ky_hieu.split("/", 1)[0]
    if code != kind_code:
        problems.add(join_path(path, "ky_hieu"), "ky_hieu_kind",
                     f"Ký hiệu “{ky_hieu}” phải bắt đầu bằng “{kind_code}/” của loại văn bản này "
                     f"(ví dụ “{kind_code}/{ky_hieu.split('/', 1)[-1]}”).")
    return {
        "cap_tren": vn.upper(data["cap_tren"]) if data.get("cap_tren") else "",
        "co_quan_ban_hanh": vn.upper(data["co_quan_ban_hanh"]),
        "so": data.get("so"),
        "ky_hieu": ky_hieu,
        "so_ky_hieu": so_ky_hieu(data.get("so"), ky_hieu),
        "dia_danh": data["dia_danh"],
        "ngay_ban_hanh": data["ngay_ban_hanh"],
        "dia_danh_ngay": vn.dia_danh_ngay(data["dia_danh"], data["ngay_ban_hanh"]),
    }


def nguoi_ky(data: dict) -> dict:
    return {
        "tham_quyen": vn.upper(data["tham_quyen"]) if data.get("tham_quyen") else "",
        "chuc_vu": vn.upper(data["chuc_vu"]),
        "ho_ten": data["ho_ten"],
        "da_ky": bool(data.get("da_ky", False)),
    }


def noi_nhan(lines: list[str], problems: Problems, path: str = "$.noi_nhan") -> list[str]:
    """'- x,' on every line and '- x.' on the last, whatever dashes and punctuation were typed."""
    cleaned = [_TRAILING_PUNCT.sub("", _LEADING_DASH.sub("", line)) for line in lines]
    if cleaned and not cleaned[-1].lower().startswith("lưu"):
        problems.add(join_path(path, len(lines) - 1), "noi_nhan_luu",
                     "Dòng cuối của Nơi nhận phải là nơi lưu văn bản, ví dụ “Lưu Văn phòng Đảng ủy”.")
    return [f"- {line}{'.' if i == len(cleaned) - 1 else ','}" for i, line in enumerate(cleaned)]


def can_cu(writer: Writer, lines: list[str], path: str = "$.can_cu", last: str = ","):
    """Each căn cứ its own paragraph ending with ';', the last with ',' before the operative sentence."""
    out = []
    for i, line in enumerate(lines or []):
        end = last if i == len(lines) - 1 else ";"
        out.append(writer.paragraph("doan", _strip_end(line) + end, join_path(path, i)))
    return block("".join(out))


def _strip_end(text: str) -> str:
    # Keep a closing emphasis marker: "… (*nếu có*);" → "… (*nếu có*)".
    return _TRAILING_PUNCT.sub("", text)
