"""A template variant cannot hang, exhaust memory, crash with a traceback or smuggle parts into the output.

Each case is a real .docx (a built-in template with one tag or one package member changed), given to
`template check` and to the renderer. The limits are those of docgen.limits; runaway templates stop
within them, so these tests are fast. The bombs run as the user runs them (the CLI, in a child process
whose peak memory is measured) in the slow tests at the end, with generous timeouts.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import threading
import time
import zipfile

import pytest
from docx_read import Doc
from test_bad_input import MINIMAL
from test_template_tools import BODY, TITLE, TITLE_PARA, variant

import docgen
from docgen import limits, package
from docgen.cli import main as cli
from docgen.errors import TemplateProblem
from docgen.parts import balanced_lines
from conftest import ROOT
from docgen.paths import TEMPLATES_DIR
from docgen.template_tools.lint import check_template


def with_tag(tmp_path, tag: str):
    return variant(tmp_path, "ke_hoach", {TITLE: tag})


def render_problem(path, data=MINIMAL) -> TemplateProblem:
    with pytest.raises(TemplateProblem) as err:
        docgen.render("ke_hoach", data, template=path)
    return err.value


def codes(path) -> list[str]:
    return [f.code for f in check_template(path, "ke_hoach")]


# ---------------------------------------------------------------- docxtpl's escapes: the template's text only


def test_escaped_delimiters_print_as_delimiters_only_where_the_template_has_them(tmp_path):
    path = variant(tmp_path, "ke_hoach", {TITLE: "{_{ ví dụ }_} {_% if %_} {{ trich_yeu }}"})
    assert codes(path) == []
    data = {**MINIMAL, "trich_yeu": "dữ liệu {_{ x }_} {_% y %_}"}
    doc = Doc(docgen.render("ke_hoach", data, template=path))
    assert "{{ ví dụ }} {% if %} dữ liệu {_{ x }_} {_% y %_}" in doc.texts()


# ---------------------------------------------------------------- bombs: refused before they run

BOMBS = [
    ('{{ "a"*10**9 }}', "template_value_size"),
    ("{{ [0]*10**9 }}", "template_value_size"),
    ('{{ "a"|center(10**9) }}', "template_value_size"),
    ('{{ "a".ljust(10**9) }}', "template_value_size"),
    ('{{ "%0999999999d"|format(1) }}', "template_value_size"),
    ('{{ "{:>999999999}".format(1) }}', "template_value_size"),
    ("{{ 7**(10**8) % 10 }}", "template_number"),
    ("{% for i in range(10**9) %}{% endfor %}", "template_range"),
    ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "template_steps"),
]


@pytest.mark.parametrize("tag, code", BOMBS)
def test_bomb_is_reported_by_template_check_and_stopped_at_render(tmp_path, tag, code):
    path = with_tag(tmp_path, tag)
    found = check_template(path, "ke_hoach")
    assert code in [f.code for f in found], [str(f) for f in found]
    f = next(f for f in found if f.code == code)
    assert f.where.part == BODY and tag[:20] in f.where.where
    start = time.perf_counter()
    problem = render_problem(path)
    assert time.perf_counter() - start < 30  # a guard against a hang, not a measure
    assert problem.code == code and problem.part == BODY and tag[:20] in problem.where, str(problem)


RUNAWAYS = [  # what template check cannot see: the render stops within the budget
    (
        '{% set ns = namespace(s="ab") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}'
        "{{ ns.s|length }}",
        "template_value_size",
    ),
    ("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}", "template_depth"),
    (
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
        "template_steps",
    ),
    ("{% for i in range(99999) %}{{ trich_yeu * 100 }}{% endfor %}", "template_produced"),
    ("{% for i in range(99999) %}" + "x" * 5000 + "{% endfor %}", "template_produced"),
    (
        "{% set ns = namespace(s='a') %}{% for i in range(30) %}{% set ns.s %}{{ ns.s }}{{ ns.s }}{% endset %}"
        "{% endfor %}{{ ns.s|length }}",
        "template_produced",
    ),
    ("{{ range(99999)|join('x' * 1000) }}", "template_value_size"),
    (
        "{% set ns = namespace(x=2) %}{% for i in range(30) %}{% set ns.x = ns.x * ns.x %}{% endfor %}",
        "template_number",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("tag, code", RUNAWAYS)
def test_runaway_template_is_stopped_with_a_located_message(tmp_path, tag, code):
    start = time.perf_counter()
    problem = render_problem(with_tag(tmp_path, tag))
    assert time.perf_counter() - start < 30
    assert problem.code == code, str(problem)
    assert problem.part == BODY and tag[:20] in problem.where
    assert str(problem).startswith("Mẫu “variant.docx”, thân văn bản — “")


def test_sum_of_lists_is_linear_and_still_correct(tmp_path):
    path = with_tag(tmp_path, "{{ [[1, 2], [3], []]|sum(start=[]) }} {{ range(99999)|batch(1)|sum(start=[])|length }}")
    assert "[1, 2, 3] 99999" in Doc(docgen.render("ke_hoach", MINIMAL, template=path)).texts()


def test_time_limit_and_cancel_stop_the_render(tmp_path, monkeypatch):
    path = with_tag(tmp_path, "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}")
    monkeypatch.setattr(limits, "TEMPLATE_STEPS", 10**12)
    monkeypatch.setattr(limits, "TEMPLATE_SECONDS", 0.5)
    start = time.perf_counter()
    assert render_problem(path).code == "template_time"
    assert time.perf_counter() - start < 10
    monkeypatch.setattr(limits, "TEMPLATE_SECONDS", 600)
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    with pytest.raises(TemplateProblem) as err:
        docgen.render("ke_hoach", MINIMAL, template=path, cancel=cancel)
    assert err.value.code == "template_cancelled" and "hủy" in str(err.value)


# ---------------------------------------------------------------- tracebacks become located messages


@pytest.mark.parametrize(
    "tag, code, words",
    [
        ('{% include "x.docx" %}', "jinja_syntax", "include"),
        ('{% import "x" as y %}', "jinja_syntax", "import"),
        ('{% extends "x" %}', "jinja_syntax", "extends"),
        ('{{ "{a}".format_map(1, 2) }}', "template_error", "format_map"),
        ("{{ 10**400 / 1 }}", "template_number", "quá lớn"),
        ("{{ 1 // 0 }}", "template_error", "chia"),
        ("{{ ''.join(1) }}", "template_error", "không dùng được với giá trị này"),  # not Python's "TypeError"
        ("{% for x in range(3) %}" * 21 + "{% endfor %}" * 21, "jinja_syntax", "lồng"),
    ],
)
def test_template_errors_are_vietnamese_messages_not_tracebacks(tmp_path, tag, code, words, capsys):
    path = with_tag(tmp_path, tag)
    problem = render_problem(path)
    assert problem.code == code and words in str(problem), str(problem)
    data = tmp_path / "kh.json"
    data.write_text(json.dumps(MINIMAL, ensure_ascii=False), encoding="utf-8")
    assert cli(["render", "ke_hoach", str(data), "-o", str(tmp_path / "o.docx"), "--template", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and f"[{code}]" not in err and not (tmp_path / "o.docx").exists()


def test_an_expression_nested_thousands_deep_is_a_message_in_check_and_render(tmp_path):
    path = with_tag(tmp_path, "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}")
    assert "template_depth" in codes(path)
    assert render_problem(path).code == "template_depth"


@pytest.mark.slow
def test_thousands_of_unclosed_tags_are_refused_before_docxtpl_scans_them(tmp_path):
    """docxtpl's preprocessing scans from every "{{" to its "}}": 8,000 unclosed ones took it 15 s for
    56 kB of XML, hours for a megabyte."""
    many = "".join(f"<w:p><w:r><w:t>{{% số {i}</w:t></w:r></w:p>" for i in range(8000))
    path = variant(tmp_path, "ke_hoach", {TITLE_PARA: TITLE_PARA + many})
    start = time.perf_counter()
    found = check_template(path, "ke_hoach")
    assert "split_tag" in [f.code for f in found] and time.perf_counter() - start < 30
    start = time.perf_counter()
    problem = render_problem(path)
    assert problem.code == "split_tag" and "{%" in problem.where and time.perf_counter() - start < 30


def test_include_is_reported_by_template_check(tmp_path):
    assert "jinja_syntax" in codes(with_tag(tmp_path, '{% include "khac.docx" %}'))


def test_template_check_cli_reports_a_bomb_with_exit_1(tmp_path, capsys):
    path = with_tag(tmp_path, '{{ "a"*10**9 }}')
    assert cli(["template", "check", str(path), "--kind", "ke_hoach"]) == 1
    err = capsys.readouterr().err
    assert "quá giới hạn 1.000.000" in err and "template_value_size" not in err
    assert cli(["template", "check", str(path), "--kind", "ke_hoach", "--json"]) == 1
    assert [f["code"] for f in json.loads(capsys.readouterr().out)] == ["template_value_size"]


def test_raw_xml_with_a_doctype_written_by_the_template_is_refused(tmp_path):
    path = with_tag(tmp_path, '{{ "<!DOCTYPE x [<!ENTITY e \\"e\\">]>"|safe }}')
    assert render_problem(path).code == "doctype"


# ---------------------------------------------------------------- the package: only a .docx's parts, no DTD

XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)


def repack(tmp_path, *, edit=None, extra=None, rename=None, name="goi.docx"):
    """The kế hoạch template with parts edited (name → function of the text), added or renamed."""
    out = tmp_path / name
    with zipfile.ZipFile(TEMPLATES_DIR / "ke_hoach.docx") as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if edit and item.filename in edit:
                data = edit[item.filename](data.decode("utf-8")).encode("utf-8")
            zout.writestr((rename or {}).get(item.filename, item.filename), data)
        for member, data in (extra or {}).items():
            zout.writestr(member, data)
    return out


@pytest.mark.parametrize("doctype, entity", [(XXE, "&xxe;"), (LAUGHS, "&d;")])
def test_a_doctype_is_refused_in_check_and_at_render(tmp_path, doctype, entity):
    def add(xml):
        return xml.replace("?>", "?>" + doctype, 1).replace(TITLE, entity, 1)

    path = repack(tmp_path, edit={"word/document.xml": add})
    assert codes(path) == ["doctype"]
    problem = render_problem(path)
    assert problem.code == "doctype" and "DOCTYPE" in str(problem) and "root:" not in str(problem)


@pytest.mark.parametrize("member", ["../../evil.txt", "/etc/evil.xml", "word\\..\\..\\evil.xml", "C:/evil.xml"])
def test_member_names_outside_the_package_are_refused(tmp_path, member):
    path = repack(tmp_path, extra={member: b"<x/>"})
    assert codes(path) == ["unsafe_part_name"]
    assert render_problem(path).code == "unsafe_part_name"


def test_parts_a_docx_does_not_reference_are_dropped_from_the_output(tmp_path):
    path = repack(tmp_path, extra={"word/notes/secret.txt": b"secret", "customXml/item9.xml": b"<x/>"})
    assert codes(path) == []
    out = docgen.render("ke_hoach", MINIMAL, template=path)
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        names = z.namelist()
    with zipfile.ZipFile(TEMPLATES_DIR / "ke_hoach.docx") as z:
        assert sorted(names) == sorted(z.namelist())


def test_macros_and_remote_templates_are_refused(tmp_path):
    vba = repack(
        tmp_path,
        name="macro.docx",
        edit={
            "word/_rels/document.xml.rels": lambda x: x.replace(
                "</Relationships>",
                '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
                ' Target="vbaProject.bin"/></Relationships>',
            ),
            "[Content_Types].xml": lambda x: x.replace(
                "</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
            ),
        },
        extra={"word/vbaProject.bin": b"\x00" * 16},
    )
    assert codes(vba) == ["forbidden_part"]
    assert render_problem(vba).code == "forbidden_part"
    remote = repack(
        tmp_path,
        name="remote.docx",
        extra={
            "word/_rels/settings.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/attachedTemplate" Target="http://evil.example/t.dotm" '
                'TargetMode="External"/></Relationships>'
            )
        },
    )
    assert codes(remote) == ["external_relationship"]
    assert render_problem(remote).code == "external_relationship"


def test_a_word_template_dotx_gives_a_document(tmp_path):
    dotx = repack(
        tmp_path,
        name="mau.dotx",
        edit={"[Content_Types].xml": lambda x: x.replace("document.main+xml", "template.main+xml")},
    )
    assert codes(dotx) == []
    out = docgen.render("ke_hoach", MINIMAL, template=dotx)
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        types = z.read("[Content_Types].xml").decode()
    assert "document.main+xml" in types and "template.main+xml" not in types


def test_package_limits_are_enforced(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "TEMPLATE_XML_PART_BYTES", 4_000)
    assert codes(TEMPLATES_DIR / "ke_hoach.docx") == ["too_large"]  # its document.xml is 5.7 kB
    monkeypatch.setattr(limits, "TEMPLATE_MEMBERS", 5)
    pkg, problems = package.read(TEMPLATES_DIR / "ke_hoach.docx")
    assert pkg is None and [p.code for p in problems] == ["too_large"]


def test_readme_lists_the_limits_of_the_limits_module():
    """README's safety table shows the numbers of docgen.limits (the one place they are set)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- limits -->")[1].split("<!-- /limits -->")[0]
    shown = {}
    for line in table.splitlines():
        m = re.match(r"\| `(TEMPLATE_\w+)` \| ([\d,.]+) (MB)?", line)
        if m:
            shown[m.group(1)] = float(m.group(2).replace(",", "")) * (2**20 if m.group(3) else 1)
    names = {n for n in dir(limits) if n.startswith("TEMPLATE_")}
    assert set(shown) == names
    assert all(shown[n] == getattr(limits, n) for n in names), {n: (shown[n], getattr(limits, n)) for n in names}


# ---------------------------------------------------------------- centred titles


def test_title_keeps_its_spaces_and_breaks_only_at_ordinary_spaces():
    text = (
        "về việc  xếp loại\u00a0chất\u00a0lượng đảng viên Chi bộ Khu dân cư số 1 năm 2025 của Đảng ủy phường Hồng Quang"
    )
    lines = balanced_lines(text, 40).split("\n")
    assert len(lines) > 1 and all(len(line) <= 40 for line in lines)
    assert "\u00a0".join(["loại", "chất", "lượng"]) in text and any("loại\u00a0chất\u00a0lượng" in x for x in lines)
    rebuilt = lines[0]
    for line in lines[1:]:
        gap = text[len(rebuilt) :][: len(text[len(rebuilt) :]) - len(text[len(rebuilt) :].lstrip(" "))]
        assert gap, "a line broke where there was no ordinary space"
        rebuilt += gap + line
    assert rebuilt == text


def test_a_word_longer_than_a_line_stands_alone():
    lines = balanced_lines("đảng viên " * 10 + "x" * 80 + " năm 2025", 60).split("\n")
    assert "x" * 80 in lines and all(len(line) <= 60 for line in lines if line != "x" * 80)


# ---------------------------------------------------------------- slow: hangs and bombs as the user meets them


@pytest.mark.slow
def test_a_5000_character_title_is_broken_in_under_a_second():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from limits import title  # benchmarks/limits.py: a title made of the documents' own words

    text = title(5000)
    start = time.perf_counter()
    lines = balanced_lines(text, 60).split("\n")
    elapsed = time.perf_counter() - start
    print(f"\n5,000-character title: {len(lines)} lines in {elapsed * 1000:.0f} ms")
    assert " ".join(lines) == text and max(map(len, lines)) <= 60
    assert elapsed < 1.0


def _peak_mb(argv, timeout=120) -> tuple[int, str, float, float]:
    """Exit code, stderr, seconds and peak resident MB of `docgen argv`, run alone in a child process."""
    code = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        f"r = subprocess.run([sys.executable, '-m', 'docgen.cli', *{argv!r}], capture_output=True, timeout={timeout}); "
        "sys.stderr.buffer.write(r.stderr); "
        "print(r.returncode, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=timeout + 30)
    rc, seconds, peak_kb = r.stdout.split()
    return int(rc), r.stderr.decode("utf-8", "replace"), float(seconds), int(peak_kb) / 1024


# README, "Safety": a template's own values and output are at most TEMPLATE_PRODUCED characters (CPython
# stores at most 4 bytes a character, and a string being joined exists twice), plus one value of
# TEMPLATE_VALUE_SIZE refused after it was made — over what the same command takes with the built-in template.
BOUND_MB = (2 * 4 * limits.TEMPLATE_PRODUCED + 4 * limits.TEMPLATE_VALUE_SIZE) / 2**20


@pytest.mark.slow
@pytest.mark.parametrize("tag, code", BOMBS + RUNAWAYS, ids=[c for _, c in BOMBS + RUNAWAYS])
def test_bomb_peak_memory_is_bounded(tmp_path, tag, code):
    data = tmp_path / "kh.json"
    data.write_text(json.dumps(MINIMAL, ensure_ascii=False), encoding="utf-8")
    base = _peak_mb(["render", "ke_hoach", str(data), "-o", str(tmp_path / "a.docx")])
    assert base[0] == 0, base[1]
    path = with_tag(tmp_path, tag)
    for argv in (
        ["template", "check", str(path), "--kind", "ke_hoach"],
        ["render", "ke_hoach", str(data), "-o", str(tmp_path / "b.docx"), "--template", str(path)],
    ):
        rc, err, seconds, peak = _peak_mb(argv)
        print(
            f"\n{argv[0]:8} {tag[:60]!r}: exit {rc}, {seconds:.2f} s, peak {peak:.0f} MB (built-in: {base[3]:.0f} MB)"
        )
        assert "Traceback" not in err
        assert peak < base[3] + BOUND_MB, f"peak {peak:.0f} MB over the bound {base[3] + BOUND_MB:.0f} MB"
        assert f"[{code}]" not in err, err  # codes are for programs
        if argv[0] == "template":
            checked = err.splitlines()[1:]  # the findings, in the words `template check` uses
        elif checked:  # render says what `template check` says
            assert rc == 1 and err.splitlines()[1:] == checked, err
        else:  # what only the render can see: its own located message, and the limit that stopped it
            assert rc == 1 and err.startswith("Lỗi: Mẫu “variant.docx”, "), err
            assert render_problem(path).code == code
