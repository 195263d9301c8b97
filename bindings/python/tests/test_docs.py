"""Runs every ```python block of docs/python.md (the README section)."""

import re
import threading
from http.server import ThreadingHTTPServer

import pytest

from test_client import FakeOpenAI
from test_publishers import TOKEN, Mastodon


def blocks(repo):
    text = (repo / "docs/python.md").read_text()
    return re.findall(r"```python\n(.*?)```", text, re.S)


@pytest.fixture
def servers():
    srvs = [ThreadingHTTPServer(("127.0.0.1", 0), h) for h in (FakeOpenAI, Mastodon)]
    Mastodon.statuses, Mastodon.mode = [], "ok"
    for s in srvs:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    yield {
        "LLM_URL": f"http://127.0.0.1:{srvs[0].server_address[1]}/v1",
        "MASTODON_URL": f"http://127.0.0.1:{srvs[1].server_address[1]}",
        "MASTODON_TOKEN": TOKEN,
    }
    for s in srvs:
        s.shutdown()


def test_docs_have_examples(repo):
    assert len(blocks(repo)) >= 5


@pytest.mark.parametrize("index", range(5))
def test_docs_block_runs(repo, servers, index, capsys):
    code = blocks(repo)[index]
    exec(compile(code, f"docs/python.md#block{index}", "exec"), dict(servers))
    if "MastodonPublisher(" in code:
        assert len(Mastodon.statuses) == 2
