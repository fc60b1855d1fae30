"""Command line: `python -m bot` serves the bot; sub-commands for operations."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys
from contextlib import contextmanager
from pathlib import Path

from . import __version__


def _configure_logging(level: str) -> None:
    from .log_guard import install_log_guard

    install_log_guard()
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


@contextmanager
def collecting_after_start_up():
    """No garbage collection while the bot loads and builds itself, and none of what it built
    looked at again by later ones. Loading makes ≈ 250,000 objects that live as long as the
    process: the collector would scan them all several times while they are made (≈ 10 % of the
    import time) and once more in full at the first database use (≈ 70 ms on SQLite), finding
    nothing. They are frozen (gc.freeze) instead, and collection resumes for what turns make."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _serve(args) -> int:
    with collecting_after_start_up():
        from aiohttp import web

        settings, app = _built_app(args)
    web.run_app(app, host=settings.bind_host, port=settings.port, print=None, access_log=None,
                loop=_event_loop(settings.event_loop))
    return 0


def _event_loop(name: str) -> asyncio.AbstractEventLoop:
    """uvloop's event loop (libuv) unless EVENT_LOOP=asyncio: a turn's sockets, wake-ups and
    callbacks cost less CPU on it than on asyncio's own loop (docs/performance.md)."""
    if name == "asyncio":
        return asyncio.new_event_loop()
    import uvloop

    return uvloop.new_event_loop()


def _built_app(args):
    from .app import create_app
    from .config import ConfigurationError, load_settings
    from .domain.clock import parse_start, running_from, system_clock

    settings = load_settings(host=args.host, port=args.port, database_url=args.database_url,
                             insecure_public=True if args.insecure_public else None)
    _configure_logging(settings.log_level)
    log = logging.getLogger("bot")
    clock = system_clock
    if args.now:
        try:
            clock = running_from(parse_start(args.now, settings.timezone))
        except ValueError as error:
            raise ConfigurationError(f"--now: {error}") from None
        log.warning("the clock is set: it started at %s (%s) and runs on from there", args.now, settings.timezone)
    if not settings.has_credentials:
        log.warning(
            "no MicrosoftAppId/MicrosoftAppPassword: running as a LOCAL DEVELOPMENT server without "
            "authentication, listening on %s%s",
            settings.bind_host,
            "" if settings.host else " (set HOST to listen elsewhere)",
        )
    log.info("Larmlotsen %s on http://%s:%d/api/messages", __version__, settings.bind_host, settings.port)
    return settings, create_app(settings, clock)


def _migrate(args) -> int:
    from .config import load_settings
    from .db import create_engine, migrate

    settings = load_settings(database_url=args.database_url)
    _configure_logging(settings.log_level)

    async def run() -> None:
        engine = create_engine(settings.database_url)
        try:
            await migrate(engine)
        finally:
            await engine.dispose()

    asyncio.run(run())
    return 0


def _package(rest: list[str]) -> int:
    from manifest.package import main as package_main

    return package_main(rest)


def _playground(rest: list[str]) -> int:
    # The launcher is a developer tool that lives in the source checkout beside bot/, not in the
    # installed product; make the checkout importable when it is not already.
    checkout = Path(__file__).resolve().parents[1]
    if not (checkout / "playground" / "launcher.py").exists():
        print("python -m bot playground needs the source checkout (playground/launcher.py).", file=sys.stderr)
        return 2
    if str(checkout) not in sys.path:
        sys.path.insert(0, str(checkout))
    from playground.launcher import main as playground_main

    return playground_main(rest)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["package"]:  # its own options belong to manifest.package
        return _package(argv[1:])
    if argv[:1] == ["playground"]:  # its own options belong to playground.launcher
        return _playground(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bot", description="Larmlotsen, the Teams bot.")
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="serve the bot (the default)")
    for p in (parser, serve):
        p.add_argument("--host", help="address to listen on (env HOST)")
        p.add_argument("--port", type=int, help="port (env PORT, default 3978)")
        p.add_argument("--database-url", help="SQLAlchemy URL (env DATABASE_URL)")
        p.add_argument("--insecure-public", action="store_true",
                       help="without credentials, listen on a non-loopback HOST anyway (env INSECURE_PUBLIC)")
        p.add_argument("--now", metavar="2026-06-18T15:30",
                       help="start the clock at this local time (TIMEZONE) and let it run on: for training "
                            "and trying out deadlines")
    migrate = sub.add_parser("migrate", help="create or upgrade the database schema and exit")
    migrate.add_argument("--database-url")
    sub.add_parser("package", help="build the Teams app package zip (see `python -m bot package --help`)")
    sub.add_parser("playground", help="try the bot in the Microsoft 365 Agents Playground (see docs/try-locally.md)")
    args = parser.parse_args(argv)
    from .config import ConfigurationError

    try:
        if args.command == "migrate":
            return _migrate(args)
        return _serve(args)
    except ConfigurationError as error:
        print(f"larmlotsen: configuration error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
