"""Command line of the register: ``docgen register init|series|list|next|show|void|export|backup``.

Thin over :mod:`docgen.register`; :mod:`docgen.cli` adds the parser and calls :func:`run`, and reports the
errors it raises (exit 1) the same way as for every other command.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from . import register, vn

STATE_OPTIONS = {"giu-so": "reserved", "da-cap": "issued", "huy": "void"}


def add_parser(sub) -> None:
    """The ``register`` command and its subcommands, on the subparsers ``sub`` of ``docgen``."""
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        register.OPT_REGISTER,
        dest="register",
        metavar="TỆP",
        help=f"tệp sổ đăng ký (mặc định: biến môi trường {register.ENV}, nếu không thì {register.default_path()})",
    )
    narrow = argparse.ArgumentParser(add_help=False)
    narrow.add_argument(
        "--co-quan", dest="issuer", metavar="CƠ_QUAN", help="cơ quan ban hành, ví dụ “Đảng ủy phường …”"
    )
    narrow.add_argument("--nam", dest="year", type=int, metavar="NĂM", help="năm của ngày văn bản")
    filters = argparse.ArgumentParser(add_help=False, parents=[narrow])
    filters.add_argument("--ky-hieu", dest="ky_hieu", metavar="KÝ_HIỆU", help="ký hiệu, ví dụ QĐ/ĐU")
    filters.add_argument("--loai", dest="kind", metavar="LOẠI", help="loại văn bản (xem: docgen kinds)")
    filters.add_argument(
        "--trang-thai",
        dest="state",
        choices=list(STATE_OPTIONS),
        help="giu-so: đã giữ số, chưa tạo tệp; da-cap: đã cấp; huy: đã hủy",
    )

    r = sub.add_parser("register", help="sổ đăng ký văn bản đi: số đã cấp, số kế tiếp, hủy số, xuất sổ")
    rsub = r.add_subparsers(dest="register_command", metavar="VIỆC", parser_class=type(r), required=True)
    rsub.add_parser("init", parents=[where], help="lập sổ mới (ví dụ trên ổ mạng dùng chung của văn phòng)")
    s = rsub.add_parser("series", parents=[where], help="xem các dãy số; đặt khi nào số bắt đầu lại từ 01")
    s.add_argument("--co-quan", dest="issuer", metavar="CƠ_QUAN", help="cơ quan ban hành")
    s.add_argument("--ky-hieu", dest="ky_hieu", metavar="KÝ_HIỆU", help="ký hiệu, ví dụ QĐ/ĐU")
    s.add_argument(
        register.OPT_RESTART,
        dest="restart",
        metavar="KHI",
        help=f"“{register.YEAR}”: mỗi năm bắt đầu lại từ 01; hoặc ngày bắt đầu nhiệm kỳ NĂM-THÁNG-NGÀY",
    )
    ls = rsub.add_parser("list", parents=[where, filters], help="liệt kê các số đã cấp")
    ls.add_argument("--json", action="store_true", help="in dạng JSON")
    n = rsub.add_parser("next", parents=[where], help="số kế tiếp của một dãy số (không lấy số)")
    n.add_argument("--co-quan", dest="issuer", metavar="CƠ_QUAN", required=True, help="cơ quan ban hành")
    n.add_argument("--ky-hieu", dest="ky_hieu", metavar="KÝ_HIỆU", required=True, help="ký hiệu, ví dụ QĐ/ĐU")
    n.add_argument("--ngay", dest="on", metavar="NGÀY", help="ngày văn bản NĂM-THÁNG-NGÀY (mặc định: hôm nay)")
    sh = rsub.add_parser("show", parents=[where, narrow], help="xem một mục của sổ")
    sh.add_argument("ref", metavar="MỤC", help="mã mục (ví dụ 17) hoặc số, ký hiệu (ví dụ 05-QĐ/ĐU)")
    sh.add_argument("--json", action="store_true", help="in dạng JSON")
    v = rsub.add_parser("void", parents=[where, narrow], help="hủy một số (số vẫn giữ trong sổ, không cấp lại)")
    v.add_argument("ref", metavar="MỤC", help="mã mục (ví dụ 17) hoặc số, ký hiệu (ví dụ 05-QĐ/ĐU)")
    v.add_argument("--ly-do", dest="reason", metavar="LÝ_DO", required=True, help="lý do hủy số")
    e = rsub.add_parser("export", parents=[where, filters], help="xuất sổ ra Excel (.xlsx) hoặc .csv")
    e.add_argument("-o", "--output", metavar="RA.xlsx", type=Path, required=True, help="tệp .xlsx hoặc .csv")
    b = rsub.add_parser("backup", parents=[where], help="sao lưu sổ ra một tệp mới (an toàn cả khi đang dùng)")
    b.add_argument("output", metavar="RA.sqlite", type=Path)


def run(args) -> int:
    command = args.register_command
    if command == "init":
        with register.create_register(args.register) as reg:
            print(f"Đã lập sổ đăng ký văn bản đi: {reg.path}")
        return 0
    with register.open_register(args.register, create=False) as reg:
        return _COMMANDS[command](reg, args)


def _series(reg, args) -> int:
    if args.restart:
        if not (args.issuer and args.ky_hieu):
            raise register.RegisterError(
                "series_needs_name", f"Đặt {register.OPT_RESTART} cần ghi cả --co-quan và --ky-hieu của dãy số."
            )
        found = reg.set_restart(args.issuer, args.ky_hieu, register.parse_restart(args.restart))
        print(f"Đã ghi: {found.describe()} {found.restart_label}.")
        return 0
    shown = [
        s
        for s in reg.series()
        if (not args.issuer or register.norm(s.issuer) == register.norm(args.issuer))
        and (not args.ky_hieu or register.norm(s.ky_hieu) == register.norm(args.ky_hieu))
    ]
    print(f"Sổ {reg.path}: {len(shown)} dãy số.")
    for s in shown:
        print(f"  {s.issuer}\t{s.ky_hieu}\t{s.restart_label}")
    return 0


def _filters(args) -> dict:
    return {
        "issuer": args.issuer,
        "ky_hieu": args.ky_hieu,
        "year": args.year,
        "kind": args.kind,
        "state": STATE_OPTIONS.get(args.state),
    }


def _line(e: register.Entry) -> str:
    parts = [f"mục {e.id}", e.so_ky_hieu, vn.ngay_so(e.date), e.state_label, e.issuer]
    parts += [x for x in (e.unit, " ".join(x for x in (e.title, e.trich_yeu) if x), e.file_name) if x]
    if e.state == "void":
        parts.append(f"lý do hủy: {e.void_reason}")
    return "\t".join(parts)


def _list(reg, args) -> int:
    entries = reg.entries(**_filters(args))
    if args.json:
        print(json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2))
        return 0
    reserved = sum(1 for e in entries if e.state == "reserved")
    print(
        f"Sổ {reg.path}: {len(entries)} số"
        + (f" ({reserved} số đã giữ nhưng chưa tạo tệp — tạo lại văn bản đó, hoặc hủy số)" if reserved else "")
        + "."
    )
    for e in entries:
        print(f"  {_line(e)}")
    return 0


def _next(reg, args) -> int:
    number = reg.next_number(args.issuer, args.ky_hieu, args.on)
    found = reg.get_series(args.issuer, args.ky_hieu)
    note = found.restart_label if found else "dãy số chưa có trong sổ"
    print(f"Số kế tiếp: {number:02d}-{found.ky_hieu if found else args.ky_hieu} ({note}).")
    return 0


def _show(reg, args) -> int:
    e = reg.find(args.ref, issuer=args.issuer, year=args.year)
    if args.json:
        print(json.dumps(e.as_dict(), ensure_ascii=False, indent=2))
        return 0
    rows = [
        ("Số, ký hiệu", f"{e.so_ky_hieu} ({register.period_label(e.period_start)})"),
        ("Cơ quan ban hành", e.issuer),
        ("Ngày văn bản", vn.ngay_so(e.date)),
        ("Loại văn bản", f"{e.title} ({e.kind})" if e.title else e.kind),
        ("Trích yếu", e.trich_yeu),
        ("Đơn vị", e.unit),
        ("Người ký", e.signer),
        ("Nơi nhận", "; ".join(e.recipients)),
        ("Trạng thái", e.state_label + (f" lúc {register.when(e.voided_at)}: {e.void_reason}" if e.voided_at else "")),
        ("Thay cho mục", str(e.replaces_id or "")),
        ("Tệp", e.file_name),
        ("SHA-256", e.sha256),
        ("Lô", e.batch_id),
        ("Giữ số lúc", register.when(e.reserved_at)),
        ("Tạo tệp lúc", register.when(e.issued_at)),
    ]
    print(f"Mục {e.id} của sổ {reg.path}:")
    for label, value in rows:
        if value:
            print(f"  {label}: {value}")
    return 0


def _void(reg, args) -> int:
    e = reg.void(reg.find(args.ref, issuer=args.issuer, year=args.year).id, args.reason)
    print(
        f"Đã hủy số {e.so_ky_hieu} ({register.period_label(e.period_start)}) — {e.document()}. "
        f"Lý do: {e.void_reason}. Số này không được cấp lại."
    )
    return 0


def _export(reg, args) -> int:
    filters = _filters(args)
    entries = reg.entries(**filters)
    shown = [f"{k}: {v}" for k, v in (("Cơ quan", args.issuer), ("Ký hiệu", args.ky_hieu), ("Năm", args.year)) if v]
    path = register.write_export(args.output, entries, " — ".join(shown))
    print(f"Đã xuất {len(entries)} số vào {path}")
    return 0


def _backup(reg, args) -> int:
    print(f"Đã sao lưu sổ vào {reg.backup(args.output)}")
    return 0


_COMMANDS = {
    "series": _series,
    "list": _list,
    "next": _next,
    "show": _show,
    "void": _void,
    "export": _export,
    "backup": _backup,
}
