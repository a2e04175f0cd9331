"""The web server on real sockets: slow clients are cut, a client that leaves stops its work, SIGTERM stops
``docgen serve`` with everything it started, the worker processes keep to their deadline and memory.

Each test runs uvicorn on a free loopback port (in a thread, or ``docgen serve`` as a subprocess) and talks to
it with plain sockets, the way a slow or vanishing client does.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import alive, descendants, needs_soffice, needs_uno

from docgen.kinds.quyet_dinh_xep_loai.synthetic import dang_bo
from docgen.paths import SAMPLES_DIR
from docgen.web import create_app
from docgen.web.workers import OutOfMemory, Stopped, TimedOut, Workers

QD = "quyet_dinh_xep_loai"
BOUNDARY = "ranh-gioi-123"

KH_SAMPLE = SAMPLES_DIR / "ke_hoach_hong_quang_2025.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """uvicorn serving ``create_app(**options)`` in a thread."""

    def __init__(self, work_dir: Path, **options):
        import uvicorn

        self.port = free_port()
        self.app = create_app(work_dir=work_dir, **options)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        end = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < end and self.thread.is_alive(), "the server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(30)


def multipart(kind: str, name: str, content: bytes) -> bytes:
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{kind}\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def request_head(port: int, path: str, length: int) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {length}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\r\n"
    ).encode()


def read_answer(sock: socket.socket, timeout: float) -> bytes:
    """Everything the server sends until it closes the connection (or ``timeout`` passes)."""
    sock.settimeout(timeout)
    got = b""
    try:
        while chunk := sock.recv(65536):
            got += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return got


# ---------------------------------------------------------------- slow bodies


@pytest.mark.slow
def test_slow_uploads_are_cut_and_only_a_few_are_received_at_once(tmp_path):
    """Clients sending 100 bytes a second (the attack kept 50 such uploads open for 40 s): each is answered 408
    and closed once it falls below the minimum rate after the grace time; past the cap, new uploads are refused
    at once; a normal upload then goes through."""
    body = multipart(QD, "lo.json", json.dumps(dang_bo(units=1, members=3), ensure_ascii=False).encode())
    with Served(tmp_path, body_grace=1.0, body_min_rate=2000, max_uploads=3) as s:
        slow = []
        for _ in range(3):
            sock = socket.create_connection(("127.0.0.1", s.port))
            sock.sendall(request_head(s.port, "/api/validate", len(body)))
            slow.append(sock)
        stop = threading.Event()

        def trickle():  # 100 bytes a second into each slow upload, until the server closes them
            sent = 0
            while not stop.is_set() and sent < len(body):
                for sock in slow:
                    try:
                        sock.sendall(body[sent : sent + 10])
                    except OSError:
                        pass
                sent += 10
                time.sleep(0.1)

        feeder = threading.Thread(target=trickle, daemon=True)
        feeder.start()
        time.sleep(0.3)
        extra = socket.create_connection(("127.0.0.1", s.port))
        extra.sendall(request_head(s.port, "/api/validate", len(body)))
        refused = read_answer(extra, 10)
        assert refused.startswith(b"HTTP/1.1 503"), refused[:200]
        assert "đang nhận quá nhiều tệp cùng lúc".encode() in refused
        started = time.monotonic()
        answers = [read_answer(sock, 20) for sock in slow]
        stop.set()
        for answer in answers:
            assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
            assert "quá chậm".encode() in answer
        assert time.monotonic() - started < 15  # cut after about a second, not kept open
        r = httpx.post(
            f"http://127.0.0.1:{s.port}/api/validate",
            content=body,
            headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
            timeout=60,
        )
        assert r.status_code == 200 and r.json()["ok"] is True  # the slots were given back
        for sock in [*slow, extra]:
            sock.close()


# ---------------------------------------------------------------- a client that leaves


@pytest.mark.slow
def test_work_of_a_client_that_left_is_stopped(tmp_path):
    """A long check (4,000 documents) whose client closes the connection: its worker process is killed at once
    instead of keeping a core busy until it finishes."""
    content = json.dumps(dang_bo(units=4000, members=4), ensure_ascii=False).encode()
    body = multipart(QD, "lo.json", content)
    with Served(tmp_path) as s:
        workers = s.app.state.workers
        sock = socket.create_connection(("127.0.0.1", s.port))
        sock.sendall(request_head(s.port, "/api/validate", len(body)) + body)
        end = time.monotonic() + 60
        while not workers.pids():
            assert time.monotonic() < end, "the check never started"
            time.sleep(0.05)
        [pid] = workers.pids()
        time.sleep(0.5)
        assert alive(pid)
        sock.close()
        end = time.monotonic() + 10
        while alive(pid):
            assert time.monotonic() < end, "the worker of a client that left kept running"
            time.sleep(0.05)
        assert workers.stopped == 1  # killed, not finished
        # The request's folder is removed by its handler once the call returns, just after the worker's end.
        end = time.monotonic() + 10
        while list((s.app.state.root / "yeu_cau").iterdir()):
            assert time.monotonic() < end, "the request's folder of a client that left was kept"
            time.sleep(0.05)


# ---------------------------------------------------------------- SIGTERM


def start_serve(temp: Path, stdout) -> tuple[subprocess.Popen, str]:
    """``docgen serve`` on a free port with its temporary folders in ``temp``, once it answers; its address."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "docgen.cli", "serve", "--port", str(port)],
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=stdout,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/api/info", timeout=5)
            return proc, base
        except httpx.TransportError:
            if time.monotonic() > end or proc.poll() is not None:
                proc.kill()
                raise AssertionError("docgen serve did not start") from None
            time.sleep(0.1)


def start_long_job(base: str, files: dict) -> dict:
    """Start a batch job and wait until it has made its first document; its status then."""
    job = httpx.post(base + "/api/jobs", data={"kind": QD, "pdf": "false"}, files=files, timeout=120).json()
    end = time.monotonic() + 60
    while (status := httpx.get(f"{base}/api/jobs/{job['id']}", timeout=10).json())["done"] == 0:
        assert time.monotonic() < end, status
        time.sleep(0.1)
    return status


@pytest.mark.slow
def test_sigterm_stops_docgen_serve_with_its_work_and_folders(tmp_path):
    """``docgen serve`` with a batch job running and a long check under way: SIGTERM ends it within seconds,
    its worker processes with it, and leaves no temporary folder behind."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    proc, base = start_serve(temp, stdout=subprocess.PIPE)
    try:
        files = {"file": ("lo.json", json.dumps(dang_bo(units=3000, members=4), ensure_ascii=False).encode())}
        status = start_long_job(base, files)
        assert status["state"] == "dang_chay" and status["done"] < status["total"]
        # and a check under way, whose client waits
        waiting = threading.Thread(
            target=lambda: _ignore(httpx.post, base + "/api/validate", data={"kind": QD}, files=files, timeout=60),
            daemon=True,
        )
        waiting.start()
        time.sleep(2)
        started = sorted(temp.iterdir())
        assert any(p.name.startswith("docgen-web-") for p in started), started
        children = descendants(proc.pid)
        assert len(children) >= 2  # the forkserver and the job's worker, at least
        proc.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        proc.wait(30)
        took = time.monotonic() - stopped
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    output = proc.stdout.read().decode("utf-8", "replace")
    assert proc.returncode == 0, output
    assert took < 10, f"docgen serve took {took:.1f} s to stop"
    assert "Đã dừng trang web." in output and "Traceback" not in output
    assert list(temp.iterdir()) == []  # its own folder and multiprocessing's
    end = time.monotonic() + 10
    while left := [p for p in children if alive(p)]:
        assert time.monotonic() < end, f"processes left behind: {left}"
        time.sleep(0.1)


@pytest.mark.slow
def test_closing_the_window_of_docgen_serve_stops_it_cleanly(tmp_path):
    """The staff guide's desktop shortcut runs ``docgen serve --open`` in a window; closing the window hangs up
    (SIGHUP): the page stops as on SIGTERM, and leaves no temporary folder behind."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    proc, base = start_serve(temp, stdout=subprocess.PIPE)
    try:
        assert httpx.get(base + "/api/info", timeout=10).status_code == 200
        assert any(p.name.startswith("docgen-web-") for p in temp.iterdir())
        proc.send_signal(signal.SIGHUP)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    output = proc.stdout.read().decode("utf-8", "replace")
    assert proc.returncode == 0, output
    assert "Đã dừng trang web." in output and "Traceback" not in output
    assert list(temp.iterdir()) == []


@needs_uno()
def test_sigterm_after_previews_leaves_no_libreoffice(tmp_path):
    """Previews go to the server's warm LibreOffice (the page opened starts it; the second preview finds it
    running); SIGTERM ends it with the server, and its profile folder."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    proc, base = start_serve(temp, stdout=subprocess.PIPE)
    try:
        assert httpx.get(base + "/", timeout=30).status_code == 200
        files = {"file": ("ke_hoach.json", KH_SAMPLE.read_bytes())}
        for _ in range(2):
            r = httpx.post(base + "/api/preview", data={"kind": "ke_hoach"}, files=files, timeout=120)
            assert r.status_code == 200 and r.content.startswith(b"\x89PNG"), r.text[:300]
        children = descendants(proc.pid)
        office = [p for p in children if "soffice.bin" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")]
        assert len(office) == 1  # one LibreOffice served both previews
        assert any(p.name.startswith("docgen-office-") for p in temp.iterdir())
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    output = proc.stdout.read().decode("utf-8", "replace")
    assert proc.returncode == 0 and "Traceback" not in output, output
    end = time.monotonic() + 10
    while left := [p for p in children if alive(p)]:
        assert time.monotonic() < end, f"processes left behind: {left}"
        time.sleep(0.1)
    assert list(temp.iterdir()) == []


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text("utf-8", "replace")
    except OSError:  # ended meanwhile
        return ""


@needs_soffice()
def test_a_job_cancelled_while_libreoffice_converts_leaves_no_libreoffice(tmp_path):
    """“Hủy” during the PDF phase: the job's worker and the soffice processes it started end, and the job says
    it was cancelled; the server goes on."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    proc, base = start_serve(temp, stdout=subprocess.DEVNULL)
    try:
        files = {"file": ("lo.json", json.dumps(dang_bo(units=40, members=25), ensure_ascii=False).encode())}
        job = httpx.post(base + "/api/jobs", data={"kind": QD, "pdf": "true"}, files=files, timeout=120).json()
        end = time.monotonic() + 120
        while (status := httpx.get(f"{base}/api/jobs/{job['id']}", timeout=10).json())["phase"] != "pdf":
            assert time.monotonic() < end and status["state"] in ("cho", "dang_chay"), status
            time.sleep(0.1)
        office = []
        while not office:  # the soffice processes of the conversion, in sessions of their own
            assert time.monotonic() < end
            office = [p for p in descendants(proc.pid) if "soffice" in command_line(p)]
            time.sleep(0.1)
        assert httpx.post(f"{base}/api/jobs/{job['id']}/cancel", timeout=10).status_code == 200
        while (status := httpx.get(f"{base}/api/jobs/{job['id']}", timeout=10).json())["state"] != "huy":
            assert time.monotonic() < end, status
            time.sleep(0.1)
        stop = time.monotonic() + 15
        while left := [p for p in office if alive(p)]:
            assert time.monotonic() < stop, f"LibreOffice left running: {left}"
            time.sleep(0.1)
        assert httpx.get(base + "/api/info", timeout=10).status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _ignore(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except httpx.HTTPError:
        pass


# ---------------------------------------------------------------- worker processes


@pytest.mark.slow
def test_workers_keep_to_their_deadline_cancel_and_memory():
    pool = Workers(2, memory=1024 * 1024 * 1024)
    assert pool.call(os.getpid, timeout=60) != os.getpid()  # another process
    started = time.monotonic()
    with pytest.raises(TimedOut) as timed_out:
        pool.call(time.sleep, 30, timeout=1)
    assert timed_out.value.seconds == 1 and time.monotonic() - started < 10
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    with pytest.raises(Stopped):
        pool.call(time.sleep, 30, timeout=60, cancel=cancel)
    with pytest.raises(OutOfMemory) as too_much:
        pool.call(bytearray, 2 * 1024 * 1024 * 1024, timeout=60)  # past its address space: refused, not swapped
    assert too_much.value.limit == 1024 * 1024 * 1024
    assert pool.running() == 0 and pool.stopped == 2
    pool.close()
    with pytest.raises(Stopped):
        pool.call(os.getpid, timeout=60)


@pytest.mark.slow
def test_workers_die_with_a_killed_server(tmp_path):
    """``docgen serve`` killed outright (SIGKILL: no shutdown at all) while a batch job runs: its forkserver and
    the job's worker process do not live on."""
    proc, base = start_serve(tmp_path, stdout=subprocess.DEVNULL)
    try:
        start_long_job(base, {"file": ("lo.json", json.dumps(dang_bo(units=3000, members=4)).encode())})
        children = descendants(proc.pid)
        assert len(children) >= 2
    finally:
        proc.kill()
        proc.wait()
    end = time.monotonic() + 15
    while left := [p for p in children if alive(p)]:
        assert time.monotonic() < end, f"processes left behind: {left}"
        time.sleep(0.1)
