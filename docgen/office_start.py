"""How docgen starts every soffice: its private profile seeded so that soffice starts fast, and a faster memory
allocator preloaded when the machine has one.

The profile. A headless soffice whose profile does not record the LibreOffice version it last ran
(``ooSetupLastVersion``; only the GUI's start centre writes it) takes itself for just upgraded and runs its
graphics self-test (``GraphicsRenderTests``, LibreOffice 7.2 and later) at every start, in headless mode too: here
1.3 s of the 1.7 s one conversion took, and with a fresh profile 1.5 s of 2.2 s. docgen's profiles are its own and
thrown away after use, so before soffice starts each is given that one setting, the version of the installation
that will use it, read from the installation's registry (never guessed: when it cannot be read, the profile is left
empty as before). Nothing else differs; the PDFs are the same (their page images are compared in the tests).

The allocator. Converting, soffice spends about a fifth of its time in glibc's malloc and free (perf, 20
decisions); with jemalloc preloaded (``LD_PRELOAD``, Linux; Debian: libjemalloc2) it converted them 10-20 %
faster, the PDFs page for page the same. jemalloc is FreeBSD's own malloc, under which LibreOffice runs as
shipped. Without it nothing changes; ``DOCGEN_SOFFICE_ALLOCATOR=system`` turns it off.
"""

from __future__ import annotations

import ctypes.util
import functools
import os
import re
import sys
from pathlib import Path

# The installation's own registry, beside ``program/`` (Linux, Windows) or in ``Resources/`` (macOS).
_REGISTRIES = (("share", "registry", "main.xcd"), ("Resources", "registry", "main.xcd"))
_REGISTRY_MAX_BYTES = 64 * 1024 * 1024  # ~2 MB in LibreOffice 7; anything far larger is not its registry
_VERSION = re.compile(rb'<prop oor:name="ooSetupVersion">\s*<value>(\d{1,3}\.\d{1,3})</value>')
_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse">\
<value>{version}</value></prop></item>
</oor:items>
"""


@functools.lru_cache(maxsize=8)
def product_version(exe: str) -> str | None:
    """``"7.4"``: the major.minor version of the LibreOffice whose ``soffice`` is ``exe``; None if unknown."""
    program = Path(os.path.realpath(exe)).parent
    for parts in _REGISTRIES:
        registry = program.parent.joinpath(*parts)
        try:
            if registry.stat().st_size > _REGISTRY_MAX_BYTES:
                continue
            found = _VERSION.search(registry.read_bytes())
        except OSError:
            continue
        if found:
            return found.group(1).decode("ascii")
    return None


def seed_profile(profile: Path, exe: str) -> bool:
    """Prepare the empty profile folder ``profile`` for ``exe``'s soffice; whether it could be seeded."""
    version = product_version(exe)
    if version is None:
        return False
    user = Path(profile) / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_SETTINGS.format(version=version), encoding="utf-8")
    return True


ALLOCATOR_SWITCH = "DOCGEN_SOFFICE_ALLOCATOR"  # "system": soffice with glibc's malloc, as LibreOffice ships


@functools.lru_cache(maxsize=1)
def allocator() -> str | None:
    """jemalloc's library as the dynamic loader finds it ("libjemalloc.so.2"), None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.util.find_library("jemalloc")


def environment() -> dict[str, str]:
    """The environment of a soffice docgen starts: this process's, with jemalloc preloaded when there is one
    (after whatever ``LD_PRELOAD`` already names) and it is not turned off."""
    env = dict(os.environ)
    library = allocator()
    if library and env.get(ALLOCATOR_SWITCH, "").strip().lower() != "system":
        env["LD_PRELOAD"] = ":".join(p for p in (env.get("LD_PRELOAD", "").strip(), library) if p)
    return env
