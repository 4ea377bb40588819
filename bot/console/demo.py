"""The demo's console sign-in links: a dispatcher, an admin (the settings) and an observer of
one building."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.console.auth import AccountProblem, create_invite
from bot.console.web import invite_link

if TYPE_CHECKING:
    from bot.app import App

DEMO_DISPATCHER = "disp-1"
DEMO_ADMIN = "admin-1"
DEMO_OBSERVER = "observer-len5"
DEMO_OBSERVER_BUILDINGS = ["len5"]


async def demo_invites(app: App) -> list[str]:
    """Links that set the demo accounts' passwords (new ones at every start: an earlier
    link of the same account stops working)."""
    now = app.clock()
    try:
        dispatcher = await create_invite(app.db, now, staff=DEMO_DISPATCHER, days=1)
        admin = await create_invite(app.db, now, staff=DEMO_ADMIN, days=1)
        observer = await create_invite(
            app.db,
            now,
            observer=DEMO_OBSERVER,
            name="Представитель заказчика (Ленина 5)",
            buildings=DEMO_OBSERVER_BUILDINGS,
            days=1,
        )
    except AccountProblem as exc:
        return [f"Console demo accounts not made: {exc}"]
    return [
        f"Console, demo dispatcher {DEMO_DISPATCHER}: {invite_link(app.settings, dispatcher)}",
        f"Console, demo admin {DEMO_ADMIN}: {invite_link(app.settings, admin)}",
        f"Console, demo observer {DEMO_OBSERVER}: {invite_link(app.settings, observer)}",
    ]
