"""A minimal OpenAI-compatible chat-completions server for fuzz and load runs (no real LLM).

Usage: python3 fake_llm.py PORT
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TEXT = ("AI is transforming healthcare. Hospitals use models to read scans faster, "
        "triage patients and cut paperwork, so clinicians spend more time with people.")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        n = int(self.headers.get("content-length", "0"))
        body = json.loads(self.rfile.read(n) or b"{}")
        if not self.path.endswith("/chat/completions") or not body.get("messages"):
            self.send_response(400)
            out = json.dumps({"error": {"message": "bad request", "type": "invalid_request_error"}}).encode()
        else:
            self.send_response(200)
            out = json.dumps({
                "id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000,
                "model": body.get("model", "fake"),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": TEXT},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 50, "completion_tokens": 30, "total_tokens": 80},
            }).encode()
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
