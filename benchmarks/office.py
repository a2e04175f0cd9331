"""Benchmark: two ways to keep LibreOffice running — docgen's UNO bridge and unoserver — side by side.

    .venv/bin/python benchmarks/office.py [--count 20] [--unoserver PATH/TO/unoserver]

Times, for each way, the start (until LibreOffice accepts documents) and COUNT conversions of the same plan
(16 pages) to PDF, alternating between the two so that the machine's load falls on both alike, and prints
the start and the p50/p95 (nearest rank) of the conversions. LibreOffice's PDF only: docgen's checks of the
PDF are left out of both.

docgen's way is docgen/office.py (office_bridge.py under the Python that has ``uno``, a named pipe). unoserver
is not a dependency of docgen: it must be installed into a Python that has ``uno`` (for instance
``/usr/bin/python3 -m venv --system-site-packages V && V/bin/pip install unoserver``) and named with
``--unoserver V/bin/unoserver``; without it, only docgen's way is timed.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from pathlib import Path

import docgen
from docgen import office
from docgen.export import write_atomic
from docgen.paths import SAMPLES_DIR

SAMPLE = SAMPLES_DIR / "ke_hoach_hong_quang_2025.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Unoserver:
    """unoserver on loopback ports with its own profile; converts as its client (``unoconvert``) does."""

    def __init__(self, exe: str, work: Path):
        self.port, uno_port = free_port(), free_port()
        self.proc = subprocess.Popen(
            [
                exe,
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--uno-port",
                str(uno_port),
                "--user-installation",
                str(work / "unoserver-profile"),  # a path: unoserver makes the URL
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        end = time.monotonic() + 120
        while True:
            try:
                self.proxy().info()
                return
            except (OSError, xmlrpc.client.Error):
                if time.monotonic() > end or self.proc.poll() is not None:
                    self.close()
                    raise SystemExit("unoserver did not start") from None
                time.sleep(0.05)

    def proxy(self):
        return xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}", allow_none=True)

    def convert(self, docx: Path, pdf: Path) -> None:
        with self.proxy() as proxy:
            proxy.info()  # as unoserver's own client asks before every conversion
            proxy.convert(str(docx), None, str(pdf), "pdf", None, [], False, "MS Word 2007 XML", None)

    def close(self) -> None:
        if self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def p95(values: list[float]) -> float:
    return sorted(values)[math.ceil(0.95 * len(values)) - 1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--unoserver", help="the unoserver command, installed in a Python that has uno")
    args = parser.parse_args(argv)
    if not office.uno_python():
        print("LibreOffice's Python bridge not found: apt-get install -y python3-uno", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as work:
        work = Path(work)
        docx = write_atomic(work / "ke_hoach.docx", docgen.render("ke_hoach", SAMPLE))
        print(f"{SAMPLE.name}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}", flush=True)
        ways: dict[str, object] = {}
        starts: dict[str, float] = {}
        pool = office.Pool(1, work_dir=work)
        starts["docgen bridge (named pipe)"] = timed(pool.warm)
        ways["docgen bridge (named pipe)"] = lambda i: pool.convert(docx, work / f"bridge{i}.pdf")
        server = None
        if args.unoserver:
            holder = []
            starts["unoserver (XML-RPC + UNO on TCP)"] = timed(lambda: holder.append(Unoserver(args.unoserver, work)))
            server = holder[0]
            ways["unoserver (XML-RPC + UNO on TCP)"] = lambda i: server.convert(docx, work / f"unoserver{i}.pdf")
        for convert in ways.values():  # untimed: each way's first document
            convert(-1)
        seconds: dict[str, list[float]] = {label: [] for label in ways}
        try:
            for i in range(args.count):
                for label, convert in ways.items():
                    seconds[label].append(timed(lambda c=convert, i=i: c(i)))
                    assert (work / f"{'bridge' if 'bridge' in label else 'unoserver'}{i}.pdf").stat().st_size > 1000
        finally:
            pool.close()
            if server:
                server.close()
        for label, values in seconds.items():
            print(
                f"{label:34}: start {starts[label]:4.1f} s; conversion p50 {statistics.median(values):.2f} s, "
                f"p95 {p95(values):.2f} s (n={len(values)})"
            )
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
