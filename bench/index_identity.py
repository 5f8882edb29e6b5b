"""Does this checkout build the same index as another revision? For speed work on the build.

    python bench/index_identity.py [--base origin/main] [--workers N] [FOLDER ...]

Each folder of ``../shared/corpora`` named, or any folder given by its path (by default three
small ones; ``.`` is all seven as one KB) is built by a fresh process with this checkout's code
and by one with ``--base``'s (a temporary git worktree): every table of the in-memory index is compared (terms and their
postings, vocabulary, title forms, jamo, spellings, initial consonants, sound keys), and the
artifacts written from them byte for byte. Prints each folder's index ms/entry for both, wall
and CPU (the CPU of worker processes counted); exits 1 on any difference. ``--workers N`` builds
this checkout's index with N processes (the base's with its default).
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
DEFAULT = ["1yangsh__TIL", "leeky940926__dev-log", "jbranchaud__til"]

# One fresh process: build the folder's index with the `knowledge` on PYTHONPATH, pickle its
# tables (dicts as lists of items, so their order is compared too) and write the artifact.
DUMP = r"""
import json, os, pickle, sys, time
from pathlib import Path
from knowledge import artifact
from knowledge.loader import build_kb
kb = build_kb(Path(sys.argv[1]))
def cpu_s():
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
cpu, wall = cpu_s(), time.perf_counter()
workers = int(sys.argv[4])
store = artifact.build_store(kb, workers=workers) if workers > 1 else artifact.build_store(kb)
cpu, wall = cpu_s() - cpu, time.perf_counter() - wall
tables = {
    "size": store.size, "levels": store.levels, "table": store.table, "words": store.words,
    "title_tokens": [[sorted(s) for s in t] for t in store.title_tokens],
    "title_compact": store.title_compact, "hangul_sorted": store.hangul_sorted,
}
for name in ("title_forms", "forms_by_length", "latin_by_len", "hangul_by_len",
             "jamo_to_word", "spelled_as", "choseong_map"):
    tables[name] = list(getattr(store, name).items())
tables["phonetic"] = list(store.phonetic().items())
Path(sys.argv[2]).write_bytes(pickle.dumps(tables))
artifact.save(kb, store, Path(sys.argv[3]))
print(json.dumps({"entries": store.size, "wall_ms_per_entry": round(wall * 1000 / store.size, 3),
                  "cpu_ms_per_entry": round(cpu * 1000 / store.size, 3)}))
"""


def build(
    code: Path, folder: Path, out: Path, workers: int
) -> tuple[dict[str, object], bytes, str]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    # Run in the code's folder: `python -c` puts the working folder before PYTHONPATH, so
    # from a checkout's root both builds would import that checkout's `knowledge`.
    done = subprocess.run(
        [sys.executable, "-c", DUMP, str(folder), str(out / "tables"), str(out / "kb.sqlite"),
         str(workers)],
        env=env, cwd=code, capture_output=True, text=True, check=True,
    )  # fmt: skip
    tables = pickle.loads((out / "tables").read_bytes())
    return tables, (out / "kb.sqlite").read_bytes(), done.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="origin/main", help="the revision to compare with")
    parser.add_argument("--workers", type=int, default=1, help="processes for this checkout")
    parser.add_argument("folders", nargs="*", default=DEFAULT)
    args = parser.parse_args()
    differ = 0
    with tempfile.TemporaryDirectory(prefix="index-identity-") as scratch:
        base = Path(scratch) / "base"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(base), args.base],
            check=True,
        )
        try:
            for name in args.folders:
                found = {}
                folder = (CORPORA / name).resolve()
                for label, code, workers in (("base", base, 1), ("this", REPO, args.workers)):
                    # Scratch named by the folder's last part: a folder given as a path (an
                    # unseen set's) must not put the scratch beside it.
                    out = Path(scratch) / f"{folder.name}-{label}"
                    out.mkdir()
                    found[label] = build(code, folder, out, workers)
                (old, old_bytes, old_time), (new, new_bytes, new_time) = found.values()
                # The terms table is filled from sets, so its order follows PYTHONHASHSEED.
                old["table"], new["table"] = dict(old["table"]), dict(new["table"])  # type: ignore[call-overload]
                bad = [k for k in old if old[k] != new[k]]
                if old_bytes != new_bytes:
                    bad.append("artifact bytes")
                differ += bool(bad)
                print(f"{name}: {'differ: ' + ', '.join(bad) if bad else 'same'}")
                print(f"  {args.base}: {old_time}\n  this:  {new_time}")
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base)])
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
