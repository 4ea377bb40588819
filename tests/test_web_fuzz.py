"""Property tests of the web edge: no input of any shape gets a 500, and the service
still answers a valid message afterwards.

Each test starts one service and sends it every example, so what the examples leave
behind (stored junk, rate-limit state) is part of what is tested.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yarl import URL

from adapters.web.settings import WebSettings
from core.text_safety import text_problem
from tests.support.harness import FakeClock, make_harness, png
from tests.support.own_loop import OwnLoop, own_loop

API = "/api/web/messages"
EXAMPLES = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Any character, lone surrogates and controls included.
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
IDS = st.one_of(st.sampled_from(["res-1", "e", "dispatch", "x" * 64]), ANY_TEXT, st.integers())
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12,
)
MESSAGE_SHAPED = st.fixed_dictionaries(
    {"chat": IDS, "user": IDS},
    optional={"text": JSON_VALUES, "button": JSON_VALUES, "extra": JSON_VALUES},
)
VALID_IDS = st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True)
NEARLY_VALID = st.fixed_dictionaries(
    {"chat": VALID_IDS, "user": VALID_IDS, "text": st.one_of(ANY_TEXT, st.text(min_size=1))}
) | st.fixed_dictionaries({"chat": VALID_IDS, "user": VALID_IDS, "button": ANY_TEXT})
HEADER_VALUE = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=80
)
CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "application/json; charset=UTF8",
            "application/json; charset=bogus",
            "application/json; charset=",
            'application/json; charset="utf-8',
            "application/json;;;",
            "multipart/form-data",
            "multipart/form-data; boundary=b",
            "multipart/form-data; boundary=",
            'multipart/form-data; boundary="b"',
            "text/plain",
            "",
        ]
    ),
    HEADER_VALUE,
    st.builds(lambda c: f"application/json; charset={c}", HEADER_VALUE),
)


class Service:
    """The service on SQLite, with rate limits high enough that the examples are not
    all 429s."""

    def __init__(self, loop: OwnLoop, tmp_path: Path) -> None:
        self.run = loop.run
        url = f"sqlite+aiosqlite:///{tmp_path}/fuzz.db"
        self.h = loop.enter(
            make_harness(
                url,
                tmp_path,
                FakeClock(),
                channels={
                    "web": WebSettings(
                        posts_per_user_minute=100_000,
                        posts_per_address_minute=1_000_000,
                        _env_file=None,
                    )
                },
            )
        )
        self.statuses: list[int] = []

    def request(self, method: str, url: str | URL, **kw: Any) -> int:
        async def go() -> int:
            response = await self.h.client.request(method, url, **kw)
            body = await response.read()
            assert response.status < 500, (response.status, body[:300])
            if url == API and method == "POST":
                answer = json.loads(body)
                assert ("id" in answer) == (response.status == 202), answer
            return response.status

        status = self.run(go())
        self.statuses.append(status)
        return status

    def still_works(self) -> None:
        """The accepted junk is processed without harm, and a resident is still answered."""

        async def go() -> None:
            h = self.h
            await h.settle()
            replies = await h.say("fuzz-check", "Ленина 5, кв 12 — течёт кран на кухне")
            assert replies, "no answer after the fuzzing"

        self.run(go())


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    with own_loop() as loop:
        yield Service(loop, tmp_path)


def encode(value: Any, ascii_only: bool) -> bytes:
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def fuzz(service: Service, strategy: Any, send: Callable[[Any], int]) -> None:
    @EXAMPLES
    @given(strategy)
    def run(example: Any) -> None:
        send(example)

    run()
    service.still_works()


def test_json_bodies_of_any_shape(service: Service) -> None:
    bodies = st.tuples(st.one_of(NEARLY_VALID, MESSAGE_SHAPED, JSON_VALUES), st.booleans())

    def send(example: tuple[Any, bool]) -> int:
        value, ascii_only = example
        status = service.request(
            "POST",
            API,
            data=encode(value, ascii_only),
            headers={"Content-Type": "application/json"},
        )
        if status == 202:
            said = value.get("text", value.get("button"))
            assert text_problem(said) is None and said.strip(), value
        return status

    fuzz(service, bodies, send)
    assert 202 in service.statuses and 400 in service.statuses


def test_raw_bodies_with_any_headers(service: Service) -> None:
    raw = st.one_of(
        st.binary(max_size=300),
        st.builds(lambda v: encode(v, True), MESSAGE_SHAPED),
        st.builds(lambda v: b"[" * v + b"]" * v, st.integers(0, 30_000)),
        st.builds(
            lambda n: b'{"chat":"e","user":"e","text":' + b"9" * n + b"}", st.integers(1, 9000)
        ),
    )
    headers = st.fixed_dictionaries(
        {"Content-Type": CONTENT_TYPES},
        optional={"Idempotency-Key": HEADER_VALUE, "Accept-Charset": HEADER_VALUE},
    )

    def send(example: tuple[bytes, dict[str, str]]) -> int:
        body, given_headers = example
        return service.request("POST", API, data=body, headers=given_headers)

    fuzz(service, st.tuples(raw, headers), send)


PART_NAMES = st.one_of(st.sampled_from(["chat", "user", "text", "photo", "other"]), ANY_TEXT)
PART_BODIES = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([png(1), png(2, (10, 10)), png(3, (700, 20)), b"\xff\xd8\xff<html>"]),
    st.builds(lambda t: t.encode("utf-8", "surrogatepass"), ANY_TEXT),
)
PART_HEADERS = st.lists(
    st.sampled_from(
        [
            b"Content-Type: image/png",
            b"Content-Encoding: gzip",
            b"Content-Transfer-Encoding: base64",
            b"Content-Disposition: form-data",
            b"Content-Type: multipart/mixed; boundary=inner",
            b"X-Junk: \xff\xfe",
        ]
    ),
    max_size=2,
)


def multipart_body(parts: list[tuple[str, list[bytes], bytes]], boundary: bytes) -> bytes:
    out = b""
    for name, headers, body in parts:
        disposition = f'Content-Disposition: form-data; name="{name}"; filename="p"'
        out += b"--" + boundary + b"\r\n" + disposition.encode("utf-8", "surrogatepass")
        out += b"".join(b"\r\n" + h for h in headers) + b"\r\n\r\n" + body + b"\r\n"
    return out + b"--" + boundary + b"--\r\n"


def test_multipart_bodies(service: Service) -> None:
    part = st.tuples(PART_NAMES, PART_HEADERS, PART_BODIES)
    example = st.tuples(
        st.lists(part, max_size=5),
        st.sampled_from([b"b", b"x" * 70, b"--", b"\xff"]),
        st.sampled_from(["b", "x" * 70, "--", "", "x" * 71, "other"]),
        st.integers(0, 3),
    )

    def send(ex: tuple[list[tuple[str, list[bytes], bytes]], bytes, str, int]) -> int:
        parts, boundary, declared, cut = ex
        if cut == 0:  # the usual shape, so that some posts get through
            parts = [("chat", [], b"res-1"), ("user", [], b"res-1"), *parts]
        body = multipart_body(parts, boundary)
        if cut == 3:
            body = body[: len(body) // 2]
        content_type = (
            f"multipart/form-data; boundary={declared}" if declared else "multipart/form-data"
        )
        return service.request("POST", API, data=body, headers={"Content-Type": content_type})

    fuzz(service, example, send)


QUERY = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60).map(
    lambda s: quote(s, safe="=&%+")
)


def not_a_long_poll(wait: str) -> bool:
    """A wait the service would honour makes an example last that long: left out."""
    try:
        return not 0 < float(unquote(wait)) <= 30
    except ValueError:
        return True


def test_get_messages_and_media_queries(service: Service) -> None:
    odd = st.sampled_from(["%C2%B2", "%D9%A3", "%EF%BC%91", "%ED%A0%80", "%FF", "%", "1e9", "-0"])
    values = st.one_of(
        ANY_TEXT.map(lambda s: quote(s.encode("utf-8", "surrogatepass"))), QUERY, odd
    )
    numbers = st.one_of(
        values,
        odd,
        st.integers().map(str),
        st.integers(1, 6000).map(lambda n: "9" * n),
        st.sampled_from(["nan", "inf", "-0", "1e309", "0.01"]),
    )
    messages = st.builds(
        lambda params, raw: f"{API}?{params}&{raw}",
        st.fixed_dictionaries(
            {},
            optional={
                "chat": st.one_of(values, st.just("res-1")),
                "after": numbers,
                "wait": numbers.filter(not_a_long_poll),
            },
        ).map(lambda d: "&".join(f"{k}={v}" for k, v in d.items())),
        QUERY,
    )
    media = st.builds(
        lambda sha, exp, sig: f"/media/{sha or 'x'}?exp={exp}&sig={sig}",
        st.one_of(st.just("0" * 64), values),
        numbers,
        values,
    )

    def send(url: str) -> int:
        return service.request("GET", URL(url, encoded=True))

    fuzz(service, st.one_of(messages, media), send)
