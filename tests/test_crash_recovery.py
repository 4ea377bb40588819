"""A process killed after the inbox commit loses nothing: the event is handled on restart."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from tests.support.live import LiveService


def call(url: str, body: dict[str, str] | None = None) -> tuple[int, dict[str, object]]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=40) as response:
        return response.status, json.loads(response.read())


def test_killed_between_inbox_commit_and_processing(tmp_path: Path) -> None:
    service = LiveService(tmp_path)
    # A web-only process: it commits to the inbox and answers, but handles nothing.
    service.start(RUN_WORKERS="0")
    try:
        status, body = call(
            f"{service.url}/api/web/messages",
            {"chat": "res-1", "user": "res-1", "text": "Ленина 5, кв 12 — течёт кран на кухне"},
        )
        assert status == 202 and isinstance(body["id"], int)
        _, empty = call(f"{service.url}/api/web/messages?chat=res-1&after=0&wait=0")
        assert empty["messages"] == []
    finally:
        service.kill()  # SIGKILL: no shutdown code runs
    service.start()
    try:
        _, got = call(f"{service.url}/api/web/messages?chat=res-1&after=0&wait=20")
        messages = got["messages"]
        assert isinstance(messages, list) and messages
        texts = [m["text"] for m in messages]
        for _ in range(5):  # the greeting, then the question: a few long polls at most
            if any(t.startswith("Похоже, это:") for t in texts):
                break
            last = messages[-1]["id"]
            _, more = call(f"{service.url}/api/web/messages?chat=res-1&after={last}&wait=20")
            assert more["messages"], texts
            messages = more["messages"]
            texts += [m["text"] for m in messages]
        assert texts[-1] == "Похоже, это: Водоснабжение. Верно?", texts
        assert "Здравствуйте" in texts[0]
    finally:
        service.stop()
