"""The shared pieces the channel adapters lean on: the memory of parts sent of a message
in several parts, and signed, expiring media links with constant-time secret checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from adapters.parts import SentParts
from core.channel import OutboundMessage
from core.signing import link_refusal, link_signature, same_secret

SECRET = b"k" * 32


class Wire:
    """Sends parts, failing the ones named in ``fail_at`` once each."""

    def __init__(self, *fail_at: str) -> None:
        self.fail_at = set(fail_at)
        self.sent: list[str] = []

    def part(self, text: str) -> Callable[[], Awaitable[str]]:
        async def send() -> str:
            if text in self.fail_at:
                self.fail_at.discard(text)
                raise ConnectionError(text)
            self.sent.append(text)
            return f"id-{text}"

        return send


async def _send_all(parts: SentParts, wire: Wire, chat: str, message: OutboundMessage) -> str:
    sending = parts.sending(chat, message)
    for text in ("a", "b", "c"):
        await sending.part(wire.part(text))
    return sending.finished()


async def test_a_retry_resumes_after_the_parts_sent_and_a_finished_message_is_forgotten() -> None:
    parts, wire = SentParts(), Wire("b")
    message = OutboundMessage("три части")
    with pytest.raises(ConnectionError):
        await _send_all(parts, wire, "1", message)
    assert await _send_all(parts, wire, "1", message) == "id-c"
    assert wire.sent == ["a", "b", "c"]
    # The same message to another chat, or again once sent whole, goes in full.
    await _send_all(parts, wire, "2", message)
    await _send_all(parts, wire, "1", message)
    assert wire.sent == ["a", "b", "c"] * 3


async def test_the_memory_keeps_the_newest_messages_only() -> None:
    parts, wire = SentParts(limit=2), Wire()
    messages = [OutboundMessage(text) for text in ("один", "два", "три")]
    for message in messages:  # each: the first part goes, the second fails
        wire.fail_at = {"b"}
        with pytest.raises(ConnectionError):
            await _send_all(parts, wire, "1", message)
    wire.sent.clear()
    await _send_all(parts, wire, "1", messages[0])  # the oldest, forgotten: in full
    await _send_all(parts, wire, "1", messages[2])  # remembered: the rest only
    assert wire.sent == ["a", "b", "c", "b", "c"]


def test_a_media_link_opens_until_it_expires_and_only_with_its_signature_and_scope() -> None:
    name, expires = "ab" * 32, 1_000
    good = link_signature(SECRET, name, expires, scope="viber-media:")
    assert link_refusal(SECRET, name, "1000", good, 999.0, scope="viber-media:") is None
    assert link_refusal(SECRET, name, "1000", good, 1000.5, scope="viber-media:") == (
        "link expired"
    )
    assert link_refusal(SECRET, name, "1000", good, 999.0) == "bad signature"
    assert link_refusal(b"x" * 32, name, "1000", good, 999.0, scope="viber-media:") == (
        "bad signature"
    )
    assert link_refusal(SECRET, "cd" * 32, "1000", good, 999.0, scope="viber-media:") == (
        "bad signature"
    )
    for odd in ("", "-1", "1e9", "²", "9" * 13, "１"):
        assert link_refusal(SECRET, name, odd, good, 0.0) == "link expired", odd
    assert link_refusal(SECRET, name, "1000", "\udcff" * 32, 999.0) == "bad signature"


def test_secrets_compare_by_value_whatever_their_length_or_characters() -> None:
    assert same_secret("s3cret", "s3cret")
    assert not same_secret("s3cre", "s3cret")
    assert not same_secret("", "s3cret")
    assert not same_secret("s3cret\udcff", "s3cret")
