"""The ContentOS client: CRUD, validation errors, LLM pipeline (blocking, async, streaming)."""

import asyncio
import json
import pickle
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import contentos

ANSWER = "Rust makes systems programming safe and fast. Try it on your next service today!"


class FakeOpenAI(BaseHTTPRequestHandler):
    requests: list = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append((self.path, body))
        if self.path != "/v1/chat/completions" or not body.get("messages"):
            self.send_response(400)
            self.end_headers()
            return
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            words = ANSWER.split(" ")
            for i, w in enumerate(words):
                chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 1714564800, "model": body["model"],
                         "choices": [{"index": 0, "delta": {"content": w + ("" if i == len(words) - 1 else " ")},
                                      "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            end = {"id": "c1", "object": "chat.completion.chunk", "created": 1714564800, "model": body["model"],
                   "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            usage = {"id": "c1", "object": "chat.completion.chunk", "created": 1714564800, "model": body["model"], "choices": [],
                     "usage": {"prompt_tokens": 20, "completion_tokens": 15, "total_tokens": 35}}
            self.wfile.write(f"data: {json.dumps(end)}\n\ndata: {json.dumps(usage)}\n\ndata: [DONE]\n\n".encode())
            return
        data = json.dumps({
            "id": "c1", "object": "chat.completion", "created": 1714564800, "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": ANSWER}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 20, "completion_tokens": 15, "total_tokens": 35},
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def llm():
    FakeOpenAI.requests = []
    srv = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/v1"
    srv.shutdown()


@pytest.fixture
def os_(llm):
    return contentos.ContentOS.in_memory(llm_base_url=llm, llm_model="test-model")


@pytest.fixture
def ws(os_):
    user = os_.create_user("ada@example.com")
    w = os_.create_workspace(user["id"], "Acme", timezone="Europe/Berlin",
                             brand_voice={"style": "plain", "banned_words": ["synergy"]})
    return user["id"], w


def test_users_workspaces_snake_case(os_, ws):
    uid, w = ws
    assert w["name"] == "Acme" and w["timezone"] == "Europe/Berlin" and w["owner_id"] == uid
    assert w["brand_voice"]["banned_words"] == ["synergy"]
    assert os_.get_workspace(uid, w["id"])["id"] == w["id"]
    mine = os_.my_workspaces(uid)
    assert [(m["workspace"]["id"], m["role"]) for m in mine] == [(w["id"], "owner")]


def test_content_crud(os_, ws):
    uid, w = ws
    c = os_.create_content(uid, w["id"], "Notes about our launch", title="Launch",
                           variations=[{"body": "We launched!", "platform": "mastodon"}])
    cid = c["id"]
    assert c["status"] == "draft" and c["workspace_id"] == w["id"]
    assert c["variations"][0]["platform"] == "mastodon"
    got = os_.get_content(uid, cid)
    assert got["title"] == "Launch" and got["variations"][0]["body"] == "We launched!"
    page = os_.list_content(uid, w["id"], limit=10)
    assert [x["id"] for x in page["items"]] == [cid]
    os_.delete_content(uid, cid)
    with pytest.raises(contentos.NotFoundError) as e:
        os_.get_content(uid, cid)
    assert e.value.kind == "not_found" and e.value.entity == "content"


def test_segments(os_, ws):
    uid, w = ws
    s = os_.create_segment(uid, w["id"], "Developers", description="people who code",
                           attributes={"role": "engineer"})
    assert s["attributes"] == {"role": "engineer"}
    assert [x["name"] for x in os_.list_segments(uid, w["id"])] == ["Developers"]


def test_validation_errors_carry_field_and_rule(os_, ws):
    uid, _ = ws
    with pytest.raises(contentos.ValidationError) as e:
        os_.create_workspace(uid, "X", timezone="Mars/Olympus")
    assert e.value.field == "timezone" and e.value.rule
    with pytest.raises(contentos.ValidationError) as e:
        os_.get_workspace(uid, "not-a-uuid")
    assert e.value.field == "workspace_id"
    with pytest.raises(contentos.ContentOSError):
        os_.list_content(uid, str(uuid.uuid4()), limit=500)


def test_permission_denied_for_strangers(os_, ws):
    _, w = ws
    eve = os_.create_user("eve@example.com")
    with pytest.raises(contentos.PermissionDeniedError) as e:
        os_.get_workspace(eve["id"], w["id"])
    assert e.value.kind == "permission_denied"


def test_exceptions_pickle_and_hierarchy():
    e = contentos.errors.from_native("rate_limited", "slow down", {"service": "x", "retry_after": 3.0})
    assert isinstance(e, contentos.RateLimitError) and isinstance(e, contentos.ContentOSError)
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is contentos.RateLimitError and back.retry_after == 3.0 and back.service == "x"
    assert contentos.OperationTimeoutError is not TimeoutError
    assert contentos.errors.from_native("??", "m", {}).kind == "internal"


def test_generate_blocking_and_scored(os_, ws):
    uid, w = ws
    out = os_.generate(uid, w["id"], "Announce our Rust SDK release", variations=2)
    assert len(out["variations"]) == 2
    assert all(ANSWER[:20] in v["body"] for v in out["variations"])
    path, body = FakeOpenAI.requests[-1]
    assert body["model"] == "test-model"


def test_generate_validation_happens_before_the_llm(os_, ws):
    uid, w = ws
    n = len(FakeOpenAI.requests)
    with pytest.raises(contentos.ValidationError) as e:
        os_.generate(uid, w["id"], "short")
    assert e.value.field == "input"
    assert len(FakeOpenAI.requests) == n


def test_async_variants(os_, ws):
    uid, w = ws

    async def main():
        u = await os_.create_user_async("bob@example.com")
        w2 = await os_.create_workspace_async(u["id"], "Bob's")
        g = await os_.generate_async(u["id"], w2["id"], "Write about async Python and Rust")
        t = await os_.transform_async(u["id"], g["content"]["id"], ["mastodon", "bluesky"])
        rep = await os_.performance_async(u["id"], w2["id"], days=7)
        return g, t, rep

    g, t, rep = asyncio.run(main())
    assert g["content"]["id"]
    assert sorted(v["platform"] for v in t) == ["bluesky", "mastodon"]
    assert isinstance(rep, dict)


def test_generate_stream_async_iterator(os_, ws):
    uid, w = ws

    async def main():
        return [ev async for ev in os_.generate_stream(uid, w["id"], "Stream me a post about Rust")]

    events = asyncio.run(main())
    deltas = "".join(e["text"] for e in events if e["type"] == "delta")
    assert ANSWER.split(" ")[0] in deltas
    assert events[-1]["type"] == "stored"
    assert events[-1]["variations"][0]["body"]


def test_generate_stream_errors_raise(os_, ws):
    uid, w = ws

    async def main():
        async for _ in os_.generate_stream(uid, w["id"], "tiny"):
            pass

    with pytest.raises(contentos.ValidationError):
        asyncio.run(main())


def test_file_database_persists(tmp_path, llm):
    db = tmp_path / "c.db"
    a = contentos.ContentOS(db)
    u = a.create_user("p@example.com")
    del a
    b = contentos.ContentOS(path=db)
    w = b.create_workspace(u["id"], "Persisted")
    assert w["owner_id"] == u["id"]
