"""WhatsApp's registry entry: the channel, its webhook (verification and notifications),
and the number asked of the Cloud API at start when it is not configured."""

from __future__ import annotations

import logging
from urllib.parse import quote

from adapters.limiter import Limits, RateLimiter
from adapters.plugin import BuiltChannel, ChannelPlugin, ChannelRefused, Conformance, Ports
from adapters.whatsapp.api import DEFAULT_BASE, SIGNATURE_HEADER, CloudApi, CloudApiError, signature
from adapters.whatsapp.channel import WhatsAppChannel
from adapters.whatsapp.parsing import CHANNEL
from adapters.whatsapp.sender import Template
from adapters.whatsapp.settings import WhatsAppSettings
from adapters.whatsapp.webhook import MAX_BODY, PATH, WhatsAppWebhook

log = logging.getLogger(__name__)


def build(settings: WhatsAppSettings, ports: Ports) -> BuiltChannel:
    api = CloudApi(settings.token, settings.phone_number_id, settings.api_base)
    channel = WhatsAppChannel(
        api,
        ports.intake,
        ports.media,
        Template(settings.template, settings.template_language),
        limiter=RateLimiter(
            Limits(private_count=settings.max_per_second, global_count=settings.max_per_second)
        ),
        receipt=ports.deliveries.receipt,
    )
    hook = WhatsAppWebhook(
        settings.app_secret,
        settings.verify_token,
        settings.phone_number_id,
        channel.ingest,
        ports.clock,
    )
    number = settings.phone_number

    def start_link(payload: str) -> str:
        # wa.me opens the chat with the text typed in; sent, "/start PAYLOAD" starts the
        # dialogue with the payload, as a Telegram start link does.
        if not number:
            return ""
        return f"https://wa.me/{number}?text={quote(f'/start {payload}', safe='')}"

    async def check_number() -> None:
        """A token or number id the Cloud API refuses stops the start; the Cloud API out
        of reach does not (sends are retried by the outbox)."""
        nonlocal number
        try:
            found = await api.display_number()
        except CloudApiError as exc:
            if exc.http in (400, 401, 403, 404):
                raise ChannelRefused(
                    f"the Cloud API refused WHATSAPP_TOKEN or WHATSAPP_PHONE_NUMBER_ID: {exc}"
                ) from None
            log.warning("whatsapp: the number could not be asked: %s; starting anyway", exc)
            return
        number = number or found

    return BuiltChannel(
        channel,
        start_link,
        routes=hook.routes(),
        checks=[check_number],
        on_stop=[channel.close],
        client_max_size=MAX_BODY,
    )


#: What the conformance suite's deliveries are signed with.
_CONFORMANCE_SECRET = "conformance-app-secret"  # noqa: S105 - a test value


def _conformance_settings(api_base: str) -> WhatsAppSettings:
    return WhatsAppSettings(
        token="conformance-token",  # noqa: S106 - a test value
        phone_number_id="106540352242922",
        app_secret=_CONFORMANCE_SECRET,
        verify_token="conformance-verify",  # noqa: S106 - a test value
        api_base=f"{api_base}/v21.0" if api_base else DEFAULT_BASE,
        _env_file=None,  # type: ignore[call-arg]
    )


PLUGIN = ChannelPlugin(
    name=CHANNEL,
    settings=WhatsAppSettings,
    enabled=lambda settings: settings.enabled,
    build=build,
    conformance=Conformance(
        settings=_conformance_settings,
        path=PATH,
        wrong_headers={SIGNATURE_HEADER: "sha256=" + "0" * 64},
        sign=lambda raw: {SIGNATURE_HEADER: signature(_CONFORMANCE_SECRET, raw)},
    ),
)
