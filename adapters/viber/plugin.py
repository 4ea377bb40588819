"""Viber's registry entry: the channel, its callback and media routes, the account check
before the start and the webhook registration once the route listens."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import quote, urlsplit

from aiohttp import web

from adapters.plugin import (
    BuiltChannel,
    ChannelPlugin,
    ChannelRefused,
    Conformance,
    Ports,
    stop_hook,
)
from adapters.viber.api import (
    DEFAULT_BASE,
    INVALID_AUTH_TOKEN,
    SIGNATURE_HEADER,
    ViberApi,
    ViberError,
    signature,
)
from adapters.viber.channel import MEDIA_ROUTE, MediaLinks, ViberChannel
from adapters.viber.parsing import CHANNEL
from adapters.viber.settings import ViberSettings
from adapters.viber.webhook import MAX_BODY, PATH, ViberWebhook

log = logging.getLogger(__name__)


def build(settings: ViberSettings, ports: Ports) -> BuiltChannel:
    webhook_url = settings.webhook_url or f"{ports.public_url}{PATH}"
    # Viber fetches photos by URL: where it reaches the webhook, it reaches the media route.
    public = webhook_url.removesuffix(PATH) if webhook_url.endswith(PATH) else ports.public_url
    links = MediaLinks(public, ports.secret, ports.media.load)
    channel = ViberChannel(
        ViberApi(settings.auth_token, settings.api_base),
        links,
        sender_name=settings.bot_name,
        sender_avatar=settings.bot_avatar,
    )
    hook = ViberWebhook(channel, ports.intake, ports.deliveries, ports.greeting, ports.clock)
    uri = settings.uri
    tasks: list[asyncio.Task[object]] = []

    def start_link(payload: str) -> str:
        if not uri:
            return ""
        return f"viber://pa?chatURI={quote(uri, safe='')}&context={quote(payload, safe='')}"

    async def check_account() -> None:
        """A token Viber refuses stops the start; Viber out of reach does not (the
        webhook registration retries until it answers)."""
        nonlocal uri
        try:
            info = await channel.account_info()
        except ViberError as exc:
            if exc.status == INVALID_AUTH_TOKEN or exc.http in (401, 403):
                raise ChannelRefused(f"Viber refused VIBER_AUTH_TOKEN: {exc}") from None
            log.warning("viber get_account_info failed: %s; starting anyway", exc)
            return
        if not uri and isinstance(info.get("uri"), str):
            uri = info["uri"]

    async def register() -> None:
        if urlsplit(webhook_url).scheme != "https":
            log.warning(
                "viber: the webhook %s is not HTTPS; Viber accepts only HTTPS with a "
                "certificate of a trusted CA (a plain http URL is for local testing)",
                webhook_url,
            )
        tasks.append(asyncio.create_task(channel.set_webhook(webhook_url)))

    return BuiltChannel(
        channel,
        start_link,
        routes=[web.post(PATH, hook.handle), web.get(MEDIA_ROUTE, links.serve)],
        checks=[check_account],
        on_start=[register],
        on_stop=[stop_hook(channel.close, tasks)],
        client_max_size=MAX_BODY,
    )


#: The token of the conformance suite's deliveries.
_CONFORMANCE_TOKEN = "conformance-4453b0dcd47c3ae3-5e6c9866b2b1c3f7"  # noqa: S105 - a test value


def _conformance_settings(api_base: str) -> ViberSettings:
    return ViberSettings(
        auth_token=_CONFORMANCE_TOKEN,
        api_base=api_base or DEFAULT_BASE,
        webhook_url=f"https://conformance.test{PATH}",
        _env_file=None,  # type: ignore[call-arg]
    )


PLUGIN = ChannelPlugin(
    name=CHANNEL,
    settings=ViberSettings,
    enabled=lambda settings: bool(settings.auth_token),
    build=build,
    conformance=Conformance(
        settings=_conformance_settings,
        path=PATH,
        wrong_headers={SIGNATURE_HEADER: signature("not-the-token", b"{}")},
        sign=lambda body: {SIGNATURE_HEADER: signature(_CONFORMANCE_TOKEN, body)},
    ),
)
