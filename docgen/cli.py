"""Command line: ``docgen kinds | schema | validate | render``. Thin over :mod:`docgen.api`.

Exit status: 0 success, 1 invalid input (nothing written), 2 usage error (unknown kind, missing
file, bad option). Messages are in Vietnamese; problems are printed one per line with their
location, message and code.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import api, kinds
from .validation import bundled_schema
from .errors import DocgenError, InvalidInput, UnknownKind
from .export import PdfError, docx_to_pdf, write_atomic

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints English; say it in Vietnamese, exit 2
        self.print_usage(sys.stderr)
        print(f"Lỗi cách dùng: {_vi_argparse(message)}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _vi_argparse(message: str) -> str:
    return (message.replace("the following arguments are required", "thiếu tham số")
            .replace("invalid choice", "lựa chọn không hợp lệ")
            .replace("unrecognized arguments", "tham số không nhận ra")
            .replace("expected one argument", "cần một giá trị"))


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="docgen", description="Soạn văn bản kiểm điểm, đánh giá, xếp loại chất lượng "
                                           "theo thể thức văn bản của Đảng.")
    p.add_argument("--version", action="version", version="docgen 0.1.0")
    sub = p.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)
    sub.add_parser("kinds", help="liệt kê các loại văn bản")
    s = sub.add_parser("schema", help="in lược đồ JSON của một loại văn bản")
    s.add_argument("kind", metavar="LOẠI")
    v = sub.add_parser("validate", help="kiểm tra tệp dữ liệu, báo mọi lỗi cùng lúc")
    v.add_argument("kind", metavar="LOẠI")
    v.add_argument("file", metavar="TỆP", type=Path)
    v.add_argument("--json", action="store_true", help="in lỗi dạng JSON (cho chương trình khác)")
    r = sub.add_parser("render", help="tạo văn bản Word (.docx) từ tệp dữ liệu")
    r.add_argument("kind", metavar="LOẠI")
    r.add_argument("file", metavar="TỆP", type=Path)
    r.add_argument("-o", "--output", metavar="RA.docx", type=Path,
                   help="tệp kết quả (mặc định: tên tệp dữ liệu với đuôi .docx)")
    r.add_argument("--pdf", action="store_true", help="xuất thêm bản PDF cạnh tệp .docx (cần LibreOffice)")
    r.add_argument("--template", metavar="MẪU.docx", type=Path, help="dùng mẫu riêng thay cho mẫu mặc định")
    r.add_argument("--json", action="store_true", help="in lỗi dạng JSON")
    return p


def _print_problems(problems, as_json: bool) -> None:
    if as_json:
        print(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
        return
    print(f"Dữ liệu có {len(problems)} lỗi; chưa tạo văn bản nào:", file=sys.stderr)
    for p in problems:
        print(f"  - {p}", file=sys.stderr)


def _need_file(path: Path) -> None:
    if not path.is_file():
        print(f"Không tìm thấy tệp “{path}”.", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "kinds":
            for name in kinds.names():
                print(f"{name}\t{kinds.get(name).TITLE}")
            return EXIT_OK
        if args.command is None:
            _parser().print_help()
            return EXIT_USAGE
        module = kinds.get(args.kind)
        if args.command == "schema":
            print(json.dumps(bundled_schema(module.SCHEMA), ensure_ascii=False, indent=2))
            return EXIT_OK
        _need_file(args.file)
        if args.command == "validate":
            problems = api.validate(args.kind, args.file)
            if problems:
                _print_problems(problems, args.json)
                return EXIT_INVALID
            print(f"Hợp lệ: {args.file} ({module.TITLE}).") if not args.json else print("[]")
            return EXIT_OK
        if args.command == "render":
            if args.template:
                _need_file(args.template)
            out = args.output or Path(args.file.stem + ".docx")
            data = api.render(args.kind, args.file, template=args.template)
            write_atomic(out, data)
            print(f"Đã tạo {out}")
            if args.pdf:
                pdf = docx_to_pdf(out, out.with_suffix(".pdf"))
                print(f"Đã tạo {pdf}")
            return EXIT_OK
    except UnknownKind as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except InvalidInput as exc:
        _print_problems(exc.problems, getattr(args, "json", False))
        return EXIT_INVALID
    except PdfError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    except DocgenError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
