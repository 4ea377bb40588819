"""The Viber sender against the fake Viber API: what goes out, within Viber's limits, and
how each failure reaches the outbox."""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.viber.api import ViberApi, signature, signed_by
from adapters.viber.channel import (
    MEDIA_LINK_SECONDS,
    MEDIA_ROUTE,
    MediaLinks,
    ViberChannel,
)
from core.channel import Button, DeliveryError, OutboundMessage
from tests.support.harness import png
from tests.viber.fake_api import BOT_NAME, FakeViber

USER = "01234567890A="
PHOTO = png(3)
SHA = hashlib.sha256(PHOTO).hexdigest()


class Served:
    """The channel with its media route served, so the fake Viber can fetch pictures."""

    def __init__(self, fake: FakeViber, channel: ViberChannel, client: TestClient) -> None:
        self.fake = fake
        self.channel = channel
        self.client = client


async def load(sha: str) -> tuple[bytes, str] | None:
    return (PHOTO, "image/jpeg") if sha == SHA else None


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    fake = FakeViber(subscribed={USER})
    base = await fake.start()
    links = MediaLinks("http://placeholder", b"k" * 32, load)
    app = web.Application()
    app.router.add_get(MEDIA_ROUTE, links.serve)
    client = TestClient(TestServer(app))
    await client.start_server()
    links.public_url = str(client.make_url("")).rstrip("/")
    channel = ViberChannel(ViberApi(fake.token, base, timeout=2.0), links)
    await channel.account_info()
    try:
        yield Served(fake, channel, client)
    finally:
        await channel.close()
        await client.close()
        await fake.close()


def b(text: str, payload: str) -> Button:
    return Button(text, payload)


async def test_a_text_goes_with_the_bots_name_as_sender(served: Served) -> None:
    delivered = await served.channel.send(USER, OutboundMessage("Заявка №1 принята"))
    [sent] = served.fake.sends(USER)
    assert sent["type"] == "text" and sent["text"] == "Заявка №1 принята"
    assert sent["sender"]["name"] == BOT_NAME
    assert "keyboard" not in sent
    assert delivered.delivery_id == sent["_token"]
    assert [c.method for c in served.fake.calls] == ["get_account_info", "send_message"]


async def test_buttons_are_a_reply_keyboard_in_the_six_column_grid(served: Served) -> None:
    message = OutboundMessage(
        "Что случилось?",
        buttons=(
            (b("Водоснабжение", "v1:q:cat:water"),),
            (b("Да", "v1:q:ok:y"), b("Нет", "v1:q:ok:n")),
            tuple(b(str(n), f"v1:q:n:{n}") for n in range(1, 5)),
        ),
    )
    await served.channel.send(USER, message)
    [sent] = served.fake.sends(USER)
    buttons = sent["keyboard"]["Buttons"]
    assert [(x["Text"], x["ActionBody"], x["Columns"]) for x in buttons] == [
        ("Водоснабжение", "v1:q:cat:water", 6),
        ("Да", "v1:q:ok:y", 3),
        ("Нет", "v1:q:ok:n", 3),
        ("1", "v1:q:n:1", 2),
        ("2", "v1:q:n:2", 2),
        ("3", "v1:q:n:3", 2),
        ("4", "v1:q:n:4", 6),
    ]
    assert {(x["ActionType"], x["Silent"]) for x in buttons} == {("reply", True)}
    # Each of our rows fills whole lines of the grid: no row starts beside another.
    widths = [x["Columns"] for x in buttons]
    assert sum(widths) % 6 == 0


async def test_a_phone_request_is_a_share_phone_button(served: Served) -> None:
    await served.channel.send(USER, OutboundMessage("Ваш телефон?", request_contact=True))
    [sent] = served.fake.sends(USER)
    [button] = sent["keyboard"]["Buttons"]
    assert button["ActionType"] == "share-phone"
    assert sent["min_api_version"] == 3


async def test_a_long_text_goes_in_pieces_with_the_keyboard_on_the_last(served: Served) -> None:
    text = ("Строка описания проблемы. " * 40 + "\n") * 12  # about 12,500 characters
    await served.channel.send(USER, OutboundMessage(text, buttons=((b("OK", "v1:q:ok:y"),),)))
    sent = served.fake.sends(USER)
    assert len(sent) == 2
    assert all(len(s["text"]) <= 7000 for s in sent)
    assert " ".join(s["text"] for s in sent).split() == text.split()
    assert "keyboard" not in sent[0] and sent[1]["keyboard"]["Buttons"][0]["ActionBody"]


async def test_a_photo_goes_by_a_signed_link_ending_in_jpg(served: Served) -> None:
    await served.channel.send(USER, OutboundMessage("Фотоотчёт", photos=(SHA,)))
    picture, text = served.fake.sends(USER)
    assert picture["type"] == "picture"
    assert picture["media"].endswith(f"/{SHA}.jpg")
    assert served.fake.fetched[picture["media"]] == PHOTO
    assert text["text"] == "Фотоотчёт"


async def test_a_missing_photo_is_left_out_and_the_text_still_goes(served: Served) -> None:
    await served.channel.send(USER, OutboundMessage("Фотоотчёт", photos=("0" * 64,)))
    [text] = served.fake.sends(USER)
    assert text["text"] == "Фотоотчёт"


async def test_media_links_refuse_a_wrong_signature_an_expired_link_or_another_type(
    served: Served,
) -> None:
    links = served.channel.links
    url = links.url(SHA, "image/jpeg")
    path = url.removeprefix(links.public_url)
    assert (await served.client.get(path)).status == 200
    forged = path.replace(path.split("/")[4], "0" * 32)
    assert (await served.client.get(forged)).status == 403
    assert (await served.client.get(path.replace(".jpg", ".png"))).status == 403
    later = MediaLinks(links.public_url, links.secret, load, clock=lambda: time.time() + 10**6)
    assert MEDIA_LINK_SECONDS < 10**6
    old = links.url(SHA, "image/jpeg").removeprefix(links.public_url)
    links.clock, saved = later.clock, links.clock
    try:
        assert (await served.client.get(old)).status == 403
    finally:
        links.clock = saved


async def test_a_body_over_30_kb_is_refused_without_a_call(served: Served) -> None:
    buttons = tuple((b("я" * 250, f"v1:q:n:{n}"),) for n in range(24))
    with pytest.raises(DeliveryError) as caught:
        await served.channel.send(USER, OutboundMessage("💧" * 7000, buttons=buttons))
    assert caught.value.refused
    assert [c.method for c in served.fake.calls] == ["get_account_info"]


async def test_the_bots_name_is_asked_again_when_viber_was_away_at_the_start(
    served: Served,
) -> None:
    served.channel.sender_name = ""
    await served.channel.send(USER, OutboundMessage("Привет"))
    [sent] = served.fake.sends(USER)
    assert sent["sender"]["name"] == BOT_NAME


async def test_a_long_sender_name_is_cut_to_28(served: Served) -> None:
    served.channel.sender_name = "Аварийно-диспетчерская служба управляющей компании"
    await served.channel.send(USER, OutboundMessage("Привет"))
    [sent] = served.fake.sends(USER)
    name = sent["sender"]["name"]
    assert len(name) <= 28 and name.endswith("…") and name.startswith("Аварийно")


async def test_an_unsubscribed_user_is_unreachable_for_good(served: Served) -> None:
    with pytest.raises(DeliveryError) as caught:
        await served.channel.send("someone-else=", OutboundMessage("Привет"))
    assert caught.value.permanent
    assert "receiverNotSubscribed" in str(caught.value)


async def test_a_message_viber_refuses_as_it_is_is_refused(served: Served) -> None:
    served.fake.fail("status", method="send_message", status=3)
    with pytest.raises(DeliveryError) as caught:
        await served.channel.send(USER, OutboundMessage("Привет"))
    assert caught.value.refused and not caught.value.permanent


@pytest.mark.parametrize("kind", ["500", "503"])
async def test_a_server_error_is_retried(served: Served, kind: str) -> None:
    served.fake.fail(kind, method="send_message")
    with pytest.raises(DeliveryError) as caught:
        await served.channel.send(USER, OutboundMessage("Привет"))
    error = caught.value
    assert not (error.permanent or error.refused) and error.retry_after is None
    await served.channel.send(USER, OutboundMessage("Привет"))
    assert len(served.fake.sends(USER)) == 1


async def test_rate_control_is_retried_later(served: Served) -> None:
    served.fake.fail("status", method="send_message", status=12)
    with pytest.raises(DeliveryError) as caught:
        await served.channel.send(USER, OutboundMessage("Привет"))
    assert caught.value.retry_after and not caught.value.permanent


async def test_a_hanging_viber_times_out_and_is_retried(served: Served) -> None:
    served.channel.api.timeout = 0.2
    await served.channel.api.close()
    served.fake.fail("hang", method="send_message")
    with pytest.raises(DeliveryError) as caught:
        await served.channel.send(USER, OutboundMessage("Привет"))
    assert not (caught.value.permanent or caught.value.refused)


async def test_a_retry_after_a_failure_halfway_does_not_repeat_sent_parts(served: Served) -> None:
    message = OutboundMessage("Фотоотчёт", photos=(SHA,))
    served.fake.fail("500", method="send_message", after=1)  # the picture goes, the text not
    with pytest.raises(DeliveryError):
        await served.channel.send(USER, message)
    await served.channel.send(USER, message)
    assert [s["type"] for s in served.fake.sends(USER)] == ["picture", "text"]


async def test_answers_to_presses_send_nothing(served: Served) -> None:
    assert (await served.channel.send(USER, OutboundMessage("", answer_to="x"))).delivery_id == ""
    assert served.fake.sends(USER) == []


def test_signature_is_hex_hmac_sha256_of_the_body_keyed_by_the_token() -> None:
    body = b'{"event":"message","timestamp":1457764199822,"message_token":4911}'
    token = "4453b0dcd47c3ae3-5e6c9866b2b1c3f7-oxv2lbqvbolcgtbe"
    wrong = "9f40ab0e2a8a5b3f1cd8bd12c38db23e9e1d08cfd4ec2cbb8f2b2e3a2e2b1e0a"
    assert len(signature(token, body)) == 64
    assert signed_by(token, body, signature(token, body))
    assert signed_by(token, body, signature(token, body).upper())
    assert not signed_by(token, body, wrong)
    assert not signed_by(token, body + b" ", signature(token, body))
    assert not signed_by("other", body, signature(token, body))
    assert not signed_by(token, body, None)
    assert not signed_by(token, body, "é")


async def test_set_webhook_retries_until_viber_accepts(served: Served) -> None:
    app = web.Application()

    async def ok(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app.router.add_post("/viber/webhook", ok)
    hook = TestClient(TestServer(app))
    await hook.start_server()
    try:
        served.fake.fail("500", method="set_webhook")
        served.fake.fail("status", method="set_webhook", status=2)
        url = str(hook.make_url("/viber/webhook"))
        answer = await served.channel.set_webhook(url, first_delay=0.01)
        assert answer is not None and answer["status"] == 0
        assert served.fake.webhook_url == url
        assert [c.method for c in served.fake.calls].count("set_webhook") == 3
    finally:
        await hook.close()


async def test_set_webhook_gives_up_after_the_attempts_when_asked(served: Served) -> None:
    answer = await served.channel.set_webhook(
        "http://127.0.0.1:9/viber/webhook", attempts=2, first_delay=0.01
    )
    assert answer is None
    assert [c.method for c in served.fake.calls].count("set_webhook") == 2
