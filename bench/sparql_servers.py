"""Shared by the SPARQL benchmarks: a publication at a chosen size, the servers (ours,
Oxigraph's, nginx in front), HTTP from a chosen source address, and the server's CPU time
and memory (PSS) summed over its whole process tree. Not a test; see bench_sparql.py.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from publisher.build import build  # noqa: E402
from publisher.config import Settings  # noqa: E402
from publisher.publication import Publication  # noqa: E402
from publisher.server import serve_command  # noqa: E402

JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the process tree of a server -----------------------------------------------------


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (through every thread's children)."""
    found = [pid]
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as children:
                for child in children.read().split():
                    found += tree(int(child))
        except OSError:
            pass
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of these processes (all their threads)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / CLOCK_TICKS


def pss_mb(pids: list[int]) -> float:
    """Proportional set size of these processes, summed (shared pages counted once)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total / 1024


def role(pid: int) -> str:
    """What a process of our server is: web, broker, store host or worker (a worker is a
    fork of the store host, so it has the host's command line and the host as parent)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            command = cmdline.read()
        with open(f"/proc/{pid}/stat") as stat:
            parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        with open(f"/proc/{parent}/cmdline", "rb") as cmdline:
            parent_command = cmdline.read()
    except (OSError, ValueError, IndexError):
        return "gone"
    if b"store_host" in command:
        return "worker" if b"store_host" in parent_command else "store host"
    if b"sparql_endpoint.broker" in command:
        return "broker"
    return "web" if b"publisher" in command else command.split(b"\0")[0].decode()[-20:]


def pss_by_role(pids: list[int]) -> dict[str, tuple[int, float]]:
    """role -> (processes, PSS MB summed)."""
    found: dict[str, tuple[int, float]] = {}
    for pid in pids:
        count, total = found.get(role(pid), (0, 0.0))
        found[role(pid)] = (count + 1, total + pss_mb([pid]))
    return found


class Meter:
    """CPU seconds of a server's process tree over a stretch of time (processes started
    and ended in between, such as replaced workers, are counted while they live)."""

    def __init__(self, root: int):
        self.root = root
        self._seen: dict[int, float] = {}
        self._roles: dict[int, str] = {}

    def _sample(self) -> dict[int, float]:
        found = {pid: cpu_seconds([pid]) for pid in tree(self.root)}
        for pid in found:
            if pid not in self._roles:
                self._roles[pid] = role(pid)
        return found

    def start(self) -> None:
        self._base = self._sample()
        self._seen = dict(self._base)

    def update(self) -> None:
        for pid, value in self._sample().items():
            self._seen[pid] = max(value, self._seen.get(pid, 0.0))

    def seconds(self) -> float:
        self.update()
        return sum(v - self._base.get(pid, 0.0) for pid, v in self._seen.items())

    def by_role(self) -> dict[str, float]:
        """The CPU seconds of ``seconds()`` by process role (web, broker, worker, ...)."""
        found: dict[str, float] = {}
        for pid, value in self._seen.items():
            name = self._roles.get(pid, "gone")
            found[name] = found.get(name, 0.0) + value - self._base.get(pid, 0.0)
        return found


# --- publications ---------------------------------------------------------------------


def publication(
    work: Path, base: str, offerings: int | None, cache: Path, dump: Path | None = None
) -> Publication:
    """A publication for ``base``: the bundled catalogue, or ``offerings`` generated ones
    (sources by bench/generate.py, kept in ``cache``), or the bundled one with its store
    and dump replaced by ``dump`` (N-Quads made for ``base``: a catalogue built elsewhere,
    for when a full build at that size takes too long here; only SPARQL is benchmarked)."""
    out = work / "out"
    ready = work / "prepared"  # written last: a reused --work folder is complete
    if ready.exists() and ready.read_text() == _recipe(base, offerings, dump):
        reused = Publication.current(out)
        if reused is not None:
            return reused
    if out.exists():
        shutil.rmtree(out)
    shutil.rmtree(work / "oxigraph", ignore_errors=True)
    data = ROOT / "data"
    if offerings and dump is None:
        from bench.generate import generate

        data = cache / f"data-{offerings}"
        if not (data / "suppliers").exists():
            generate(data, offerings)
    build(Settings(base_uri=base, data_dir=data, out_dir=out), progress=lambda _m: None)
    current = Publication.current(out)
    assert current is not None
    if dump is not None:
        import pyoxigraph as ox

        shutil.rmtree(current.store_path)
        store = ox.Store(str(current.store_path))
        store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
        target = current.dumps_dir / "avoinkunta.nq"
        target.unlink()
        target.symlink_to(Path(dump).resolve())
    ready.write_text(_recipe(base, offerings, dump))
    return current


def _recipe(base: str, offerings: int | None, dump: Path | None) -> str:
    return f"{base} {offerings} {Path(dump).resolve() if dump else None}"


# --- servers --------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    url: str  # the SPARQL endpoint
    base: str  # the site, ending with '/'
    process: subprocess.Popen[bytes]
    log: Path
    out: str = ""  # ours: its OUT folder

    @property
    def port(self) -> int:
        return urllib.parse.urlsplit(self.base).port or 80

    def pids(self) -> list[int]:
        return tree(self.process.pid)


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited\n{log.read_text(errors='replace')[-3000:]}")
        try:
            status, _ = fetch(url, query="ASK {}", timeout=5)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer\n{log.read_text(errors='replace')[-3000:]}")


@contextmanager
def ours(
    work: Path,
    pub: Publication,
    port: int,
    workers: int,
    env: dict[str, str],
    name: str = "ours",
    root: Path = ROOT,
) -> Iterator[Server]:
    """Our server (``avoinkunta serve``), running the code of the checkout ``root``."""
    log = work / f"ours-{port}.log"
    code = {"PYTHONPATH": str(root)} if root != ROOT else {}
    process = subprocess.Popen(
        serve_command(pub.path.parent.parent, port, workers),
        env={**os.environ, "AVOINKUNTA_BASE_URI": pub.base_uri, **code, **env},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=root,
    )
    base = f"http://127.0.0.1:{port}/"
    server = Server(name, f"{base}sparql", base, process, log, str(pub.path.parent.parent))
    try:
        wait_for(server.url, process, log)
        yield server
    finally:
        stop(process)


@contextmanager
def oxigraph(work: Path, pub: Publication, port: int) -> Iterator[Server]:
    cli = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(cli).exists():
        raise SystemExit("The oxigraph CLI is missing: pip install 'oxigraph>=0.5,<0.6'")
    location = work / "oxigraph"
    if not location.exists():
        dump = pub.dumps_dir / "avoinkunta.nq"
        subprocess.run(
            [cli, "load", "--location", str(location), "--file", str(dump)],
            check=True,
            capture_output=True,
        )
    log = work / "oxigraph.log"
    process = subprocess.Popen(
        [
            cli,
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],  # fmt: skip
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = Server("oxigraph", f"http://127.0.0.1:{port}/query", f"http://127.0.0.1:{port}/",
                    process, log)  # fmt: skip
    try:
        wait_for(server.url, process, log)
        yield server
    finally:
        stop(process)


@contextmanager
def nginx_front(work: Path, upstream: Server, listen: int) -> Iterator[Server]:
    """nginx with deploy/nginx/avoinkunta.conf (ports changed) in front of ``upstream``."""
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        raise SystemExit("nginx is not installed (apt-get install nginx)")
    folder = Path(tempfile.mkdtemp(prefix="nginx-", dir=work))
    site = (ROOT / "deploy" / "nginx" / "avoinkunta.conf").read_text()
    site = site.replace("server 127.0.0.1:8080;", f"server 127.0.0.1:{upstream.port};")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};").replace("listen [::]:80;", "")
    (folder / "site.conf").write_text(site)
    conf = folder / "nginx.conf"
    conf.write_text(
        f"daemon off; worker_processes 1; pid {folder}/pid; error_log {folder}/error.log;\n"
        "events { worker_connections 4096; }\n"
        f"http {{ access_log off; client_body_temp_path {folder}/b; proxy_temp_path "
        f"{folder}/p; fastcgi_temp_path {folder}/f; uwsgi_temp_path {folder}/u; "
        f"scgi_temp_path {folder}/s; include {folder}/site.conf; }}\n"
    )
    process = subprocess.Popen([nginx, "-c", str(conf)], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{listen}/"
    server = Server("nginx", upstream.url.replace(upstream.base, base), base, process,
                    folder / "error.log")  # fmt: skip
    try:
        wait_for(server.url, process, server.log)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- requests -------------------------------------------------------------------------


def fetch(
    url: str,
    query: str | None = None,
    source: str = "127.0.0.1",
    accept: str = JSON,
    timeout: float = 120,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, bytes]:
    """GET ``url`` (with ``query=``) from the address ``source``; a new connection unless
    ``conn`` (keep-alive) is given."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path
    if query is not None:
        path += "?" + urllib.parse.urlencode({"query": query})
    own = conn is None
    if conn is None:
        if parts.hostname is None:
            raise ValueError(f"no host in {url}")
        conn = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=timeout, source_address=(source, 0)
        )
    try:
        conn.request("GET", path, headers={"Accept": accept})
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        if own:
            conn.close()


def wants_graph(query: str) -> bool:
    return any(
        line.strip().upper().startswith(("CONSTRUCT", "DESCRIBE")) for line in query.splitlines()
    )


def copy_of(pub: Publication, work: Path, label: str) -> Publication:
    """The same publication in an OUT folder of its own (hard links: the same files, so
    one page cache), for a second server of ours with other settings (each OUT has its
    own broker socket)."""
    out = work / f"out-{label}"
    if not out.exists():
        staging = work / f"out-{label}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        subprocess.run(["cp", "-al", str(pub.path.parent.parent), str(staging)], check=True)
        shutil.rmtree(staging / ".sparql", ignore_errors=True)
        staging.rename(out)
    copied = Publication.current(out)
    assert copied is not None
    return copied


def broker_status(server: Server) -> dict[str, object]:
    """Our server's broker figures (workers recycled and restarted, jobs served)."""
    from publisher.server import broker_socket_path
    from sparql_endpoint.client import BrokerClient

    out = Path(server.out) if server.out else None
    if out is None:
        return {}
    client = BrokerClient(broker_socket_path(out))
    try:
        return client.status()
    except Exception:
        return {}
    finally:
        client.close()
