"""Run docgen on a real small disk: a tmpfs of a few pages, mounted in a private mount namespace.

    unshare -m python small_disk.py MOUNT SIZE_KB STEPS.json     (unshare -r -m when not root)

mounts a tmpfs of SIZE_KB at MOUNT (seen by this process only, gone when it ends), runs the steps and prints
one JSON list with a result per step:

- ``["docgen", arg, …]``: the command line in this process → ``{"code": exit status, "err": stderr}``
- ``["read-only"]``: remount the disk read-only → ``{"code": mount's exit status}``
- ``["list"]``: every file under MOUNT → ``{"files": {relative path: sha256}}``
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path


def main(mount: str, size_kb: str, steps_file: str) -> None:
    root = Path(mount)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "tmpfs", mount], check=True)
    from docgen.cli import main as cli

    results = []
    for step in json.loads(Path(steps_file).read_text(encoding="utf-8")):
        if step[0] == "docgen":
            err, out = io.StringIO(), io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
                try:
                    code = cli(step[1:])
                except BaseException as exc:  # noqa: BLE001 — a traceback is what the test looks for
                    code, err = "exception", io.StringIO(f"{type(exc).__name__}: {exc}")
            results.append({"code": code, "err": err.getvalue(), "out": out.getvalue()})
        elif step[0] == "read-only":
            results.append({"code": subprocess.run(["mount", "-o", "remount,ro", mount]).returncode})
        elif step[0] == "list":
            files = {
                str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*"))
                if p.is_file()
            }
            results.append({"files": files})
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:])
