"""The web chat API against hostile input: a clear 4xx for each attack, nothing stored."""

from __future__ import annotations

import io
import json
import re
import struct
import zlib
from typing import Any

from aiohttp import FormData
from PIL import Image
from sqlalchemy import func, select, text

from adapters.web.settings import WebSettings
from core.storage.tables import InboxItem
from tests.support.harness import FakeClock, Harness, make_harness, png

API = "/api/web/messages"


async def inbox_rows(h: Harness) -> int:
    async with h.app.db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(InboxItem)) or 0)


async def post_raw(
    h: Harness, body: bytes, content_type: str = "application/json", **headers: str
) -> tuple[int, Any]:
    response = await h.client.post(
        API, data=body, headers={"Content-Type": content_type, **headers}
    )
    text = await response.text()
    assert response.content_type == "application/json", (response.status, text)
    return response.status, json.loads(text)


async def upload(h: Harness, data: bytes, user: str = "res-1") -> tuple[int, Any]:
    form = FormData()
    form.add_field("chat", user)
    form.add_field("user", user)
    form.add_field("photo", io.BytesIO(data), filename="x.jpg", content_type="image/jpeg")
    response = await h.client.post(API, data=form)
    return response.status, await response.json()


async def test_json_that_crashed_the_parser_is_a_400(harness: Harness) -> None:
    h = harness
    cases: list[tuple[bytes, str, int, str]] = [
        (b'{"chat":"e","user":"e","text":"x"}', "application/json; charset=bogus", 415, "UTF-8"),
        (b'{"chat":"e","user":"e","text":"x"}', "application/json; charset=latin-1", 415, "UTF-8"),
        (b"[" * 20_000 + b"]" * 20_000, "application/json", 400, "nested"),
        (
            b'{"chat":"e","user":"e","text":"x","n":' + b"7" * 5000 + b"}",
            "application/json",
            400,
            "digits",
        ),
        (b'{"chat":"e","user":"e","text":"x","n":NaN}', "application/json", 400, "NaN"),
        (b'{"chat":"e","user":"e","text":"x","text":"y"}', "application/json", 400, "twice"),
        (b'{"chat":"e","user":"e","text":"\xff"}', "application/json", 400, "UTF-8"),
    ]
    for body, content_type, status, words in cases:
        got, answer = await post_raw(h, body, content_type)
        assert (got, words in answer["error"]) == (status, True), (body[:60], got, answer)
    assert await inbox_rows(h) == 0


async def test_a_body_larger_than_any_message_is_refused_unread(harness: Harness) -> None:
    body = b'{"chat":"e","user":"e","text":"' + b"x" * 1_000_000 + b'"}'
    status, answer = await post_raw(harness, body)
    assert status == 413 and "larger than" in answer["error"]


async def test_control_characters_and_lone_surrogates_are_refused(any_harness: Harness) -> None:
    """On PostgreSQL a NUL or a lone surrogate cannot even be stored: refused at the edge."""
    h = any_harness
    bodies = [
        r'{"chat":"e","user":"e","button":"\u0000"}',
        r'{"chat":"e","user":"e","button":"\ud800"}',
        r'{"chat":"e","user":"e","text":"a\ud800b"}',
        r'{"chat":"e","user":"e","text":"a\u0000b"}',
        r'{"chat":"e","user":"e","text":"bell \u0007"}',
        r'{"chat":"e","user":"e","text":"\u009b31m red"}',
    ]
    for body in bodies:
        status, answer = await post_raw(h, body.encode())
        assert status == 400, (body, answer)
        assert re.search("surrogate|control character", answer["error"]), answer
    form = FormData()
    for name, value in (("chat", "e"), ("user", "e"), ("text", "cap\x00tion")):
        form.add_field(name, value)
    form.add_field("photo", png(), filename="p.png", content_type="image/png")
    response = await h.client.post(API, data=form)
    assert response.status == 400 and "U+0000" in (await response.json())["error"]
    assert await inbox_rows(h) == 0
    # Line breaks and tabs are text; the service goes on.
    status, _ = await post_raw(h, b'{"chat":"e","user":"e","text":"two\\nlines\\tand a tab"}')
    assert status == 202
    await h.settle()
    assert await h.read("e")


async def test_blank_text_and_buttons_are_refused(harness: Harness) -> None:
    for body in (
        r'{"chat":"e","user":"e","button":"\n"}',
        r'{"chat":"e","user":"e","button":"  "}',
        r'{"chat":"e","user":"e","text":"\t\n"}',
    ):
        status, answer = await post_raw(harness, body.encode())
        assert status == 400, (body, answer)
    assert await inbox_rows(harness) == 0


async def test_broken_multipart_is_a_400(harness: Harness) -> None:
    h = harness
    part = b'--b\r\nContent-Disposition: form-data; name="chat"\r\n\r\ne\r\n--b--\r\n'
    for content_type, body in [
        ("multipart/form-data", part),
        ("multipart/form-data; boundary=" + "x" * 71, part),
        ("multipart/form-data; boundary=b", b"no boundary line at all"),
        ("multipart/form-data; boundary=b", part[:30]),
    ]:
        status, answer = await post_raw(h, body, content_type)
        assert status == 400, (content_type, body, answer)
    encoded = (
        b'--b\r\nContent-Disposition: form-data; name="text"\r\nContent-Encoding: gzip\r\n\r\n'
        + zlib.compress(b"x" * 100_000)
        + b"\r\n--b--\r\n"
    )
    status, answer = await post_raw(h, encoded, "multipart/form-data; boundary=b")
    assert status == 415 and "encoded" in answer["error"]
    assert await inbox_rows(h) == 0


async def test_media_links_with_odd_expiry_are_forbidden_not_500(harness: Harness) -> None:
    h = harness
    sha = "0" * 64
    for exp in ("%C2%B2", "9" * 5000, "-1", "1e9", "", "%EF%BC%91"):
        response = await h.client.get(f"/media/{sha}?exp={exp}&sig=x")
        assert response.status == 403, exp


async def test_a_file_that_only_starts_like_an_image_is_refused(harness: Harness) -> None:
    h = harness
    html = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00<html><script>alert(document.cookie)</script>"
    status, answer = await upload(h, html)
    assert status == 400 and "not a JPEG, PNG, GIF or WebP" in answer["error"]
    assert await inbox_rows(h) == 0


def png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (width * 3 + 1) * 64)  # the first rows; the rest compress alike
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


async def test_photos_messengers_cannot_show_are_refused_with_422(harness: Harness) -> None:
    h = harness
    for data, words in [
        (png_claiming(20_000, 20_000), "more pixels"),
        (png(size=(10, 10)), "smaller than 32x32"),
        (png(size=(2100, 100)), "20 times"),
    ]:
        status, answer = await upload(h, data)
        assert status == 422 and words in answer["error"], answer
    assert await inbox_rows(h) == 0


async def test_photos_are_served_re_encoded_with_nosniff(harness: Harness) -> None:
    h = harness
    exif = Image.Exif()
    exif.get_ifd(0x8825)[2] = (55.0, 45.0, 21.0)  # GPS latitude
    out = io.BytesIO()
    Image.new("RGB", (80, 60), "teal").save(out, "JPEG", exif=exif.tobytes())
    replies = await h.photo("res-2", out.getvalue())
    replies = await h.press("res-2", replies[-1].button("Садовая"))
    replies = await h.say("res-2", "на балконе трещина в плите")
    replies = await h.press("res-2", replies[-1].button("Крыша и фасад"))
    summary = (await h.press("res-2", replies[-1].button("Готово")))[-1]
    (url,) = summary.photos
    response = await h.client.get(url)
    assert response.status == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    served = await response.read()
    assert b"Exif" not in served
    assert Image.open(io.BytesIO(served)).size == (80, 60)


async def test_idempotency_key_is_checked(any_harness: Harness) -> None:
    h = any_harness
    body = {"chat": "res-1", "user": "res-1", "text": "течёт кран"}
    for key in ("", "a b", "x" * 65, "ключ", "a/b"):
        response = await h.client.post(API, json=body, headers={"Idempotency-Key": key})
        assert response.status == 400, key
        assert "Idempotency-Key" in (await response.json())["error"]
    assert await inbox_rows(h) == 0

    user = "u" * 64  # with a 64-character key, longer than the inbox's event id column
    body = {"chat": user, "user": user, "text": "течёт кран"}
    key = {"Idempotency-Key": "k" * 64}
    first = await h.client.post(API, json=body, headers=key)
    again = await h.client.post(API, json=body, headers=key)
    assert first.status == again.status == 202
    assert (await first.json())["id"] == (await again.json())["id"]
    other = await h.client.post(API, json={**body, "text": "и свет погас"}, headers=key)
    assert other.status == 409
    assert "different message" in (await other.json())["error"]
    assert await inbox_rows(h) == 1

    form = FormData()
    for name, value in (("chat", user), ("user", user)):
        form.add_field(name, value)
    form.add_field("photo", png(3), filename="p.png", content_type="image/png")
    photo_key = {"Idempotency-Key": "photo-1"}
    assert (await h.client.post(API, data=form, headers=photo_key)).status == 202
    form = FormData()
    for name, value in (("chat", user), ("user", user)):
        form.add_field(name, value)
    form.add_field("photo", png(4), filename="p.png", content_type="image/png")
    assert (await h.client.post(API, data=form, headers=photo_key)).status == 409
    assert await inbox_rows(h) == 2
    assert len([p for p in h.app.settings.media_dir.rglob("*") if p.is_file()]) == 1


async def test_posts_are_rate_limited_per_user(harness: Harness) -> None:
    h = harness
    body = {"chat": "res-1", "user": "res-1", "text": "ещё сообщение"}
    for _ in range(30):
        assert (await h.client.post(API, json=body)).status == 202
    refused = await h.client.post(API, json=body)
    assert refused.status == 429
    assert refused.headers["Retry-After"] == "2"  # one post per 2 s refills
    assert "too many messages" in (await refused.json())["error"]
    other = await h.client.post(API, json={**body, "chat": "res-2", "user": "res-2"})
    assert other.status == 202
    h.clock.advance(seconds=2)
    assert (await h.client.post(API, json=body)).status == 202
    assert (await h.client.post(API, json=body)).status == 429
    assert await inbox_rows(h) == 32


async def test_posts_are_rate_limited_per_address(tmp_path, clock: FakeClock) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/svc.db"
    web = WebSettings(posts_per_address_minute=5, _env_file=None)
    async with make_harness(url, tmp_path, clock, channels={"web": web}) as h:
        statuses = []
        for i in range(7):
            body = {"chat": f"anon-{i}", "user": f"anon-{i}", "text": "привет"}
            statuses.append((await h.client.post(API, json=body)).status)
        # Refused posts count too: a flood of junk is a flood.
        junk = await h.client.post(API, data=b"junk", headers={"Content-Type": "text/plain"})
        assert statuses == [202] * 5 + [429, 429] and junk.status == 429
        assert junk.headers["Retry-After"] == "12"
        clock.advance(seconds=12)
        body = {"chat": "anon-9", "user": "anon-9", "text": "привет"}
        assert (await h.client.post(API, json=body)).status == 202


async def test_a_post_the_database_cannot_take_is_a_503(harness: Harness) -> None:
    """Nothing half-stored and no 500: the client is told to try again."""
    async with harness.app.db.transaction() as session:
        await session.execute(text(f"DROP TABLE {InboxItem.__tablename__}"))
    body = {"chat": "res-1", "user": "res-1", "text": "нет воды"}
    response = await harness.client.post(API, json=body)
    assert response.status == 503
    assert "try again" in (await response.json())["error"]
