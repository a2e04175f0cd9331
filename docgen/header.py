"""The document header as a value: who issues it (and the body above), its number and ký hiệu, its place
and date — and every way docgen writes them.

"Số 05-KH/ĐU" under the issuer, "05-QĐ/ĐU" inside a sentence, the citation of another document ("Tờ trình
số 05-TTr/CB, ngày 05/12/2025 của Chi ủy …"), the place-and-date line, a batch file's name
("qd-05-chi-bo-khu-dan-cu-so-1") and the manifest's number all come from :class:`DocumentHeader`, so that
nothing formats a number by hand or takes a rendered line apart again. Numbers below 10 take a leading zero
(:func:`docgen.vn.hai_chu_so`, the party format's rule for numbers).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from . import vn

# No number yet: room for the registry clerk to write it by hand ("Số      -KH/ĐU").
NO_NUMBER = "\u00a0" * 6


@dataclass(frozen=True)
class DocumentHeader:
    """A document's identity as its header prints it. Any part may be unknown (a review form has no number;
    a batch plans numbers before the data is checked): what is missing is printed as room to fill by hand,
    or left out of a name."""

    issuer: str = ""  # co_quan_ban_hanh, as typed
    ky_hieu: str = ""  # "KH/ĐU": the kind's code, then the issuer's
    number: int | None = None
    place: str = ""  # dia_danh
    date: dt.date | None = None
    superior: str = ""  # cap_tren, as typed
    year: int | None = None  # printed in a date left to fill by hand ("ngày …… tháng …… năm 2025")

    @classmethod
    def from_data(cls, ban_hanh) -> DocumentHeader:
        """The header of the data's ``ban_hanh`` (``co_quan_ban_hanh``, ``cap_tren``, ``so``, ``ky_hieu``,
        ``dia_danh``, ``ngay_ban_hanh``). A value of the wrong type is left out: the schema check reports it."""
        d = ban_hanh if isinstance(ban_hanh, dict) else {}
        return cls(
            issuer=_text(d.get("co_quan_ban_hanh")),
            ky_hieu=_text(d.get("ky_hieu")),
            number=_number(d.get("so")),
            place=_text(d.get("dia_danh")),
            date=_date(d.get("ngay_ban_hanh")),
            superior=_text(d.get("cap_tren")),
        )

    @classmethod
    def cited(cls, ref: dict) -> DocumentHeader:
        """A document the data refers to (a decision's tờ trình, a tờ trình's kế hoạch):
        ``{"so", "ky_hieu", "ngay", "co_quan"}``."""
        return cls(
            issuer=_text(ref.get("co_quan")),
            ky_hieu=_text(ref.get("ky_hieu")),
            number=_number(ref.get("so")),
            date=_date(ref.get("ngay")),
        )

    # ------------------------------------------------------------ the number

    @property
    def code(self) -> str:
        """The kind's part of the ký hiệu: "KH" of "KH/ĐU"."""
        return self.ky_hieu.split("/", 1)[0]

    @property
    def number_text(self) -> str:
        """ "05"; "" when there is no number (the manifest's column)."""
        return vn.hai_chu_so(self.number) if self.number is not None else ""

    @property
    def symbol(self) -> str:
        """ "05-QĐ/ĐU", as a sentence cites the document; without a number, room to write it by hand."""
        return f"{self.number_text or NO_NUMBER}-{self.ky_hieu}"

    @property
    def so_ky_hieu(self) -> str:
        """ "Số 05-KH/ĐU", the line under the issuer."""
        return f"Số {self.symbol}"

    # ------------------------------------------------------------ place and date

    @property
    def date_words(self) -> str:
        """ "ngày 05 tháng 02 năm 2026"; a date to fill by hand: "ngày …… tháng …… năm 2026"."""
        if self.date is not None:
            return vn.ngay_thang(self.date)
        return f"ngày …… tháng …… năm {self.year if self.year is not None else '……'}"

    @property
    def place_date(self) -> str:
        """ "Hồng Quang, ngày 27 tháng 11 năm 2025"."""
        return f"{self.place}, {self.date_words}"

    def place_date_lines(self) -> list[str]:
        """The place-and-date line broken after the place, never inside the date (for a narrow column)."""
        return [f"{self.place},", self.date_words]

    # ------------------------------------------------------------ other documents' words for it

    def citation(self, title: str, *, long_date: bool = False, by: str | None = None) -> str:
        """How another text names this document: "Tờ trình số 05-TTr/CB, ngày 05/12/2025 của Chi ủy …"
        (``title``: the kind's name in the sentence; ``long_date``: "ngày 15 tháng 12 năm 2025"; ``by``: the
        body named after "của" when it is not the issuer, e.g. the committee that decides)."""
        day = self.date_words if long_date else f"ngày {vn.ngay_so(self.date)}"
        return f"{title} số {self.symbol}, {day} của {by if by is not None else self.issuer}"

    def context(self) -> dict:
        """The template's ``ban_hanh``: the bodies in capitals, the number line, the place-and-date line, and
        the data's own values beside them."""
        return {
            "cap_tren": vn.upper(self.superior) if self.superior else "",
            "co_quan_ban_hanh": vn.upper(self.issuer),
            "so": self.number,
            "ky_hieu": self.ky_hieu,
            "so_ky_hieu": self.so_ky_hieu,
            "dia_danh": self.place,
            "ngay_ban_hanh": self.date.isoformat() if self.date else None,
            "dia_danh_ngay": self.place_date,
        }

    def file_stem(self, prefix: str, label: str) -> str:
        """A batch file's name without its extension: "qd-05-chi-bo-khu-dan-cu-so-1" (``prefix``: the kind's
        code; ``label``: the unit or person), ASCII and safe on every system."""
        parts = [slug(prefix), self.number_text, slug(label)]
        return "-".join(p for p in parts if p)


def slug(text: str, limit: int = 80) -> str:
    """ASCII file-name part: 'Chi bộ Khu dân cư số 1' → 'chi-bo-khu-dan-cu-so-1' (safe on Windows)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:limit].rstrip("-") or "van-ban"


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _number(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
