"""Build a KnowledgeBase from a notes file or folder, or load a built one."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from knowledge.history import last_edits
from knowledge.models import SCHEMA_VERSION, Entry, KnowledgeBase, Problem
from knowledge.search import Index

PACKAGE_DIR = Path(__file__).resolve().parent
NOTES_DIR = PACKAGE_DIR / "notes"
KB_PATH = PACKAGE_DIR / "kb.json"
NOTE_SUFFIXES = {".md", ".markdown"}


def note_files(notes: Path) -> list[Path]:
    """Markdown files under ``notes`` (or ``notes`` itself), in a stable order."""
    return _walk(notes)[0]


def _walk(notes: Path) -> tuple[list[Path], list[Problem]]:
    """Note files, following symlinked folders and files, and what could not be followed.

    A link back to a folder already being read (a loop) and a link to nothing are reported
    instead of read; hidden files and folders are skipped."""
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
            if name.startswith("."):
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
    files.sort(key=lambda p: p.relative_to(notes).as_posix())
    return files, sorted(problems, key=lambda p: p.source)


def _link_problem(path: Path, notes: Path, message: str) -> Problem:
    return Problem(
        source=path.relative_to(notes).as_posix(),
        line=0,
        message=f"{message} ({os.readlink(path) if path.is_symlink() else path}); skipped",
        level="warning",
    )


def _relative(path: Path, root: Path) -> str:
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
) -> KnowledgeBase:
    """Parse every note; one bad note becomes a Problem and the others still load."""
    from knowledge.parser import NoteError, parse_note

    files, problems = _walk(notes)
    if not files:
        raise FileNotFoundError(f"no markdown notes (*.md) in {notes}")
    entries: list[Entry] = []
    h = hashlib.sha256()
    edits = last_edits(notes)
    for path in progress(files, len(files)) if progress else files:
        source = _relative(path, notes)
        h.update(source.encode() + b"\0")
        try:
            h.update(path.read_bytes())
            folder = Path(source).parent.as_posix()
            category = folder if folder != "." else ""
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
    return KnowledgeBase(
        version=SCHEMA_VERSION, digest=h.hexdigest(), entries=entries, problems=problems
    )


def load_kb(path: Path) -> KnowledgeBase:
    """A built KB from JSON (validated: a hand-edited or truncated file is refused)."""
    return KnowledgeBase.model_validate_json(path.read_bytes())


def load_kb_text(text: str | bytes) -> KnowledgeBase:
    return KnowledgeBase.model_validate_json(text)


def default_kb(notes: Path = NOTES_DIR, kb_path: Path = KB_PATH) -> KnowledgeBase:
    """The bundled KB: knowledge/kb.json when it matches knowledge/notes, else built now.

    A deployment package may carry kb.json without the markdown (Zappa excludes *.md): then the
    built KB is all there is, and it is trusted."""
    notes_present = notes.is_dir() and bool(note_files(notes))
    if kb_path.exists():
        try:
            head = json.loads(kb_path.read_bytes())
            fresh = head.get("version") == SCHEMA_VERSION and (
                not notes_present or head.get("digest") == digest(notes)
            )
            if fresh:
                return KnowledgeBase.model_validate(head)
        except ValueError:
            if not notes_present:
                raise
            # A broken artifact is rebuilt from the notes, which are the truth.
    if not notes_present:
        raise FileNotFoundError(
            f"no notes in {notes} and no built KB at {kb_path}: "
            "run `python -m knowledge build` or set TIL_NOTES"
        )
    return build_kb(notes)


def load_index(notes: Path | None = None, kb: Path | None = None) -> Index:
    """The search index over ``notes`` (file or folder), a built ``kb`` JSON, or the default."""
    if notes is not None:
        return Index(build_kb(Path(notes)).entries)
    if kb is not None:
        return Index(load_kb(Path(kb)).entries)
    return Index(default_kb().entries)
