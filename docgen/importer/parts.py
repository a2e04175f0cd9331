"""Recognising the parts every party document shares: the header, the signature block and the recipients.

- :func:`header`: the issuer block of one to four lines closed by "*" (the directly superior body and the
  issuer, a long name broken over lines), "ĐẢNG CỘNG SẢN VIỆT NAM" wherever it stands, the number and ký hiệu
  in their real forms ("Số 15-KH/ĐU", "Số: 16 -" with "HD/BTCTW" on the next line, "58-HD/ ĐUHVCSPT", the
  non-breaking hyphen or an en dash), the place and date with or without the comma. Lines it does not
  recognise are handed back (a công văn's "V/v …" is one).
- :func:`tail`: thẩm quyền (T/M, K/T, T/L, T/U; the state forms TM., KT. rewritten), the title over one or
  more lines (or on the authority's line), "(Đã ký)", the name; the recipients after "Nơi nhận:". Emphasis
  marks and line breaks of the copy never reach the values.
- :func:`normal_case`: "ĐẢNG ỦY PHƯỜNG HỒNG QUANG" → "Đảng ủy phường Hồng Quang" (the data is not in capitals;
  the engine prints them).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .source import Line, Report, capital, clean, is_upper, quote

PARTY = re.compile(r"ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM")
DASH = r"[-‑–—]"
KY_HIEU = r"[A-ZĐ][A-Za-zĐđ]{0,3}\s*/\s*[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)?"
NUMBER = re.compile(r"\bSố\s*:?\s*(?P<so>\d{1,5})?\s*" + DASH + r"\s*(?P<ky_hieu>" + KY_HIEU + ")")
NUMBER_CUT = re.compile(r"^Số\s*:?\s*\d{0,5}\s*" + DASH + r"?\s*$")  # "Số: 16 -" with the ký hiệu on the next line
KY_HIEU_START = re.compile(r"^" + DASH + r"?\s*" + KY_HIEU)
DATE = re.compile(
    r"(?P<place>[^,]*?)\s*,?\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.IGNORECASE
)
DATE_CUT = re.compile(r"ngày\s+\d{1,2}(?:\s+tháng(?:\s+\d{1,2}(?:\s+năm)?)?)?\s*$", re.IGNORECASE)
STAR_OR_RULE = re.compile(r"^(?:\*|[-–—_=.*\s]{3,})$")
ORG_START = re.compile(
    r"^(?:ĐẢNG\s+(?:BỘ|ỦY|UỶ|ĐOÀN)|CHI\s+(?:BỘ|ỦY|UỶ)|BAN\s|(?:TỈNH|HUYỆN|THÀNH|QUẬN|THỊ|XÃ|PHƯỜNG)\s+(?:ỦY|UỶ)\b|"
    r"ĐOÀN\s|HỘI\s|CÔNG\s+ĐOÀN|MẶT\s+TRẬN|(?:ỦY|UỶ)\s+BAN|UBND|HĐND|SỞ\s|TRƯỜNG\s|CƠ\s+QUAN|VĂN\s+PHÒNG|BỘ\s|"
    r"TỔNG\s|HỌC\s+VIỆN|VIỆN\s|ĐẠI\s+HỌC|BỆNH\s+VIỆN|CÔNG\s+TY|TẬP\s+ĐOÀN|QUÂN\s|CÔNG\s+AN)"
)
NOI_NHAN = re.compile(r"^Nơi\s+nhận\s*(?::|$)", re.IGNORECASE)
AUTHORITY = re.compile(r"^(?P<code>(?:T/M|K/T|T/L|T/U|TM|KT|TL|TUQ|T\.M|K\.T)\.?)\s+(?P<rest>\S.*)$")
STATE_AUTHORITY = {"TM": "T/M", "KT": "K/T", "TL": "T/L", "TUQ": "T/U", "T.M": "T/M", "K.T": "K/T"}
TITLE_WORDS = (
    r"(?:Q\.\s*)?(?:PHÓ\s+)?"
    r"(?:BÍ\s+THƯ|CHỦ\s+NHIỆM|CHÁNH\s+VĂN\s+PHÒNG|TRƯỞNG\s+BAN|CHỦ\s+TỊCH|ỦY\s+VIÊN|UỶ\s+VIÊN|TRƯỞNG|CHÁNH)"
)
AUTHORITY_AND_TITLE = re.compile(r"^(?P<body>.+?)\s+(?P<title>" + TITLE_WORDS + r"\b.*)$")
TITLE_VOCABULARY = {"BÍ", "THƯ", "PHÓ", "THƯỜNG", "TRỰC", "CHỦ", "NHIỆM", "TỊCH", "ỦY", "UỶ", "VIÊN", "BAN"}
DA_KY = re.compile(r"^[(\[]?\s*đã\s+k[ýí](?:\s+và\s+đóng\s+dấu)?\s*[)\]]?\.?$", re.IGNORECASE)
SIGN_NOTE = re.compile(r"^[(\[](?:ký|kí|chữ\s+ký)\b[^)\]]*[)\]]$", re.IGNORECASE)
BULLET = re.compile(r"^[-–•+]\s*")
MARKS = re.compile(r"\*{2,}|_{2,}|^\*(?=\S)|(?<=\S)\*$")

# Normal case for upper-case names: words kept as written, and party names capitalised.
ACRONYMS = {"UBND", "HĐND", "MTTQ", "BCH", "BTV", "UBKT", "TP", "TX", "TT", "VP", "TW", "CSVN"}
PLACE_WORDS = {"phường", "xã", "tỉnh", "huyện", "quận", "thôn", "xóm", "ấp", "bản", "làng", "tp.", "p.", "tx.", "q."}
PLACE_WORDS |= {"h.", "tt."}
PLACE_PAIRS = {("thành", "phố"), ("thị", "xã"), ("thị", "trấn")}
PLACE_PAIRS |= {(w, u) for w in ("tỉnh", "huyện", "thị", "thành", "quận") for u in ("ủy", "uỷ")}  # "Thị ủy Tân Uyên"
PROPER_NAMES = {
    "đảng": "Đảng",
    "ban thường vụ": "Ban Thường vụ",
    "ban chấp hành": "Ban Chấp hành",
    "bí thư": "Bí thư",
    "thường trực": "Thường trực",
    "ủy ban kiểm tra": "Ủy ban Kiểm tra",
    "văn phòng": "Văn phòng",
    "trung ương": "Trung ương",
    "đảng ủy khối": "Đảng ủy Khối",
    "đảng bộ khối": "Đảng bộ Khối",
    "ban tổ chức": "Ban Tổ chức",
    "ban tuyên giáo": "Ban Tuyên giáo",
    "ban dân vận": "Ban Dân vận",
    "ban nội chính": "Ban Nội chính",
    "ban xây dựng đảng": "Ban Xây dựng Đảng",
}
PROPER = re.compile(r"\b(" + "|".join(sorted(PROPER_NAMES, key=len, reverse=True)) + r")\b")


def bare(text: str) -> str:
    """A header or signature line's words: emphasis marks of the copy (``**T/M BAN THƯỜNG VỤ``) taken off."""
    return clean(MARKS.sub("", text))


# ---------------------------------------------------------------- header


@dataclass
class Header:
    ban_hanh: dict
    found: dict[str, Line] = field(default_factory=dict)  # field → the line it was read from
    unused: list[Line] = field(default_factory=list)  # lines that are none of the header's parts
    bodies: list[str] = field(default_factory=list)  # the issuer block's names, in capitals as typed

    @property
    def empty(self) -> bool:
        return not self.ban_hanh


BAN_HANH_KEYS = ("cap_tren", "co_quan_ban_hanh", "so", "ky_hieu", "dia_danh", "ngay_ban_hanh")


def header(lines: list[Line], report: Report) -> Header:
    out = Header({})
    names: list[tuple[str, Line]] = []
    starred = set()  # groups whose issuer block the "*" has closed
    for line in _number_lines_joined(lines):
        text = PARTY.sub(" ", bare(line.plain))
        if m := NUMBER.search(text):
            if m.group("so"):
                out.ban_hanh["so"], out.found["so"] = int(m.group("so")), line
            out.ban_hanh["ky_hieu"] = re.sub(r"\s+", "", m.group("ky_hieu"))
            out.found["ky_hieu"] = line
            text = text[: m.start()] + " " + text[m.end() :]
        if m := DATE.search(text):
            _date(out, m, line, report)
            text = text[: m.start()] + " " + text[m.end() :]
        text = clean(text)
        if not text:
            continue
        if STAR_OR_RULE.match(text):
            starred.add(line.group)
            continue
        if is_upper(text) and line.group not in starred:
            if names and not ORG_START.match(text) and names[-1][1].group == line.group:
                names[-1] = (names[-1][0] + " " + text, names[-1][1])  # a long name broken over two lines
            else:
                names.append((text, line))
        else:
            out.unused.append(line)
    if len(names) > 2:
        report.warn(
            "header_names",
            "Phần đầu văn bản có hơn hai tên cơ quan (" + "; ".join(n for n, _ in names) + "); dùng hai tên cuối "
            "làm cơ quan cấp trên và cơ quan ban hành.",
            names[0][1],
        )
    names = names[-2:]
    out.bodies = [n for n, _ in names]
    if len(names) == 2:
        out.ban_hanh["cap_tren"], out.found["cap_tren"] = normal_case(names[0][0]), names[0][1]
    if names:
        out.ban_hanh["co_quan_ban_hanh"], out.found["co_quan_ban_hanh"] = normal_case(names[-1][0]), names[-1][1]
    out.ban_hanh = ordered(out.ban_hanh, BAN_HANH_KEYS)
    return out


def _number_lines_joined(lines: list[Line]) -> list[Line]:
    """ "Số: 16 -" at the end of one line and "HD/BTCTW" at the start of the next are one number; "…, ngày 15
    tháng 11 năm" and "2023" one date (a narrow column broke them)."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        text = bare(line.plain)
        if prev is not None and NUMBER_CUT.match(bare(prev.plain)) and KY_HIEU_START.match(text):
            joined = bare(prev.plain).rstrip(" -‑–—") + "-" + re.sub("^" + DASH + r"?\s*", "", text)
        elif prev is not None and DATE_CUT.search(bare(prev.plain)) and re.match(r"\d", text):
            joined = bare(prev.plain) + " " + text
        else:
            out.append(line)
            continue
        out[-1] = Line(joined, joined, prev.loc, group=prev.group)
    return out


def _date(out: Header, m: re.Match, line: Line, report: Report) -> None:
    place = m.group("place").strip(" *-–,")
    if place:
        out.ban_hanh["dia_danh"], out.found["dia_danh"] = place, line
    d, mo, y = m.group("d"), m.group("m"), m.group("y")
    try:
        out.ban_hanh["ngay_ban_hanh"] = dt.date(int(y), int(mo), int(d)).isoformat()
        out.found["ngay_ban_hanh"] = line
    except ValueError:
        report.warn("bad_date", f"Ngày ban hành {quote(m.group(0))} không phải ngày có thật.", line)


def ordered(mapping: dict, keys) -> dict:
    """The mapping's entries in the schema's order (the order they appear in the JSON written)."""
    return {k: mapping[k] for k in keys if k in mapping}


# ---------------------------------------------------------------- signature and recipients


@dataclass
class Tail:
    nguoi_ky: dict
    noi_nhan: list[str]
    unused: list[Line]
    found: dict[str, Line] = field(default_factory=dict)  # "nguoi_ky.chuc_vu", "noi_nhan[2]" → line


def is_tail_start(text: str) -> bool:
    """The line where the signature block or the recipients begin."""
    text = bare(text)
    return bool(NOI_NHAN.match(text) or AUTHORITY.match(text))


def tail(lines: list[Line], report: Report) -> Tail:
    """Signature and recipients, in whichever order they come (two columns read one after the other, or
    interleaved); lines that are neither are handed back."""
    signer: dict = {}
    titles: list[tuple[str, Line]] = []
    recipients: list[tuple[str, Line]] = []
    out = Tail({}, [], [])
    state, column = None, None  # column: the group of the "Nơi nhận:" line when the block has columns
    queue = list(lines)
    while queue:
        line = queue.pop(0)
        text = bare(line.plain)
        if m := NOI_NHAN.match(text):
            state, text, column = "recipients", text[m.end() :].strip(), line.group
            if not text:
                continue
        if column is not None and (both := _side_by_side(text)):
            # a copy that put the signature column on the recipients' lines: "- Các chi bộ, BÍ THƯ"
            text = both[0]
            queue.insert(0, Line(both[1], both[1], line.loc, group=line.group))
        bullet = BULLET.match(text)
        # a signature never has bullet lines: after "Nơi nhận:", one is a recipient whatever came between
        in_recipients = (state == "recipients" and (line.group == column or not column)) or (
            column is not None and bool(bullet)
        )
        if m := AUTHORITY.match(text):
            code = STATE_AUTHORITY.get(m.group("code").rstrip("."), m.group("code").rstrip("."))
            if code != m.group("code"):
                report.warn(
                    "authority_form",
                    f"Thẩm quyền ký “{m.group('code')}” được viết lại là “{code}” theo thể thức của Đảng.",
                    line,
                )
            rest = m.group("rest")
            split = AUTHORITY_AND_TITLE.match(rest) if is_upper(rest) else None
            if split:
                rest = split.group("body")
                titles.append((split.group("title"), line))
            signer["tham_quyen"], state = f"{code} {normal_case(rest)}", "signer"
            out.found["nguoi_ky.tham_quyen"] = line
        elif DA_KY.match(text):
            signer["da_ky"] = True
        elif SIGN_NOTE.match(text):
            continue
        elif in_recipients and (bullet or not is_upper(text)):
            if bullet or not recipients or capital(text):
                recipients.append((text[bullet.end() :] if bullet else text, line))
            else:
                recipients[-1] = (recipients[-1][0] + " " + text, recipients[-1][1])  # one broken over two lines
        elif is_upper(text) and "ho_ten" not in signer:
            if titles and _upper_name(text):
                signer["ho_ten"] = " ".join(w.capitalize() for w in text.split())
                out.found["nguoi_ky.ho_ten"] = line
            else:
                titles.append((text, line))
                state = "signer"
        elif is_name(text) and "ho_ten" not in signer:
            signer["ho_ten"] = text
            out.found["nguoi_ky.ho_ten"] = line
        else:
            out.unused.append(line)
    if titles:
        signer["chuc_vu"] = normal_case(" ".join(t for t, _ in titles), places=False)
        out.found["nguoi_ky.chuc_vu"] = titles[0][1]
    out.nguoi_ky = {k: signer[k] for k in ("tham_quyen", "chuc_vu", "ho_ten") if k in signer}
    if out.nguoi_ky:
        out.nguoi_ky["da_ky"] = signer.get("da_ky", False)
    for i, (text, line) in enumerate(recipients):
        out.noi_nhan.append(re.sub(r"\s*[,;.]+$", "", text).strip())
        out.found[f"noi_nhan[{i}]"] = line
    return out


def _side_by_side(text: str) -> tuple[str, str] | None:
    """ "- Các chi bộ, BÍ THƯ" → ("- Các chi bộ,", "BÍ THƯ"): a recipient line with a signature line after it."""
    if not BULLET.match(text):
        return None
    for m in reversed(list(re.finditer(r"[,.;]\s+", text))):
        left, right = text[: m.start() + 1], text[m.end() :]
        if AUTHORITY.match(right) or DA_KY.match(right) or is_name(right) or (is_upper(right) and len(right) > 2):
            return left, right
    return None


def is_name(text: str) -> bool:
    """A person's name: two to six capitalised words ("Nguyễn Thị Ngọc Dung")."""
    words = text.split()
    return 2 <= len(words) <= 6 and all(
        w[0].isupper() and (len(w) == 1 or w[1:].islower()) and w.isalpha() for w in words
    )


def _upper_name(text: str) -> bool:
    """A name printed in capitals under the title ("TRẦN NHẬT LỘC"): words that are no title's words."""
    words = text.split()
    return 2 <= len(words) <= 6 and all(w.isalpha() for w in words) and not set(words) & TITLE_VOCABULARY


# ---------------------------------------------------------------- normal case of upper-case names


def normal_case(text: str, places: bool = True) -> str:
    """ "ĐẢNG ỦY PHƯỜNG HỒNG QUANG" → "Đảng ủy phường Hồng Quang"; text not all in capitals is kept.
    ``places``: a place name follows "phường", "Q." … (not in a title, where "Q." is "quyền")."""
    if not is_upper(text):
        return text
    words, out, place = text.split(), [], False
    for i, word in enumerate(words):
        low = word.lower()
        if len(word) == 1 or "." in word and len(word) <= 4 or "/" in word or word in ACRONYMS:
            out.append(word)
        elif place:
            out.append(word.capitalize())
        else:
            out.append(low)
        place = places and (place or low in PLACE_WORDS or (i > 0 and (words[i - 1].lower(), low) in PLACE_PAIRS))
    result = PROPER.sub(lambda m: PROPER_NAMES[m.group(1)], " ".join(out))
    return result[:1].upper() + result[1:]
