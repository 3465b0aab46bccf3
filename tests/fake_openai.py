"""A fake OpenAI Responses API for the tests of `llmcost live` (tests/cli_live.sh).

    python3 tests/fake_openai.py SCRIPT.json LOG.jsonl [HOST [PORT]]

It listens on 127.0.0.1 (or HOST, another loopback address such as 127.0.0.2) at a port the OS picks
(or PORT: a fake started again where a killed one was), prints that port alone on its
first line of stdout, and serves until it is killed.  Only `POST .../responses`
is answered; any other method or path gets 404.  Standard library only.

SCRIPT.json is a list of rules.  A rule is
    {"model": M, "contains": S, "responses": [R1, R2, ...]}
where "model" (the request's model) and "contains" (a substring of the
request's input) are optional conditions.  The first rule whose conditions hold
answers with its next response; once its list is used up the last one repeats.
A response R has these keys, all optional:
    "status"   HTTP status (default 200)
    "usage"    {"input_tokens", "cached_tokens", "output_tokens"} (200 only)
    "text"     the answer's output text (200 only)
    "headers"  extra response headers, e.g. {"retry-after-ms": "400"}
    "delay_ms" wait this long before answering
    "error"    {"type", "code", "message"} of an error answer
    "body"     the raw body (a string sent as is, anything else as JSON),
               which replaces the one built from the keys above
    "body_latin1" a raw body instead, a string whose characters (U+0000 to
               U+00FF) are sent as single bytes: text that is not UTF-8
A 200 is a Responses object: id resp_N, status "completed", the text in
output[0].content[0].text, and usage with input_tokens_details.cached_tokens.
Other statuses answer OpenAI's error shape {"error": {...}}.  A request that no
rule matches gets a 200, and a 200 without "usage" gets this usage:
input_tokens = ceil(UTF-8 bytes of the input / 4), output_tokens =
min(max_output_tokens, 20), no cached tokens.

LOG.jsonl gets one line per request, written and flushed when the request
arrives (before any delay): "t" (the server's receive time, epoch seconds),
"inflight" (requests being handled then, this one included), "method",
"path", "authorization", "content_type" and "body" (the parsed JSON, or the
raw text when it is not JSON).
"""
import json
import math
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
rules = json.load(open(sys.argv[1], encoding="utf-8"))
used = [0] * len(rules)  # responses taken from each rule so far
log = open(sys.argv[2], "a", encoding="utf-8")
state = {"n": 0, "inflight": 0}


def input_text(body):
    """The request's input as text (a list of messages is matched as its JSON)."""
    x = body.get("input", "")
    return x if isinstance(x, str) else json.dumps(x)


def pick(body):
    """The scripted response for this request, or None when no rule matches."""
    model, text = body.get("model"), input_text(body)
    with lock:
        for i, rule in enumerate(rules):
            if "model" in rule and rule["model"] != model:
                continue
            if "contains" in rule and rule["contains"] not in text:
                continue
            responses = rule["responses"]
            r = responses[min(used[i], len(responses) - 1)]
            used[i] += 1
            return r
    return None


def default_usage(body):
    """The usage of an answer that a script does not give."""
    most = body.get("max_output_tokens")
    return {"input_tokens": math.ceil(len(input_text(body).encode()) / 4),
            "output_tokens": min(most if isinstance(most, int) else 20, 20)}


def completed(n, model, text, usage):
    """A Responses API object of status "completed"."""
    i, c, o = usage.get("input_tokens", 0), usage.get("cached_tokens", 0), usage.get("output_tokens", 0)
    return {
        "id": "resp_%d" % n, "object": "response", "created_at": int(time.time()),
        "status": "completed", "error": None, "model": model,
        "output": [{"type": "message", "id": "msg_%d" % n, "status": "completed",
                    "role": "assistant",
                    "content": [{"type": "output_text", "text": text, "annotations": []}]}],
        "usage": {"input_tokens": i, "input_tokens_details": {"cached_tokens": c},
                  "output_tokens": o, "output_tokens_details": {"reasoning_tokens": 0},
                  "total_tokens": i + o},
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, and 100-continue for libcurl

    def log_message(self, *args):  # quiet: the log file says what arrived
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                chunk = self.rfile.read(size + 2)[:size]
                if size == 0:
                    return data
                data += chunk
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def send(self, status, body, headers=None):
        data = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
            pass

    def handle_one(self):
        raw = self.read_body()
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        with lock:
            state["n"] += 1
            state["inflight"] += 1
            n = state["n"]
            log.write(json.dumps({
                "t": time.time(), "inflight": state["inflight"], "method": self.command,
                "path": self.path, "authorization": self.headers.get("Authorization"),
                "content_type": self.headers.get("Content-Type"), "body": body}) + "\n")
            log.flush()
        done = [False]

        def leave():  # the request stops counting before its answer goes: the client may send
            with lock:  # its next request the moment it has the answer
                if not done[0]:
                    state["inflight"] -= 1
                    done[0] = True
        try:
            if self.command != "POST" or not self.path.rstrip("/").endswith("/responses"):
                leave()
                self.send(404, {"error": {"type": "invalid_request_error", "code": None,
                                          "message": "no route " + self.path, "param": None}})
                return
            req = body if isinstance(body, dict) else {}
            r = pick(req) or {}
            time.sleep(r.get("delay_ms", 0) / 1000)
            status = r.get("status", 200)
            if "body_latin1" in r:
                out = r["body_latin1"].encode("latin-1")
            elif "body" in r:
                out = r["body"]
            elif status == 200:
                out = completed(n, req.get("model"), r.get("text", "fake answer %d" % n),
                                r.get("usage") or default_usage(req))
            else:
                e = {"type": "server_error", "code": None, "message": "fake error", "param": None}
                e.update(r.get("error", {}))
                out = {"error": e}
            leave()
            self.send(status, out, r.get("headers"))
        finally:
            leave()

    do_POST = do_GET = do_PUT = do_DELETE = handle_one


server = ThreadingHTTPServer((sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1",
                              int(sys.argv[4]) if len(sys.argv) > 4 else 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
