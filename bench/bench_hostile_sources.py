"""Benchmark: how long and how much memory `avoinkunta validate` takes to refuse each kind of
hostile source file, against validating the same (valid) fixture as the floor.

    python bench/bench_hostile_sources.py

Prints, per case: the exit code, wall seconds, CPU seconds (user+sys of the child, from
``os.wait4``) and the child's peak RSS (VmHWM of its own memory map, written at exit).
Issue 10 asks for exit 1, at most 5 s and 200 MB.
The valid fixture goes through SHACL as well, so it costs more than a refusal.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
MINIMAL = PROJECT / "tests" / "fixtures" / "minimal"
SUPPLIER = Path("suppliers") / "esimerkki.yaml"
TITLE = "title: {fi: Esimerkkikartta, en: Example Map}"


def _replace(old: str, new: str) -> Callable[[Path], None]:
    def edit(data: Path) -> None:
        path = data / SUPPLIER
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    return edit


def _alias_bomb(data: Path) -> None:
    lines = ['x:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    for i in range(8):
        name, previous = chr(98 + i), chr(97 + i)
        lines.append(f"  {name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n")
    _replace("supplier:\n", "".join(lines) + "supplier:\n")(data)


def _big_file(data: Path) -> None:
    with open(data / SUPPLIER, "a", encoding="utf-8") as handle:
        handle.write("#" + "x" * (50 << 20) + "\n")


def _link_out(data: Path) -> None:
    outside = data.parent / "outside.yaml"
    shutil.copy(data / SUPPLIER, outside)
    (data / "suppliers" / "linked.yaml").symlink_to(outside)


def _fifo(data: Path) -> None:
    os.mkfifo(data / "suppliers" / "pipe.yaml")


CASES: list[tuple[str, Callable[[Path], None] | None]] = [
    ("valid fixture (the floor, with SHACL)", None),
    ("alias bomb (9^9 expansions)", _alias_bomb),
    ("10,000-deep nesting", _replace(TITLE, "title: " + "[" * 10_000 + "]" * 10_000)),
    ("amount '1E+100000000'", _replace("      amount: 0\n", "      amount: '1E+100000000'\n")),
    ("amount 1e9999999 (10 bytes)", _replace("      amount: 0\n", "      amount: 1e9999999\n")),
    ("control character \\u0001", _replace(TITLE, 'title: {fi: "X\\u0001Road", en: Map}')),
    ("text of 1.9 MB", _replace(TITLE, "title: {fi: " + "x" * 1_900_000 + ", en: Map}")),
    ("50 MB file", _big_file),
    ("symlink out of data/", _link_out),
    ("named pipe", _fifo),
]


# A fresh interpreter that runs the command and writes its own peak RSS (VmHWM) at exit;
# a forked child's ru_maxrss would include the parent's memory.
WRAPPER = """
import atexit, runpy, sys
report, sys.argv = sys.argv[1], ["avoinkunta", *sys.argv[2:]]

def peak():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(report, "w") as out:
        out.write(kb)

atexit.register(peak)
runpy.run_module("publisher.cli", run_name="__main__")
"""


def run_case(edit: Callable[[Path], None] | None, work: Path) -> tuple[int, float, float, float]:
    data = work / "data"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copytree(MINIMAL, data)
    if edit is not None:
        edit(data)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AVOINKUNTA_")}
    started = time.perf_counter()
    report = work / "peak"
    process = subprocess.Popen(
        [sys.executable, "-c", WRAPPER, str(report), "validate", "--data", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=PROJECT,
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    peak = int(report.read_text()) / 1024 if report.exists() else float("nan")
    return process.returncode, wall, usage.ru_utime + usage.ru_stime, peak


def main() -> int:
    print(f"{'case':<40} {'exit':>4} {'wall s':>7} {'CPU s':>6} {'peak MB':>8}")
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as folder:
        for name, edit in CASES:
            code, wall, cpu, peak = run_case(edit, Path(folder) / "case")
            print(f"{name:<40} {code:>4} {wall:7.2f} {cpu:6.2f} {peak:8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
