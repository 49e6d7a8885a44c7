#!/usr/bin/python3
"""A fault-injecting HTTP proxy in front of the lab's OpenStack APIs (127.0.0.1 only).

One port; the first path segment picks the service:
    /identity/...  -> http://127.0.0.1:5000/...      /compute/... -> http://127.0.0.1:8774/...
    /volume/...    -> http://127.0.0.1:8776/...      /network/... -> http://127.0.0.1:9696/...
    /metric/...    -> http://127.0.0.1:8041/...      /rating/...  -> http://127.0.0.1:8889/...

Faults are set over HTTP on the same port (JSON):
    PUT    /__faults   [{"method": "PUT", "path": "regex on the upstream path", "nth": 1,
                         "action": "status" | "reset" | "delay", "status": 500,
                         "retry_after": 2, "delay": 1.5}]   replaces all rules
    GET    /__faults   the rules with how often each matched and fired
    DELETE /__faults   clears all rules
A rule fires on the nth request it matches (counting from 1); "times" (default 1) fires it on that
many consecutive matches from the nth on. "delay" waits, then forwards. Every request is logged
in memory; GET /__log returns them ("METHOD /upstream/path status").

Usage: fault-proxy.py [--port 9900]   (stops on SIGTERM/SIGINT)
"""
import argparse
import http.client
import json
import re
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UPSTREAMS = {
    "identity": 5000, "compute": 8774, "volume": 8776,
    "network": 9696, "metric": 8041, "rating": 8889,
}
HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
       "transfer-encoding", "upgrade", "host", "content-length"}

LOCK = threading.Lock()
RULES = []
LOG = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the in-memory log is the record
        pass

    def _send(self, status, body=b"", headers=None, close=False):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if body:
            self.wfile.write(body)
        if close:
            self.close_connection = True

    def _control(self, body):
        global RULES
        if self.path == "/__faults":
            with LOCK:
                if self.command == "PUT":
                    RULES = [dict(r, seen=0, fired=0, rx=re.compile(r.get("path", ".*"))) for r in json.loads(body or b"[]")]
                elif self.command == "DELETE":
                    RULES = []
                out = [{k: v for k, v in r.items() if k != "rx"} for r in RULES]
            return self._send(200, json.dumps(out).encode(), {"Content-Type": "application/json"})
        if self.path == "/__log":
            with LOCK:
                out = list(LOG)
                if self.command == "DELETE":
                    LOG.clear()
            return self._send(200, json.dumps(out).encode(), {"Content-Type": "application/json"})
        return self._send(404)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/__"):
            return self._control(body)

        parts = self.path.split("/", 2)
        service = parts[1] if len(parts) > 1 else ""
        if service not in UPSTREAMS:
            return self._send(404, b'{"error": {"code": 404, "message": "fault-proxy: unknown service"}}',
                              {"Content-Type": "application/json"})
        upstream_path = "/" + (parts[2] if len(parts) > 2 else "")

        fault = None
        with LOCK:
            for rule in RULES:
                if rule.get("method", "*") in ("*", self.command) and rule["rx"].search(upstream_path.split("?")[0]):
                    rule["seen"] += 1
                    nth, times = rule.get("nth", 1), rule.get("times", 1)
                    if fault is None and nth <= rule["seen"] < nth + times:
                        rule["fired"] += 1
                        fault = rule
        action = fault.get("action", "status") if fault else None

        if action == "reset":
            self._log(upstream_path, "reset")
            # RST instead of FIN: the client sees a connection reset, as when a service dies mid-request
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if action == "status":
            status = int(fault.get("status", 500))
            headers = {"Content-Type": "application/json"}
            if "retry_after" in fault:
                headers["Retry-After"] = str(fault["retry_after"])
            self._log(upstream_path, status)
            msg = json.dumps({"error": {"code": status, "message": "fault-proxy: injected %d" % status}}).encode()
            return self._send(status, msg, headers)
        if action == "delay":
            time.sleep(float(fault.get("delay", 1)))

        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        conn = http.client.HTTPConnection("127.0.0.1", UPSTREAMS[service], timeout=120)
        try:
            conn.request(self.command, upstream_path, body=body if body else None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            out = {k: v for k, v in resp.getheaders() if k.lower() not in HOP}
            self._log(upstream_path, resp.status)
            self._send(resp.status, data, out, close=True)
        except OSError as e:
            self._log(upstream_path, "upstream-error")
            self._send(502, json.dumps({"error": {"code": 502, "message": "fault-proxy: %s" % e}}).encode(),
                       {"Content-Type": "application/json"}, close=True)
        finally:
            conn.close()

    def _log(self, path, status):
        with LOCK:
            LOG.append("%s %s %s" % (self.command, path.split("?")[0], status))
            del LOG[:-5000]

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9900)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
