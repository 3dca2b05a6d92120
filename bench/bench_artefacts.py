"""Benchmark (not a test): the build artefacts ``void`` and ``feed`` of a publication, run
again outside the build, the way the build ran them and with nothing to reuse.

Give it a build output folder whose current publication was built over a previous one
(for example after ``generate.edit_one_file`` and a second ``avoinkunta build``). For each
artefact it runs, into temporary folders:

* ``reuse``: the context the build gave (``previous_folder`` when the previous publication
  was built by the same code under the same base URI);
* ``full``: the same without ``previous_folder`` (the feed recomputes every entity's
  payload, VoID counts the whole store; the feed still starts from the previous feed's
  history, as it always does),

prints wall and CPU seconds of each (CPU = user + system of this process: the artefacts
run in it), and checks that both give byte for byte the files the build published.

    python bench/bench_artefacts.py OUT [--only void feed] [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import filecmp
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from publisher.artefacts import ARTEFACTS, ArtefactContext  # noqa: E402
from publisher.build import _changed  # noqa: E402
from publisher.config import Settings  # noqa: E402
from publisher.fingerprint import code_version  # noqa: E402
from publisher.publication import PREVIOUS, Publication  # noqa: E402
from publisher.uris import UriScheme  # noqa: E402


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _context(name: str, folder: Path, current: Publication, previous: Publication) -> Any:
    reusable = (
        previous.manifest.get("code_version") == current.manifest.get("code_version")
        and previous.base_uri == current.base_uri
    )

    def no_records() -> None:
        raise RuntimeError("the benchmark gives no records")

    return ArtefactContext(
        name=name,
        folder=folder,
        publication_dir=current.path,
        load_records=no_records,
        ledger=current.ledger,
        store_path=current.store_path,
        previous=previous,
        previous_folder=previous.artefact(name) if reusable else None,
        changed=_changed(previous.ledger, current.ledger),
        settings=Settings(base_uri=current.base_uri),
        uris=UriScheme(current.base_uri),
        code_version=code_version(),
    )


def _same_files(a: Path, b: Path) -> bool:
    names = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    others = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    if names != others:
        return False
    _match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="a build's output folder (current + previous)")
    parser.add_argument("--only", nargs="*", default=["void", "feed"])
    parser.add_argument("--profile", type=Path, help="write a cProfile of the reuse runs")
    args = parser.parse_args()
    current = Publication.current(args.out)
    if current is None or not (args.out / PREVIOUS).exists():
        print(f"{args.out}: needs a current and a previous publication", file=sys.stderr)
        return 2
    previous = Publication.load((args.out / PREVIOUS).resolve())
    artefacts = {a.name: a for a in ARTEFACTS}
    profiler = cProfile.Profile() if args.profile else None
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-artefacts-") as temporary:
        for name in args.only:
            write = artefacts[name].load()
            published = current.artefact(name)
            for mode in ("reuse", "full"):
                folder = Path(temporary) / name / mode
                folder.mkdir(parents=True)
                context = _context(name, folder, current, previous)
                if mode == "full":
                    context = dataclasses.replace(context, previous_folder=None)
                wall, cpu = time.perf_counter(), _cpu()
                if profiler is not None and mode == "reuse":
                    profiler.runcall(write, context)
                else:
                    write(context)
                wall, cpu = time.perf_counter() - wall, _cpu() - cpu
                same = published is not None and _same_files(folder, published)
                ok = ok and same
                print(
                    f"{name:5} {mode:5} {wall:7.2f} s wall {cpu:7.2f} s CPU  "
                    f"{'same bytes as published' if same else 'DIFFERS from published'}"
                )
    if profiler is not None:
        profiler.dump_stats(str(args.profile))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
