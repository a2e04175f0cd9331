"""Where the project's data lives: schemas, templates, samples (top-level folders of the repository)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS_DIR = ROOT / "schemas"
TEMPLATES_DIR = ROOT / "templates_docx"
SAMPLES_DIR = ROOT / "samples"
