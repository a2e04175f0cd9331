"""docgen: documents of the party's annual review and rating, from validated data to .docx.

import docgen
docgen.kind_names()                         # the kinds, by the names `docgen kinds` lists
problems = docgen.validate(kind, data)      # [] when valid
docx_bytes = docgen.render(kind, data)      # raises docgen.InvalidInput
"""

from .api import check, render, validate
from .errors import DocgenError, InvalidInput, Problem, TemplateProblem, UnknownKind
from .kinds import names as kind_names
from .vn import chuan_hoa, ngay_thang

__all__ = [
    "render",
    "validate",
    "check",
    "kind_names",
    "Problem",
    "InvalidInput",
    "DocgenError",
    "UnknownKind",
    "TemplateProblem",
    "chuan_hoa",
    "ngay_thang",
]
__version__ = "0.1.0"
