#!/usr/bin/env python3
"""Latency of query-api's endpoints under concurrent load, next to the same searches sent straight to Elasticsearch.

Used by scripts/bench-query.sh, which starts the stack, loads the data and a second query-api whose
ELASTICSEARCH_URL is this script's recording proxy (--proxy-port). For each endpoint, the script first asks
that second query-api once, recording the Elasticsearch requests it makes (method, path, body); then, for
--seconds each, with --concurrency clients on keep-alive connections:
  - query-api: GET the endpoint from the main query-api;
  - baseline: replay the recorded Elasticsearch requests, one after the other, straight to Elasticsearch
    (what query-api does for one answer, without query-api).
Latencies are kept in full (no sampling), so the percentiles are exact. Prints a table and writes JSON.
"""
import argparse
import http.client
import http.server
import json
import threading
import time
import urllib.parse
import urllib.request


class Recorder:
    """A forwarding HTTP proxy in front of Elasticsearch that records every request it passes on."""

    def __init__(self, port, upstream):
        self.requests = []
        self.lock = threading.Lock()
        recorder = self
        target = urllib.parse.urlsplit(upstream)

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.path != "/":  # not query-api's readiness ping
                    with recorder.lock:
                        recorder.requests.append({"method": self.command, "path": self.path,
                                                  "content_type": self.headers.get("Content-Type"),
                                                  "body": body.decode("utf-8")})
                connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                headers = {"Content-Type": self.headers["Content-Type"]} if self.headers.get("Content-Type") else {}
                connection.request(self.command, self.path, body=body if body or self.command in ("POST", "PUT") else None,
                                   headers=headers)
                answer = connection.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.getheader("Content-Type") or "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                connection.close()

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def take(self):
        with self.lock:
            taken, self.requests = self.requests, []
        return taken


def wait_ready(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"not ready: {url}")


def load(origin, make_requests, concurrency, seconds):
    """Runs `concurrency` clients for `seconds`; each iteration sends make_requests() in order on one
    keep-alive connection. Returns the latencies (s) of the iterations answered 200 throughout, and a count
    of every iteration's status (its first non-200 answer, or "error" without an answer)."""
    target = urllib.parse.urlsplit(origin)
    latencies, statuses, lock = [], {}, threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        mine, seen = [], {}
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            status = 200
            for method, path, body, headers in make_requests():
                try:
                    connection.request(method, path, body=body, headers=headers)
                    answer = connection.getresponse()
                    answer.read()
                    status = answer.status if status == 200 else status
                except (OSError, http.client.HTTPException):
                    connection.close()
                    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                    status = "error"
            if status == 200:
                mine.append(time.perf_counter() - started)
            seen[status] = seen.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for key, value in seen.items():
                statuses[key] = statuses.get(key, 0) + value

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses


def summary(latencies, statuses, seconds):
    ordered = sorted(latencies)

    def percentile(p):
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else None

    return {"requests": len(ordered), "per_second": round(len(ordered) / seconds, 1),
            "p50_ms": percentile(50), "p90_ms": percentile(90), "p99_ms": percentile(99),
            "max_ms": ordered[-1] * 1000 if ordered else None,
            "statuses": {str(key): value for key, value in sorted(statuses.items(), key=str)}}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--query-url", required=True, help="the main query-api, e.g. http://127.0.0.1:8181")
    parser.add_argument("--recording-query-url", required=True, help="the query-api that talks to the proxy")
    parser.add_argument("--es-url", required=True)
    parser.add_argument("--proxy-port", type=int, required=True)
    parser.add_argument("--token", required=True, help="a query-api bearer token")
    parser.add_argument("--date", required=True)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()

    recorder = Recorder(args.proxy_port, args.es_url)
    wait_ready(args.recording_query_url + "/readyz")
    d = args.date
    endpoints = [f"/v1/dau?date={d}", f"/v1/orders/summary?date={d}", f"/v1/orders/by-province?date={d}",
                 f"/v1/orders/by-category?date={d}&level=3", f"/v1/products/top?date={d}&by=quantity&limit=10",
                 f"/v1/orders/search?date={d}&size=20", f"/v1/orders/search?date={d}&q=mate&gender=F&page=3&size=20",
                 f"/v1/orders/search?date={d}&page=400&size=100", f"/v1/realtime?date={d}"]
    auth = {"Authorization": f"Bearer {args.token}"}
    results = []
    print(f"{args.concurrency} clients, {args.seconds:g} s per measurement; answers per second and latencies in ms "
          f"of the 200 answers, other statuses listed below a line (baseline: the endpoint's Elasticsearch "
          f"requests sent straight to Elasticsearch, one after the other)")
    print(f"{'endpoint':58} {'ES req':>6} | {'query-api req/s':>15} {'p50':>7} {'p99':>7} | {'direct req/s':>12} {'p50':>7} {'p99':>7} | p50 ratio")
    for endpoint in endpoints:
        request = urllib.request.Request(args.recording_query_url + endpoint, headers=auth)
        with urllib.request.urlopen(request, timeout=60) as answer:
            answer.read()
        recorded = recorder.take()
        api = summary(*load(args.query_url, lambda: [("GET", endpoint, None, auth)], args.concurrency, args.seconds),
                      args.seconds)
        replay = [(r["method"], r["path"], r["body"].encode() if r["body"] else None,
                   {"Content-Type": r["content_type"]} if r["content_type"] else {}) for r in recorded]
        direct = summary(*load(args.es_url, lambda: replay, args.concurrency, args.seconds), args.seconds)
        ratio = api["p50_ms"] / direct["p50_ms"] if api["p50_ms"] and direct["p50_ms"] else float("nan")
        results.append({"endpoint": endpoint, "elasticsearch_requests": len(recorded), "query_api": api,
                        "direct": direct, "p50_ratio": ratio})
        def ms(value):
            return f"{value:>7.1f}" if value is not None else f"{'-':>7}"
        print(f"{endpoint:58} {len(recorded):>6} | {api['per_second']:>15,.1f} {ms(api['p50_ms'])} {ms(api['p99_ms'])} | "
              f"{direct['per_second']:>12,.1f} {ms(direct['p50_ms'])} {ms(direct['p99_ms'])} | {ratio:.2f}")
        for name, figures in (("query-api", api), ("direct", direct)):
            if set(figures["statuses"]) != {"200"}:
                print(f"  {name} statuses: {figures['statuses']}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"date": args.date, "concurrency": args.concurrency, "seconds": args.seconds,
                       "endpoints": results}, out, indent=1)
        print(f"results written to {args.json}")


if __name__ == "__main__":
    main()
