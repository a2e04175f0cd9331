"""Bombs and hangs: peak memory and time of each, run as the user would (the CLI, in a child process).

    .venv/bin/python benchmarks/limits.py [--timeout 60] [--memory-cap-gb 8] [--only NAME]

Each case is a template variant (the kế hoạch template with its subject line replaced by a tag) given to
`docgen template check` and to `docgen render --template`, or data given to `docgen render`. Every case runs
in its own process; its peak resident memory comes from wait4() (that process alone), its address space is
capped (``--memory-cap-gb``: a bomb that reaches the cap stops with MemoryError instead of taking the machine)
and it is killed after ``--timeout`` seconds. Prints one line per case; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from docgen.paths import TEMPLATES_DIR  # noqa: E402
from test_bad_input import MINIMAL  # noqa: E402

TAG = "{{ trich_yeu }}"

# name → the tag put where the kế hoạch's subject line is
TEMPLATE_BOMBS = {
    "string 'a'*10**9": '{{ "a"*10**9 }}',
    "list [0]*10**9": "{{ [0]*10**9 }}",
    "center(10**9)": '{{ "a"|center(10**9) }}',
    "format width": '{{ "%0999999999d"|format(1) }}',
    "power 7**(10**8)": "{{ 7**(10**8) % 10 }}",
    "doubling in a loop": (
        '{% set ns = namespace(s="ab") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}'
        "{{ ns.s|length }}"
    ),
    "nested loops 99999x99999": "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "range(10**9)": "{% for i in range(10**9) %}{% endfor %}",
    "recursive macro": "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}",
}
DOCTYPE = (
    '<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
    '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">'
    '<!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]>'
)

VOCABULARY = (
    "về việc triển khai công tác kiểm điểm, đánh giá, xếp loại chất lượng đối với tổ chức đảng, đảng viên "
    "và tập thể, cá nhân cán bộ lãnh đạo, quản lý các cấp năm 2025 của Chi bộ Khu dân cư số 1 thuộc Đảng bộ "
    "phường Hồng Quang theo Quy định số 366-QĐ/TW ngày 30 tháng 8 năm 2025 của Bộ Chính trị"
).split()


def title(chars: int) -> str:
    """A title of about ``chars`` characters made of the documents' own words (dates and numbers included)."""
    words, length, i = [], 0, 0
    while length < chars:
        word = VOCABULARY[i % len(VOCABULARY)]
        words.append(word)
        length += len(word) + 1
        i += 1
    return " ".join(words)[:chars].rstrip()


def variant(tmp: Path, name: str, tag: str, doctype: bool = False) -> Path:
    out = tmp / f"{abs(hash(name))}.docx"
    with zipfile.ZipFile(TEMPLATES_DIR / "ke_hoach.docx") as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8").replace(TAG, tag, 1)
                if doctype:
                    xml = xml.replace("?>", "?>" + DOCTYPE, 1).replace(tag, "&i;", 1)
                data = xml.encode("utf-8")
            zout.writestr(item, data)
    return out


def run(argv: list[str], timeout: float, cap_gb: float) -> tuple[str, float, float, str]:
    """(outcome, seconds, peak MB, last line of stderr) of ``docgen argv`` in a child process."""

    def limit():
        cap = int(cap_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "docgen.cli", *argv],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=limit,
    )
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - start > timeout:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = -9
            return f"killed after {timeout:.0f} s", time.perf_counter() - start, usage.ru_maxrss / 1024, ""
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace").strip().splitlines()
    code = os.waitstatus_to_exitcode(status)
    last = err[-1] if err else ""
    outcome = f"exit {code}" + (" (traceback)" if any("Traceback" in line for line in err) else "")
    return outcome, seconds, usage.ru_maxrss / 1024, last


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--memory-cap-gb", type=float, default=8)
    ap.add_argument("--only", help="run only the cases whose name contains this")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "data.json"
        data.write_text(json.dumps(MINIMAL, ensure_ascii=False), encoding="utf-8")
        cases = []
        for name, tag in TEMPLATE_BOMBS.items():
            path = variant(tmp, name, tag)
            cases.append((f"{name}: template check", ["template", "check", str(path), "--kind", "ke_hoach"]))
            cases.append(
                (
                    f"{name}: render",
                    ["render", "ke_hoach", str(data), "-o", str(tmp / "o.docx"), "--template", str(path)],
                )
            )
        laughs = variant(tmp, "laughs", TAG, doctype=True)
        cases.append(
            ("billion laughs DOCTYPE: template check", ["template", "check", str(laughs), "--kind", "ke_hoach"])
        )
        cases.append(
            (
                "billion laughs DOCTYPE: render",
                ["render", "ke_hoach", str(data), "-o", str(tmp / "o.docx"), "--template", str(laughs)],
            )
        )
        for label, chars in (("title of 999 characters", 999), ("title of 5,000 characters", 5000)):
            titled = tmp / f"title_{chars}.json"
            titled.write_text(json.dumps({**MINIMAL, "trich_yeu": title(chars)}, ensure_ascii=False), encoding="utf-8")
            cases.append((f"{label}: render", ["render", "ke_hoach", str(titled), "-o", str(tmp / "t.docx")]))
        base = run(["kinds"], args.timeout, args.memory_cap_gb)
        print(
            f"baseline `docgen kinds`: {base[2]:.0f} MB, {base[1]:.2f} s; "
            f"cap {args.memory_cap_gb} GB, timeout {args.timeout:.0f} s"
        )
        for name, command in cases:
            if args.only and args.only not in name:
                continue
            outcome, seconds, peak, last = run(command, args.timeout, args.memory_cap_gb)
            print(f"{name:48} {outcome:22} {seconds:7.2f} s {peak:8.0f} MB  {last[:110]}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
