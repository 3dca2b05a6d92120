"""The ``avoinkunta`` command: validate, build, serve.

Exit codes (like pySHACL's): 0 success / valid, 1 the sources have problems, 2 usage or
internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from publisher import __version__
from publisher.config import Settings
from publisher.errors import PublisherError
from publisher.problems import SourceErrors

EXIT_OK, EXIT_INVALID, EXIT_ERROR = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    debug = args.debug or os.environ.get("AVOINKUNTA_DEBUG", "") not in {"", "0"}
    try:
        return int(args.run(args))
    except SourceErrors as exc:
        _print_problems(exc)
        return EXIT_INVALID
    except (PublisherError, OSError, ValueError) as exc:
        _print_error(f"error: {exc}", debug)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a bare traceback: a short message, the traceback on demand
        _print_error(f"internal error: {type(exc).__name__}: {_first_line(exc)}", debug)
        return EXIT_ERROR


def _print_error(message: str, debug: bool) -> None:
    if debug:
        traceback.print_exc()
    print(f"avoinkunta: {message}", file=sys.stderr)
    if not debug:
        print(
            "  (run again with --debug, or AVOINKUNTA_DEBUG=1, to see the traceback)",
            file=sys.stderr,
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else ""
    return line if len(line) <= 300 else line[:300] + "…"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="avoinkunta",
        description="Build, validate and serve the Avoin kunta linked open data publication.",
        epilog="Exit codes: 0 success, 1 the sources have problems, 2 usage or internal error.",
    )
    parser.add_argument("--version", action="version", version=f"avoinkunta {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the traceback of an error (or set AVOINKUNTA_DEBUG=1)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser("validate", help="check the source files; publish nothing")
    validate.add_argument("--data", type=Path, help="source folder (default: ./data)")
    validate.set_defaults(run=_validate)

    build = commands.add_parser("build", help="validate, then publish a new publication")
    build.add_argument("--data", type=Path, help="source folder (default: ./data)")
    build.add_argument("--out", type=Path, help="publication folder (default: ./var)")
    build.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    build.set_defaults(run=_build)

    importing = commands.add_parser("import", help="import records from another format")
    formats = importing.add_subparsers(dest="format", metavar="FORMAT", required=True)
    publiccode = formats.add_parser(
        "publiccode",
        help="publiccode.yml files → offering records in data/",
        description="Check each publiccode.yml file against the standard (0.2 to 0.7) and "
        "turn it into an offering (and its supplier) in data/suppliers/. A file that breaks "
        "the standard is rejected with the key, rule and line of each error; a record that "
        "lacks what the Avoin kunta rules need is written with those problems listed.",
        epilog="Exit codes: 0 every file imported, 1 some file was rejected, 2 usage error.",
    )
    publiccode.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="file or folder")
    publiccode.add_argument("--data", type=Path, help="source folder (default: ./data)")
    publiccode.add_argument("--source-url", help="the web address of the file (one file only)")
    publiccode.add_argument(
        "--replace",
        action="store_true",
        help="for an offering already in data/, take the file's values (default: keep ours)",
    )
    publiccode.add_argument(
        "--dry-run", action="store_true", help="check and report; write nothing"
    )
    publiccode.add_argument("--report", type=Path, help="also write a Markdown summary table here")
    publiccode.set_defaults(run=_import_publiccode)

    serve = commands.add_parser("serve", help="serve the current publication over HTTP")
    serve.add_argument("--out", type=Path, help="publication folder (default: ./var)")
    serve.add_argument("--host", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: 8080)")
    serve.add_argument("--workers", type=int, help="worker processes (default: 3)")
    serve.set_defaults(run=_serve)
    return parser


def _validate(args: argparse.Namespace) -> int:
    from publisher.build import validate_sources

    started = time.perf_counter()
    settings = Settings.from_env(data_dir=args.data)
    _require_folder(settings.data_dir)
    checked = validate_sources(settings, progress=lambda _message: None)
    offerings = sum(len(s.offerings) for s in checked.suppliers)
    print(
        f"{settings.data_dir}: valid — {len(checked.suppliers)} suppliers, "
        f"{offerings} offerings, {checked.triples} triples "
        f"({time.perf_counter() - started:.2f} s)"
    )
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from publisher.build import build, stderr_progress

    settings = Settings.from_env(data_dir=args.data, out_dir=args.out)
    _require_folder(settings.data_dir)
    publication = build(settings, progress=(lambda _m: None) if args.quiet else stderr_progress)
    print(publication.path)
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from publisher.server import serve

    settings = Settings.from_env(
        out_dir=args.out, host=args.host, port=args.port, workers=args.workers
    )
    serve(settings)
    return EXIT_OK


def _import_publiccode(args: argparse.Namespace) -> int:
    from publisher.publiccode.report import import_command

    settings = Settings.from_env(data_dir=args.data)
    _require_folder(settings.data_dir)
    return import_command(
        args.paths,
        settings,
        source_url=args.source_url,
        replace=args.replace,
        dry_run=args.dry_run,
        report=args.report,
    )


def _require_folder(path: Path) -> None:
    if not Path(path).is_dir():
        raise PublisherError(f"no such source folder: {path} (give one with --data)")


def _print_problems(errors: SourceErrors) -> None:
    for problem in errors.problems:
        print(problem, file=sys.stderr)
    files = len({p.file for p in errors.problems})
    print(
        f"{len(errors.problems)} problem(s) in {files} file(s); nothing was published.",
        file=sys.stderr,
    )
    if errors.stage == "sources":
        print(
            "The Avoin kunta rule checks (SHACL) run once these are fixed, and may find more.",
            file=sys.stderr,
        )


if __name__ == "__main__":
    sys.exit(main())
