"""The campaign's workbook: one đảng bộ, its chi bộ, their members and results, the documents' dates and
signers — five sheets a clerk fills, read back with every problem placed at its cell.

The first three sheets are the batch workbook's (:mod:`docgen.xlsx`): "Thông tin chung" (the đảng bộ, one row
per item), "Đơn vị" (one row per chi bộ: its secretary, its meeting, its own rating), "Đảng viên" (one row per
member, tied to its chi bộ). Two more say how the documents are issued: "Văn bản" (one row per document of the
campaign: ký hiệu, date, recipients) and "Người ký" (who signs each). The reading is the batch workbook's own
(sheet structure, cell types, drop-down lists, limits); this module only adds the two sheets.
"""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

from .. import kinds
from ..errors import Cell, Problem
from ..inputs import Input
from ..xlsx import columns as x
from ..xlsx import read as xr
from ..xlsx import write as xw

DOCUMENTS, SIGNERS = "Văn bản", "Người ký"
DOC_COLUMN = "Văn bản"

# The documents of a campaign a row of "Văn bản" / "Người ký" speaks of: key → label in the workbook.
TO_TRINH, QD_DANG_VIEN, QD_CHI_BO, BAO_CAO = "to_trinh", "qd_dang_vien", "qd_chi_bo", "bao_cao"
DOCUMENT_LABELS = {
    TO_TRINH: "Tờ trình của chi bộ",
    QD_DANG_VIEN: "Quyết định xếp loại đảng viên",
    QD_CHI_BO: "Quyết định xếp loại chi bộ",
    BAO_CAO: "Báo cáo kết quả",
}
SIGNED_BY_PARTY_COMMITTEE = (QD_DANG_VIEN, QD_CHI_BO, BAO_CAO)  # a tờ trình is signed by its chi bộ's secretary


def documents() -> dict[str, str]:
    """Every document a row of "Văn bản" / "Người ký" names: the campaign's own, then one per registered kind
    that joins the campaign (``Kind.campaign``, e.g. the thông báo of the results), by the kind's name."""
    return {**DOCUMENT_LABELS, **{k.name: k.campaign.label for k in kinds.campaign_kinds()}}


def signed() -> tuple[str, ...]:
    return (*SIGNED_BY_PARTY_COMMITTEE, *(k.name for k in kinds.campaign_kinds()))


def _document_choice() -> x.Choices:
    return x.Choices(DOC_COLUMN, tuple(x.Option(k, v) for k, v in documents().items()))


COMMON = (
    x.C_REGIME,
    x.C_YEAR,
    x.column("Đảng bộ", "chung.dang_bo", required=True),
    x.column("Cơ quan cấp trên", "chung.cap_tren"),
    x.column("Cơ quan ban hành (đảng ủy)", "chung.dang_uy", required=True),
    x.column("Cấp ủy quyết định", "chung.co_quan_quyet_dinh", required=True),
    x.C_PLACE,
    x.column("Số kế hoạch", "chung.ke_hoach.so", x.INT),
    x.column("Ký hiệu kế hoạch", "chung.ke_hoach.ky_hieu"),
    x.column("Ngày kế hoạch", "chung.ke_hoach.ngay", x.DATE),
    x.column("Cơ quan ban hành kế hoạch", "chung.ke_hoach.co_quan"),
    x.C_GROUNDS,
    x.column("Nhóm tính tỷ lệ", "chung.nhom_tinh_ty_le"),
    x.column("Tỷ lệ HTXSNV tính trên", "chung.cai_dat.tran_htxs_tinh_tren", x.CHOICE, x.CAP_BASE),
    x.C_SORT,
)
UNITS = (
    x.U_NAME,
    x.column("Bí thư", "bi_thu", required=True, width=24),
    x.column("Ngày họp chi bộ", "ngay_hop", x.DATE, required=True, width=14),
    x.column("Ngày tờ trình", "ngay_to_trinh", x.DATE, width=14),
    x.column("Số tờ trình", "so_to_trinh", x.INT, width=10),
    x.column("Chi bộ tự xếp loại", "chi_bo.tu_xep_loai", x.CHOICE, x.LEVEL, width=26),
    x.column("Mức đề xuất chi bộ", "chi_bo.de_xuat", x.CHOICE, x.LEVEL, required=True, width=26),
    x.column("Mức quyết định chi bộ", "chi_bo.quyet_dinh", x.CHOICE, x.LEVEL, width=26),
    *x.U_EXCEPTION,
)
MEMBERS = (*x.M_PARTICULARS, x.M_HEAD, x.M_FORM, *x.M_RATING, x.M_DECIDED, *x.M_CIRCUMSTANCES)
DOC_COLUMNS = (
    x.column(DOC_COLUMN, "loai", x.CHOICE, None, required=True, width=32),  # its choices: _document_choice()
    x.column("Ký hiệu", "ky_hieu", required=True, width=12),
    x.column("Ngày ban hành", "ngay_ban_hanh", x.DATE, required=True, width=14),
    x.column("Kính gửi", "kinh_gui", width=36),
    x.column("Nơi nhận", "noi_nhan", x.LINES, required=True, width=40),
    x.column("Nơi thi hành", "thuc_hien", x.LINES, width=40),
)
SIGNER_COLUMNS = (
    x.column(DOC_COLUMN, "loai", x.CHOICE, None, required=True, width=32),
    x.column("Thẩm quyền ký", "tham_quyen", required=True, width=20),
    x.column("Chức vụ", "chuc_vu", required=True, width=20),
    x.column("Họ và tên", "ho_ten", required=True, width=26),
)

LAYOUT = x.Layout(
    title="Đánh giá, xếp loại chất lượng của cả đảng bộ (docgen campaign)",
    common=COMMON,
    units=UNITS,
    members=MEMBERS,
    guide=(
        f"Sheet “{DOCUMENTS}”: mỗi văn bản một dòng — ký hiệu, ngày ban hành, kính gửi, nơi nhận (mỗi nơi một "
        "dòng trong ô), nơi thi hành của quyết định. Ngày ở dòng “Tờ trình của chi bộ” dùng cho chi bộ không ghi "
        "“Ngày tờ trình”.",
        f"Sheet “{SIGNERS}”: người ký quyết định và báo cáo. Tờ trình do bí thư chi bộ ký (T/M Chi ủy), tên ở cột "
        f"“Bí thư” của sheet “{x.UNITS}”.",
        "Số văn bản lấy từ sổ đăng ký văn bản đi khi mọi dữ liệu đã hợp lệ: quyết định và báo cáo theo dãy số của "
        "đảng ủy, tờ trình theo dãy số của từng chi bộ (hoặc số ghi ở cột “Số tờ trình”).",
        "Thứ tự ngày được kiểm tra: họp chi bộ (kiểm điểm) → tờ trình → quyết định → báo cáo.",
        "Tỷ lệ HTXSNV được tính chung cho cả đảng bộ (hoặc nhóm ghi ở mục “Nhóm tính tỷ lệ”).",
    ),
)


def _extra_sheets():
    """The two sheets of the documents, their first column's choices the documents of :func:`documents`."""
    first = dataclasses.replace(DOC_COLUMNS[0], choices=_document_choice())
    return ((DOCUMENTS, (first, *DOC_COLUMNS[1:])), (SIGNERS, (first, *SIGNER_COLUMNS[1:])))


# ---------------------------------------------------------------- reading


def read(path: str | Path, name: str | None = None) -> Input:
    """The campaign's envelope — ``{"chung", "don_vi": [...], "van_ban": {key: row}, "nguoi_ky": {key: row}}``
    — with the cell of every path and every problem at once. Unlike a batch's workbook, ``data`` is kept when
    cells have problems (a wrong cell is left empty): the campaign checks its documents all the same, so that
    every problem is reported in one go. ``data`` is None only when the sheets themselves are wrong."""
    name = name or Path(path).name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = xr.open_book(path, name)
        except xr.limits.LimitExceeded as exc:
            return Input(None, problems=[Problem("$", exc.code, exc.message, f"Tệp {name}")])
        except Exception:  # noqa: BLE001 — openpyxl raises many kinds of errors for a file that is not a workbook
            return Input(None, problems=[xr._unreadable(name)])
        envelope, locations, problems = _read_book(book, name)
    # The envelope is kept with the problems of its cells (those cells left empty), so that the documents'
    # own problems are found too and all are reported at once; a broken structure gives none.
    return Input(envelope or None, locations, problems, normalised=True)


def _read_book(book, name: str):
    problems: list[Problem] = []
    budget = xr._Budget()
    try:
        common = xr._read_grid(book, x.COMMON, xr._COMMON_COLUMNS, problems, budget)
        units = xr._read_grid(book, x.UNITS, LAYOUT.units, problems, budget)
        members = xr._read_grid(book, x.MEMBERS, LAYOUT.members, problems, budget, key_col=x.M_UNIT)
        sheets = _extra_sheets()
        extra = [xr._read_grid(book, sheet, cols, problems, budget) for sheet, cols in sheets]
    except xr._UNREADABLE:
        return {}, {}, [xr._unreadable(name)]
    finally:
        book.close()
    items = xr._read_items(common, LAYOUT.common, problems) if common is not None else {}
    if problems:  # the sheets' structure is wrong: the cells cannot be trusted to mean anything
        return {}, {}, problems
    envelope, locations, problems = xr._assemble(LAYOUT, common, items, units, members)
    for (_sheet, cols), grid, key in zip(sheets, extra, ("van_ban", "nguoi_ky")):
        envelope[key] = _read_documents(grid, cols, key, locations, problems)
    labels, wanted = documents(), {"van_ban": documents(), "nguoi_ky": signed()}
    for (sheet, _), key in zip(sheets, ("van_ban", "nguoi_ky")):
        for doc in wanted[key]:
            if doc not in envelope[key]:
                problems.append(
                    Problem(
                        f"$.{key}",
                        "xlsx_document_missing",
                        f"Thiếu dòng “{labels[doc]}” ở sheet “{sheet}”.",
                        Cell(sheet),
                    )
                )
    return envelope, locations, problems


def _read_documents(grid, cols, key: str, locations: dict, problems: list) -> dict:
    """The rows of "Văn bản" or "Người ký", by the document each names (one row each)."""
    r = xr._Reader()
    out: dict[str, dict] = {}
    locations[f"$.{key}"] = Cell(grid.sheet)
    for number, cells in grid.rows:
        where = grid.cell(number, DOC_COLUMN)
        doc = r.convert(cols[0], cells.get(DOC_COLUMN), f"$.{key}", where) if DOC_COLUMN in cells else None
        if doc is None:
            if cells.get(DOC_COLUMN) is None:
                r.problem(f"$.{key}", "xlsx_required", "Chưa ghi văn bản của dòng này.", where)
            continue
        base = f"$.{key}.{doc}"
        if doc in out:
            r.problem(base, "xlsx_duplicate_row", f"Văn bản “{documents()[doc]}” đã có một dòng.", where)
            continue
        record: dict = {}
        locations[base] = Cell(grid.sheet, number)
        for col in cols[1:]:
            if col.header in cells:
                r.place(record, base, col, cells[col.header], grid.cell(number, col.header))
        out[doc] = record
    locations.update(r.locations)
    problems += r.problems
    return out


# ---------------------------------------------------------------- the template


def build_template(rows: dict | None = None) -> bytes:
    """The ready-to-fill workbook (``rows``: header → values of each sheet, for a filled sample:
    ``{"common": {...}, "units": [...], "members": [...], "van_ban": [...], "nguoi_ky": [...]}``)."""
    rows = rows or {}
    wb = xw._workbook(LAYOUT, rows.get("common", {}), rows.get("units", []), rows.get("members", []))
    lists = wb[x.LISTS]
    sheets = _extra_sheets()
    refs = _add_lists(lists, [sheets[0][1][0].choices])  # the only list the two sheets use
    for (sheet, cols), key in zip(sheets, ("van_ban", "nguoi_ky")):
        ws = wb.create_sheet(sheet, index=wb.sheetnames.index(x.LISTS))
        xw._fill_table(ws, cols, rows.get(key, []), refs)
    return xw._to_bytes(wb)


def _add_lists(ws, choices) -> dict[str, str]:
    from openpyxl.utils import get_column_letter

    refs = {}
    start = ws.max_column + 1 if ws.cell(1, 1).value is not None else 1
    for j, ch in enumerate(choices, start):
        letter = get_column_letter(j)
        xw._header_cell(ws.cell(1, j, ch.title))
        ws.column_dimensions[letter].width = xw.WIDTHS["lists"]
        for i, option in enumerate(ch.options, 2):
            ws.cell(i, j, option.label)
        refs[ch.title] = f"'{x.LISTS}'!${letter}$2:${letter}${len(ch.options) + 1}"
    return refs
