"""Benchmark (not a test): the site index of a built OUT folder, cold and incremental.

Takes the current publication and the one before it (build twice, e.g. with
``bench/generate.py`` and ``generate.edit_one_file`` in between) and writes the current
publication's index twice into a scratch folder: from the whole store (cold), and from the
previous index with only the changed entities redone (what an incremental build does).
Prints wall time, CPU time (with that of the helper process that compresses the cards)
and peak RSS of each (each in its own process), and checks
that both files and the build's own artefact are the same bytes.

    python bench/bench_siteindex.py OUT [--work DIR]
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _write(out: Path, target: Path, reuse: bool) -> dict[str, float]:
    """Write the index of ``out``'s current publication into ``target`` (in this process)."""
    from publisher.publication import Publication
    from publisher.siteindex import write_site_index

    current = Publication.current(out)
    if current is None:
        raise SystemExit(f"{out}: no current publication")
    older = sorted(p for p in (out / "publications").iterdir() if p.is_dir() and p != current.path)
    previous = Publication.load(older[-1]) if reuse and older else None
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
        previous=previous.path / "artefacts" / "site-index" if previous else None,
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="an OUT folder with two builds or more")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder")
    parser.add_argument("--one", choices=["cold", "incremental"], help=argparse.SUPPRESS)
    parser.add_argument("--target", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.out = args.out.resolve()  # (a relative OUT took the current publication as the previous)
    if args.one:
        print(json.dumps(_write(args.out, args.target, args.one == "incremental")))
        return 0
    from publisher.publication import Publication
    from publisher.siteindex import index_path

    work = Path(args.work or tempfile.mkdtemp(prefix="bench-siteindex-"))
    digests = {}
    for mode in ("cold", "incremental"):
        target = work / mode
        result = subprocess.run(
            [sys.executable, __file__, str(args.out), "--one", mode, "--target", str(target)],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        reused = "reused the previous rows" in result.stderr
        print(
            f"{mode:12} {figures['cpu']:6.2f} s CPU ({figures['wall']:6.2f} s wall; "
            f"{figures['helper_cpu']:5.2f} s of the CPU in a helper process)  "
            f"{figures['rss_mb']:5.0f} MB peak  changed={figures['changed']}"
            + ("  (rows reused)" if reused else "")
        )
        digests[mode] = _digest(target / "siteindex.sqlite")
    current = Publication.current(args.out)
    assert current is not None
    built = _digest(index_path(current.path))
    same = digests["cold"] == digests["incremental"] == built
    print(
        "same bytes: cold = incremental",
        digests["cold"] == digests["incremental"],
        "; = the build's artefact",
        digests["cold"] == built,
        "(differs if that build ran other code)",
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
