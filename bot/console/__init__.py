"""The staff console: a web page where dispatchers work the board, managers read the
figures and the customer's representative looks in (``/console``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import App


def mount(app: App, secret: bytes) -> None:
    """Serve the console under ``/console`` on the service's own web app."""
    from bot.app import public_url
    from bot.console.web import PREFIX, Console

    console = Console(
        db=app.db,
        services=app.services,
        clock=app.clock,
        media=app.media,
        start_links={name: built.start_link for name, built in app.built.items()},
        secret=secret,
        wake_outbox=app.outbox.wake.set,
        session_hours=app.settings.console_session_hours,
        secure_cookies=public_url(app.settings).startswith("https://"),
    )
    app.http.add_subapp(PREFIX, console.application())
