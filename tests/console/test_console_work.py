"""The console's request-page actions, the resident's messages, the board's new filters
and the second factor's enrolment, through the real app on a test server."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
import segno
from sqlalchemy import select

from bot.console import auth
from bot.console.web import SESSION_COOKIE
from core.storage.tables import ConsoleAccount, ConsoleSession
from tests.support.harness import Harness


async def test_totp_enrolment_keeps_the_secret_on_the_server(h5: Harness) -> None:
    h = h5
    h.clock.now = datetime.now(UTC)
    token = await auth.create_invite(h.app.db, h.clock(), staff="disp-1")
    assert await auth.set_password(h.app.db, token, "a long password", h.clock())
    async with h.app.db.transaction() as session:
        account = await session.scalar(
            select(ConsoleAccount).where(ConsoleAccount.login == "disp-1")
        )
        assert account is not None
        cookie = await auth.start_session(
            session, account, datetime.now(UTC), 1, complete=False, address=""
        )
    h.client.session.cookie_jar.update_cookies({SESSION_COOKIE: cookie})

    page = await (await h.client.get("/console/totp")).text()
    shown = re.search(r'data-role="totp-secret">([A-Z2-7]{32})<', page)
    assert shown is not None, page
    secret = shown.group(1)
    # The secret is shown to be typed or scanned, never carried in a form field.
    assert not re.search(r"<input[^>]*" + secret, page)
    assert 'name="secret"' not in page
    # The QR is the provisioning link of that very secret.
    uri = pyotp.TOTP(secret).provisioning_uri(name="disp-1", issuer_name="Dispatch")
    assert segno.make(uri).svg_inline(scale=4) in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None

    # A wrong code keeps the same secret pending; a forged secret in the form is ignored.
    forged = pyotp.random_base32()
    wrong = await h.client.post(
        "/console/totp",
        data={"csrf": csrf.group(1), "code": pyotp.TOTP(forged).now(), "secret": forged},
    )
    again = await wrong.text()
    assert wrong.status == 401 and f'data-role="totp-secret">{secret}<' in again
    done = await h.client.post(
        "/console/totp",
        data={"csrf": csrf.group(1), "code": pyotp.TOTP(secret).now()},
        allow_redirects=False,
    )
    assert done.status == 302 and done.headers["Location"] == "/console/"
    async with h.app.db.reading() as session:
        account = await session.scalar(
            select(ConsoleAccount).where(ConsoleAccount.login == "disp-1")
        )
        assert account is not None and account.totp_secret == secret
        pending = list(await session.scalars(select(ConsoleSession.totp_pending)))
        assert pending == [""]
