"""Command line: ``python -m bot [serve | migrate | admin ...]``."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pydantic_settings import BaseSettings

    from bot.settings import Settings

    ChannelSettings = Mapping[str, BaseSettings]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Housing-maintenance dispatch service (web chat, messengers, dispatch group).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("serve", help="run the service (the default)")
    sub.add_parser("migrate", help="apply database migrations and exit")
    adm = sub.add_parser("admin", help="administration: imports, invites, listings")
    asub = adm.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    p = asub.add_parser("import-buildings", help="import or update buildings from a CSV file")
    p.add_argument("file", type=Path)
    p = asub.add_parser("import-staff", help="import or update staff from a CSV file")
    p.add_argument("file", type=Path)
    p = asub.add_parser(
        "invite", help="create a one-time invite link for a staff member or a group"
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--staff", metavar="CODE", help="the staff member's code from the staff CSV")
    who.add_argument(
        "--group", action="store_true", help="bind a group chat as the dispatchers' group"
    )
    p.add_argument("--days", type=int, default=7, help="days until the invite expires (default 7)")
    p = asub.add_parser("console-invite", help="a one-time link that sets a staff console password")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--staff", metavar="CODE", help="a dispatcher's or admin's staff code")
    who.add_argument("--observer", metavar="LOGIN", help="a new or existing observer's login")
    p.add_argument("--name", default="", help="the observer's name")
    p.add_argument("--buildings", default="", help="the observer's building codes, comma-separated")
    p.add_argument("--days", type=int, default=7, help="days until the link expires (default 7)")
    p = asub.add_parser("console-revoke", help="end every console session of a login")
    p.add_argument("login")
    p = asub.add_parser("bind-group", help="bind a chat as the dispatchers' group directly")
    p.add_argument("--channel", required=True)
    p.add_argument("--chat", required=True)
    p = asub.add_parser(
        "import-matrix", help="replace the responsibility matrix: building,category,technicians"
    )
    p.add_argument("file", type=Path)
    p = asub.add_parser(
        "import-shifts", help="replace the shifts of the technicians in the file (CSV)"
    )
    p.add_argument("file", type=Path)
    p = asub.add_parser("import-absences", help="add absences: technician,kind,from,to[,note]")
    p.add_argument("file", type=Path)
    p = asub.add_parser(
        "import-ladder", help="replace the escalation ladders: scope,after_minutes,title,staff"
    )
    p.add_argument("file", type=Path)
    asub.add_parser("roster", help="list the responsibility matrix, shifts and absences")
    asub.add_parser(
        "check-calendar", help="validate NORMS_FILE, HOLIDAYS_FILE and WORK_HOURS and exit"
    )
    asub.add_parser("staff", help="list staff and their messenger identities")
    asub.add_parser("buildings", help="list buildings")
    p = asub.add_parser(
        "export-training", help="write confirmed/corrected requests for `classifiers train`"
    )
    p.add_argument("--out", type=Path, default=Path("var/training-export.csv"))
    p = asub.add_parser(
        "export-duplicate-pairs",
        help="write residents' answers to duplicate offers as labelled pairs for the benchmark",
    )
    p.add_argument("--out", type=Path, default=Path("var/duplicate-pairs.csv"))
    return parser


async def _serve(settings: Settings, channels: ChannelSettings) -> None:
    """Run until SIGTERM or SIGINT, which may come at any moment: during the start the start
    is abandoned, and whatever it had started is stopped the same way as after serving."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    from bot.app import bootstrap, with_signing_key

    app = bootstrap(with_signing_key(settings, channels), channel_settings=channels)
    stopping = asyncio.create_task(stop.wait())
    starting = asyncio.create_task(app.start())
    try:
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not starting.done():
            starting.cancel()
            await asyncio.wait({starting})
            return
        starting.result()  # a refused start (ConfigProblem) ends here
        if stop.is_set():
            return
        # Everything loaded so far (modules, the classifier, settings) lives as long as the
        # process: keep it out of the garbage collector's full passes, which would otherwise
        # walk it again and again and pause the event loop for a long moment each time.
        gc.collect()
        gc.freeze()
        print(
            f"Dispatch service: open http://{settings.host}:{settings.port}/ (Ctrl+C to stop)",
            flush=True,
        )
        if settings.demo_data and settings.console:
            from bot.console.demo import demo_invites

            for line in await demo_invites(app):
                print(line, flush=True)
        await stopping
    finally:
        stopping.cancel()
        await app.stop()


def _exit_quietly(signum: int, frame: object) -> None:
    """A stop while the modules load: nothing has been started or written yet, so the
    process ends at once.  Raising SystemExit here would not do: when the signal lands
    while a finalizer or a garbage-collector callback runs, the exception is printed as
    ignored and the start goes on, serving after it was told to stop."""
    os._exit(0)


async def _admin(settings: Settings, channels: ChannelSettings, args: argparse.Namespace) -> int:
    from bot import admin, texts
    from bot.app import ConfigProblem, open_database, start_links, utc_now
    from bot.console.auth import AccountProblem
    from core.storage.migrate import upgrade

    await asyncio.to_thread(upgrade, settings.database_url)
    db = open_database(settings)
    now = utc_now()
    try:
        command = args.admin_command
        if command == "import-buildings":
            imported = await admin.import_buildings(db, args.file)
            print(f"imported {texts.count('en', 'n_buildings', imported)}")
        elif command == "import-staff":
            imported = await admin.import_staff(db, args.file, now)
            print(f"imported {texts.count('en', 'n_staff', imported)}")
        elif command == "invite":
            token = await admin.create_invite(
                db, now, person_code=args.staff, group=args.group, days=args.days
            )
            print(f"/start inv-{token}")
            for name, link in (await start_links(settings, channels, f"inv-{token}")).items():
                print(f"{name}: {link or 'no link (the channel could not tell its address)'}")
        elif command == "console-invite":
            from bot.console.auth import create_invite
            from bot.console.web import invite_link

            token = await create_invite(
                db,
                now,
                staff=args.staff,
                observer=args.observer,
                name=args.name,
                buildings=[c.strip() for c in args.buildings.split(",") if c.strip()],
                days=args.days,
            )
            print(invite_link(settings, token))
        elif command == "console-revoke":
            from bot.console.auth import revoke_login

            if not await revoke_login(db, args.login, now):
                print(f"no console account {args.login!r}", file=sys.stderr)
                return 1
            print(f"ended every console session of {args.login}")
        elif command == "bind-group":
            await admin.bind_group(db, args.channel, args.chat, now)
            print(f"bound {args.channel}:{args.chat} as the dispatchers' group")
        elif command == "staff":
            print("\n".join(await admin.list_staff(db)) or "no staff")
        elif command == "import-matrix":
            imported = await admin.import_matrix(db, args.file)
            print(f"imported {texts.count('en', 'n_matrix_entries', imported)}")
        elif command == "import-shifts":
            today = now.astimezone(settings.tz).date()
            print(f"imported {await admin.import_shifts(db, args.file, today)} shifts")
        elif command == "import-absences":
            today = now.astimezone(settings.tz).date()
            print(f"imported {await admin.import_absences(db, args.file, today)} absences")
        elif command == "import-ladder":
            print(f"imported {await admin.import_ladder(db, args.file)} escalation steps")
        elif command == "roster":
            print("\n".join(await admin.list_roster(db)))
        elif command == "check-calendar":
            from bot.app import load_sla

            sla = load_sla(settings)
            days = sla.days
            print(
                f"{len(sla.norms)} norms, {len(days.holidays)} holidays, "
                f"{len(days.working)} working weekend days, {len(days.short)} short days, "
                f"hours {settings.work_hours}"
            )
            if days.provisional:
                years = ", ".join(str(year) for year in sorted(days.provisional))
                print(f"provisional (decree not yet published): {years}")
        elif command == "buildings":
            print("\n".join(await admin.list_buildings(db)) or "no buildings")
        elif command == "export-training":
            print(f"wrote {await admin.export_training(db, args.out)} rows to {args.out}")
        elif command == "export-duplicate-pairs":
            print(f"wrote {await admin.export_duplicate_pairs(db, args.out)} rows to {args.out}")
    except admin.ImportProblem as exc:
        print("\n".join(exc.errors), file=sys.stderr)
        return 1
    except admin.ExportProblem as exc:
        print(exc, file=sys.stderr)
        return 1
    except AccountProblem as exc:
        print(exc, file=sys.stderr)
        return 1
    except ConfigProblem as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        await db.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in (None, "serve"):
        # A stop asked for while the modules still load is a clean exit too (the event
        # loop takes the signal over once it runs): so the handler comes before the imports.
        signal.signal(signal.SIGTERM, _exit_quietly)
    from bot.settings import SettingsError, load_channel_settings, load_settings

    try:
        settings = load_settings()
        channels = load_channel_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if settings.log_level != "DEBUG":
        # Each sweep and each migration step would otherwise log a line at INFO.
        for chatty in ("apscheduler", "alembic"):
            logging.getLogger(chatty).setLevel(logging.WARNING)
    if args.command == "migrate":
        from sqlalchemy.exc import SQLAlchemyError

        from bot.app import database_problem
        from core.storage.migrate import upgrade

        try:
            upgrade(settings.database_url)
        except (SQLAlchemyError, OSError) as exc:
            print(database_problem(exc), file=sys.stderr)
            return 2
        print("database is up to date")
        return 0
    if args.command == "admin":
        return asyncio.run(_admin(settings, channels, args))
    from bot.app import ConfigProblem

    try:
        asyncio.run(_serve(settings, channels))
    except ConfigProblem as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        # The service has stopped: a further stop request must not turn the exit into a kill.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    return 0


if __name__ == "__main__":
    sys.exit(main())
