"""The year's campaign of a đảng bộ from one workbook (``docgen campaign``): per chi bộ the tờ trình, the
decisions on its members and on itself, the pre-filled review forms and the ballot; for the đảng bộ the report
of the results — checked together, numbered from the register, written as one folder.

- :mod:`.workbook` — the workbook's sheets, read back with every cell placed; the ready-to-fill template;
- :mod:`.plan` — the documents, each the data of a registered kind, and where each field came from;
- :mod:`.run` — check all, take the numbers, render, write (manifest, print files, zip).
"""

from .run import CampaignError, Result, check, make
from .workbook import build_template, read

__all__ = ["CampaignError", "Result", "build_template", "check", "make", "read"]
