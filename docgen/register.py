"""The register of issued numbers (sổ đăng ký văn bản đi): which number each document got, kept in SQLite.

A *series* is (issuing body, ký hiệu), e.g. ("Đảng ủy phường Hồng Quang", "QĐ/ĐU"); its numbers run from 01
within a *period* that restarts at a boundary stored with the series — each calendar year, or the committee's
term start (a date). The issuing body and the ký hiệu are compared normalised (NFC, tone placement, case-folded,
whitespace collapsed) and shown as first written.

An *entry* is one number of a series and period. It is ``reserved`` when taken (committed before any file is
written), ``issued`` once its file is written (:meth:`Register.complete`: file name, sha256), or ``void`` with a
reason. Numbers are never reused: the next number is one more than the highest ever taken in the period,
void ones included. A reservation whose document was never written (the process was killed) stays visible as
reserved in ``list`` and ``export``; taking the same document again gets it back and completes it, or a clerk
voids it — there are no silent holes.

The identity of a document is its series, period and *key* (by default kind + unit + trích yếu, normalised;
callers that make several documents of one kind for one unit pass a key that tells them apart). Its content is
a *fingerprint* (:func:`fingerprint`: the document's data without its number). Taking numbers for documents the
register already holds gives their numbers back when the fingerprint is the same; a changed reserved document
keeps its number (nothing was written with it); a changed issued one is refused unless ``reissue`` (void the
old number, take a new one) or ``new_numbers`` (a new number, the old one stays). A number that the data gives
and the register holds for another document is refused, naming both.

Every change is one ``BEGIN IMMEDIATE`` transaction, so two processes never take the same number; a block of
numbers for a batch is taken in one transaction and is consecutive. The journal is the rollback journal (never
WAL, which needs shared memory and does not work on a network drive), with a busy timeout. The schema carries
``PRAGMA user_version`` and is brought up to date by ordered steps (:data:`MIGRATIONS`) when the file is opened.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import vn
from .errors import DocgenError, InvalidInput, Problem, join_path
from .export import write_atomic
from .parts import so_ky_hieu

ENV = "DOCGEN_REGISTER"
FILE_NAME = "so_van_ban_di.sqlite"
APPLICATION_ID = 0x44475256  # "DGRV": tells a docgen register from any other SQLite file
BUSY_TIMEOUT_S = 30.0  # how long to wait for another process (or another office machine) holding the lock
MAX_BLOCK = 10_000  # documents numbered in one transaction
MAX_NUMBER = 99_999  # as the schemas' ban_hanh.so
MAX_REASON = 500  # characters of a void reason

# The options the command line (render, batch, register) gives for the choices the register asks for; the
# messages name them so that the user knows what to type.
OPT_REGISTER, OPT_RESTART, OPT_REISSUE, OPT_NEW = "--register", "--bat-dau-lai", "--reissue", "--new-numbers"

YEAR = "nam"  # restart each calendar year (the usual choice)
STATES = {"reserved": "Giữ số, chưa tạo tệp", "issued": "Đã cấp", "void": "Đã hủy"}


class RegisterError(DocgenError):
    """The register cannot be used (missing, busy, not a register, an entry not found …): code and message."""

    def __init__(self, code: str, message: str):
        self.code, self.message = code, message  # the code is for programs; a person reads the message
        super().__init__(message)

    def __reduce__(self):  # raised in the web page's worker processes, raised again in the server
        return (type(self), (self.code, self.message))


# ---------------------------------------------------------------- SQL (every statement of the module)

# Step i brings a file from user_version i to i + 1. Never edit a step that has shipped: add one.
MIGRATIONS: list[list[str]] = [
    [  # 1: series and their numbers
        f"PRAGMA application_id = {APPLICATION_ID}",
        """CREATE TABLE series (
            id INTEGER PRIMARY KEY,
            issuer TEXT NOT NULL,          -- as first written
            issuer_key TEXT NOT NULL,      -- normalised, for identity
            ky_hieu TEXT NOT NULL,
            ky_hieu_key TEXT NOT NULL,
            restart TEXT NOT NULL CHECK (restart IN ('year', 'term')),
            term_start TEXT,               -- ISO date, when restart = 'term'
            created_at TEXT NOT NULL,
            UNIQUE (issuer_key, ky_hieu_key),
            CHECK ((restart = 'term') = (term_start IS NOT NULL))
        )""",
        """CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            series_id INTEGER NOT NULL REFERENCES series (id),
            period_start TEXT NOT NULL,    -- ISO date the numbering of this entry's period started
            number INTEGER NOT NULL CHECK (number >= 1),
            doc_date TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            trich_yeu TEXT NOT NULL DEFAULT '',
            unit TEXT NOT NULL DEFAULT '',
            doc_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL DEFAULT '',
            file_name TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL DEFAULT '',
            batch_id TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL CHECK (state IN ('reserved', 'issued', 'void')),
            void_reason TEXT NOT NULL DEFAULT '',
            replaces_id INTEGER REFERENCES entries (id),
            reserved_at TEXT NOT NULL,
            issued_at TEXT NOT NULL DEFAULT '',
            voided_at TEXT NOT NULL DEFAULT '',
            UNIQUE (series_id, period_start, number)
        )""",
    ],
    [  # 2: the columns of the paper sổ văn bản đi, and the lookup of a document by its identity
        "ALTER TABLE entries ADD COLUMN signer TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE entries ADD COLUMN recipients TEXT NOT NULL DEFAULT ''",  # one per line
        "ALTER TABLE entries ADD COLUMN copies INTEGER",
        "CREATE INDEX entries_by_document ON entries (series_id, period_start, doc_key)",
    ],
]
VERSION = len(MIGRATIONS)

_SERIES_BY_KEY = "SELECT * FROM series WHERE issuer_key = ? AND ky_hieu_key = ?"
_SERIES_ALL = "SELECT * FROM series ORDER BY issuer_key, ky_hieu_key"
_SERIES_INSERT = (
    "INSERT INTO series (issuer, issuer_key, ky_hieu, ky_hieu_key, restart, term_start, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_SERIES_SET_RESTART = "UPDATE series SET restart = ?, term_start = ? WHERE id = ?"
_ENTRY_SELECT = "SELECT e.*, s.issuer, s.ky_hieu FROM entries e JOIN series s ON s.id = e.series_id"
_ENTRY_BY_ID = _ENTRY_SELECT + " WHERE e.id = ?"
_ENTRY_ACTIVE = (
    _ENTRY_SELECT + " WHERE e.series_id = ? AND e.period_start = ? AND e.doc_key = ? AND e.state != 'void'"
    " ORDER BY e.id DESC LIMIT 1"
)
_ENTRY_BY_NUMBER = _ENTRY_SELECT + " WHERE e.series_id = ? AND e.period_start = ? AND e.number = ?"
_MAX_NUMBER = "SELECT COALESCE(MAX(number), 0) FROM entries WHERE series_id = ? AND period_start = ?"
_ENTRY_INSERT = (
    "INSERT INTO entries (series_id, period_start, number, doc_date, kind, title, trich_yeu, unit, doc_key,"
    " fingerprint, batch_id, state, replaces_id, reserved_at, signer, recipients, copies)"
    " VALUES (:series_id, :period_start, :number, :doc_date, :kind, :title, :trich_yeu, :unit, :doc_key,"
    " :fingerprint, :batch_id, 'reserved', :replaces_id, :now, :signer, :recipients, :copies)"
)
_ENTRY_REFRESH = (  # a reserved entry whose document changed before anything was written with its number
    "UPDATE entries SET doc_date = :doc_date, title = :title, trich_yeu = :trich_yeu, unit = :unit,"
    " fingerprint = :fingerprint, batch_id = :batch_id, signer = :signer, recipients = :recipients,"
    " copies = :copies WHERE id = :id AND state = 'reserved'"
)
_ENTRY_ISSUE = (  # a re-run that writes the file again keeps the time it was first issued
    "UPDATE entries SET state = 'issued', file_name = ?, sha256 = ?,"
    " issued_at = CASE issued_at WHEN '' THEN ? ELSE issued_at END WHERE id = ? AND state != 'void'"
)
_ENTRY_TRICH_YEU = "UPDATE entries SET trich_yeu = ? WHERE id = ?"
_ENTRY_VOID = "UPDATE entries SET state = 'void', void_reason = ?, voided_at = ? WHERE id = ? AND state != 'void'"
_ENTRY_FILTERS = {  # list/export filters → a condition on the joined row
    "issuer": "s.issuer_key = ?",
    "ky_hieu": "s.ky_hieu_key = ?",
    "year": "substr(e.doc_date, 1, 4) = ?",
    "kind": "e.kind = ?",
    "state": "e.state = ?",
    "number": "e.number = ?",
}
_ENTRY_ORDER = " ORDER BY s.issuer_key, s.ky_hieu_key, e.period_start, e.number"


# ---------------------------------------------------------------- values


def norm(text: str) -> str:
    """The form two spellings of one name share: NFC and tone placement, case-folded, whitespace collapsed."""
    return unicodedata.normalize("NFC", " ".join(vn.chuan_hoa(text or "").casefold().split()))


def _today() -> dt.date:
    return dt.date.today()


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def when(stamp: str) -> str:
    """A stored time as staff read it: '20/12/2025 14:05'."""
    if not stamp:
        return ""
    t = dt.datetime.fromisoformat(stamp)
    return f"{vn.ngay_so(t.date())} {t:%H:%M}"


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def parse_restart(text: str) -> str | dt.date:
    """``"nam"`` (each calendar year) or a term start ``YYYY-MM-DD``, as typed after ``--bat-dau-lai``."""
    value = (text or "").strip()
    if norm(value) in (YEAR, "năm"):
        return YEAR
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RegisterError(
            "restart_invalid",
            f"“{text}” không phải cách bắt đầu lại số: ghi “{YEAR}” (mỗi năm bắt đầu lại từ 01) hoặc ngày bắt "
            "đầu nhiệm kỳ theo dạng NĂM-THÁNG-NGÀY, ví dụ 2025-10-15.",
        ) from None


@dataclass(frozen=True)
class Series:
    id: int
    issuer: str
    ky_hieu: str
    restart: str  # "year" | "term"
    term_start: dt.date | None

    @classmethod
    def from_row(cls, row) -> Series:
        start = dt.date.fromisoformat(row["term_start"]) if row["term_start"] else None
        return cls(row["id"], row["issuer"], row["ky_hieu"], row["restart"], start)

    @property
    def columns(self) -> tuple[str, str | None]:
        """``(restart, term start)`` as stored."""
        return self.restart, self.term_start.isoformat() if self.term_start else None

    def period_of(self, day: dt.date) -> dt.date:
        """The first day of the period ``day`` belongs to (its numbers run from 01)."""
        if self.restart == "year":
            return dt.date(day.year, 1, 1)
        if day < self.term_start:
            raise _date_before_term(self, day)
        return self.term_start

    @property
    def restart_label(self) -> str:
        if self.restart == "year":
            return "mỗi năm bắt đầu lại từ 01"
        return f"bắt đầu lại từ 01 ở nhiệm kỳ bắt đầu ngày {vn.ngay_so(self.term_start)}"

    def describe(self) -> str:
        return f"dãy số “{self.ky_hieu}” của “{self.issuer}”"


def period_label(period_start: dt.date | str) -> str:
    """'năm 2025', or 'nhiệm kỳ từ 15/10/2025' (a period that does not start on 1 January is a term's)."""
    start = _as_date(period_start)
    return f"năm {start.year}" if (start.month, start.day) == (1, 1) else f"nhiệm kỳ từ {vn.ngay_so(start)}"


@dataclass
class Request:
    """One document that wants a number (or brings its own in ``number``).

    ``path`` is where the document's data is (``$``, ``$.don_vi[3]``), for the problems reported about it."""

    issuer: str
    ky_hieu: str
    date: dt.date | str
    kind: str
    trich_yeu: str = ""
    unit: str = ""
    title: str = ""  # tên loại as printed: "Quyết định", "Tờ trình"
    fingerprint: str = ""
    number: int | None = None
    key: str = ""  # identity within the series and period; default: unit and trích yếu
    signer: str = ""
    recipients: list[str] = field(default_factory=list)
    copies: int | None = None
    path: str = "$"

    @property
    def doc_key(self) -> str:
        own = norm(self.key) if self.key else f"{norm(self.unit)}\x1f{norm(self.trich_yeu)}"
        return f"{self.kind}\x1f{own}"

    def describe(self) -> str:
        return _document_words(self.title or self.kind, _as_date(self.date), self.unit, self.trich_yeu)


@dataclass(frozen=True)
class Entry:
    id: int
    issuer: str
    ky_hieu: str
    period_start: dt.date
    number: int
    date: dt.date
    kind: str
    title: str
    trich_yeu: str
    unit: str
    doc_key: str
    fingerprint: str
    file_name: str
    sha256: str
    batch_id: str
    state: str
    void_reason: str
    replaces_id: int | None
    reserved_at: str
    issued_at: str
    voided_at: str
    signer: str
    recipients: list[str]
    copies: int | None

    @classmethod
    def from_row(cls, row) -> Entry:
        """From a row of ``_ENTRY_SELECT`` (the entry's columns, its series' issuer and ký hiệu)."""
        values = {name: row[name] for name in cls.__dataclass_fields__ if name in row.keys()}
        values["date"] = dt.date.fromisoformat(row["doc_date"])
        values["period_start"] = dt.date.fromisoformat(row["period_start"])
        values["recipients"] = [r for r in row["recipients"].split("\n") if r]
        return cls(**values)

    @property
    def so_ky_hieu(self) -> str:
        """'05-QĐ/ĐU'."""
        return so_ky_hieu(self.number, self.ky_hieu).removeprefix("Số ")

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    def document(self) -> str:
        """The document as a clerk knows it: kind, date, unit, trích yếu, and the entry's id."""
        return _document_words(self.title or self.kind, self.date, self.unit, self.trich_yeu) + f" (mục {self.id})"

    def describe(self) -> str:
        """Number and period, state unless issued, and :meth:`document`."""
        return f"số {self.so_ky_hieu} ({self.period_words()}) — {self.document()}"

    def period_words(self) -> str:
        return period_label(self.period_start) + ("" if self.state == "issued" else f", {self.state_label.lower()}")

    def as_dict(self) -> dict:
        out = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(self).items()}
        return {**out, "so_ky_hieu": self.so_ky_hieu, "trang_thai": self.state_label}


def _document_words(title: str, day: dt.date, unit: str, trich_yeu: str) -> str:
    words = f"{title} ngày {vn.ngay_so(day)}"
    if unit:
        words += f", đơn vị “{unit}”"
    if trich_yeu:
        words += f", trích yếu “{trich_yeu}”"
    return words


def fingerprint(data: dict, *extra: bytes, normalised: bool = False) -> str:
    """The content of a document's data without its own number (``ban_hanh.so``), as a sha256: the same for
    the same document however it was typed (NFC, key order); ``extra`` (e.g. a template's bytes) joins it.
    ``normalised``: the data went through the pipeline's normalisation already (a batch's units): not again,
    which would take most of the time of numbering a large batch (the result is the same)."""
    doc = dict(data)
    if isinstance(doc.get("ban_hanh"), dict):
        doc["ban_hanh"] = {k: v for k, v in doc["ban_hanh"].items() if k != "so"}
    text = json.dumps(
        doc if normalised else vn.chuan_hoa_du_lieu(doc), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    digest = hashlib.sha256(text.encode("utf-8"))
    for part in extra:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def missing_number(path: str = "$.ban_hanh.so") -> Problem:
    """The problem to report when a numbered document has no number and no register is in use: never 01."""
    return Problem(
        path,
        "number_missing",
        "Văn bản chưa có số và không dùng sổ đăng ký văn bản đi: hệ thống không tự đặt số 01. Ghi số văn bản "
        f"(ban_hanh.so, hoặc --start-number khi tạo hàng loạt), hoặc dùng sổ đăng ký ({OPT_REGISTER} TỆP) để "
        "lấy số kế tiếp.",
    )


# ---------------------------------------------------------------- where the register lives


def default_path() -> Path:
    """The register in the user's data folder (e.g. ~/.local/share/docgen, %LOCALAPPDATA%\\docgen)."""
    import platformdirs

    return platformdirs.user_data_path("docgen", appauthor=False) / FILE_NAME


def resolve_path(path: str | Path | None = None) -> tuple[Path, bool]:
    """``(path, explicit)``: the given path, else ``$DOCGEN_REGISTER``, else :func:`default_path`."""
    if path:
        return Path(path), True
    if os.environ.get(ENV):
        return Path(os.environ[ENV]), True
    return default_path(), False


def open_register(path: str | Path | None = None, *, create: bool | None = None) -> Register:
    """Open (and bring up to date) the register at ``path`` (see :func:`resolve_path`).

    A missing register is created only when ``create`` says so; by default only at the default place. A path
    given explicitly that does not exist is an error rather than a new empty register: a typing slip (or a
    share that is not connected) must not start the numbers again from 01 (create one with ``register init``).
    """
    target, explicit = resolve_path(path)
    if target.is_dir():
        raise RegisterError("register_not_file", f"“{target}” là một thư mục; hãy ghi đường dẫn tới tệp sổ.")
    exists = target.exists()
    if not exists:
        if not (create if create is not None else not explicit):
            raise RegisterError(
                "register_missing",
                f"Không có sổ đăng ký văn bản đi tại “{target}”. Kiểm tra đường dẫn (ổ mạng đã kết nối chưa?); "
                f"nếu muốn lập sổ mới ở đó: docgen register init {OPT_REGISTER} “{target}”.",
            )
        if explicit and not target.parent.is_dir():
            raise RegisterError(
                "register_folder_missing",
                f"Không có thư mục “{target.parent}” để đặt sổ đăng ký (ổ mạng đã kết nối chưa?).",
            )
        target.parent.mkdir(parents=True, exist_ok=True)
    return Register(target, created=not exists)


def create_register(path: str | Path | None = None) -> Register:
    """A new, empty register at ``path``; refuses to touch an existing file."""
    target, _ = resolve_path(path)
    if target.exists():
        raise RegisterError("register_exists", f"Đã có tệp “{target}”; không lập sổ mới đè lên.")
    return open_register(target, create=True)


# ---------------------------------------------------------------- the register


class Register:
    """A connection to one register file. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path, created: bool = False):
        self.path, self.created = Path(path), created
        try:
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            # The rollback journal, never WAL (shared memory: one machine only); FULL: a commit is on disk.
            self._db.execute("PRAGMA journal_mode = DELETE")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise _db_error(exc, self.path) from None
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            db.close()
            self._db = None

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -------------------------------------------------------- transactions and schema

    @contextmanager
    def _write(self):
        """One write transaction taken before anything is read (BEGIN IMMEDIATE): what it reads (the highest
        number) no other process can change until it commits."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _db_error(exc, self.path) from None
        try:
            yield
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._rollback()
            raise _db_error(exc, self.path) from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self._db.in_transaction:  # SQLite may have rolled back itself (e.g. a full disk)
            self._db.execute("ROLLBACK")

    def _migrate(self) -> None:
        self._check_file()
        if self._version() == VERSION:
            return
        with self._write():
            migrate(self._db)

    def _version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _check_file(self) -> None:
        version = self._version()
        app = self._db.execute("PRAGMA application_id").fetchone()[0]
        tables = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if (version or tables or app) and app != APPLICATION_ID:
            raise RegisterError("not_a_register", f"Tệp “{self.path}” không phải sổ đăng ký văn bản đi của docgen.")
        if version > VERSION:
            raise RegisterError(
                "register_too_new",
                f"Sổ “{self.path}” do phiên bản docgen mới hơn tạo (lược đồ {version}, phiên bản này đọc tới "
                f"{VERSION}); hãy cập nhật docgen trên máy này.",
            )

    # -------------------------------------------------------- series

    def series(self) -> list[Series]:
        return [Series.from_row(r) for r in self._db.execute(_SERIES_ALL)]

    def get_series(self, issuer: str, ky_hieu: str) -> Series | None:
        row = self._db.execute(_SERIES_BY_KEY, (norm(issuer), norm(ky_hieu))).fetchone()
        return Series.from_row(row) if row else None

    def set_restart(self, issuer: str, ky_hieu: str, restart: str | dt.date) -> Series:
        """Create the series, or change when its numbers restart (numbers already taken keep their period)."""
        with self._write():
            found = self.get_series(issuer, ky_hieu)
            if found is None:
                _insert_series(self._db, issuer, ky_hieu, restart)
            else:
                self._db.execute(_SERIES_SET_RESTART, (*_restart_columns(restart), found.id))
        return self.get_series(issuer, ky_hieu)

    # -------------------------------------------------------- numbers

    def next_number(self, issuer: str, ky_hieu: str, on: dt.date | str | None = None) -> int:
        """The number the next document of the series dated ``on`` (default today) would get; takes nothing."""
        found = self.get_series(issuer, ky_hieu)
        if found is None:
            return 1
        period = found.period_of(_as_date(on) if on else _today())
        return self._db.execute(_MAX_NUMBER, (found.id, period.isoformat())).fetchone()[0] + 1

    def take(
        self,
        requests: Iterable[Request],
        *,
        batch_id: str = "",
        restart: str | dt.date | None = None,
        reissue: bool = False,
        new_numbers: bool = False,
        first_restart=None,
    ) -> list[Entry]:
        """Numbers for ``requests``, in one transaction: all of them, or none (:class:`InvalidInput` with every
        problem). Returns one entry per request, in order; new ones are ``reserved`` until :meth:`complete`.

        ``restart``: the boundary of series used for the first time (``"nam"`` or a term start date); without
        it a new series is a problem that says which option to give. ``first_restart``: the boundary of new
        series when ``restart`` is not given — a value, or a function of (issuer, ký hiệu) — never compared
        with the series the register has (a batch can use an old series and a new one). Numbers the data
        gives are recorded first; the others are consecutive from the highest in each series and period.
        """
        requests = list(requests)
        if len(requests) > MAX_BLOCK:
            raise RegisterError(
                "block_too_large", f"Một lần chỉ cấp tối đa {MAX_BLOCK} số (ở đây {len(requests)} văn bản)."
            )
        with self._write():
            plan = _Plan(self._db, restart, reissue, new_numbers, first_restart)
            for i, request in enumerate(requests):
                plan.resolve(i, request)
            plan.assign()
            if plan.problems:
                raise InvalidInput(plan.problems)  # rolls back: not even a new series is kept
            ids = plan.write(batch_id)
        return [self.get(i) for i in ids]

    def complete(self, done: Iterable[tuple]) -> None:
        """Record the written files — ``(entry id, file name, sha256)`` each, or with a fourth item, the
        trích yếu as the document printed it (a batch knows it only once its documents are built) — in one
        transaction. An entry voided meanwhile is not changed: the others are recorded, then
        :class:`RegisterError` names it."""
        refused = []
        with self._write():
            for entry_id, file_name, sha256, *rest in done:
                if self._db.execute(_ENTRY_ISSUE, (file_name, sha256, _now(), entry_id)).rowcount != 1:
                    refused.append(entry_id)
                elif rest and rest[0]:
                    self._db.execute(_ENTRY_TRICH_YEU, (rest[0], entry_id))
        if refused:
            raise RegisterError(
                "entry_void",
                "Các số sau đã bị hủy hoặc không còn trong sổ trong khi tạo tệp; đừng dùng các tệp đó: "
                + "; ".join(self._describe_id(i) for i in refused),
            )

    def void(self, entry_id: int, reason: str) -> Entry:
        """Mark a number void with a reason; the number stays in the register and is never given again."""
        reason = " ".join((reason or "").split())
        if not reason:
            raise RegisterError("reason_missing", "Hủy số phải ghi lý do (--ly-do “…”).")
        if len(reason) > MAX_REASON:
            raise RegisterError("reason_too_long", f"Lý do hủy dài {len(reason)} ký tự; tối đa {MAX_REASON}.")
        with self._write():
            entry = self.get(entry_id)
            if entry.state == "void":
                raise RegisterError(
                    "already_void",
                    f"Số {entry.so_ky_hieu} (mục {entry.id}) đã hủy lúc {when(entry.voided_at)}: {entry.void_reason}.",
                )
            self._db.execute(_ENTRY_VOID, (reason, _now(), entry_id))
        return self.get(entry_id)

    # -------------------------------------------------------- reading

    def get(self, entry_id: int) -> Entry:
        row = self._db.execute(_ENTRY_BY_ID, (entry_id,)).fetchone()
        if row is None:
            raise RegisterError("entry_not_found", f"Sổ không có mục {entry_id}.")
        return Entry.from_row(row)

    def entries(
        self,
        *,
        issuer: str | None = None,
        ky_hieu: str | None = None,
        year: int | None = None,
        kind: str | None = None,
        state: str | None = None,
        number: int | None = None,
    ) -> list[Entry]:
        """Entries in the order of a paper register (issuer, ký hiệu, period, number), filtered."""
        values = {
            "issuer": norm(issuer) if issuer else None,
            "ky_hieu": norm(ky_hieu) if ky_hieu else None,
            "year": f"{year:04d}" if year else None,
            "kind": kind,
            "state": state,
            "number": number,
        }
        used = [(name, v) for name, v in values.items() if v is not None]
        where = " WHERE " + " AND ".join(_ENTRY_FILTERS[name] for name, _ in used) if used else ""
        rows = self._db.execute(_ENTRY_SELECT + where + _ENTRY_ORDER, [v for _, v in used])
        return [Entry.from_row(r) for r in rows]

    def find(self, ref: str, *, issuer: str | None = None, year: int | None = None) -> Entry:
        """The entry named by a clerk: its id (``17``) or its number and ký hiệu (``05-QĐ/ĐU``, ``Số 5-QĐ/ĐU``),
        narrowed by ``issuer`` and ``year`` when several series or years have that number."""
        text = vn.chuan_hoa(ref or "").strip()
        if text.isdigit():
            return self.get(int(text))
        m = re.fullmatch(r"(?:số\s*)?(\d+)\s*-\s*(\S+/\S+)", text, re.IGNORECASE)
        if not m:
            raise RegisterError(
                "entry_ref_invalid", f"“{ref}” không phải mã mục (ví dụ 17) hay số, ký hiệu (ví dụ 05-QĐ/ĐU)."
            )
        number, ky_hieu = int(m.group(1)), m.group(2)
        found = self.entries(issuer=issuer, ky_hieu=ky_hieu, year=year, number=number)
        shown = f"{number:02d}-{ky_hieu}"
        if not found:
            raise RegisterError("entry_not_found", f"Sổ không có số {shown}" + _narrowed(issuer, year) + ".")
        if len(found) > 1:
            raise RegisterError(
                "entry_ambiguous",
                f"Có {len(found)} văn bản số {shown}; ghi mã mục, hoặc thêm --co-quan / --nam: "
                + "; ".join(f"mục {e.id}: {e.issuer}, {e.describe()}" for e in found),
            )
        return found[0]

    def _describe_id(self, entry_id: int) -> str:
        try:
            return self.get(entry_id).describe()
        except RegisterError:
            return f"mục {entry_id}"

    # -------------------------------------------------------- backup

    def backup(self, dest: str | Path) -> Path:
        """A consistent copy of the register (SQLite's online backup) at ``dest``, which must not exist."""
        dest = Path(dest)
        if dest.exists():
            raise RegisterError("backup_exists", f"Đã có tệp “{dest}”; không ghi đè. Chọn tên khác.")
        if not dest.parent.is_dir():
            raise RegisterError("backup_folder_missing", f"Không có thư mục “{dest.parent}”.")
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
        try:
            copy = sqlite3.connect(tmp)
            try:
                self._db.backup(copy)
            finally:
                copy.close()
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            os.replace(tmp, dest)
        except sqlite3.DatabaseError as exc:
            raise _db_error(exc, self.path) from None
        finally:
            tmp.unlink(missing_ok=True)
        return dest


def migrate(db: sqlite3.Connection, upto: int = VERSION) -> int:
    """Apply the steps of :data:`MIGRATIONS` the file lacks, up to ``upto``, inside the caller's transaction
    (re-reading the version there, so two processes opening a new file do not both apply them)."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for number in range(version, upto):
        for statement in MIGRATIONS[number]:
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {number + 1}")
    return max(version, upto)


def _insert_series(db, issuer: str, ky_hieu: str, restart) -> int:
    """A new series (issuer and ký hiệu as written, NFC, spaces tidied); its id."""
    kind, start = _restart_columns(restart)
    issuer, ky_hieu = (" ".join(vn.chuan_hoa(text).split()) for text in (issuer, ky_hieu))
    return db.execute(_SERIES_INSERT, (issuer, norm(issuer), ky_hieu, norm(ky_hieu), kind, start, _now())).lastrowid


def _restart_columns(restart) -> tuple[str, str | None]:
    if restart == YEAR or restart == "year":
        return "year", None
    return "term", _as_date(restart).isoformat()


def _narrowed(issuer, year) -> str:
    return (f" của “{issuer}”" if issuer else "") + (f" năm {year}" if year else "")


def _db_error(exc: sqlite3.DatabaseError, path: Path) -> RegisterError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return RegisterError(
            "register_busy",
            f"Sổ “{path}” đang được máy hoặc lệnh khác ghi; đã chờ {BUSY_TIMEOUT_S:.0f} giây. Thử lại sau ít phút.",
        )
    if isinstance(exc, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
        return RegisterError("not_a_register", f"Tệp “{path}” không phải sổ đăng ký văn bản đi, hoặc đã hỏng ({text}).")
    return RegisterError("register_unreadable", f"Không đọc/ghi được sổ “{path}”: {text}.")


def _date_before_term(found: Series, day: dt.date) -> InvalidInput:
    return InvalidInput(
        [
            Problem(
                "$.ban_hanh.ngay_ban_hanh",
                "date_before_term",
                f"Ngày {vn.ngay_so(day)} trước ngày bắt đầu nhiệm kỳ ({vn.ngay_so(found.term_start)}) mà sổ ghi cho "
                f"{found.describe()}. Sửa ngày văn bản, hoặc sửa ngày bắt đầu nhiệm kỳ: docgen register series "
                f"--co-quan “{found.issuer}” --ky-hieu {found.ky_hieu} {OPT_RESTART} NĂM-THÁNG-NGÀY.",
            )
        ]
    )


# ---------------------------------------------------------------- taking numbers (inside one transaction)


class _Plan:
    """What :meth:`Register.take` decides for each request before writing anything: an existing entry given
    back, an entry to refresh, or a new entry (with the data's number, or one to assign)."""

    def __init__(self, db, restart, reissue: bool, new_numbers: bool, first_restart=None):
        self.db, self.restart, self.reissue, self.new_numbers = db, restart, reissue, new_numbers
        self.first_restart = first_restart
        self.problems: list[Problem] = []
        self.series: dict[tuple[str, str], Series | None] = {}
        self.new_series: dict[tuple[str, str], Series] = {}
        self.actions: list[tuple] = []  # (kind, request, series, period, number, entry)
        self.seen_docs: dict[tuple, int] = {}
        self.seen_numbers: dict[tuple, int] = {}
        self.top: dict[tuple[int, str], int] = {}

    def _problem(self, request: Request, field_name: str, code: str, message: str) -> None:
        """A problem of the request's document; ``field_name``: the field of its ``ban_hanh`` concerned."""
        path = join_path(join_path(request.path, "ban_hanh"), field_name) if field_name else request.path
        self.problems.append(Problem(path, code, message))

    def _series_for(self, request: Request) -> Series | None:
        """The request's series (once per series); a new one when ``restart`` is given, else a problem."""
        key = (norm(request.issuer), norm(request.ky_hieu))
        if key in self.series:
            return self.series[key]
        row = self.db.execute(_SERIES_BY_KEY, key).fetchone()
        found = Series.from_row(row) if row else None
        first = self.restart if self.restart is not None else self.first_restart
        if found is None and callable(first):  # called inside the transaction: it must not wait for anyone
            first = first(request.issuer, request.ky_hieu)
        if found is None and first is not None:
            restart, start = _restart_columns(first)
            term = _as_date(start) if start else None
            found = Series(-1 - len(self.new_series), request.issuer, request.ky_hieu, restart, term)  # id: later
            self.new_series[key] = found
        elif found is None:
            self._problem(
                request,
                "",
                "series_restart_unknown",
                f"Sổ chưa có dãy số “{request.ky_hieu}” của “{request.issuer}”: cho biết một lần số bắt đầu lại "
                f"từ 01 khi nào — mỗi năm ({OPT_RESTART} {YEAR}, thường dùng) hoặc từ ngày bắt đầu nhiệm kỳ "
                f"của cấp ủy ({OPT_RESTART} NĂM-THÁNG-NGÀY, ví dụ {OPT_RESTART} 2025-10-15).",
            )
        elif self.restart is not None and _restart_columns(self.restart) != found.columns:
            self._problem(
                request,
                "",
                "restart_differs",
                f"Sổ đã ghi {found.describe()} {found.restart_label}, khác với {OPT_RESTART} đã cho. Muốn đổi: "
                f"docgen register series --co-quan “{found.issuer}” --ky-hieu {found.ky_hieu} {OPT_RESTART} ….",
            )
        self.series[key] = found
        return found

    def resolve(self, index: int, request: Request) -> None:
        found = self._series_for(request)
        if found is None:
            return
        try:
            day = _as_date(request.date)
            period = found.period_of(day)
        except InvalidInput as exc:
            self.problems += [Problem(request.path + p.path[1:], p.code, p.message) for p in exc.problems]
            return
        except ValueError:
            self._problem(request, "ngay_ban_hanh", "date_invalid", f"Ngày “{request.date}” không hợp lệ.")
            return
        given = request.number
        if given is not None and not 1 <= given <= MAX_NUMBER:
            self._problem(request, "so", "number_range", f"Số văn bản phải từ 1 đến {MAX_NUMBER} (ở đây {given}).")
            return
        doc = (found.id, period, request.doc_key)
        if doc in self.seen_docs:
            self._problem(
                request,
                "",
                "duplicate_document",
                f"Hai văn bản trong cùng một lần lấy số là một văn bản ({request.describe()}): văn bản thứ "
                f"{self.seen_docs[doc] + 1} và thứ {index + 1}. Mỗi văn bản cần đơn vị hoặc trích yếu riêng.",
            )
            return
        self.seen_docs[doc] = index
        active = self._active(found, period, request.doc_key)
        replaces = None
        if active is not None:
            if given is not None and given != active.number:
                if not (self.reissue or self.new_numbers):
                    self._problem(
                        request,
                        "so",
                        "number_differs",
                        f"Văn bản này đã có {active.describe()} trong sổ, nhưng dữ liệu ghi số {given:02d}. Bỏ trống "
                        f"số để dùng lại số {active.number:02d}, hoặc thêm {OPT_REISSUE} để hủy số "
                        f"{active.number:02d} và ghi số {given:02d}.",
                    )
                    return
                replaces = active if self.reissue else None
            elif active.fingerprint == request.fingerprint:
                self.actions.append(("keep", request, found, period, active.number, active))
                return
            elif active.state == "reserved":  # nothing was written with this number yet: it stays
                self.actions.append(("refresh", request, found, period, active.number, active))
                return
            elif self.reissue:
                replaces = active
            elif not self.new_numbers:
                self._problem(
                    request,
                    "",
                    "changed_input",
                    f"Văn bản này đã được cấp {active.describe()}"
                    + (f", tệp “{active.file_name}”" if active.file_name else "")
                    + f", với nội dung khác với dữ liệu bây giờ. Nếu đây là bản sửa thay cho bản đã cấp: thêm "
                    f"{OPT_REISSUE} (hủy số {active.number:02d}, cấp số mới); nếu là một văn bản khác: thêm {OPT_NEW}.",
                )
                return
        if given is not None and replaces is not None and given == replaces.number:
            self._problem(
                request,
                "so",
                "number_reissue_same",
                f"Cấp lại thì số cũ {replaces.so_ky_hieu} bị hủy và không dùng lại: bỏ trống số trong dữ liệu để "
                "lấy số mới.",
            )
            return
        if given is not None:
            self._check_free(index, request, found, period, given)
        self.actions.append(("new", request, found, period, given, replaces))

    def _active(self, found: Series, period: dt.date, doc_key: str) -> Entry | None:
        if found.id < 0:
            return None
        row = self.db.execute(_ENTRY_ACTIVE, (found.id, period.isoformat(), doc_key)).fetchone()
        return Entry.from_row(row) if row else None

    def _check_free(self, index: int, request: Request, found: Series, period: dt.date, number: int) -> None:
        """A number the data gives must be free: in the register, and among the other requests."""
        key = (found.id, period, number)
        if key in self.seen_numbers:
            self._problem(
                request,
                "so",
                "number_taken",
                f"Số {number:02d}-{found.ky_hieu} được ghi cho hai văn bản trong cùng một lần lấy số: văn bản thứ "
                f"{self.seen_numbers[key] + 1} và văn bản thứ {index + 1} ({request.describe()}).",
            )
            return
        self.seen_numbers[key] = index
        held = None
        if found.id >= 0:
            held = self.db.execute(_ENTRY_BY_NUMBER, (found.id, period.isoformat(), number)).fetchone()
        if held is not None:
            existing = Entry.from_row(held)
            again = " (số đã hủy không dùng lại)" if existing.state == "void" else ""
            self._problem(
                request,
                "so",
                "number_taken",
                f"Số {existing.so_ky_hieu} ({existing.period_words()}) trong sổ đã thuộc văn bản khác{again}: "
                f"{existing.document()}. Văn bản này: {request.describe()}. Bỏ trống số để lấy số kế tiếp, hoặc "
                "sửa số.",
            )

    def assign(self) -> None:
        """Numbers for the new entries without one: consecutive from the highest of each series and period,
        after the numbers the data gave."""
        for kind, _request, found, period, number, _other in self.actions:
            if kind == "new" and number is not None:
                key = (found.id, period)
                self.top[key] = max(self._top(key), number)
        for i, (kind, request, found, period, number, other) in enumerate(self.actions):
            if kind == "new" and number is None:
                key = (found.id, period)
                self.top[key] = self._top(key) + 1
                if self.top[key] > MAX_NUMBER:
                    self._problem(request, "so", "number_range", f"Dãy số đã tới {MAX_NUMBER}; không cấp thêm được.")
                self.actions[i] = (kind, request, found, period, self.top[key], other)

    def _top(self, key: tuple[int, dt.date]) -> int:
        if key not in self.top:
            sid, period = key
            self.top[key] = 0 if sid < 0 else self.db.execute(_MAX_NUMBER, (sid, period.isoformat())).fetchone()[0]
        return self.top[key]

    def write(self, batch_id: str) -> list[int]:
        """Write what was decided; the entry id of each request, in order."""
        ids = {
            p.id: _insert_series(self.db, p.issuer, p.ky_hieu, p.term_start or YEAR) for p in self.new_series.values()
        }
        out, now = [], _now()
        for kind, request, found, period, number, other in self.actions:
            values = {
                "series_id": ids.get(found.id, found.id),
                "period_start": period.isoformat(),
                "number": number,
                "doc_date": _as_date(request.date).isoformat(),
                "kind": request.kind,
                "title": request.title,
                "trich_yeu": request.trich_yeu,
                "unit": request.unit,
                "doc_key": request.doc_key,
                "fingerprint": request.fingerprint,
                "batch_id": batch_id,
                "signer": request.signer,
                "recipients": "\n".join(" ".join(r.split()) for r in request.recipients if r.strip()),
                "copies": request.copies,
                "replaces_id": other.id if other is not None and kind == "new" else None,
                "id": other.id if other is not None else None,
                "now": now,
            }
            if kind == "refresh":
                self.db.execute(_ENTRY_REFRESH, values)
            if kind in ("keep", "refresh"):
                out.append(other.id)
                continue
            if other is not None:  # reissue: the old number is void, the new entry says what it replaces
                reason = f"Thay bằng số {number:02d}-{found.ky_hieu} (cấp lại vì nội dung thay đổi)"
                self.db.execute(_ENTRY_VOID, (reason, now, other.id))
            out.append(self.db.execute(_ENTRY_INSERT, values).lastrowid)
        return out


# ---------------------------------------------------------------- export: the paper sổ văn bản đi

# The eight columns of a paper "Sổ đăng ký văn bản đi" (Số, ký hiệu; Ngày tháng; Tên loại và trích yếu nội dung;
# Người ký; Nơi nhận; Đơn vị, người nhận bản lưu; Số lượng bản; Ghi chú), as in the state template (Thông tư
# 07/2012/TT-BNV, reproduced with Quyết định 34/2012/QĐ-UBND of Bình Định at
# tailieuchung.com/vn/tlID787892_mau-so-dang-ky-van-ban-di.html). NOT VERIFIED against the party's own rules
# (Quy định 693-QĐ/VPTW, 15/12/2021, on văn thư in party bodies; its text was not at hand). docgen's own columns
# follow, so that the file is also a complete record.
PAPER_COLUMNS = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ghi chú",
]
RECORD_COLUMNS = [
    "Cơ quan ban hành",
    "Đơn vị",
    "Loại văn bản (docgen)",
    "Trạng thái",
    "Tệp",
    "SHA-256",
    "Lô",
    "Mã mục",
    "Giữ số lúc",
    "Tạo tệp lúc",
]
EXPORT_COLUMNS = PAPER_COLUMNS + RECORD_COLUMNS
_DATE_COLUMN = PAPER_COLUMNS.index("Ngày tháng văn bản")


def _note(entry: Entry, by_id: dict[int, Entry]) -> str:
    notes = []
    if entry.state == "void":
        notes.append(f"Đã hủy lúc {when(entry.voided_at)}: {entry.void_reason}")
    elif entry.state == "reserved":
        notes.append("Đã giữ số, chưa tạo tệp")
    if entry.replaces_id:
        old = by_id.get(entry.replaces_id)
        notes.append(f"Thay cho số {old.so_ky_hieu}" if old else f"Thay cho mục {entry.replaces_id}")
    return "; ".join(notes)


def export_rows(entries: list[Entry]) -> list[list]:
    """One row per entry, in :data:`EXPORT_COLUMNS` order (the date as a date)."""
    by_id = {e.id: e for e in entries}
    rows = []
    for e in entries:
        kept = [r for r in e.recipients if norm(r).startswith("lưu")]
        sent = [r for r in e.recipients if r not in kept]
        rows.append(
            [
                e.so_ky_hieu,
                e.date,
                " ".join(x for x in (e.title, e.trich_yeu) if x),
                e.signer,
                "; ".join(sent),
                "; ".join(re.sub(r"^lưu\s*:?\s*", "", r, flags=re.IGNORECASE) for r in kept),
                e.copies if e.copies is not None else "",
                _note(e, by_id),
                e.issuer,
                e.unit,
                e.kind,
                e.state_label,
                e.file_name,
                e.sha256,
                e.batch_id,
                e.id,
                e.reserved_at,
                e.issued_at,
            ]
        )
    return rows


def write_export(path: str | Path, entries: list[Entry], title: str = "") -> Path:
    """The entries as ``.xlsx`` (a sheet laid out like the paper book) or ``.csv`` (UTF-8 with BOM, for Excel)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(EXPORT_COLUMNS)
        for row in export_rows(entries):
            row[_DATE_COLUMN] = vn.ngay_so(row[_DATE_COLUMN])
            writer.writerow(row)
        return write_atomic(path, ("\ufeff" + buf.getvalue()).encode("utf-8"))
    if suffix == ".xlsx":
        return write_atomic(path, _workbook_bytes(entries, title))
    raise RegisterError("export_format", f"Chỉ xuất được tệp .xlsx hoặc .csv (không phải “{path.name}”).")


def _workbook_bytes(entries: list[Entry], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ văn bản đi"
    # Named styles, registered once: styling 18 columns × thousands of cells one by one is what takes the time
    edge = Side(style="thin")
    box = Border(top=edge, bottom=edge, left=edge, right=edge)
    top = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, horizontal="center", vertical="center")
    styles = {
        "text": NamedStyle("DG sổ", border=box, alignment=top),
        "date": NamedStyle("DG sổ ngày", border=box, alignment=top, number_format="DD/MM/YYYY"),
        "head": NamedStyle("DG sổ tiêu đề", border=box, alignment=centre, font=Font(bold=True)),
        "count": NamedStyle("DG sổ cột số", border=box, alignment=centre),
    }
    for style in styles.values():
        wb.add_named_style(style)
    ws.append(["SỔ ĐĂNG KÝ VĂN BẢN ĐI"])
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"].font = Font(italic=True)
    rows = [EXPORT_COLUMNS, [f"({i})" for i in range(1, len(EXPORT_COLUMNS) + 1)], *export_rows(entries)]
    for i, row in enumerate(rows, start=3):
        ws.append(row)
        for j in range(1, len(row) + 1):
            name = "head" if i == 3 else "count" if i == 4 else "date" if j == _DATE_COLUMN + 1 else "text"
            ws.cell(i, j).style = styles[name].name
    widths = [14, 12, 50, 20, 36, 22, 9, 30, 28, 26, 20, 16, 36, 20, 16, 8, 22, 22]
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A5"
    ws.print_title_rows = "3:4"
    ws.page_setup.orientation = "landscape"  # the paper book's register pages are A3 landscape
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
