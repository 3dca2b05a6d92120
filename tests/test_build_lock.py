"""A killed build leaves nothing for good: the next build removes its staging folder, and
the build lock is released by the kernel (flock), never left held. A build that is still
running keeps its lock and its staging folder; a second build is refused meanwhile."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.generate import generate
from publisher.build import build
from publisher.build.lock import LOCK_FILE, STAGING_PREFIX
from publisher.errors import BuildError
from publisher.publication import Publication
from tests.conftest import make_settings

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


def staging_folders(out: Path) -> list[Path]:
    return sorted((out / "publications").glob(f"{STAGING_PREFIX}*"))


def wait_for(condition, what: str, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def lock_is_free(out: Path) -> bool:
    handle = os.open(out / LOCK_FILE, os.O_RDWR)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(handle)
    return True


def test_build_killed_with_sigkill_is_cleaned_up_by_the_next(tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    generate(data, 200, seed=9)
    first = build(make_settings(out, data), progress=lambda _m: None)
    shutil.rmtree(first.path / "cache")  # so that the next build has work to do
    process = subprocess.Popen(
        [str(BIN / "avoinkunta"), "build", "--data", str(data), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(lambda: staging_folders(out), "the build's staging folder")
        wait_for(lambda: not lock_is_free(out), "the build to hold the lock")
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the build and its worker processes
        process.wait()
    assert process.returncode == -signal.SIGKILL
    left = staging_folders(out)
    assert left, "the killed build left no staging folder: nothing was tested"
    assert lock_is_free(out)  # the kernel released it
    assert Publication.current(out).path == first.path  # type: ignore[union-attr]

    messages: list[str] = []
    second = build(make_settings(out, data), progress=messages.append)
    assert staging_folders(out) == []
    assert any("left by a build that did not finish" in m for m in messages), messages
    assert Publication.current(out).path == second.path  # type: ignore[union-attr]


HOLDER = """
import sys, time
from pathlib import Path
from publisher.build.lock import BuildLock
out = Path(sys.argv[1])
with BuildLock(out):
    (out / "publications" / ".staging-held-by-a-running-build").mkdir(parents=True)
    print("holding", flush=True)
    time.sleep(600)
"""


def test_running_build_keeps_its_lock_and_staging_folder(tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    generate(data, 10, seed=1)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(BuildError, match=f"another build \\(process {holder.pid}\\)"):
            build(make_settings(out, data), progress=lambda _m: None)
        assert [p.name for p in staging_folders(out)] == [".staging-held-by-a-running-build"]
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    publication = build(make_settings(out, data), progress=lambda _m: None)
    assert staging_folders(out) == []
    assert Publication.current(out).path == publication.path  # type: ignore[union-attr]
