"""Tools for making a template variant without code: start from a built-in template, list what it can use,
lint it before use.

- :mod:`.new` — ``new_template``: a kind's built-in template copied as a starting point;
- :mod:`.vars` — ``template_vars``: every variable a template of the kind can use (every field of the data,
  from the schema, then what the kind computes, ``Kind.template_vars``) and the Vietnamese filters; the
  model of them the linter checks names against;
- :mod:`.places` — a .docx's parts, paragraphs, rows and cells as a person names them ("thân văn bản",
  "bảng 2, dòng 3", a paragraph's text in quotes), for the linter's and the renderer's messages;
- :mod:`.lint` — ``check_template``: every problem of a template at once, as located Problems.
"""
