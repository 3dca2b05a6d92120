"""Benchmark (not a test): the build artefacts ``void`` and ``feed`` of a publication, run
again outside the build, the way the build ran them and with nothing to reuse.

Give it a build output folder whose current publication was built over a previous one
(for example after ``generate.edit_one_file`` and a second ``avoinkunta build``). For each
artefact it runs, into temporary folders:

* ``cold``: what a first build writes (no previous publication at all: the feed starts a
  new history, VoID counts the whole store), over the previous publication when that one
  was a first build (so its published files are the reference), else over the current one
  (bytes then checked only for VoID, whose files do not depend on history);
* ``full``: the current publication with its previous one but no ``previous_folder``
  (the feed recomputes every entity's payload, VoID counts the whole store; the feed still
  starts from the previous feed's history, as it always does);
* ``reuse``: the context the build gave (``previous_folder`` when the previous publication
  was built by the same code under the same base URI): an incremental build,

prints wall and CPU seconds of each (CPU = user + system of this process: the artefacts
run in it) and of the manifest's hashes of its files that the build computes next (within
the build's figure for the artefact), and checks that each gives byte for byte the files the
build published.
A folder holding one first build only gets the ``cold`` runs. The feed's ``reuse`` run reuses
the previous feed's state only when that state is laid out as this code writes it
(``publisher.feed.state``; said on the line otherwise): measure on two publications built by
this code.

    python bench/bench_artefacts.py OUT [--only void feed] [--modes cold full reuse]
                                        [--profile FILE]
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

from publisher.artefacts import ARTEFACTS, ArtefactContext, _files, _linked_from  # noqa: E402
from publisher.build import _changed  # noqa: E402
from publisher.config import Settings  # noqa: E402
from publisher.fingerprint import code_version  # noqa: E402
from publisher.publication import PREVIOUS, Publication  # noqa: E402
from publisher.uris import UriScheme  # noqa: E402


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _context(name: str, folder: Path, current: Publication, previous: Publication | None) -> Any:
    reusable = (
        previous is not None
        and previous.manifest.get("code_version") == current.manifest.get("code_version")
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
        previous_folder=previous.artefact(name) if previous is not None and reusable else None,
        changed=_changed(previous.ledger if previous is not None else {}, current.ledger),
        settings=Settings(base_uri=current.base_uri),
        uris=UriScheme(current.base_uri),
        code_version=code_version(),
    )


def _worker_cpu(name: str) -> float:
    """CPU seconds the artefact's worker processes took in its last run (the feed's)."""
    if name != "feed":
        return 0.0
    from publisher.feed import artefact

    used, artefact.worker_cpu = artefact.worker_cpu, 0.0
    return used


def _differing_files(a: Path, b: Path) -> list[str]:
    """The files of ``a`` and ``b`` (recursively) that are not byte for byte the same."""
    names = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    others = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    common = sorted(names & others)
    _match, mismatch, errors = filecmp.cmpfiles(a, b, common, shallow=False)
    return sorted((names ^ others) | set(mismatch) | set(errors))


def _same_feed_state(a: Path, b: Path) -> bool:
    """Do two feed states say the same (entities, pages, last activity), whatever the
    layout of the file (the reference may have been written by earlier code)?"""
    import json

    def said(path: Path) -> tuple[object, ...]:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data.get("entities"), data.get("pages"), data.get("last_published")

    return said(a / "state.json") == said(b / "state.json")


def _feed_state_reusable(previous: Publication | None) -> bool:
    """Can the feed reuse the previous feed's state (laid out as this code writes it)? A
    pair built by code before that layout gives a whole computation in ``reuse`` mode."""
    from publisher.feed import state

    folder = previous.artefact("feed") if previous is not None else None
    if folder is None or not (folder / "state.json").is_file():
        return False
    with open(folder / "state.json", encoding="utf-8") as handle:
        return handle.read(len(state.HEAD)) == state.HEAD


def _verdict(name: str, folder: Path, reference: Path) -> tuple[bool, str]:
    differing = _differing_files(folder, reference)
    if not differing:
        return True, "same bytes as published"
    if name == "feed" and differing == ["state.json"] and _same_feed_state(folder, reference):
        return True, "same bytes as published but state.json's layout (same state)"
    return False, f"DIFFERS from published: {', '.join(differing[:5])}"


Run = tuple[str, Publication, Publication | None, bool, Path | None]


def _runs(
    name: str, modes: list[str], current: Publication, previous: Publication | None
) -> list[Run]:
    """(mode, publication to write it for, its previous one, reuse allowed, reference)."""
    runs: list[Run] = []
    for mode in modes:
        if mode == "cold":
            # A first build's published files are what a cold run must give again.
            first = (
                previous if previous is not None and not previous.manifest.get("previous") else None
            )
            target = first or current
            history_free = name != "feed" or not target.manifest.get("previous")
            reference = target.artefact(name) if history_free else None
            runs.append((mode, target, None, False, reference))
        elif previous is not None:
            runs.append((mode, current, previous, mode == "reuse", current.artefact(name)))
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="a build's output folder (current + previous)")
    parser.add_argument("--only", nargs="*", default=["void", "feed"])
    parser.add_argument("--modes", nargs="*", default=["cold", "full", "reuse"])
    parser.add_argument("--profile", type=Path, help="write a cProfile of the runs")
    args = parser.parse_args()
    current = Publication.current(args.out)
    if current is None:
        print(f"{args.out}: has no current publication", file=sys.stderr)
        return 2
    previous = (
        Publication.load((args.out / PREVIOUS).resolve())
        if (args.out / PREVIOUS).exists()
        else None
    )
    artefacts = {a.name: a for a in ARTEFACTS}
    profiler = cProfile.Profile() if args.profile else None
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-artefacts-") as temporary:
        for name in args.only:
            write = artefacts[name].load()
            for mode, target, before, reuse, reference in _runs(
                name, args.modes, current, previous
            ):
                folder = Path(temporary) / name / mode
                folder.mkdir(parents=True)
                context = _context(name, folder, target, before)
                if not reuse:
                    context = dataclasses.replace(context, previous_folder=None)
                wall, cpu = time.perf_counter(), _cpu()
                if profiler is not None:
                    profiler.runcall(write, context)
                else:
                    write(context)
                wall, cpu = time.perf_counter() - wall, _cpu() - cpu
                # What the build does next, inside its timing of the artefact: the manifest's
                # sizes and hashes of the files (those linked from ``before`` taken from its
                # manifest).
                listed, listed_cpu = time.perf_counter(), _cpu()
                _files(folder, _linked_from(before, name))
                listed, listed_cpu = time.perf_counter() - listed, _cpu() - listed_cpu
                if reference is None:
                    verdict = "bytes not checked (no first build to compare with)"
                else:
                    same, verdict = _verdict(name, folder, reference)
                    ok = ok and same
                if reuse and name == "feed" and not _feed_state_reusable(before):
                    verdict += "  (previous feed's state.json of an earlier layout: computed whole)"
                workers = _worker_cpu(name)
                if workers:
                    verdict += f"  (+ {workers:.2f} s CPU in worker processes)"
                print(
                    f"{name:5} {mode:5} {wall:7.2f} s wall {cpu:7.2f} s CPU"
                    f"  (+ manifest hashes {listed:.2f} s wall {listed_cpu:.2f} s CPU)  {verdict}",
                    flush=True,
                )
    if profiler is not None:
        profiler.dump_stats(str(args.profile))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
