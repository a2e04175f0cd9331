"""``docgen campaign WORKBOOK -o DIR``: the whole campaign of a đảng bộ from one workbook (:mod:`docgen.campaign`).
Thin over :func:`docgen.campaign.make`; errors are raised to the main command line, which prints them."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from . import register
from .errors import InvalidInput, errors


def add_parser(sub, parents=()) -> None:
    """``parents``: the numbering options render and batch share (the register, a new series' restart,
    reissue, new numbers), without those for numbers by hand."""
    c = sub.add_parser(
        "campaign",
        parents=list(parents),
        help="cả đợt đánh giá, xếp loại của đảng bộ từ một sổ Excel: tờ trình, quyết định, phiếu kiểm điểm, "
        "phiếu xếp loại, báo cáo",
    )
    c.add_argument("file", metavar="SỔ.xlsx", type=Path, help="sổ Excel (tạo mẫu: docgen xlsx-template campaign)")
    c.add_argument("-o", "--output", metavar="THƯ_MỤC", type=Path, required=True, help="thư mục kết quả")
    c.add_argument("--jobs", metavar="N", type=int, default=os.cpu_count() or 1, help="số tiến trình chạy song song")
    c.add_argument("--pdf", action="store_true", help="xuất PDF và một tệp in tat_ca_<loại>.pdf cho mỗi loại văn bản")
    c.add_argument("--zip", action="store_true", help="ghi thêm tệp nén tat_ca.zip")
    c.add_argument(
        "--overwrite",
        action="store_true",
        help="vẫn tạo khi thư mục kết quả có tệp không do docgen tạo: các tệp đó được chuyển nguyên vẹn sang "
        "THƯ_MỤC.tep-cu-<ngày>-<giờ>",
    )
    c.add_argument("--json", action="store_true", help="in lỗi dạng JSON")


def run(args) -> int:
    from . import campaign

    if not args.file.is_file():
        print(f"Không tìm thấy tệp “{args.file}”.", file=sys.stderr)
        return 2
    inp = campaign.read(args.file)
    restart = register.parse_restart(args.restart) if args.restart else None
    if inp.data is None:
        raise InvalidInput(inp.problems)
    from .cli import terminated

    previous = signal.signal(signal.SIGTERM, terminated)  # `kill`: the build is dropped, as for Ctrl-C
    try:
        with register.open_register(args.register) as reg:
            result = campaign.make(
                inp,
                args.output,
                reg,
                restart=restart,
                reissue=args.reissue,
                new_numbers=args.new_numbers,
                workers=args.jobs,
                pdf=args.pdf,
                zip_all=args.zip,
                overwrite=args.overwrite,
            )
    finally:
        signal.signal(signal.SIGTERM, previous)
    if not result.ok:
        raise InvalidInput(result.problems)
    if args.json:
        print(json.dumps([p.as_dict() for p in result.problems], ensure_ascii=False, indent=2))
    made = sum(1 for o in result.outcomes if o.status == "ok")
    skipped = sum(1 for o in result.outcomes if o.status == "skip")
    numbers = ", ".join(f"{e.so_ky_hieu}" for e in result.entries[:3]) + (" …" if len(result.entries) > 3 else "")
    print(
        f"Đã tạo {made} văn bản trong {args.output}"
        + (f" ({skipped} đảng viên không viết bản kiểm điểm, xem danh sách)" if skipped else "")
        + f"; {len(result.entries)} số lấy từ sổ {reg.path} ({numbers})."
    )
    for note in result.pdf_notes:
        print(f"  {note}")
    print(f"Danh sách: {args.output / 'manifest.csv'}")
    warnings = [p for p in result.problems if not p.is_error]
    for p in warnings:
        print(f"  - {p}", file=sys.stderr)
    return 1 if errors(result.problems) or result.pdf_failed else 0
