"""Command line: ``docgen kinds | schema | validate | render``. Thin over :mod:`docgen.api`.

Exit status: 0 success, 1 invalid input (nothing written), 2 usage error (unknown kind, missing
file, bad option). Messages are in Vietnamese; problems are printed one per line with their
location, message and code.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sys
from pathlib import Path

from . import api, batch, io, kinds, limits, numbers, register
from .argparse_vi import Parser as _Parser
from .batch_folder import BatchFolder
from .errors import DocgenError, InvalidInput, PdfError, UnknownKind, errors
from .export import (
    WriteError,
    check_replaceable,
    made_by_docgen,
    os_error_text,
    pdf_made_by_docgen,
    write_atomic,
)
from .inputs import normalise
from .places import name_places
from .validation import bundled_schema

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C
CAMPAIGN = "campaign"  # `docgen xlsx-template campaign`: the workbook of `docgen campaign`, not a kind's


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="docgen",
        description="Soạn văn bản kiểm điểm, đánh giá, xếp loại chất lượng theo thể thức văn bản của Đảng.",
    )
    p.add_argument("--version", action="version", version="docgen 0.1.0", help="hiện phiên bản rồi thoát")
    sub = p.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)
    sub.add_parser("kinds", help="liệt kê các loại văn bản")
    s = sub.add_parser("schema", help="in lược đồ JSON của một loại văn bản")
    s.add_argument("kind", metavar="LOẠI", help="loại văn bản (xem: docgen kinds)")
    v = sub.add_parser("validate", help="kiểm tra tệp dữ liệu, báo mọi lỗi cùng lúc")
    v.add_argument("kind", metavar="LOẠI", help="loại văn bản (xem: docgen kinds)")
    v.add_argument(
        "file", metavar="TỆP", type=Path, help="tệp dữ liệu .json của một văn bản, tệp lô .json hoặc sổ Excel .xlsx"
    )
    v.add_argument("--json", action="store_true", help="in lỗi dạng JSON (cho chương trình khác)")
    numbering = _numbering_options()
    r = sub.add_parser("render", parents=[numbering], help="tạo văn bản Word (.docx) từ tệp dữ liệu")
    r.add_argument("kind", metavar="LOẠI", help="loại văn bản (xem: docgen kinds)")
    r.add_argument("file", metavar="TỆP", type=Path, help="tệp dữ liệu .json của một văn bản")
    r.add_argument(
        "-o", "--output", metavar="RA.docx", type=Path, help="tệp kết quả (mặc định: tên tệp dữ liệu với đuôi .docx)"
    )
    r.add_argument("--pdf", action="store_true", help="xuất thêm bản PDF cạnh tệp .docx (cần LibreOffice)")
    r.add_argument("--template", metavar="MẪU.docx", type=Path, help="dùng mẫu riêng thay cho mẫu mặc định")
    r.add_argument(
        "--overwrite",
        action="store_true",
        help="ghi đè tệp kết quả đã có dù không phải docgen tạo, hoặc đã bị sửa (tệp docgen tạo mà chưa ai sửa "
        "thì luôn được thay, không cần tùy chọn này)",
    )
    r.add_argument("--json", action="store_true", help="in lỗi dạng JSON")
    b = sub.add_parser(
        "batch", parents=[numbering], help="tạo hàng loạt văn bản (mỗi đơn vị một văn bản) từ tệp JSON hoặc Excel"
    )
    b.add_argument("kind", metavar="LOẠI", help="loại văn bản (xem: docgen kinds)")
    b.add_argument("file", metavar="TỆP", type=Path, help="tệp lô .json hoặc sổ Excel .xlsx")
    b.add_argument("-o", "--output", metavar="THƯ_MỤC", type=Path, required=True, help="thư mục kết quả")
    b.add_argument(
        "--start-number",
        metavar="N",
        type=int,
        help="số văn bản đầu tiên, các văn bản sau lấy số tiếp theo (mặc định: so_bat_dau của tệp; không có thì "
        "lấy số kế tiếp trong sổ đăng ký văn bản đi). Có sổ thì các số này được ghi vào sổ",
    )
    b.add_argument(
        "--jobs",
        metavar="N",
        type=int,
        default=os.cpu_count() or 1,
        help="số tiến trình chạy song song (mặc định: số nhân CPU)",
    )
    b.add_argument("--strict", action="store_true", help="chỉ tạo khi mọi đơn vị đều hợp lệ")
    b.add_argument("--zip", action="store_true", help="ghi thêm một tệp nén tat_ca.zip")
    b.add_argument("--pdf", action="store_true", help="xuất PDF từng văn bản và gộp thành tat_ca.pdf (cần LibreOffice)")
    b.add_argument(
        "--overwrite",
        action="store_true",
        help="vẫn tạo lô khi thư mục kết quả có tệp không do docgen tạo (hoặc đã bị sửa): các tệp đó được chuyển "
        "nguyên vẹn sang thư mục THƯ_MỤC.tep-cu-<ngày>-<giờ> bên cạnh, không bị xóa",
    )
    duplex = b.add_mutually_exclusive_group()
    duplex.add_argument(
        "--in-hai-mat",
        dest="double_sided",
        action="store_true",
        default=None,
        help="tat_ca.pdf để in hai mặt: mỗi văn bản bắt đầu ở trang lẻ, thêm trang trắng khi cần "
        "(mặc định khi có văn bản dài hơn một trang)",
    )
    duplex.add_argument(
        "--khong-in-hai-mat", dest="double_sided", action="store_false", help="tat_ca.pdf để in một mặt"
    )
    t = sub.add_parser("template", help="làm mẫu văn bản riêng: tạo, xem biến, kiểm tra")
    tsub = t.add_subparsers(dest="template_command", metavar="VIỆC", parser_class=_Parser, required=True)
    tn = tsub.add_parser("new", help="chép mẫu gốc của một loại văn bản làm điểm bắt đầu")
    tn.add_argument("kind", metavar="LOẠI", help="loại văn bản (xem: docgen kinds)")
    tn.add_argument("output", metavar="RA.docx", type=Path)
    several = [k for k in kinds.all_kinds() if k.variants]
    tn.add_argument(
        "--hinh-thuc",
        dest="form",
        choices=sorted({form for k in several for form in k.variants}),
        help="với loại có nhiều mẫu, chọn mẫu ("
        + "; ".join(f"{k.name}: {' hoặc '.join(k.variants)}" for k in several)
        + "; mặc định: mẫu đầu tiên)",
    )
    tv = tsub.add_parser("vars", help="liệt kê các biến một mẫu được dùng, kèm kiểu và giải thích")
    tv.add_argument("kind", metavar="LOẠI", help="loại văn bản (xem: docgen kinds)")
    tv.add_argument("--json", action="store_true", help="in dạng JSON")
    tc = tsub.add_parser("check", help="kiểm tra một mẫu trước khi dùng, báo mọi lỗi cùng lúc")
    tc.add_argument("template", metavar="MẪU.docx", type=Path)
    tc.add_argument("--kind", metavar="LOẠI", required=True)
    tc.add_argument("--json", action="store_true", help="in lỗi dạng JSON")
    im = sub.add_parser("import", help="đọc một văn bản có sẵn (.docx hoặc văn bản chép ra) thành tệp dữ liệu JSON")
    im.add_argument("kind", metavar="LOẠI", help="loại văn bản (xem: docgen kinds)")
    im.add_argument("file", metavar="TỆP", type=Path, help="văn bản có sẵn: .docx, hoặc .txt chép từ bản PDF")
    im.add_argument("-o", "--output", metavar="RA.json", type=Path, required=True)
    im.add_argument("--overwrite", action="store_true", help="ghi đè tệp RA.json đã có")
    im.add_argument(
        "--report", action="store_true", help="in bảng so sánh số của từng đề mục: trong văn bản gốc và khi tạo lại"
    )
    sv = sub.add_parser("serve", help="mở trang web soạn văn bản trên máy này")
    sv.add_argument("--host", default="127.0.0.1", help="địa chỉ (mặc định 127.0.0.1, chỉ máy này)")
    sv.add_argument("--port", type=int, default=8000, help="cổng (mặc định 8000)")
    sv.add_argument("--token", help="mã truy cập, bắt buộc khi mở cho máy khác (--host không phải 127.0.0.1)")
    sv.add_argument("--open", action="store_true", help="mở trang bằng trình duyệt của máy này khi đã sẵn sàng")
    sv.add_argument(
        register.OPT_REGISTER,
        dest="register",
        metavar="TỆP",
        help=f"sổ đăng ký văn bản đi của trang (mặc định: biến môi trường {register.ENV}, nếu không thì sổ trong thư "
        "mục dữ liệu của người dùng)",
    )
    x = sub.add_parser("xlsx-template", help="tạo sổ Excel mẫu để nhập dữ liệu cho lệnh batch")
    x.add_argument(
        "kind", metavar="LOẠI", help="loại văn bản (xem: docgen kinds), hoặc campaign (sổ của lệnh docgen campaign)"
    )
    x.add_argument("-o", "--output", metavar="MAU.xlsx", type=Path, required=True)
    x.add_argument("--from", dest="source", metavar="TỆP.json", type=Path, help="điền sẵn sổ từ một tệp lô JSON")
    x.add_argument("--overwrite", action="store_true", help="ghi đè tệp MAU.xlsx đã có")
    from .campaign_cli import add_parser as add_campaign_parser
    from .register_cli import add_parser as add_register_parser

    add_register_parser(sub)
    add_campaign_parser(sub, parents=[_numbering_options(by_hand=False)])
    return p


def _numbering_options(by_hand: bool = True) -> argparse.ArgumentParser:
    """The options that say where numbers come from (:class:`docgen.numbers.Numbering`): render and batch's;
    ``by_hand=False`` (the campaign, numbered from the register only): without --no-register and --de-trong-so."""
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("số văn bản (sổ đăng ký văn bản đi)")
    g.add_argument(
        register.OPT_REGISTER,
        dest="register",
        metavar="TỆP",
        help=f"tệp sổ đăng ký (mặc định: biến môi trường {register.ENV}, nếu không thì sổ trong thư mục dữ liệu "
        "của người dùng)",
    )
    if by_hand:
        _by_hand_options(g)
    g.add_argument(
        register.OPT_RESTART,
        dest="restart",
        metavar="KHI",
        help=f"với dãy số dùng lần đầu: “{register.YEAR}” (mỗi năm bắt đầu lại từ 01, mặc định) hoặc ngày bắt đầu "
        "nhiệm kỳ NĂM-THÁNG-NGÀY",
    )
    g.add_argument(
        register.OPT_REISSUE,
        dest="reissue",
        action="store_true",
        help="văn bản đã cấp số mà nội dung đổi: hủy số cũ (ghi lý do trong sổ), cấp số mới",
    )
    g.add_argument(
        register.OPT_NEW,
        dest="new_numbers",
        action="store_true",
        help="văn bản đã cấp số mà nội dung đổi là một văn bản khác: cấp số mới, số cũ vẫn giữ",
    )
    return p


def _by_hand_options(g) -> None:
    """Numbers not from the register: written in the data, or left blank for a hand-written one."""
    g.add_argument(
        numbers.OPT_NO_REGISTER,
        dest="no_register",
        action="store_true",
        help="không dùng sổ: số văn bản phải ghi sẵn trong dữ liệu (hoặc --start-number), không ghi vào sổ",
    )
    g.add_argument(
        numbers.OPT_BLANK,
        dest="blank",
        action="store_true",
        help="để trống số (văn thư ghi tay sau khi ký, hoặc bản nháp); không lấy số, không ghi vào sổ",
    )


def _numbering(args) -> numbers.Numbering:
    if args.no_register and args.register:
        raise SystemExit(_usage(f"{numbers.OPT_NO_REGISTER} và {register.OPT_REGISTER} không dùng cùng nhau."))
    return numbers.Numbering(
        path=args.register,
        use_register=not args.no_register,
        blank=args.blank,
        restart=register.parse_restart(args.restart) if args.restart else None,
        reissue=args.reissue,
        new_numbers=args.new_numbers,
        ask_restart=_ask_restart if sys.stdin.isatty() and sys.stderr.isatty() else None,
    )


def _usage(message: str) -> int:
    print(f"Lỗi cách dùng: {message}", file=sys.stderr)
    return EXIT_USAGE


def _ask_restart(issuer: str, ky_hieu: str):
    """On a terminal: ask once when a new series' numbers restart (Enter: each year)."""
    while True:
        print(
            f"Sổ đăng ký chưa có dãy số “{ky_hieu}” của “{issuer}”. Số bắt đầu lại từ 01 khi nào?\n"
            f"  Enter: mỗi năm (thường dùng); hoặc gõ ngày bắt đầu nhiệm kỳ NĂM-THÁNG-NGÀY (ví dụ 2025-10-15): ",
            end="",
            file=sys.stderr,
            flush=True,
        )
        answer = sys.stdin.readline()
        if not answer:  # end of input: the usual choice
            return register.YEAR
        try:
            return register.parse_restart(answer.strip() or register.YEAR)
        except register.RegisterError as exc:
            print(exc.message, file=sys.stderr)


def _print_notes(numbering: numbers.Numbering) -> None:
    for note in numbering.notes:
        print(f"  ! {note}", file=sys.stderr)


def _print_problems(problems, as_json: bool) -> None:
    if as_json:
        print(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
        return
    found = errors(problems)
    if found:
        print(f"Dữ liệu có {len(found)} lỗi; chưa tạo văn bản nào:", file=sys.stderr)
        for p in found:
            print(f"  - {p}", file=sys.stderr)
    _print_warnings(problems)


def _print_warnings(problems) -> None:
    """Warnings do not stop a document; they are printed for the clerk to check."""
    warnings = [p for p in problems if not p.is_error]
    if warnings:
        print(f"{len(warnings)} cảnh báo (văn bản vẫn được tạo; đề nghị kiểm tra lại):", file=sys.stderr)
        for p in warnings:
            print(f"  ! {p}", file=sys.stderr)


def _need_file(path: Path) -> None:
    if not path.is_file():
        print(f"Không tìm thấy tệp “{path}”.", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def main(argv=None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # output piped into `head` and closed early: not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("\nĐã dừng theo yêu cầu; không có tệp nào ghi dở, các tệp kết quả cũ giữ nguyên.", file=sys.stderr)
        return EXIT_INTERRUPTED


def _main(argv) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "kinds":
            for name in kinds.names():
                print(f"{name}\t{kinds.get(name).title}")
            return EXIT_OK
        if args.command is None:
            _parser().print_help()
            return EXIT_USAGE
        if args.command == "serve":
            return _serve(args)
        if args.command == "template":
            return _template(args)
        if args.command == "register":
            from .register_cli import run as run_register

            return run_register(args)
        if args.command == "campaign":
            from .campaign_cli import run as run_campaign

            return run_campaign(args)
        if args.command == "xlsx-template" and args.kind == CAMPAIGN:
            return _xlsx_template(args, None)
        kind = kinds.get(args.kind)  # resolved once: every step below is given the Kind
        if args.command == "import":
            return _import(args, kind)
        if args.command == "schema":
            print(json.dumps(bundled_schema(kind.schema), ensure_ascii=False, indent=2))
            return EXIT_OK
        if args.command == "xlsx-template":
            return _xlsx_template(args, kind)
        _need_file(args.file)
        if args.command == "batch":
            return _batch(args, kind, batch.open_source(args.file, kind))
        if args.command == "validate" and (batch.is_workbook(args.file) or _larger_than_document(kind, args.file)):
            return _validate_batch(args, kind, batch.open_source(args.file, kind))
        # validate reads the file once: a JSON file holding one document or a whole batch
        read = io.read(args.file)
        if args.command == "validate" and batch.is_batch(read.data):
            return _validate_batch(args, kind, batch.open_source(args.file, kind))
        if args.command == "validate":
            problems = api.validate(kind, read)
            if problems and (args.json or errors(problems)):
                _print_problems(problems, args.json)
                return EXIT_INVALID if errors(problems) else EXIT_OK
            _print_warnings(problems)
            print(f"Hợp lệ: {args.file} ({kind.title}).") if not args.json else print("[]")
            return EXIT_OK
        if args.command == "render":
            return _render(args, kind, read)
    except UnknownKind as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except InvalidInput as exc:
        _print_problems(exc.problems, getattr(args, "json", False))
        return EXIT_INVALID
    except PdfError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    except DocgenError as exc:  # WriteError among them: what failed to be written, where, what to do
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:  # a file the command could not open, wherever it happened: a message, not a traceback
        print(f"Lỗi: {os_error_text(exc)}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_USAGE


# ---------------------------------------------------------------- one document


def _render(args, kind, read) -> int:
    """Check, take the document's number (from the register, unless told otherwise), render, write, record."""
    if args.template:
        _need_file(args.template)
    numbering = _numbering(args)
    out = args.output or Path(args.file.stem + ".docx")
    inp = normalise(read)
    if inp.data is None:
        raise InvalidInput(inp.problems)
    data = inp.data
    built, problems = api.check_normalised(kind, data, inp.problems)  # the data's problems come first
    problems = name_places(problems, data)  # as a person knows the place: "Đảng viên thứ 2 (…), mục …"
    if built is None:
        raise InvalidInput(problems)
    # A previous render is replaced; any other file (or a render edited since) only when asked — checked
    # before a number is taken for it.
    check_replaceable(out, made_by_docgen(out), args.overwrite)
    pdf = out.with_suffix(".pdf")
    if args.pdf:
        check_replaceable(pdf, pdf_made_by_docgen(pdf, out), args.overwrite)
    if not (numbers.is_numbered(built) and numbering.registered):
        numbers.check_given(built, numbering)
        made = api.render_built(kind, built, args.template)
        _print_warnings(problems)
        write_atomic(out, made)
        print(f"Đã tạo {out}")
    else:
        with numbering.open() as reg:
            request = numbers.request(kind, data, built, unit=numbers.unit_of(kind, data))
            entry = numbers.take(reg, [request], numbering, numbers.batch_id(args.file.name))[0]
            if entry.number != built.header.number:
                numbered = numbers.with_number(data, entry.number)
                built, problems = api.check_normalised(kind, numbered, inp.problems)
                problems = name_places(problems, numbered)
                if built is None:  # a number changes nothing but the header: not expected
                    raise InvalidInput(problems)
            made = api.render_built(kind, built, args.template)
            _print_warnings(problems)
            _print_notes(numbering)
            write_atomic(out, made)  # a failure here leaves the number reserved: the same render gets it back
            reg.complete([(entry.id, os.path.abspath(out), hashlib.sha256(made).hexdigest())])
        print(f"Đã tạo {out} (số {entry.so_ky_hieu}; đã ghi vào sổ đăng ký {reg.path})")
    if args.pdf:
        from .pdf import docx_to_pdf  # loaded when a PDF is asked for (pypdf and the rest take 0.2–0.3 s)

        print(f"Đã tạo {docx_to_pdf(out, pdf)}")
    return EXIT_OK


# ---------------------------------------------------------------- batch


def _larger_than_document(kind, path) -> bool:
    """A JSON file too large to be one document: only a batch, read unit by unit, may be that large."""
    return kind.batch is not None and path.is_file() and path.stat().st_size > limits.JSON_MAX_BYTES


def _survey(args, kind, source, check: bool):
    """The batch's first reading (:func:`docgen.batch.survey`); None, its problems printed, when the batch
    itself has an error (then nothing is made)."""
    try:
        found = batch.survey(
            kind,
            source,
            workers=args.jobs if hasattr(args, "jobs") else None,
            check=check,
            progress=batch.Progress(None, "đơn vị đã đọc"),
        )
    except batch.BatchError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None
    if errors(found.problems):
        _print_problems(found.problems, getattr(args, "json", False))
        return None
    return found


def _job_messages(summary, found, source) -> tuple[list[str], dict[int, str]]:
    """One line per problem (unit, place, message), a problem of the common part once; notes per job."""
    problems, notes = batch.describe_problems(summary, found.envelope, source.origin)
    return [str(p) for p in problems], notes


def _validate_batch(args, kind, source) -> int:
    found = _survey(args, kind, source, check=True)
    if found is None:
        return EXIT_INVALID
    summary = found.summary(found.outcomes, Path("."))
    if args.json:  # for programs: every problem with its envelope path, code, cell and document
        problems, _ = batch.describe_problems(summary, found.envelope, source.origin)
        print(json.dumps([p.as_dict() for p in [*found.problems, *problems]], ensure_ascii=False, indent=2))
        return EXIT_INVALID if errors(problems) else EXIT_OK
    lines, _ = _job_messages(summary, found, source)
    _print_warnings(found.problems)
    if lines:
        print(f"Có {len(summary.failed)}/{len(found.jobs)} văn bản không hợp lệ ({len(lines)} lỗi):", file=sys.stderr)
        for line in lines:
            print(f"  - {line}", file=sys.stderr)
        return EXIT_INVALID
    print(f"Hợp lệ: {len(found.jobs)} văn bản ({kind.title}) trong {args.file}.")
    return EXIT_OK


def _batch(args, kind, source) -> int:
    """``docgen batch``: the batch read twice, unit by unit (:mod:`docgen.batch.stream`): first every unit
    checked and split into documents, which are then numbered in one go; then each unit read again and its
    documents rendered with their numbers."""
    found = _survey(args, kind, source, check=args.strict)
    if found is None:
        return EXIT_INVALID
    _print_warnings(found.problems)
    jobs = found.jobs
    start = getattr(args, "start_number", None)
    start = start if start is not None else source.head.get("so_bat_dau")
    if start is not None:
        batch.set_numbers(kind, jobs, batch.consecutive(jobs, start))
    numbering = _numbering(args)
    shown = args.output
    if args.strict:  # every document valid, or nothing at all: not even a number taken
        checked = found.summary(found.outcomes, Path("."))
        if checked.failed:
            print(
                f"Có {len(checked.failed)} văn bản không hợp lệ; với --strict, không tạo văn bản nào:",
                file=sys.stderr,
            )
            for line in _job_messages(checked, found, source)[0]:
                print(f"  - {line}", file=sys.stderr)
            return EXIT_INVALID
    previous = signal.signal(signal.SIGTERM, terminated)  # `kill`: clean up as for Ctrl-C
    try:
        # Everything is written into a folder beside the output and swapped in whole at the end.
        with BatchFolder(shown, overwrite=args.overwrite) as folder:
            # numbers are taken once the folder is known to be writable and ours, all in one transaction
            issued = numbers.number_jobs(kind, jobs, numbering, args.file.name, source)
            _print_notes(numbering)
            try:
                summary = batch.produce(
                    kind, source, found, folder.path, workers=args.jobs, progress=batch.Progress(len(jobs), "văn bản")
                )
            except batch.SourceChanged as exc:
                print(f"Lỗi: {exc}", file=sys.stderr)
                print(f"Thư mục “{shown}” giữ nguyên như trước.", file=sys.stderr)
                _print_reserved_all(issued)
                return EXIT_INVALID
            lines, notes = _job_messages(summary, found, source)
            for line in lines:
                print(f"  - {line}", file=sys.stderr)
            if summary.failed and not summary.count("ok"):
                print(f"Không tạo được văn bản nào; thư mục “{shown}” giữ nguyên như trước.", file=sys.stderr)
                _print_reserved(summary, issued)
                return EXIT_INVALID
            if issued:  # the documents on disk, then in the register, then the manifest that lists them
                folder.sync()
                numbers.complete(numbering, issued, summary, lambda job: os.path.abspath(shown / job.file_name))
            batch.write_manifest(summary, notes)
            extra, pdf_failed = [], False
            if args.pdf:
                extra, pdf_failed = _batch_pdf(summary, args.jobs, shown, args.double_sided)
            if args.zip:
                batch.write_zip(summary, extra)
            folder.commit()
    except WriteError as exc:
        kept = f"\nThư mục “{shown}” giữ nguyên như trước lần chạy này." if shown.is_dir() else ""
        print(f"Lỗi: {exc}{kept}", file=sys.stderr)
        return EXIT_INVALID
    finally:
        signal.signal(signal.SIGTERM, previous)
    if args.zip:
        print(f"Đã ghi {shown / batch.ZIP_NAME}")
    if folder.kept:
        print(f"Các tệp không do docgen tạo trong “{shown}” đã được chuyển nguyên vẹn sang “{folder.kept_shown}”.")
    made, skipped, failed = summary.count("ok"), summary.count("skip"), len(summary.failed)
    if issued:
        taken = sorted(e.number for e in issued.values())
        print(f"Số văn bản lấy từ sổ đăng ký {numbering_path(numbering)}: {_ranges(taken)}.")
        _print_reserved(summary, issued)
    print(
        f"Đã tạo {made}/{len(jobs)} văn bản trong {shown}"
        + (f"; {skipped} bỏ qua" if skipped else "")
        + (f"; {failed} lỗi" if failed else "")
        + f". Danh sách: {shown / batch.MANIFEST}"
    )
    return EXIT_INVALID if failed or pdf_failed else EXIT_OK


def numbering_path(numbering: numbers.Numbering) -> Path:
    return register.resolve_path(numbering.path)[0]


def _ranges(values: list[int]) -> str:
    """ "05–09, 12" of sorted numbers."""
    out, start = [], None
    for i, v in enumerate(values):
        if start is None:
            start = v
        if i + 1 == len(values) or values[i + 1] != v + 1:
            out.append(f"{start:02d}" if start == v else f"{start:02d}–{v:02d}")
            start = None
    return ", ".join(out)


def _print_reserved(summary, issued) -> None:
    """The numbers kept for documents that failed: said, so that none is lost without anyone knowing."""
    _print_kept([issued[o.index] for o in summary.failed if o.index in issued])


def _print_reserved_all(issued) -> None:
    """The numbers of a run that made nothing: all kept for its re-run."""
    _print_kept(list(issued.values()))


def _print_kept(kept) -> None:
    if kept:
        print(
            f"  ! {len(kept)} số đã giữ cho các văn bản lỗi ({', '.join(e.so_ky_hieu for e in kept)}): sửa dữ liệu "
            "rồi chạy lại để dùng đúng các số ấy, hoặc hủy số: docgen register void SỐ --ly-do “…”.",
            file=sys.stderr,
        )


def terminated(signum, frame):
    raise KeyboardInterrupt


def _batch_pdf(summary, jobs: int, shown: Path, double_sided: bool | None) -> tuple[list[str], bool]:
    from .pdf import convert_many, merge, merged_summary

    made = [(j, summary.out_dir / j.file_name) for j, o in zip(summary.jobs, summary.outcomes) if o.status == "ok"]
    try:
        results = convert_many(
            [path for _, path in made],
            summary.out_dir,
            jobs=jobs,
            progress=batch.Progress(len(made), "PDF"),
            durable=False,  # the batch's folder is synced whole as it is committed
        )
    except PdfError as exc:
        print(f"{exc} Các tệp .docx vẫn đã được tạo.", file=sys.stderr)
        return [], True
    bad = [(job, r.error) for (job, _), r in zip(made, results) if r.error]
    for job, error in bad:
        print(f"  - {job.label}: không tạo được PDF: {error}", file=sys.stderr)
    good = [(job.label, r.pdf) for (job, _), r in zip(made, results) if r.pdf]
    if good:
        try:
            merged = merge(good, summary.out_dir / batch.PDF_NAME, double_sided)
        except PdfError as exc:
            print(exc, file=sys.stderr)
            return [r.pdf.name for r in results if r.pdf], True
        print(f"Đã gộp {len(good)} PDF ({merged_summary(merged)}) vào {shown / batch.PDF_NAME}")
    return [r.pdf.name for r in results if r.pdf] + ([batch.PDF_NAME] if good else []), bool(bad)


# ---------------------------------------------------------------- templates, import, web page


def _template(args) -> int:
    from .template_tools.lint import check_template
    from .template_tools.new import new_template
    from .template_tools.vars import template_vars

    kind = kinds.get(args.kind)
    if args.template_command == "new":
        path = new_template(kind, args.output, form=args.form)
        print(f"Đã tạo {path} (sửa trong Word, rồi kiểm tra: docgen template check {path} --kind {kind.name})")
        return EXIT_OK
    if args.template_command == "vars":
        variables, filters = template_vars(kind)
        if args.json:
            print(
                json.dumps(
                    {"bien": [v.as_dict() for v in variables], "bo_loc": [f.as_dict() for f in filters]},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return EXIT_OK
        print(f"Các biến của mẫu {kind.name} ({kind.title}):")
        for v in variables:
            print(f"  {v.path}  [{v.type}]  {v.description}")
        print("Bộ lọc (dùng như {{ x | ngay_thang }}):")
        for f in filters:
            print(f"  {f.name}  {f.description}")
        return EXIT_OK
    _need_file(args.template)
    findings = check_template(args.template, kind)
    if args.json:
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    elif findings:
        print(f"Mẫu có {len(findings)} lỗi:", file=sys.stderr)
        for f in findings:
            print(f"  - {f}", file=sys.stderr)
    else:
        print(f"Mẫu hợp lệ: {args.template} ({kind.title}).")
    return EXIT_INVALID if findings else EXIT_OK


def _import(args, kind) -> int:
    from .importer import ImportFailed, import_document
    from .importer.numbering import side_by_side

    _need_file(args.file)
    check_replaceable(args.output, False, args.overwrite, for_editing=True)
    try:
        imported = import_document(kind, args.file)
    except ImportFailed as exc:
        print(f"Không đọc được {args.file}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    write_atomic(args.output, (json.dumps(imported.data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    warnings = imported.warnings
    for w in warnings:
        print(f"  ! {w}", file=sys.stderr)
    if args.report:
        from .profile import load_profile

        scheme = imported.data.get("danh_so") or load_profile().default_scheme(kind.name)  # the kind's default
        print("\n".join(side_by_side(imported.numbering, scheme, imported.data.get("dau_dong"))))
    print(
        f"Đã tạo {args.output}" + (f" ({len(warnings)} cảnh báo: kiểm tra lại các đoạn được nêu)" if warnings else "")
    )
    # the data as written, checked as a render would (the import's warnings are printed above; a character
    # no document can hold is an error found when the import normalised the text)
    _, problems = api.check_normalised(kind, imported.data, errors(imported.problems))
    _print_problems(problems, False)
    return EXIT_INVALID if errors(problems) else EXIT_OK


def _serve(args) -> int:
    from .web import serve

    return serve(host=args.host, port=args.port, token=args.token, open_browser=args.open, register_path=args.register)


def _xlsx_template(args, kind) -> int:
    from .xlsx.write import write_workbook

    check_replaceable(args.output, False, args.overwrite, for_editing=True)
    if kind is None:  # the campaign's workbook: a đảng bộ, its chi bộ and members, the documents' dates and signers
        from .campaign import build_template

        if args.source:
            print("Sổ của lệnh campaign chưa điền sẵn được từ tệp JSON; bỏ --from.", file=sys.stderr)
            return EXIT_USAGE
        print(f"Đã tạo {write_atomic(args.output, build_template())}")
        return EXIT_OK
    envelope = None
    if args.source:
        _need_file(args.source)
        loaded = batch.load(args.source, kind)
        if loaded.data is None:
            _print_problems(loaded.problems, False)
            return EXIT_INVALID
        envelope = loaded.data
    print(f"Đã tạo {write_workbook(kind, args.output, envelope)}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
