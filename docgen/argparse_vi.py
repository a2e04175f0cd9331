"""argparse speaking Vietnamese: the parser every ``docgen`` command (and subcommand) is made with.

argparse writes its own words in English (usage, "the following arguments are required", "invalid choice",
"unrecognized arguments" …). :class:`Parser` says them in Vietnamese, suggests the name the user most
likely meant (a command, a choice, an option: :func:`docgen.validation.suggest`), and exits with status 2
(a usage error) after printing the usage line.
"""

from __future__ import annotations

import argparse
import re
import sys

from .validation import suggest

EXIT_USAGE = 2

_TYPES = {"int": "số nguyên", "float": "số"}


class Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse with its own words in Vietnamese, and usage errors exiting 2 with a Vietnamese message."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")

    def _check_value(self, action, value):
        """A value outside the choices: the one meant, if it can be guessed, and the choices."""
        if action.choices is None or value in action.choices:
            return
        choices = [str(c) for c in action.choices]
        guess = suggest(str(value), choices)
        if isinstance(action, argparse._SubParsersAction):
            what, listed = "lệnh không có", "các lệnh có"
        else:
            what, listed = "giá trị không có", "chọn một trong"
        hint = f" — có phải ý bạn là '{guess}'?" if guess else f" — {listed}: {', '.join(choices)}"
        raise argparse.ArgumentError(None, f"{what}: '{value}'{hint}")

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"Lỗi cách dùng: {self.vietnamese(message)}", file=sys.stderr)
        sys.exit(EXIT_USAGE)

    def vietnamese(self, message: str) -> str:
        """argparse's message (English) in Vietnamese; a message already Vietnamese is left as it is."""
        m = re.fullmatch(r"argument (\S+): (.*)", message, re.S)
        if m:
            return f"tham số {m.group(1).replace('/', ' / ')}: {self.vietnamese(m.group(2))}"
        for pattern, say in _MESSAGES:
            m = re.fullmatch(pattern, message, re.S)
            if m:
                return say(self, *m.groups())
        return message

    def _options(self) -> list[str]:
        """Every option string of this parser and of its subcommands, for suggestions."""
        found = []
        for action in self._actions:
            found += [o for o in action.option_strings if o.startswith("--")]
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    found += sub._options() if isinstance(sub, Parser) else []
        return list(dict.fromkeys(found))


def _unrecognized(parser: Parser, args: str) -> str:
    words = args.split()
    options = [w.split("=", 1)[0] for w in words if w.startswith("-")]
    guess = suggest(options[0], parser._options()) if options else None
    hint = f" — có phải ý bạn là '{guess}'?" if guess else ""
    what = "tùy chọn không có" if options else "thừa tham số"
    return f"{what}: {args}{hint}"


_MESSAGES = [
    (r"the following arguments are required: (.*)", lambda p, names: f"thiếu tham số: {names}"),
    (r"one of the arguments (.*) is required", lambda p, names: f"cần một trong các tham số: {names}"),
    (r"unrecognized arguments: (.*)", _unrecognized),
    (r"expected one argument", lambda p: "cần một giá trị sau tùy chọn này"),
    (r"expected at most one argument", lambda p: "nhiều nhất một giá trị"),
    (r"expected at least one argument", lambda p: "cần ít nhất một giá trị"),
    (r"expected (\d+) arguments?", lambda p, n: f"cần {n} giá trị"),
    (r"ignored explicit argument (.*)", lambda p, v: f"tùy chọn này không nhận giá trị: {v}"),
    (r"not allowed with argument (.*)", lambda p, other: f"không dùng cùng với {other}"),
    (
        r"ambiguous option: (\S+) could match (.*)",
        lambda p, option, matches: f"tùy chọn {option} chưa rõ, có thể là: {matches}",
    ),
    (
        r"invalid (\w+) value: (.*)",
        lambda p, kind, value: f"{value} không phải {_TYPES.get(kind, 'giá trị hợp lệ')}",
    ),
    (
        r"invalid choice: (.*?) \(choose from (.*)\)",
        lambda p, value, choices: f"giá trị không có: {value} — chọn một trong: {choices}",
    ),
]
