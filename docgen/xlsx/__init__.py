"""Excel workbooks for bulk production: office staff keep their member lists in Excel.

- :mod:`.columns` — the vocabulary: sheets, cell types, drop-down lists, the :class:`~.columns.Layout` a batch
  kind declares (``BatchSpec.workbook``) and the columns kinds share;
- :mod:`.read` — a filled workbook to an :class:`~docgen.inputs.Input` (envelope, cells, problems);
- :mod:`.write` — the ready-to-fill template, or a workbook filled from an envelope;
- :mod:`.locate` — a batch document's problem back to its cell.

Only the vocabulary is imported with the package (kinds declare their layouts with it); reading and writing
load openpyxl when they are used.
"""
