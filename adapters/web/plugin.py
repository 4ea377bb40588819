"""The web chat's registry entry: the page, its JSON API and its mailbox."""

from __future__ import annotations

from urllib.parse import quote

from adapters.plugin import BuiltChannel, ChannelPlugin, Conformance, Ports
from adapters.web.channel import WebChannel
from adapters.web.routes import API_PATH, CHANNEL, WebChat
from adapters.web.settings import WebSettings


def build(settings: WebSettings, ports: Ports) -> BuiltChannel:
    channel = WebChannel(ports.mailbox)
    chat = WebChat(
        channel, ports, settings.posts_per_user_minute, settings.posts_per_address_minute
    )

    def start_link(payload: str) -> str:
        # The page sends "/start PAYLOAD" from the resident's pane when it opens.
        if not settings.chat:
            return ""
        return f"{ports.public_url}/?start={quote(payload, safe='')}"

    return BuiltChannel(
        channel=channel,
        start_link=start_link,
        routes=chat.routes() if settings.chat else [],
        client_max_size=chat.client_max_size,
    )


PLUGIN = ChannelPlugin(
    name=CHANNEL,
    settings=WebSettings,
    # WEB_CHAT=0 takes the page and its API away; messages to web chats are still kept
    # in the mailbox, so web identities and the demo's group do not turn into failures.
    enabled=lambda settings: True,
    # It trusts the user id it is given: a demo and test channel, not for strangers.
    reaches_strangers=False,
    build=build,
    conformance=Conformance(
        settings=lambda api_base: WebSettings(_env_file=None),  # type: ignore[call-arg]
        path=API_PATH,
        wrong_headers=None,
        repeatable={"Idempotency-Key": "conformance-1"},
        photo_field="photo",
    ),
)
