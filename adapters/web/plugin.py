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
        return f"{ports.public_url}/?start={quote(payload, safe='')}"

    return BuiltChannel(
        channel=channel,
        start_link=start_link,
        routes=chat.routes(),
        client_max_size=chat.client_max_size,
    )


PLUGIN = ChannelPlugin(
    name=CHANNEL,
    settings=WebSettings,
    enabled=lambda settings: settings.chat,
    # It trusts the user id it is given: a demo and test channel, not for strangers.
    reaches_strangers=False,
    build=build,
    conformance=Conformance(
        settings=lambda api_base: WebSettings(_env_file=None),  # type: ignore[call-arg]
        path=API_PATH,
        headers={},
        wrong_headers=None,
        repeatable={"Idempotency-Key": "conformance-1"},
        photo_field="photo",
    ),
)
