"""Bulk production: the same kind of document for every unit of a batch, numbered, in parallel.

A batch (``schemas/lo_van_ban.schema.json``, or an Excel workbook read by :mod:`docgen.xlsx`) has a
common part and one part per unit; each unit's document is the common part merged with its own. The
kind says how a unit becomes documents (``Kind.batch``: one decision per chi bộ; one pre-filled review
form per member) and whether they are numbered. The steps, one module each:

- :mod:`.source`, :mod:`.stream` — how ``docgen batch``, ``docgen validate``, the web page and ``make demo`` read
  a batch: unit by unit, twice (a first reading in the workers checks and splits every unit into small jobs,
  which are then numbered; the second renders them), so that memory stays flat and the main process only splits
  the file;
- :mod:`.input` — a batch read whole (JSON or Excel) and prepared: normalised and checked once for all units (a
  workbook, for the stream too; :func:`plan` and :func:`run` for a batch a program holds in memory);
- :mod:`.plan` — the documents of a unit, and of a batch held whole, their numbers and file names
  (:class:`~.plan.Job`);
- :mod:`.run` — check and render every document in worker processes (:mod:`.pool`), write them;
- :mod:`.problems` — a document's problems placed in the batch: the envelope path, the workbook cell;
- :mod:`.output` — the manifest and the zip of what was made.

Numbers are the data's, or consecutive from a start number in the input's order, or — given by the caller
with :func:`set_numbers` — the register's (:mod:`docgen.numbers`), which gives a re-run the same numbers and
byte-identical files. Every document is written by the worker that renders it; the main process keeps
only small results. A bad unit fails alone and is marked in ``manifest.csv``; ``strict`` produces nothing
unless all are valid. :func:`run` writes into the folder it is given: callers give it the build folder of
a :class:`docgen.batch_folder.BatchFolder`, which swaps the whole run in at the end, so that the output
folder never mixes two runs. This package's names are the batch's public API.
"""

from .input import is_batch, is_workbook, load, prepare, read
from .output import MANIFEST, MANIFEST_COLUMNS, PDF_NAME, STATUS, ZIP_NAME, manifest_rows, write_manifest, write_zip
from .plan import BatchError, Job, batch_spec, consecutive, merge, plan, set_numbers
from .problems import describe_problems, place, source_path
from .run import Outcome, Progress, Summary, check_all, run
from .source import Source, open_source
from .stream import SourceChanged, Survey, produce, survey

__all__ = [
    "BatchError",
    "Job",
    "MANIFEST",
    "MANIFEST_COLUMNS",
    "Outcome",
    "PDF_NAME",
    "Progress",
    "STATUS",
    "Source",
    "SourceChanged",
    "Summary",
    "Survey",
    "ZIP_NAME",
    "batch_spec",
    "check_all",
    "consecutive",
    "describe_problems",
    "is_batch",
    "is_workbook",
    "load",
    "manifest_rows",
    "merge",
    "open_source",
    "place",
    "plan",
    "prepare",
    "produce",
    "read",
    "run",
    "set_numbers",
    "source_path",
    "survey",
    "write_manifest",
    "write_zip",
]
