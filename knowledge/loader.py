"""Build a KnowledgeBase from a notes file or folder, or load a built one."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import os
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from knowledge import artifact, textutil
from knowledge.models import SCHEMA_VERSION, Entry, KnowledgeBase, Problem
from knowledge.search import Index

PACKAGE_DIR = Path(__file__).resolve().parent
NOTES_DIR = PACKAGE_DIR / "notes"
KB_PATH = PACKAGE_DIR / "kb.sqlite"
NOTE_SUFFIXES = {".md", ".markdown"}
_NOT_NOTES = {"node_modules"}  # folders of installed packages, never notes

log = logging.getLogger(__name__)


def note_files(notes: Path) -> list[Path]:
    """Markdown files under ``notes`` (or ``notes`` itself), in a stable order."""
    return _walk(notes)[0]


def _walk(notes: Path) -> tuple[list[Path], list[Problem]]:
    """Note files, following symlinked folders and files, and what could not be followed.

    A link back to a folder already being read (a loop) and a link to nothing are reported
    instead of read; hidden files and folders are skipped, and so are installed packages
    (``node_modules``): a practice project committed with them holds thousands of READMEs
    that are no one's notes."""
    if notes.is_file():
        return [notes], []
    if not notes.is_dir():
        raise FileNotFoundError(f"no notes at {notes}")
    files: list[Path] = []
    problems: list[Problem] = []
    seen = {os.path.realpath(notes)}
    for folder, dirs, names in os.walk(notes, followlinks=True):
        here = Path(folder)
        kept = []
        # Real folders before links to them, so a note is named by its own path when it can be.
        for name in sorted(dirs, key=lambda d: ((here / d).is_symlink(), d)):
            path = here / name
            real = os.path.realpath(path)
            if name.startswith(".") or name in _NOT_NOTES:
                continue
            if real in seen:
                problems.append(
                    _link_problem(
                        path, notes, "links to a folder already read (a loop or a second path)"
                    )
                )
                continue
            seen.add(real)
            kept.append(name)
        dirs[:] = kept
        for name in names:
            path = here / name
            if name.startswith(".") or path.suffix.lower() not in NOTE_SUFFIXES:
                continue
            if path.is_file():
                files.append(path)
            elif path.is_symlink():
                problems.append(_link_problem(path, notes, "symlink to nothing"))
    # A name stored composed comes before the same name stored decomposed: it is the one that
    # keeps the name people type (`build_kb`).
    files.sort(key=lambda p: (name := _relative(p, notes), name != _stored(p, notes)))
    return files, sorted(problems, key=lambda p: p.source)


def _link_problem(path: Path, notes: Path, message: str) -> Problem:
    return Problem(
        source=_relative(path, notes),
        line=0,
        message=f"{message} ({os.readlink(path) if path.is_symlink() else path}); skipped",
        level="warning",
    )


def _relative(path: Path, root: Path) -> str:
    """The note's name in the KB. NFC, as its text is: a folder made on macOS is often stored
    decomposed (NFD), and its name would then match no question typed, nor the same note's
    name from a Linux checkout."""
    return unicodedata.normalize("NFC", _stored(path, root))


def _stored(path: Path, root: Path) -> str:
    """The note's name as the file system has it."""
    return path.name if root.is_file() else path.relative_to(root).as_posix()


def digest(notes: Path) -> str:
    """A hash of the notes' names and bytes: a built KB with another digest is stale."""
    h = hashlib.sha256()
    for path in note_files(notes):
        h.update(_relative(path, notes).encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"<unreadable>")
    return h.hexdigest()


def build_kb(
    notes: Path = NOTES_DIR,
    progress: Callable[[Iterable[Path], int], Iterable[Path]] | None = None,
    edits: dict[str, tuple[dt.date, str]] | None = None,
) -> KnowledgeBase:
    """Parse every note; one bad note becomes a Problem and the others still load. `edits`
    is the notes' git history (`last_edits`), read here when not given."""
    from knowledge.history import last_edits  # git's history: only a build reads it
    from knowledge.parser import NoteError, parse_note

    files, problems = _walk(notes)
    if not files:
        raise FileNotFoundError(f"no markdown notes (*.md) in {notes}")
    entries: list[Entry] = []
    h = hashlib.sha256()
    if edits is None:
        edits = last_edits(notes)
    named: dict[str, Path] = {}
    for path in progress(files, len(files)) if progress else files:
        source = _relative(path, notes)
        if source in named:
            # Two files whose names differ only in how Unicode composes them (정상윤.md saved on
            # macOS beside one saved on Linux): one name for both would point at the wrong file.
            # The second keeps its name as stored, and the owner is told.
            raw = _stored(path, notes)
            problems.append(
                Problem(
                    source=raw,
                    line=0,
                    message="has the same name as another note once Unicode is composed "
                    "(NFC; macOS stores names decomposed): both are kept, this one under its "
                    "name as stored; rename one",
                    level="warning",
                )
            )
            source = raw
        named[source] = path
        h.update(source.encode() + b"\0")
        try:
            h.update(path.read_bytes())
            folder = Path(source).parent.as_posix()
            category = textutil.drop_page_ids(folder) if folder != "." else ""
            file_entries, file_problems = parse_note(path, source, category)
        except NoteError as exc:
            problems.append(exc.problem)
            continue
        except OSError as exc:
            problems.append(Problem(source=source, line=0, message=f"cannot read: {exc.strerror}"))
            continue
        if not category:
            # A note at the top of the folder is its own topic group: name it by its title.
            category = file_entries[0].title if file_entries else Path(source).stem
            file_entries = [e.model_copy(update={"category": category}) for e in file_entries]
        if source in edits:
            edited, author = edits[source]
            update = {"edited": edited, "author": author or None}
            file_entries = [e.model_copy(update=update) for e in file_entries]
        entries += file_entries
        problems += file_problems
    if not entries:
        # A KB with nothing in it answers nothing: say why here, not as a damaged file later.
        raise FileNotFoundError(_nothing_found(notes, problems))
    return KnowledgeBase(
        version=SCHEMA_VERSION, digest=h.hexdigest(), entries=entries, problems=problems
    )


def _nothing_found(notes: Path, problems: list[Problem], shown: int = 3) -> str:
    why = "; ".join(str(p) for p in problems[:shown])
    more = f" (and {len(problems) - shown} more)" if len(problems) > shown else ""
    return f"no note in {notes} has content to answer from" + (f": {why}{more}" if why else "")


def load_kb(path: Path) -> KnowledgeBase:
    """A built KB artifact with every entry validated (publishing, tools; not the cold path)."""
    return artifact.load(path)


def load_kb_text(text: str | bytes) -> KnowledgeBase:
    """A KB from its JSON form (`KnowledgeBase.to_json`), validated."""
    return KnowledgeBase.model_validate_json(text)


def default_index(notes: Path = NOTES_DIR, kb_path: Path = KB_PATH) -> Index:
    """The bundled KB: knowledge/kb.sqlite when it matches knowledge/notes, else built now.

    A deployment package may carry the artifact without the markdown (Zappa excludes *.md):
    then the built KB is all there is, and it is trusted."""
    notes_present = notes.is_dir() and bool(note_files(notes))
    if kb_path.exists():
        try:
            store = artifact.open_store(kb_path)
            if not notes_present or store.meta.get("digest") == digest(notes):
                return Index(store=store)
        except artifact.OldFormat:
            # Built by an earlier tilbot from these notes: out of date as an edited note makes
            # it, and read from the notes the same way, without a warning at every start.
            if not notes_present:
                raise
        except artifact.ArtifactError as exc:
            if not notes_present:
                raise
            # The notes are the truth: a broken artifact next to them is rebuilt from them.
            log.warning("%s; answering from the notes in %s", exc, notes)
    if not notes_present:
        raise FileNotFoundError(
            f"no notes in {notes} and no built KB at {kb_path}: "
            "run `python -m knowledge build` or set TIL_NOTES"
        )
    return Index(build_kb(notes).entries)


def cache_dir() -> Path:
    """Where built artifacts of notes folders are kept (TIL_KB_CACHE, else ~/.cache/tilbot)."""
    configured = os.environ.get("TIL_KB_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tilbot" / "kb"


# Built notes kept in the cache: enough for a few folders or branches asked about in turn.
CACHE_KEEP = 4


@functools.cache
def _code_digest() -> str:
    """A hash of what turns notes into a KB besides the notes: this package's code and data
    (a change to the parser or the index makes earlier builds stale, format or not)."""
    h = hashlib.sha256()
    for path in sorted([*PACKAGE_DIR.glob("*.py"), *(PACKAGE_DIR / "data").glob("*.tsv")]):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def cache_key(notes: Path, edits: dict[str, tuple[dt.date, str]]) -> str:
    """What a built KB of `notes` depends on: the notes' names and bytes, their git history
    (the date and author of each note's last edit are in its entries), and this tilbot."""
    h = hashlib.sha256(f"{artifact.FORMAT_VERSION}/{SCHEMA_VERSION}/{_code_digest()}".encode())
    h.update(digest(notes).encode())
    for source, (date, author) in sorted(edits.items()):
        h.update(f"\0{source}\0{date.isoformat()}\0{author}".encode())
    return h.hexdigest()[:32]


def notes_index(
    notes: Path, progress: Callable[[Iterable[Path], int], Iterable[Path]] | None = None
) -> Index:
    """The index of a notes file or folder, through an artifact cached under `cache_key`:
    asking again about unchanged notes opens it instead of parsing every note (`progress`
    wraps the notes when they are parsed). The cache keeps the last `CACHE_KEEP` builds."""
    from knowledge.history import last_edits

    edits = last_edits(notes)
    cached = cache_dir() / f"notes-{cache_key(notes, edits)}.sqlite"
    if cached.exists():
        try:
            store = artifact.open_store(cached)
            _say_problems(notes, [p.get("level", "error") for p in store.meta.get("problems", [])])
            return Index(store=store)
        except artifact.ArtifactError as exc:
            log.warning("%s; building the notes again", exc)
    kb = build_kb(notes, progress, edits)
    _say_problems(notes, [p.level for p in kb.problems])
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        artifact.write(kb, cached)
    except OSError as exc:  # a read-only home: answer without a cache
        log.warning("cannot cache the built notes in %s (%s)", cached.parent, exc.strerror)
        return Index(kb.entries)
    _prune_cache(cached.parent, keep=cached)
    return Index(store=artifact.open_store(cached))


def _say_problems(notes: Path, levels: list[str]) -> None:
    """One line when notes are read in part or not at all: answers then miss what they hold,
    and the asker should know where to look (`check` lists each with its file and line)."""
    if not levels:
        return
    errors = levels.count("error")
    counts = ", ".join(
        f"{n} {word}{'' if n == 1 else 's'}"
        for n, word in ((errors, "error"), (len(levels) - errors, "warning"))
        if n
    )
    log.warning(
        "%s in the notes %s: `python -m knowledge check --notes %s` says where",
        counts,
        notes,
        notes,
    )


def _prune_cache(folder: Path, keep: Path) -> None:
    """Remove all but the newest `CACHE_KEEP` built notes (`keep` among them)."""

    def built_at(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:  # removed meanwhile by another process
            return 0.0

    older = sorted((p for p in folder.glob("notes-*.sqlite") if p != keep), key=built_at)
    for path in older[: max(len(older) - (CACHE_KEEP - 1), 0)]:
        path.unlink(missing_ok=True)


def load_index(
    notes: Path | None = None,
    kb: Path | None = None,
    progress: Callable[[Iterable[Path], int], Iterable[Path]] | None = None,
) -> Index:
    """The search index over ``notes`` (file or folder; `progress` wraps them when they are
    parsed), a built ``kb`` artifact, or the bundled one. A ``kb`` that is not an artifact this
    version reads raises ArtifactError (a ValueError with a one-line message)."""
    if notes is not None:
        return notes_index(Path(notes), progress)
    if kb is not None:
        return Index(store=artifact.open_store(Path(kb)))
    return default_index()
