"""MastodonPublisher against a local server that checks the wire format like the real API."""

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import contentos

TOKEN = "tok-secret-123"


class Mastodon(BaseHTTPRequestHandler):
    statuses: list = []
    mode = "ok"

    def log_message(self, *args):
        pass

    def _reply(self, code, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/api/v2/instance":
            return self._reply(200, {"configuration": {"statuses": {
                "max_characters": 500, "max_media_attachments": 4, "characters_reserved_per_url": 23}}})
        self._reply(404, {"error": "Record not found"})

    def do_POST(self):
        if self.path != "/api/v1/statuses":
            return self._reply(404, {"error": "Record not found"})
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._reply(401, {"error": "The access token is invalid"})
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        key = self.headers.get("Idempotency-Key")
        cls = type(self)
        if cls.mode == "reject":
            return self._reply(422, {"error": "Validation failed: Text can't be blank"})
        if cls.mode == "ratelimit":
            return self._reply(429, {"error": "Too many requests"},
                               {"Retry-After": "3600", "X-RateLimit-Remaining": "0"})
        problems = []
        if not key or len(key) < 16:
            problems.append("Idempotency-Key")
        if not isinstance(body.get("status"), str) or not body["status"]:
            problems.append("status")
        if body.get("visibility") not in ("public", "unlisted", "private", "direct"):
            problems.append("visibility")
        if cls.statuses and body.get("in_reply_to_id") != cls.statuses[-1]["id"]:
            problems.append("in_reply_to_id")
        if not cls.statuses and "in_reply_to_id" in body:
            problems.append("first part must not reply")
        if problems:
            return self._reply(400, {"error": "bad request: " + ", ".join(problems)})
        sid = str(1000 + len(cls.statuses))
        cls.statuses.append({"id": sid, "body": body, "key": key})
        self._reply(200, {"id": sid, "url": f"http://{self.headers['Host']}/@me/{sid}",
                          "uri": f"http://{self.headers['Host']}/users/me/statuses/{sid}",
                          "content": body["status"]})


@pytest.fixture
def server():
    Mastodon.statuses = []
    Mastodon.mode = "ok"
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Mastodon)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_mastodon_thread_wire_format(server):
    pub = contentos.MastodonPublisher(server, TOKEN, account_name="me")
    receipt = pub.publish(["First part of the thread", "Second part"], languages=["en"])
    assert receipt["platform"] == "mastodon"
    ids = [p["platform_post_id"] for p in receipt["parts"]]
    assert ids == ["1000", "1001"]
    assert receipt["parts"][0]["url"].endswith("/@me/1000")
    first, second = Mastodon.statuses
    assert first["body"]["status"] == "First part of the thread"
    assert first["body"]["visibility"] == "public"
    assert first["body"]["language"] == "en"
    assert second["body"]["in_reply_to_id"] == "1000"
    assert first["key"] != second["key"]
    assert TOKEN not in repr(pub)


def test_idempotency_key_is_deterministic_per_post_key(server):
    pub = contentos.MastodonPublisher(server, TOKEN)
    key = "0191f0d2-7c7a-7cc4-9f55-2f6f3a3c1b11"
    pub.publish(["hello"], post_key=key)
    Mastodon.statuses.clear()
    pub.publish(["hello"], post_key=key)
    assert len(Mastodon.statuses) == 1


def test_async_publish(server):
    pub = contentos.MastodonPublisher(server, TOKEN)
    async def main():
        return await pub.publish_async([{"text": "from asyncio"}])

    receipt = asyncio.run(main())
    assert receipt["parts"][0]["platform_post_id"] == "1000"
    assert Mastodon.statuses[0]["body"]["status"] == "from asyncio"


def test_rejection_and_rate_limit_map_to_exceptions(server):
    pub = contentos.MastodonPublisher(server, TOKEN)
    Mastodon.mode = "reject"
    with pytest.raises(contentos.RejectedError) as e:
        pub.publish(["x"])
    assert e.value.kind == "rejected" and e.value.service == "mastodon"
    assert isinstance(e.value, contentos.ContentOSError)
    Mastodon.mode = "ratelimit"
    with pytest.raises(contentos.RateLimitError) as e:
        pub.publish(["x"])
    assert e.value.retry_after == pytest.approx(3600, abs=5)


def test_wrong_token_is_unauthorized(server):
    pub = contentos.MastodonPublisher(server, "wrong")
    with pytest.raises(contentos.ContentOSError) as e:
        pub.publish(["x"])
    assert e.value.kind in ("unauthorized", "needs_reauth")
    assert "wrong" not in str(e.value)


def test_validation_before_any_request(server):
    pub = contentos.MastodonPublisher(server, TOKEN)
    with pytest.raises(contentos.ValidationError) as e:
        pub.publish(["x" * 600])
    assert e.value.field
    assert Mastodon.statuses == []


def test_bluesky_publisher_constructs():
    pub = contentos.BlueskyPublisher("me.test", "app-pass", base_url="http://127.0.0.1:9")
    assert "app-pass" not in repr(pub)
    with pytest.raises(contentos.ContentOSError):
        pub.publish(["hello"])
