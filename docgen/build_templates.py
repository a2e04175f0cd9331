"""Build ``templates_docx/<kind>.docx`` from the format profile and each kind's layout.

    python -m docgen.build_templates [--check]

The output is byte-identical for the same profile and code (fixed zip timestamps and core
properties), so ``--check`` (and a test) can prove the committed templates are current.
Templates stay editable in Word: layout comes from named paragraph styles ("DG …"), and
the places where data goes are visible tags such as ``{{ trich_yeu }}`` or ``{{p noi_dung }}``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import ooxml
from .blocks import Blocks
from .kinds import KINDS
from .paths import TEMPLATES_DIR
from .profile import DEFAULT_PROFILE, Profile, load_profile

CREATED = "2025-01-01T00:00:00Z"


def build_package(body_xml: str, profile: Profile, title: str) -> bytes:
    ct = ooxml.CT_WML
    header_default = ooxml.header_part(ooxml.paragraph(ooxml.page_field_runs(), ooxml.ParaFormat(style="Header")))
    header_first = ooxml.header_part(ooxml.paragraph("", ooxml.ParaFormat(style="Header")))
    sect = ooxml.section_properties(profile.page, {"default": "rIdHeaderDefault", "first": "rIdHeaderFirst"})
    parts = [
        (
            "[Content_Types].xml",
            ooxml.content_types(
                {
                    "word/document.xml": f"{ct}.document.main+xml",
                    "word/styles.xml": f"{ct}.styles+xml",
                    "word/settings.xml": f"{ct}.settings+xml",
                    "word/footnotes.xml": f"{ct}.footnotes+xml",
                    "word/header1.xml": f"{ct}.header+xml",
                    "word/header2.xml": f"{ct}.header+xml",
                    "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
                    "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
                }
            ),
        ),
        (
            "_rels/.rels",
            ooxml.relationships(
                [
                    ("rId1", f"{ooxml.REL}/officeDocument", "word/document.xml"),
                    (
                        "rId2",
                        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                        "docProps/core.xml",
                    ),
                    ("rId3", f"{ooxml.REL}/extended-properties", "docProps/app.xml"),
                ]
            ),
        ),
        ("docProps/core.xml", ooxml.core_properties(title, "docgen", CREATED)),
        ("docProps/app.xml", ooxml.app_properties("docgen")),
        ("word/document.xml", ooxml.document_part(body_xml + ooxml.para_spacer(), sect)),
        (
            "word/_rels/document.xml.rels",
            ooxml.relationships(
                [
                    ("rIdStyles", f"{ooxml.REL}/styles", "styles.xml"),
                    ("rIdSettings", f"{ooxml.REL}/settings", "settings.xml"),
                    ("rIdFootnotes", f"{ooxml.REL}/footnotes", "footnotes.xml"),
                    ("rIdHeaderDefault", f"{ooxml.REL}/header", "header1.xml"),
                    ("rIdHeaderFirst", f"{ooxml.REL}/header", "header2.xml"),
                ]
            ),
        ),
        (
            "word/styles.xml",
            ooxml.styles_part(
                profile.font, profile.element("doan")["size"], profile.data["lang"], profile.style_specs()
            ),
        ),
        ("word/settings.xml", ooxml.settings_part(profile.data["lang"])),
        ("word/footnotes.xml", ooxml.footnotes_part()),
        ("word/header1.xml", header_default),
        ("word/header2.xml", header_first),
    ]
    return ooxml.zip_package([(name, xml.encode("utf-8")) for name, xml in parts])


def build_kind(kind, profile_name: str = DEFAULT_PROFILE) -> dict[str, bytes]:
    """Every template of a kind (a :class:`~docgen.kinds.Kind`): file name → package bytes."""
    profile = load_profile(profile_name)
    return {name: build_package(layout(Blocks(profile)), profile, kind.title) for name, layout in kind.layouts.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m docgen.build_templates", description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only compare with the committed templates")
    ap.add_argument("--out", type=Path, default=TEMPLATES_DIR)
    args = ap.parse_args(argv)
    stale = []
    for module in KINDS.values():
        for file_name, data in build_kind(module).items():
            path = args.out / file_name
            if args.check:
                if not path.is_file() or path.read_bytes() != data:
                    stale.append(str(path))
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(path)
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
