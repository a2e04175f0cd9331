"""Imported once by the web page's forkserver (:mod:`docgen.web.workers`), so that every worker forked from it
starts with the library imported and the built-in templates compiled (seconds and tens of milliseconds saved
on every call)."""

from __future__ import annotations

from .. import kinds
from ..paths import TEMPLATES_DIR
from ..renderer import compiled
from . import documents  # noqa: F401 — what the workers run: api, batch, xlsx, pdf and the rest with it

for _kind in kinds.names():
    for _name in kinds.get(_kind).layouts:
        compiled(TEMPLATES_DIR / _name)
