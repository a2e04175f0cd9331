"""Template blocks: the common parts of a kind's .docx template, as template XML.

Each function returns body XML holding literal text and Jinja tags (``{{ … }}``, ``{%p … %}``,
``{{p … }}``) styled with the profile's paragraph styles. Kind modules compose these into
their template layout; :mod:`docgen.build_templates` writes the package. Templates built
here hold no computation: every value shown is prepared by the kind's context builder.
"""

from __future__ import annotations

from . import layout, ooxml
from .profile import Profile, style_id


class Blocks:
    def __init__(self, profile: Profile):
        self.profile = profile

    # ------------------------------------------------------------ single paragraphs

    def para(self, element: str, source: str = "") -> str:
        """A paragraph in the element's style with literal text or a {{ … }} tag."""
        text = source if source else self.profile.data["elements"][element].get("text", "")
        return ooxml.styled_paragraph(style_id(element), ooxml.template_run(text) if text else "")

    def tag(self, source: str) -> str:
        """A paragraph holding only a {%p … %} control tag (removed when rendered)."""
        return ooxml.paragraph(ooxml.template_run(source))

    def block(self, variable: str) -> str:
        """A placeholder replaced by whole paragraphs the context builder prepared ({{p … }})."""
        return ooxml.styled_paragraph(style_id("doan"), ooxml.template_run(f"{{{{p {variable} }}}}"))

    def optional(self, condition: str, body: str) -> str:
        return self.tag(f"{{%p if {condition} %}}") + body + self.tag("{%p endif %}")

    def loop(self, item: str, items: str, body: str) -> str:
        return self.tag(f"{{%p for {item} in {items} %}}") + body + self.tag("{%p endfor %}")

    # ------------------------------------------------------------ common parts

    def grid(self, table: str) -> list[int]:
        """The columns of a table whose cells span as many of them as the data needs ({% colspan %})."""
        total = ooxml.mm_to_twips(self.profile.data[table]["width_mm"])
        n = layout.grid_columns(self.profile, table)
        return [round(total * (i + 1) / n) - round(total * i / n) for i in range(n)]

    def header(self, number: bool = True) -> str:
        """Two-column header: superior body, issuer, star, number | party name, place and date.
        Individual review forms carry no number (``number=False``). The split between the columns is
        the data's (``ban_hanh.cot_trai``/``cot_phai``, see :func:`docgen.layout.fit_header`); Word shows
        the template with the profile's ``left_pct``."""
        left = (
            self.optional("ban_hanh.cap_tren", self.para("cap_tren", "{{ ban_hanh.cap_tren }}"))
            + self.para("co_quan_ban_hanh", "{% colspan ban_hanh.cot_trai %}{{ ban_hanh.co_quan_ban_hanh }}")
            + self.para("dau_sao")
            + (self.para("so_ky_hieu", "{{ ban_hanh.so_ky_hieu }}") if number else "")
        )
        right = self.para(
            "tieu_de_dang", "{% colspan ban_hanh.cot_phai %}" + self.profile.text("tieu_de_dang")
        ) + self.para("dia_danh_ngay", "{{ ban_hanh.dia_danh_ngay }}")
        grid = self.grid("header_table")
        spec = self.profile.data["header_table"]
        split = round(len(grid) * spec["left_pct"] / 100)
        # A document that opens with a table makes LibreOffice ignore "keep with next" on every page (a
        # heading left at the foot of a page); a paragraph 1 pt high before the table avoids it.
        return ooxml.gap(spec["spacer_pt"]) + ooxml.table(
            [[(left, split), (right, len(grid) - split)]],
            grid,
            cell_widths=False,
            **self._unbordered("header_table"),
        )

    def _unbordered(self, table: str) -> dict:
        """The layout of a table without borders (header, signature): from the profile's entry."""
        spec = self.profile.data[table]
        return {
            "valign": spec["valign"],
            "margins_mm": {"left": spec["cell_margin_mm"], "right": spec["cell_margin_mm"]},
            "line": self.profile.data["table"]["border"],
        }

    def title(self, kind_title: str, subject: str = "{{ trich_yeu }}") -> str:
        return (
            self.para("ten_loai", kind_title)
            + (self.para("trich_yeu", subject) if subject else "")
            + self.para("gach_ngang")
        )

    def _signer_cell(self, var: str, note: str = "") -> str:
        """Authority, title, room to sign (or "(Đã ký)"), name — from the context object ``var``."""
        blank = "".join(self.para("cho_ky") for _ in range(self.profile.data["elements"]["cho_ky"]["blank_lines"]))
        return (
            self.optional(f"{var}.tham_quyen", self.para("tham_quyen", f"{{{{ {var}.tham_quyen }}}}"))
            + self.optional(f"{var}.chuc_vu", self.para("chuc_vu", f"{{{{ {var}.chuc_vu }}}}"))
            + (self.para("cho_ky", note) if note else "")
            + self.tag(f"{{%p if {var}.da_ky %}}")
            + self.para("cho_ky", "(Đã ký)")
            + self.tag("{%p else %}")
            + blank
            + self.tag("{%p endif %}")
            + self.para("ho_ten_nguoi_ky", f"{{{{ {var}.ho_ten }}}}")
        )

    def signature(self) -> str:
        """'Nơi nhận:' list on the left, level with the signature block on the right."""
        left = self.para("noi_nhan_nhan") + self.loop("dong", "noi_nhan", self.para("noi_nhan", "{{ dong }}"))
        return ooxml.para_spacer(keep_next=True) + ooxml.table(
            [[left, self._signer_cell("nguoi_ky")]],
            self.profile.split_widths("signature_table"),
            cant_split=True,
            **self._unbordered("signature_table"),
        )

    def signer(self, var: str, note: str = "") -> str:
        """A signature block on the right half of the page, with nothing on the left."""
        return ooxml.table(
            [["", self._signer_cell(var, note)]],
            self.profile.split_widths("signature_table"),
            cant_split=True,
            **self._unbordered("signature_table"),
        )

    def annex(self) -> str:
        """The list attached to a decision or submission, on a new page: title, "(Kèm theo …)", and a
        bordered table whose header row repeats on every page; rows come grouped from the context
        (``danh_sach.dong``: a group row has ``nhom``, a data row ``stt``, ``ten``, ``chuc_vu``, ``xep_loai``,
        ``ghi_chu``). Column widths are the data's (``danh_sach.rong``, grid columns sized from the content,
        see :func:`docgen.layout.table_columns`); Word shows the template with the profile's ``columns_mm``."""
        spec = self.profile.data["annex_table"]
        grid = self.grid("annex_table")
        n = len(grid)
        keys = list(spec["columns"])
        spans = [round(mm / spec["grid_mm"]) for mm in spec["columns_mm"]]
        spans[-1] = n - sum(spans[:-1])

        def cells(elements, sources):
            return [
                (self.para(element, f"{{% colspan danh_sach.rong.{key} %}}{source}"), span)
                for key, element, source, span in zip(keys, elements, sources, spans)
            ]

        def tag_row(source):  # a row holding only a {%tr … %} tag (removed when rendered)
            return [(self.tag(source), n)]

        header = cells(
            ["bang_tieu_de"] * 5,
            [
                "STT",
                "{{ danh_sach.cot_ten }}",
                "{{ danh_sach.cot_chuc_vu }}",
                "{{ danh_sach.cot_xep_loai }}",
                "Ghi chú",
            ],
        )
        data = cells(
            ["bang_so", "bang_o", "bang_o", "bang_o", "bang_o"],
            ["{{ r.stt }}", "{{ r.ten }}", "{{ r.chuc_vu }}", "{{ r.xep_loai }}", "{{ r.ghi_chu }}"],
        )
        rows = [
            header,
            tag_row("{%tr for r in danh_sach.dong %}"),
            tag_row("{%tr if r.nhom %}"),
            [(self.para("bang_nhom", "{{ r.nhom }}"), n)],
            tag_row("{%tr else %}"),
            data,
            tag_row("{%tr endif %}"),
            tag_row("{%tr endfor %}"),
        ]
        return (
            self.para("danh_sach_tieu_de", "{{ danh_sach.tieu_de }}")
            + self.para("danh_sach_kem_theo", "{{ danh_sach.kem_theo }}")
            + ooxml.table(
                rows,
                grid,
                header_rows=1,
                borders=True,
                cant_split=True,
                valign=self.profile.data["table"]["valign"],
                margins_mm=self.profile.data["table"]["cell_margin_mm"],
                line=self.profile.data["table"]["border"],
                cell_widths=False,
            )
        )
