"""Benchmark (not a test): the site index of a built OUT folder, cold and incremental.

Takes the current publication and the one before it (build twice, e.g. with
``bench/generate.py`` and ``generate.edit_one_file`` in between) and writes the current
publication's index twice into a scratch folder: from the whole store (cold), and from the
previous index with only the changed entities redone (what an incremental build does).
The previous index is first written anew by this code (cold, from the previous
publication's store: an index of other code is not reused), unless ``--as-built``.
Prints wall time, CPU time (with that of the helper process that compresses the cards)
and peak RSS of each (each in its own process), and checks
that both files and the build's own artefact are the same bytes.

    python bench/bench_siteindex.py OUT [--work DIR] [--as-built] [--runs N]

``--runs N`` writes the incremental index N times (the figure to compare is its best
wall time, printed last).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _publications(out: Path) -> tuple[Any, Any]:
    """The current publication of ``out`` and the one before it (None if none)."""
    from publisher.publication import Publication

    current = Publication.current(out)
    if current is None:
        raise SystemExit(f"{out}: no current publication")
    older = sorted(p for p in (out / "publications").iterdir() if p.is_dir() and p != current.path)
    return current, Publication.load(older[-1]) if older else None


def _write(
    out: Path,
    target: Path,
    reuse: bool,
    previous_index: Path | None = None,
    of_previous: bool = False,
) -> dict[str, float]:
    """Write the index of ``out``'s current publication (``of_previous``: of the one
    before) into ``target`` (in this process); ``reuse``: from the previous one's index
    (``previous_index``: that folder instead of its artefact)."""
    from publisher.siteindex import write_site_index

    current, previous = _publications(out)
    if of_previous:
        current, previous = previous, None
    if not reuse:
        previous = None
    ledger = current.ledger
    changed = None
    if previous is not None:
        before = previous.ledger
        changed = frozenset(
            iri for iri in before.keys() | ledger.keys() if before.get(iri) != ledger.get(iri)
        )
    target.mkdir(parents=True, exist_ok=True)
    wall, cpu = time.perf_counter(), time.process_time()
    write_site_index(
        target,
        store_path=current.store_path,
        base_uri=current.base_uri,
        ledger=ledger,
        previous=(previous_index or previous.path / "artefacts" / "site-index")
        if previous
        else None,
        dump=current.dumps_dir / "avoinkunta.nq",
        changed=changed,
        previous_store=previous.store_path if previous else None,
        progress=lambda m: print(m, file=sys.stderr),
    )
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the card packer's
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu + helpers.ru_utime + helpers.ru_stime,
        "helper_cpu": helpers.ru_utime + helpers.ru_stime,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "changed": len(changed or ()),
    }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(args: argparse.Namespace, mode: str, target: Path, *extra: str) -> dict[str, Any]:
    """One write in its own process; its figures, printed."""
    result = subprocess.run(
        [sys.executable, __file__, str(args.out), "--one", mode, "--target", str(target), *extra],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    reused = "reused the previous rows" in result.stderr
    if args.verbose:
        print(result.stderr, end="")
    print(
        f"{mode:12} {figures['cpu']:6.2f} s CPU ({figures['wall']:6.2f} s wall; "
        f"{figures['helper_cpu']:5.2f} s of the CPU in a helper process)  "
        f"{figures['rss_mb']:5.0f} MB peak  changed={figures['changed']}"
        + ("  (rows reused)" if reused else ""),
        flush=True,
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="an OUT folder with two builds or more")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder")
    parser.add_argument(
        "--as-built",
        action="store_true",
        help="reuse the previous publication's own index (built by other code: not reused)",
    )
    parser.add_argument("--runs", type=int, default=1, help="incremental writes (best is kept)")
    parser.add_argument("--verbose", action="store_true", help="print the steps of each write")
    parser.add_argument(
        "--one", choices=["cold", "incremental", "previous"], help=argparse.SUPPRESS
    )
    parser.add_argument("--target", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--previous-index", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.out = args.out.resolve()  # (a relative OUT took the current publication as the previous)
    if args.one:
        figures = _write(
            args.out,
            args.target,
            args.one == "incremental",
            args.previous_index,
            of_previous=args.one == "previous",
        )
        print(json.dumps(figures))
        return 0
    from publisher.siteindex import index_path

    work = Path(args.work or tempfile.mkdtemp(prefix="bench-siteindex-")).resolve()
    extra: list[str] = []
    if not args.as_built:
        _run(args, "previous", work / "previous")
        extra = ["--previous-index", str(work / "previous")]
    cold = _run(args, "cold", work / "cold")
    digests = {"cold": _digest(work / "cold" / "siteindex.sqlite")}
    walls, cpus = [], []
    for run in range(args.runs):
        target = work / f"incremental-{run}"
        figures = _run(args, "incremental", target, *extra)
        walls.append(figures["wall"])
        cpus.append(figures["cpu"])
        digests[target.name] = _digest(target / "siteindex.sqlite")
    current, _previous = _publications(args.out)
    built = _digest(index_path(current.path))
    same = len(set(digests.values())) == 1
    print(
        "same bytes: cold = incremental",
        same,
        "; = the build's artefact",
        digests["cold"] == built,
        "(differs if that build ran other code)",
    )
    print(
        f"SITE INDEX incremental best {min(walls):.2f} s wall, {min(cpus):.2f} s CPU "
        f"(of {args.runs}); cold {cold['wall']:.2f} s wall, {cold['cpu']:.2f} s CPU"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
