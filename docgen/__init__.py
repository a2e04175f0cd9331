"""docgen: documents of the party's annual review and rating, from validated data to .docx.

import docgen
problems = docgen.validate("ke_hoach", data)      # [] when valid
docx_bytes = docgen.render("ke_hoach", data)      # raises docgen.InvalidInput
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
