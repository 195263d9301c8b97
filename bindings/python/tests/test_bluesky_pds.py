"""Publishing through the Python binding to the REAL local Bluesky PDS (scripts/bluesky/setup.sh).

Runs when CONTENTOS_BLUESKY_PDS is set (scripts/test-python.sh sets it); when it is set and the
PDS is down, the tests fail instead of skipping. The records are read back from the PDS.
"""

import json
import os
import urllib.parse
import urllib.request
import uuid

import pytest

import contentos

PDS = os.environ.get("CONTENTOS_BLUESKY_PDS", "").rstrip("/")
pytestmark = pytest.mark.skipif(not PDS, reason="CONTENTOS_BLUESKY_PDS not set (scripts/test-python.sh sets it)")


def _call(method, path, body=None, query=None):
    url = f"{PDS}/xrpc/{path}"
    if query:
        url += "?" + urllib.parse.urlencode(query)
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:  # raises (test fails) when the PDS is down
        return json.loads(r.read())


def create_account(prefix):
    """A fresh account on the dev PDS: (handle, password, did)."""
    tag = uuid.uuid4().hex[:8]
    handle, password = f"{prefix}{tag}.test", f"pw-{tag}"
    out = _call("POST", "com.atproto.server.createAccount",
                {"handle": handle, "email": f"{handle}@example.com", "password": password})
    return handle, password, out["did"]


def get_record(uri):
    repo, collection, rkey = uri.removeprefix("at://").split("/", 2)
    return _call("GET", "com.atproto.repo.getRecord", query={"repo": repo, "collection": collection, "rkey": rkey})


def covered(text, facet):
    raw = text.encode()
    return raw[facet["index"]["byteStart"]:facet["index"]["byteEnd"]].decode()


def test_thread_with_link_and_mention_is_read_back():
    alice, password, alice_did = create_account("pya")
    bob, _, bob_did = create_account("pyb")
    texts = [
        "Python says hi 🐍 read https://example.com/python/guide first",
        f"Thanks @{bob} for the review!",
        "Third and last part.",
    ]
    pub = contentos.BlueskyPublisher(alice, password, base_url=PDS)
    receipt = pub.publish(texts, languages=["en"])
    assert receipt["platform"] == "bluesky"
    assert [p["index"] for p in receipt["parts"]] == [0, 1, 2]
    records = []
    for part, text in zip(receipt["parts"], texts):
        assert part["platform_post_id"].startswith(f"at://{alice_did}/app.bsky.feed.post/")
        rec = get_record(part["platform_post_id"])
        assert rec["value"]["text"] == text
        assert rec["cid"] == part["cid"]
        assert rec["value"]["langs"] == ["en"]
        records.append(rec["value"])

    (link,) = records[0]["facets"]
    assert link["features"][0]["$type"] == "app.bsky.richtext.facet#link"
    assert link["features"][0]["uri"] == "https://example.com/python/guide"
    assert covered(texts[0], link) == "https://example.com/python/guide"
    (mention,) = records[1]["facets"]
    assert mention["features"][0]["$type"] == "app.bsky.richtext.facet#mention"
    assert mention["features"][0]["did"] == bob_did
    assert covered(texts[1], mention) == f"@{bob}"

    assert "reply" not in records[0]
    root = receipt["parts"][0]["platform_post_id"]
    for i in (1, 2):
        assert records[i]["reply"]["root"]["uri"] == root
        assert records[i]["reply"]["parent"]["uri"] == receipt["parts"][i - 1]["platform_post_id"]


def test_async_publish_and_wrong_password():
    import asyncio

    handle, password, _ = create_account("pyc")
    async def main():
        return await contentos.BlueskyPublisher(handle, password, base_url=PDS).publish_async(["from asyncio"])

    receipt = asyncio.run(main())
    assert get_record(receipt["parts"][0]["platform_post_id"])["value"]["text"] == "from asyncio"

    with pytest.raises(contentos.NeedsReauthError) as e:
        contentos.BlueskyPublisher(handle, "not-the-password", base_url=PDS).publish(["hi"])
    assert e.value.platform == "bluesky"
    assert "not-the-password" not in str(e.value)
