"""The built knowledge base as one SQLite file: the validated entries and the precomputed index.

`python -m knowledge build` writes it; the bot opens it (bundled in the Lambda zip, TIL_KB, an
s3:// KB, `ask --kb`, the `--notes` cache) and searches it without recomputing anything per
entry: a query reads the few postings, vocabulary buckets and title forms it needs, and an entry
becomes an `Entry` only when it is shown (built from its stored record, trusted because build
validated it). SQLite because it is in the standard library, reads pages on demand (a 50k-entry
KB costs the pages a query touches, not the file) and any SQLite tool can open it; see the README
for the formats measured against it.
"""

from __future__ import annotations

import array
import contextlib
import datetime as dt
import functools
import itertools
import json
import os
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from knowledge.indexing import MemoryStore, TitleInfo, TitleTokens, collector_paused
from knowledge.models import SCHEMA_VERSION, CodeBlock, Entry, Image, KnowledgeBase, Link, Problem

if TYPE_CHECKING:
    from knowledge.search import Index
    from knowledge.workers import Progress

FORMAT = "tilbot-kb"
# 1: SQLite with entries, postings, vocabulary, title forms, sound keys.
# 2: entry records zlib-compressed in blocks; postings in buckets of terms by hash.
# 3: postings hold each file's name as context, a document's body without its sections' headings
#    or table-of-contents links; title stems leave out parenthesised glosses (same tables).
# 4: a line that only links to another note by its title (a README index on GitHub, a site's
#    list of pages) is left out of the linking entry's postings (same tables).
# 5: a glosses table: the terms the notes gloss in parentheses, with the other language's words.
# 6: an operator a title names by its signs (`$@`, `?.`) is one of its terms, and a title of signs
#    alone has its own text as its form (same tables).
# 7: a noun made a verb with 되다 (만료된, 설치되면) is also indexed as the noun (same tables).
# 8: a heading that names its sections side by side ("Short Polling vs Long Polling") gives
#    each section only its own side's words (same tables).
# 9: an entry's date (or a period log's days) is among its terms (`knowledge.dates`), so a
#    question naming a day finds that day's notes; a snake_case title word is its words in the
#    title stems (same tables).
# 10: sound keys read -tua as ch (virtual 버추얼) and keep the t of -stio (istio 이스티오): the
#    phonetic table's keys changed (same tables).
# 11: a loanword spelled with a y-glide after ㅈ/ㅊ (버츄얼) reads as the table's plain spelling
#    (버추얼 → virtual), so the notes' glosses may differ (same tables).
# 12: an English adverb's stems are its adjective's (dynamically → dynamic), so terms and
#    title stems may differ (same tables).
# 13: a plural in -ses after an s is its singular's (aliases → alias), so terms and title
#    stems may differ (same tables).
# 14: a quality noun's stems are its adjective's (linearity → linear, 재진입성 → 재진입), and a
#    hyphenated word's joined form and last word inflect (non-linearity → nonlinear), so terms
#    and title stems may differ (same tables).
# 15: a title that names a month or a day ("2019 3월 회고") has that date's terms, and "2019 3월"
#    reads as a month (same tables).
FORMAT_VERSION = 15
_SQLITE_MAGIC = b"SQLite format 3\x00"
_HINT = "rebuild it with `python -m knowledge build`"
# Records of this many consecutive entries are compressed together: a document and its
# sections repeat each other's text, and most of a record is field names (a 50k-entry KB is a
# sixth of its records' size; one record alone compresses to a third). Showing an entry
# inflates its block, a few dozen kB.
BLOCK = 16
# Terms per row of postings, on average: most terms are bigrams found in one entry, and a row
# per term made the table most of the file and its write most of the build.
BUCKET = 16

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL, kind TEXT NOT NULL,
    category TEXT NOT NULL, compact TEXT NOT NULL, title_stems TEXT NOT NULL);
CREATE TABLE records (block INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE terms (bucket INTEGER PRIMARY KEY, terms TEXT NOT NULL, counts BLOB NOT NULL,
    entries BLOB NOT NULL, fields BLOB NOT NULL);
CREATE TABLE title_forms (form TEXT PRIMARY KEY, entries TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE title_form_lengths (length INTEGER PRIMARY KEY, forms TEXT NOT NULL,
    ranks TEXT NOT NULL);
CREATE TABLE vocabulary (hangul INTEGER NOT NULL, length INTEGER NOT NULL, words TEXT NOT NULL,
    PRIMARY KEY (hangul, length));
CREATE TABLE jamo (key TEXT PRIMARY KEY, word TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE spelled (english TEXT PRIMARY KEY, hangul TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE choseong (key TEXT PRIMARY KEY, words TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE hangul (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE phonetic (rank INTEGER PRIMARY KEY, key TEXT NOT NULL, words TEXT NOT NULL);
CREATE TABLE glosses (term TEXT PRIMARY KEY, others TEXT NOT NULL) WITHOUT ROWID;
"""


class ArtifactError(ValueError):
    """A file that is not a KB this tilbot can read; the message is one line saying why."""


class OldFormat(ArtifactError):
    """A sound KB written by another version of tilbot: out of date, not damaged."""


# What reading a damaged page raises, from SQLite itself to decoding what it returned.
_DAMAGE = (sqlite3.DatabaseError, zlib.error, UnicodeError, ValueError, TypeError, KeyError)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def build_store(
    kb: KnowledgeBase, progress: Progress | None = None, workers: int | None = 1
) -> MemoryStore:
    """The index of `kb` as the bot searches it; `progress` wraps the loop over entries, and
    `workers` processes share it (forked; the index is the same for any number; None: as many
    as the cores and the size of `kb` make worth it)."""
    from knowledge.search import TUNING, field_weights

    return MemoryStore(kb.entries, field_weights(TUNING), progress, workers)


def write(
    kb: KnowledgeBase, path: Path, progress: Progress | None = None, workers: int | None = 1
) -> None:
    """Build the index of `kb` and write both to `path`."""
    save(kb, build_store(kb, progress, workers), path)


def save(kb: KnowledgeBase, store: MemoryStore, path: Path) -> None:
    """Write `kb` and its built index to `path`, replaced whole: a reader never sees half a
    file. The folder is made if it is missing (``--out build/kb.sqlite`` on a fresh clone)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        with sqlite3.connect(tmp) as db, collector_paused():
            _write_tables(db, kb, store)
        db.close()
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_tables(db: sqlite3.Connection, kb: KnowledgeBase, store: MemoryStore) -> None:
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;")
    db.executescript(_SCHEMA)
    buckets = _bucket_count(len(store.table))
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema": SCHEMA_VERSION,
        "digest": kb.digest,
        "size": store.size,
        # Each posting stores its field as one byte, an index into these weights.
        "weights": store.levels,
        "buckets": buckets,
        "block": BLOCK,
        "problems": [p.model_dump() for p in kb.problems],
    }
    db.executemany("INSERT INTO meta VALUES (?, ?)", ((k, _dumps(v)) for k, v in meta.items()))
    db.executemany(
        "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            (i, e.id, e.title, e.kind, e.category, store.title_compact[i],
             _title_stems_text(store.title_tokens[i]))
            for i, e in enumerate(kb.entries)
        ),
    )  # fmt: skip
    # Built after the rows: one sort instead of an index updated at every insert.
    db.execute("CREATE UNIQUE INDEX entry_ids ON entries (id)")
    db.executemany("INSERT INTO records VALUES (?, ?)", _record_blocks(kb.entries))
    db.executemany("INSERT INTO terms VALUES (?, ?, ?, ?, ?)", _term_buckets(store, buckets))
    db.executemany(
        "INSERT INTO title_forms VALUES (?, ?)",
        ((form, _dumps(numbers)) for form, numbers in sorted(store.title_forms.items())),
    )
    db.executemany(
        "INSERT INTO title_form_lengths VALUES (?, ?, ?)",
        ((n, _dumps(forms), _dumps(ranks)) for n, (forms, ranks) in store.forms_by_length.items()),
    )
    db.executemany(
        "INSERT INTO vocabulary VALUES (?, ?, ?)",
        ((int(h), n, _dumps(words)) for h, n, words in store.vocabulary_buckets()),
    )
    db.executemany("INSERT INTO jamo VALUES (?, ?)", store.jamo_to_word.items())
    db.executemany("INSERT INTO spelled VALUES (?, ?)", store.spelled_as.items())
    db.executemany(
        "INSERT INTO choseong VALUES (?, ?)",
        ((key, _dumps(words)) for key, words in store.choseong_map.items()),
    )
    db.executemany("INSERT INTO hangul VALUES (?)", ((w,) for w in store.hangul_sorted))
    db.executemany(
        "INSERT INTO phonetic VALUES (?, ?, ?)",
        ((rank, key, _dumps(words)) for rank, (key, words) in enumerate(store.phonetic().items())),
    )
    # Read one term at a time, by its key: a cold start reads none of them.
    db.executemany(
        "INSERT INTO glosses VALUES (?, ?)",
        ((term, "\n".join(others)) for term, others in store.gloss_table.items()),
    )


def _bucket_count(terms: int) -> int:
    return max(1, -(-terms // BUCKET))


def _bucket_of(term: str, buckets: int) -> int:
    # crc32, not hash(): str hashes change with every process.
    return zlib.crc32(term.encode()) % buckets


def _term_buckets(
    store: MemoryStore, buckets: int
) -> Iterator[tuple[int, str, bytes, bytes, bytes]]:
    """Rows of the terms table: per bucket, its terms sorted and joined by newlines (a term has
    none), how many postings each has, and their entry numbers and field bytes one after
    another."""
    grouped: list[list[str]] = [[] for _ in range(buckets)]
    for term in store.table:
        grouped[_bucket_of(term, buckets)].append(term)
    for bucket, terms in enumerate(grouped):
        terms.sort()
        counts, numbers, levels = store.postings_of(terms)
        yield bucket, "\n".join(terms), counts.tobytes(), numbers.tobytes(), bytes(levels)


def _record_blocks(entries: Sequence[Entry]) -> Iterator[tuple[int, bytes]]:
    """Rows of the records table: each block of entries as their JSON records, one a line
    (JSON escapes newlines), compressed."""
    for start in range(0, len(entries), BLOCK):
        text = "\n".join(e.model_dump_json() for e in entries[start : start + BLOCK])
        yield start // BLOCK, zlib.compress(text.encode())


# Title stems as plain text (faster to read back than JSON): a word's stems joined by US, the
# words by RS. Tokens never hold control characters.
_STEM, _WORD = "\x1f", "\x1e"


def _title_stems_text(words: TitleTokens) -> str:
    return _WORD.join(_STEM.join(sorted(stems)) for stems in words)


def _title_stems(text: str) -> TitleTokens:
    return [set(word.split(_STEM)) for word in text.split(_WORD)] if text else []


def dumps(kb: KnowledgeBase, workers: int | None = 1) -> bytes:
    """The artifact of `kb` as bytes (what `python -m bot publish` uploads)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="tilbot-kb-") as folder:
        path = Path(folder) / "kb.sqlite"
        write(kb, path, workers=workers)
        return path.read_bytes()


def check_header(path: Path) -> None:
    """Refuse, in one line, a file that is not a whole SQLite file: a JSON KB of an older
    tilbot, anything else, or a truncated copy (its size disagrees with the page count)."""
    try:
        with path.open("rb") as f:
            head = f.read(100)
            size = os.fstat(f.fileno()).st_size
    except FileNotFoundError:
        raise FileNotFoundError(f"no KB at {path}: run `python -m knowledge build`") from None
    except OSError as exc:
        raise ArtifactError(f"cannot read the KB {path}: {exc.strerror}") from None
    if head.lstrip()[:1] == b"{":
        raise ArtifactError(f"{path} is a JSON KB of an older tilbot: {_HINT}")
    if not head.startswith(_SQLITE_MAGIC) or len(head) < 100:
        raise ArtifactError(f"{path} is not a KB built by `python -m knowledge build`")
    page_size = int.from_bytes(head[16:18], "big")
    pages = int.from_bytes(head[28:32], "big")
    if size != (65536 if page_size == 1 else page_size) * pages:
        raise ArtifactError(f"{path} is truncated or damaged: {_HINT}")


def open_store(path: Path) -> SqliteStore:
    """The artifact at `path`, checked enough to trust: ArtifactError (one line) otherwise."""
    path = Path(path)
    check_header(path)
    try:
        db = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        meta = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM meta")}
    except (sqlite3.Error, ValueError) as exc:
        raise ArtifactError(f"{path} is not a readable KB ({exc}): {_HINT}") from None
    if meta.get("format") != FORMAT:
        raise ArtifactError(f"{path} is not a KB built by `python -m knowledge build`")
    version = (meta.get("format_version"), meta.get("schema"))
    if version != (FORMAT_VERSION, SCHEMA_VERSION):
        raise OldFormat(
            f"{path} is a KB of format {version[0]} / schema {version[1]}, this tilbot reads "
            f"format {FORMAT_VERSION} / schema {SCHEMA_VERSION}: {_HINT}"
        )
    return SqliteStore(db, meta, str(path))


def open_index(path: Path) -> Index:
    """A search index over the artifact at `path` (knowledge.search.Index)."""
    from knowledge.search import Index

    return Index(store=open_store(path))


def load(path: Path) -> KnowledgeBase:
    """The whole KB, every entry validated (for publishing and tools, not the cold path)."""
    store = open_store(path)
    return KnowledgeBase(
        digest=store.meta.get("digest", ""),
        entries=[Entry.model_validate_json(r) for r in store.records()],
        problems=[Problem.model_validate(p) for p in store.meta.get("problems", [])],
    )


def _entry(record: str) -> Entry:
    """An entry from its stored record, without validation: build validated it."""
    data = json.loads(record)
    data["code"] = [CodeBlock.model_construct(**c) for c in data["code"]]
    data["links"] = [Link.model_construct(**x) for x in data["links"]]
    data["images"] = [Image.model_construct(**x) for x in data["images"]]
    for key in ("date", "edited"):
        if data[key]:
            data[key] = dt.date.fromisoformat(data[key])
    return Entry.model_construct(**data)


class LazyEntries(Sequence[Entry]):
    """The entries of an artifact, each read from its row when asked for."""

    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    def __len__(self) -> int:
        return self._store.size

    @overload
    def __getitem__(self, i: int) -> Entry: ...
    @overload
    def __getitem__(self, i: slice) -> list[Entry]: ...
    def __getitem__(self, i: int | slice) -> Entry | list[Entry]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._store.size))]
        if i < 0:
            i += self._store.size
        if not 0 <= i < self._store.size:
            raise IndexError(i)
        return self._store.entry(i)

    def __iter__(self) -> Iterator[Entry]:
        # /til list and the daily tip read every entry: one pass over the table.
        for record in self._store.records():
            yield _entry(record)


class _Bucket(NamedTuple):
    """One row of the terms table, decoded: {term: (where its postings start, how many)}, and
    the postings (entry numbers as int32, field indexes as bytes)."""

    where: dict[str, tuple[int, int]]
    numbers: bytes
    fields: bytes


class SqliteStore:
    """knowledge.indexing.Store over an artifact: each look-up reads its rows when first asked."""

    def __init__(self, db: sqlite3.Connection, meta: dict[str, Any], name: str = "the KB") -> None:
        self._db = db
        self.name = name
        self._lock = threading.Lock()  # one connection, shared by a server's threads
        self.meta = meta
        self.size = int(meta["size"])
        self._weights = [float(w) for w in meta["weights"]]
        self.entries = LazyEntries(self)
        self._forms: dict[int, tuple[list[str], list[int]]] = {}
        self._vocabulary: dict[tuple[bool, int], list[str]] = {}
        # What was read stays decoded while the process answers (bounded: a 50k-entry KB must
        # fit a 512 MB Lambda).
        self._postings = functools.lru_cache(maxsize=512)(self._read_postings)
        self._entry = functools.lru_cache(maxsize=256)(self._read_entry)
        self._block_size = int(meta["block"])
        self._block = functools.lru_cache(maxsize=8)(self._read_block)
        self._buckets = int(meta["buckets"])
        self._bucket = functools.lru_cache(maxsize=4096)(self._read_bucket)
        self._titles: dict[int, tuple[str, TitleTokens]] = {}
        self._glosses = functools.lru_cache(maxsize=4096)(self._read_glosses)

    def query(self, sql: str, args: Iterable[object] = ()) -> list[Any]:
        with self._lock, self._reading():
            return self._db.execute(sql, tuple(args)).fetchall()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """Damage inside a file whose size is right is only met when its page is read (checking
        every page at open would make a cold start grow with the notes): say so in one line."""
        try:
            yield
        except ArtifactError:
            raise
        except _DAMAGE as exc:
            raise ArtifactError(
                f"{self.name} is damaged ({type(exc).__name__}: {str(exc)[:80]}): {_HINT}"
            ) from None

    def _one(self, sql: str, *args: object) -> Any:
        rows = self.query(sql, args)
        return rows[0][0] if rows else None

    def entry(self, i: int) -> Entry:
        return self._entry(i)

    def _json(self, text: str) -> Any:
        with self._reading():
            return json.loads(text)

    def _read_entry(self, i: int) -> Entry:
        with self._reading():
            return _entry(self._block(i // self._block_size)[i % self._block_size])

    def _read_block(self, block: int) -> list[str]:
        """The records of one block of entries."""
        data = self._one("SELECT data FROM records WHERE block = ?", block)
        with self._reading():
            return zlib.decompress(data).decode().split("\n")

    def records(self) -> Iterator[str]:
        """Every entry's record (JSON), in entry order."""
        for (data,) in self.query("SELECT data FROM records ORDER BY block"):
            with self._reading():
                records = zlib.decompress(data).decode().split("\n")
            yield from records

    # -- Store ------------------------------------------------------------------------------

    def df(self, term: str) -> int:
        found = self._bucket(_bucket_of(term, self._buckets)).where.get(term)
        return found[1] if found else 0

    def has(self, term: str) -> bool:
        return self.df(term) > 0

    def postings(self, term: str) -> dict[int, float]:
        return self._postings(term)

    def _read_postings(self, term: str) -> dict[int, float]:
        bucket = self._bucket(_bucket_of(term, self._buckets))
        found = bucket.where.get(term)
        if not found:
            return {}
        start, count = found
        numbers = array.array("i")
        with self._reading():
            numbers.frombytes(bucket.numbers[4 * start : 4 * (start + count)])
            fields = bucket.fields[start : start + count]
            return dict(zip(numbers, map(self._weights.__getitem__, fields), strict=True))

    def _read_bucket(self, bucket: int) -> _Bucket:
        rows = self.query(
            "SELECT terms, counts, entries, fields FROM terms WHERE bucket = ?", (bucket,)
        )
        if not rows:
            return _Bucket({}, b"", b"")
        terms, counts_blob, numbers, fields = rows[0]
        counts = array.array("i")
        with self._reading():
            counts.frombytes(counts_blob)
            starts = itertools.accumulate(counts, initial=0)
            where = dict(zip(terms.split("\n"), zip(starts, counts, strict=False), strict=True))
        return _Bucket(where, numbers, fields)

    def title_info(self, numbers: Iterable[int]) -> TitleInfo:
        wanted = list(dict.fromkeys(numbers))
        known = self._titles
        if len(known) + len(wanted) > 20_000:
            known.clear()  # bounded, and cheap to read again
        missing = [n for n in wanted if n not in known]
        for start in range(0, len(missing), 500):  # SQLite's bound-parameter limit
            chunk = missing[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT n, compact, title_stems FROM entries WHERE n IN ({marks})"
            for n, squashed, stems in self.query(sql, chunk):
                with self._reading():
                    known[n] = (squashed, _title_stems(stems))
        return {n: known[n] for n in wanted}

    def title_form_entries(self, form: str) -> list[int]:
        found = self._one("SELECT entries FROM title_forms WHERE form = ?", form)
        return self._json(found) if found else []

    def title_forms_of_length(self, length: int) -> tuple[list[str], list[int]]:
        if length not in self._forms:
            rows = self.query(
                "SELECT forms, ranks FROM title_form_lengths WHERE length = ?", (length,)
            )
            self._forms[length] = (
                (self._json(rows[0][0]), self._json(rows[0][1])) if rows else ([], [])
            )
        return self._forms[length]

    def vocabulary(self, hangul: bool, length: int) -> list[str]:
        key = (hangul, length)
        if key not in self._vocabulary:
            found = self._one(
                "SELECT words FROM vocabulary WHERE hangul = ? AND length = ?", int(hangul), length
            )
            self._vocabulary[key] = self._json(found) if found else []
        return self._vocabulary[key]

    def jamo_word(self, key: str) -> str:
        return str(self._one("SELECT word FROM jamo WHERE key = ?", key))

    def spelled(self, english: str) -> str:
        return str(self._one("SELECT hangul FROM spelled WHERE english = ?", english) or english)

    def choseong_words(self, key: str) -> list[str]:
        found = self._one("SELECT words FROM choseong WHERE key = ?", key)
        return self._json(found) if found else []

    def hangul_from(self, prefix: str, count: int) -> list[str]:
        sql = "SELECT word FROM hangul WHERE word >= ? ORDER BY word LIMIT ?"
        return [w for (w,) in self.query(sql, (prefix, count))]

    @functools.cached_property
    def _phonetic(self) -> dict[str, list[str]]:
        rows = self.query("SELECT key, words FROM phonetic ORDER BY rank")
        return {key: self._json(words) for key, words in rows}

    def phonetic(self) -> dict[str, list[str]]:
        return self._phonetic

    def titles(self, kind: str | None = None) -> list[str]:
        if kind is None:
            return [t for (t,) in self.query("SELECT title FROM entries ORDER BY n")]
        sql = "SELECT title FROM entries WHERE kind = ? ORDER BY n"
        return [t for (t,) in self.query(sql, (kind,))]

    def position(self, entry_id: str) -> int | None:
        found = self._one("SELECT n FROM entries WHERE id = ?", entry_id)
        return None if found is None else int(found)

    def glosses(self, key: str) -> tuple[str, ...]:
        return self._glosses(key)

    def _read_glosses(self, key: str) -> tuple[str, ...]:
        found = self._one("SELECT others FROM glosses WHERE term = ?", key)
        return tuple(found.split("\n")) if found else ()
