"""One warm LibreOffice: starts soffice, holds its UNO connection and converts documents on request.

Run by :mod:`docgen.office` under the Python that has LibreOffice's ``uno`` module (Debian's python3 with
python3-uno, or LibreOffice's own bundled Python), never imported by docgen: that interpreter has none of
docgen's dependencies, so this file uses the standard library and ``uno`` alone.

    python3 office_bridge.py SOFFICE FOLDER PIPE_NAME

It starts ``SOFFICE`` headless with its own profile (``FOLDER/profile``), accepting UNO connections on the
named pipe (not a TCP port: nothing else on the machine can reach it), and connects. Then it speaks JSON lines on its
standard input and output:

    → {"pdf": [DOCX_PATH, PDF_PATH]}        ← {"ok": true}  or  {"error": "…", "dead": false}
    → {"pdf": [DOCX_PATH, PDF_PATH], "pages": "1"}   (only those pages)
    → {"quit": true}                        (soffice is closed, the bridge exits)

and says ``{"ready": true, "soffice": PID}`` once, first (or ``{"error": …}`` and exits). ``"dead": true``:
soffice is gone (crashed, killed), and the bridge exits after saying so. When its standard
input closes it ends soffice and exits; when docgen is gone (killed outright) it kills its process group,
soffice with it. A hung conversion is docgen's to stop: it kills the bridge's process group.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import uno  # noqa: F401 — the bridge to LibreOffice; importing it sets up the UNO runtime
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

# The import filter named, as the one-shot path does: soffice refuses a damaged file instead of importing
# its bytes as plain text. Macros are never run.
_LOAD = {"Hidden": True, "ReadOnly": True, "FilterName": "MS Word 2007 XML", "MacroExecutionMode": 0}
_STORE = {"FilterName": "writer_pdf_Export", "Overwrite": True}
_START_TIMEOUT = 60.0


def _props(values: dict) -> tuple:
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        out.append(prop)
    return tuple(out)


def _say(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _connect(soffice: subprocess.Popen, pipe: str):
    resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext()
    )
    deadline = time.monotonic() + _START_TIMEOUT
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except NoConnectException:
            if soffice.poll() is not None:
                raise RuntimeError(f"soffice exited with code {soffice.returncode} before accepting") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"soffice did not accept a connection within {_START_TIMEOUT:g} s") from None
            time.sleep(0.05)


def _convert(desktop, docx: str, pdf: str, pages: str = "") -> None:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(docx), "_blank", 0, _props(_LOAD))
    if doc is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        store = dict(_STORE)
        if pages:  # "1": the page a preview shows, without exporting the others
            store["FilterData"] = uno.Any("[]com.sun.star.beans.PropertyValue", _props({"PageRange": pages}))
        doc.storeToURL(uno.systemPathToFileUrl(pdf), _props(store))
    finally:
        doc.close(True)


def _alive(desktop, soffice: subprocess.Popen) -> bool:
    """Whether soffice still answers over the bridge (after a failed conversion: the document's fault, or its)."""
    if soffice.poll() is not None:
        return False
    try:
        desktop.getFrames()
        return True
    except Exception:  # noqa: BLE001 — DisposedException and the like: the connection is gone
        return False


def _remove(folder: str, pipe: str) -> None:
    """The profile, and the socket a killed soffice leaves in /tmp (docgen removes both when it is there)."""
    shutil.rmtree(folder, ignore_errors=True)
    for tmp in ("/tmp", "/var/tmp"):
        try:
            os.unlink(os.path.join(tmp, f"OSL_PIPE_{os.getuid()}_{pipe}"))
        except OSError:
            pass


def _watch_parent(parent: int, soffice: subprocess.Popen, folder: str, pipe: str) -> None:
    """docgen killed outright (SIGKILL, out of memory) cannot close the pool, and a bridge busy with a document
    would not see its input close: when the parent is gone, stop soffice (the whole process group but this
    process, which ignores SIGTERM), remove the folder, and end."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os.killpg(os.getpgrp(), signal.SIGTERM)
    try:
        soffice.wait(5)
    except subprocess.TimeoutExpired:
        pass
    _remove(folder, pipe)
    os.killpg(os.getpgrp(), signal.SIGKILL)  # soffice.bin if it did not follow, and this process


def main(argv: list[str]) -> int:
    exe, folder, pipe = argv
    parent = os.getppid()
    profile = uno.systemPathToFileUrl(os.path.join(os.path.abspath(folder), "profile"))
    soffice = subprocess.Popen(
        [
            exe,
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={profile}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # after the start: soffice must not inherit it
    threading.Thread(target=_watch_parent, args=(parent, soffice, folder, pipe), daemon=True).start()
    try:
        desktop = _connect(soffice, pipe)
    except Exception as exc:  # noqa: BLE001 — whatever stopped the start is told to docgen
        soffice.kill()
        _say({"error": str(exc)})
        return 1
    _say({"ready": True, "soffice": soffice.pid})
    try:
        for line in sys.stdin:
            request = json.loads(line)
            if "quit" in request:
                break
            try:
                _convert(desktop, *request["pdf"], request.get("pages", ""))
                _say({"ok": True})
            except Exception as exc:  # noqa: BLE001 — a document LibreOffice refused, or LibreOffice gone
                dead = not _alive(desktop, soffice)
                _say({"error": f"{type(exc).__name__}: {exc}", "dead": dead})
                if dead:
                    return 1
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 — already gone
            pass
        try:
            soffice.wait(10)
        except subprocess.TimeoutExpired:
            soffice.kill()
        if os.getppid() != parent:  # docgen is gone: nobody else will remove the profile
            _remove(folder, pipe)
    return 0


if __name__ == "__main__":
    os.umask(0o077)  # the PDFs it writes are the user's documents
    sys.exit(main(sys.argv[1:]))
