"""Vietnamese text helpers: normalisation, dates, numbers in words, percentages, name order.

These are the only places where Vietnamese writing conventions are computed; templates use
them as Jinja filters (registered in :mod:`docgen.renderer`) and kind modules call them.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words

# ---------------------------------------------------------------- normalisation

# Combining tone marks (the five tones besides level); vowel-shape marks (breve,
# circumflex, horn) are not tones and stay where they are.
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# Vowel pairs ending a syllable where the two typing conventions differ:
# "hoá"/"hóa", "khoẻ"/"khỏe", "thuỷ"/"thủy". The traditional placement (on the first vowel)
# is what party and state documents and the default keyboards use.
_OPEN_PAIRS = ("oa", "oe", "uy")


def _fix_tone(word: str) -> str:
    nfd = unicodedata.normalize("NFD", word)
    tones = [c for c in nfd if c in _TONES]
    if len(tones) != 1:
        return word
    tone = tones[0]
    # Base letters with their shape marks, tone removed, one entry per letter.
    letters: list[str] = []
    for c in nfd:
        if c == tone:
            continue
        if unicodedata.combining(c) and letters:
            letters[-1] += c
        else:
            letters.append(c)
    if len(letters) < 2:
        return word
    pair = (letters[-2] + letters[-1]).lower()
    if pair not in _OPEN_PAIRS:
        return word
    if len(letters) >= 3 and letters[-3].lower() == "q":
        return word  # "quý": the u belongs to the consonant "qu"
    # Where is the tone now? Only move it when it sits on the last vowel.
    pos = 0
    tone_on = None
    for c in nfd:
        if c == tone:
            tone_on = pos - 1
            continue
        if not unicodedata.combining(c):
            pos += 1
    if tone_on != len(letters) - 1:
        return word
    letters[-2] = letters[-2][0] + tone + letters[-2][1:]
    return unicodedata.normalize("NFC", "".join(letters))


# A toned vowel right after o/u: the only places where the tone may need moving; only the words holding
# one are examined (a long paragraph with one "hoá" no longer sends every word through _fix_tone). The pair
# is searched for first, then its word around it: a regex for the word itself, tried at every letter, is
# slow on long texts (a batch's units are checked whole as JSON text, see docgen.inputs.normalise_value).
_TONED_AFTER_OU = re.compile("[oOuU][áàảãạÁÀẢÃẠéèẻẽẹÉÈẺẼẸýỳỷỹỵÝỲỶỸỴ]")
_LETTERS = re.compile(r"[^\W\d_]*")
_LETTER = re.compile(r"[^\W\d_]")


def chuan_hoa(text: str) -> str:
    """Unicode NFC, with the tone mark of open "oa/oe/uy" syllables placed on the first vowel.

    >>> chuan_hoa("hoá") == "hóa" and chuan_hoa("Đảng uỷ") == "Đảng ủy" and chuan_hoa("quý") == "quý"
    True
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    out, done = [], 0
    for pair in _TONED_AFTER_OU.finditer(text):
        if pair.start() < done:
            continue  # in the word just fixed
        start = pair.start()
        while start > done and _LETTER.match(text, start - 1):
            start -= 1
        end = _LETTERS.match(text, pair.end()).end()
        out += (text[done:start], _fix_tone(text[start:end]))
        done = end
    return "".join(out) + text[done:] if out else text


def chuan_hoa_du_lieu(value):
    """Normalise every string (keys included) of JSON-like data with :func:`chuan_hoa`."""
    if isinstance(value, str):
        return chuan_hoa(value)
    if isinstance(value, dict):
        return {chuan_hoa(k) if isinstance(k, str) else k: chuan_hoa_du_lieu(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [chuan_hoa_du_lieu(v) for v in value]
    return value


def upper(text: str) -> str:
    """Upper case for header lines; Python's str.upper handles Vietnamese letters (đ → Đ)."""
    return unicodedata.normalize("NFC", text.upper())


# ---------------------------------------------------------------- dates


def _as_date(value) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value))


def hai_chu_so(n: int) -> str:
    """A number as the party format writes it, below 10 with a leading zero: 5 → '05', 15 → '15' — a
    document's number ("Số 05-KH/ĐU"), a day ("ngày 05"), a count ("05 đồng chí", "06 tháng")."""
    return f"{n:02d}"


def _day(d: int) -> str:
    return hai_chu_so(d)


def _month(m: int) -> str:
    # Months 1 and 2 take a leading zero so "01"/"02" cannot be altered into 10-12 by hand.
    return hai_chu_so(m) if m < 3 else str(m)


def ngay_thang(value) -> str:
    """'ngày 05 tháng 02 năm 2026' — day below 10 and months 1, 2 with a leading zero."""
    d = _as_date(value)
    return f"ngày {_day(d.day)} tháng {_month(d.month)} năm {d.year}"


def ngay_so(value) -> str:
    """Short date as cited in căn cứ lines: '05/02/2026'."""
    d = _as_date(value)
    return f"{_day(d.day)}/{_month(d.month)}/{d.year}"


def dia_danh_ngay(dia_danh: str, value) -> str:
    """'Hồng Quang, ngày 27 tháng 11 năm 2025'."""
    return f"{dia_danh}, {ngay_thang(value)}"


# ---------------------------------------------------------------- numbers in words

# Scale words of the three-digit groups, most significant first.
_SCALES = ("triệu", "nghìn", "")


def _group_words(g: int, leading: bool) -> str:
    # num2words is right within one group (0..999) but joins groups with "lẻ" only;
    # a non-leading group below 100 is read in full: "không trăm [lẻ] ...".
    if leading or g >= 100:
        return num2words(g, lang="vi")
    if g < 10:
        return "không trăm lẻ " + num2words(g, lang="vi")
    return "không trăm " + num2words(g, lang="vi")


def doc_so(n: int) -> str:
    """Official Vietnamese words for 0 <= n < 10**9: 1024 → 'một nghìn không trăm hai mươi bốn'."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"doc_so expects an int, got {type(n).__name__}")
    if not 0 <= n < 10**9:
        raise ValueError(f"doc_so: {n} is outside 0..999999999")
    if n == 0:
        return num2words(0, lang="vi")
    groups = (n // 10**6, n // 1000 % 1000, n % 1000)
    words: list[str] = []
    for g, scale in zip(groups, _SCALES):
        if g == 0:
            continue
        words.append(_group_words(g, leading=not words))
        if scale:
            words.append(scale)
    return " ".join(words)


def so_chu(n: int) -> str:
    """A count with its words: '25 (hai mươi lăm)', '03 (ba)', '0 (không)'."""
    digits = hai_chu_so(n) if n > 0 else str(n)  # zero is "0 (không)", not "00"
    return f"{digits} ({doc_so(n)})"


# ---------------------------------------------------------------- percentages


def _dec(x) -> Decimal:
    # Floats go through str() so 0.1 is 0.1, not its binary expansion.
    if isinstance(x, Decimal):
        return x
    if isinstance(x, float):
        return Decimal(str(x))
    return Decimal(x)


def phan_tram(part, whole) -> str:
    """Percentage with one decimal, decimal comma, half up: phan_tram(41, 200) == '20,5%'."""
    whole = _dec(whole)
    if whole == 0:
        return "0,0%"
    q = (_dec(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)  # no "-0,0%"
    return f"{q:f}".replace(".", ",") + "%"


# ---------------------------------------------------------------- name order

_collator = None


def _vi_collator():
    # ICU's Vietnamese collation (đ after d, ă â after a, tones after the bare letter);
    # created once, on first use.
    global _collator
    if _collator is None:
        import icu

        _collator = icu.Collator.createInstance(icu.Locale("vi_VN"))
    return _collator


def khoa_ten(ho_ten: str) -> tuple[bytes, bytes]:
    """Sort key of a Vietnamese full name: given name (last word) first, then family and middle names."""
    words = chuan_hoa(ho_ten).split()
    given = words[-1] if words else ""
    rest = " ".join(words[:-1])
    c = _vi_collator()
    return (c.getSortKey(given), c.getSortKey(rest))


def sap_xep_ten(names) -> list:
    """The names sorted in Vietnamese order with :func:`khoa_ten` (stable)."""
    return sorted(names, key=khoa_ten)
