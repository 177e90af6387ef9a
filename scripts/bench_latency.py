#!/usr/bin/env python3
"""End-to-end latency: from POSTing one event of a new device to log-ingest until /v1/dau counts it.

Used by scripts/bench-latency.sh, which starts the stack and a steady background load on another day. Probes
one at a time: a page view of a new device on --date is POSTed; /v1/dau?date=--date is polled every --poll-ms
until its count includes the device (probes are on a day with no other traffic, so the count is the probes');
then --gap-ms, then the next. Latencies are kept in full, so the percentiles are exact. Prints them, and writes
JSON with every sample.
"""
import argparse
import datetime
import http.client
import json
import time
import urllib.parse
import uuid


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ingest-url", required=True)
    parser.add_argument("--query-url", required=True)
    parser.add_argument("--write-key", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--date", required=True, help="a business day with no other traffic (UTC)")
    parser.add_argument("--probes", type=int, default=100)
    parser.add_argument("--poll-ms", type=float, default=20)
    parser.add_argument("--gap-ms", type=float, default=100)
    parser.add_argument("--give-up-s", type=float, default=30)
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()

    ingest = urllib.parse.urlsplit(args.ingest_url)
    query = urllib.parse.urlsplit(args.query_url)
    ingest_connection = http.client.HTTPConnection(ingest.hostname, ingest.port, timeout=30)
    query_connection = http.client.HTTPConnection(query.hostname, query.port, timeout=30)
    noon = int(datetime.datetime.fromisoformat(args.date + "T12:00:00+00:00").timestamp() * 1000)
    run = uuid.uuid4().hex[:8]

    def dau():
        query_connection.request("GET", f"/v1/dau?date={args.date}", headers={"Authorization": f"Bearer {args.token}"})
        answer = query_connection.getresponse()
        body = answer.read()
        return json.loads(body)["dau"] if answer.status == 200 else None

    counted = dau() or 0
    samples, accepted_after, gave_up = [], [], None
    for probe in range(args.probes):
        event = {"common": {"mid": f"latency-{run}-{probe}", "ar": "110000", "is_new": "1"},
                 "page": {"page_id": "home", "during_time": 1}, "ts": noon + probe, "event_id": f"latency-{run}-{probe}"}
        started = time.perf_counter()
        ingest_connection.request("POST", "/v1/events", body=json.dumps(event),
                                  headers={"Content-Type": "application/json", "Authorization": f"Bearer {args.write_key}"})
        answer = ingest_connection.getresponse()
        answer.read()
        if answer.status != 202:
            raise SystemExit(f"probe {probe}: log-ingest answered {answer.status}")
        accepted = time.perf_counter()
        while True:
            seen = dau()
            now = time.perf_counter()
            if seen is not None and seen > counted:
                counted = seen
                break
            if now - started > args.give_up_s:
                gave_up = probe
                break
            time.sleep(args.poll_ms / 1000)
        if gave_up is not None:
            print(f"probe {probe} was not counted by /v1/dau within {args.give_up_s:g} s: the pipeline is behind; "
                  f"stopped probing")
            break
        samples.append(now - started)
        accepted_after.append(accepted - started)
        time.sleep(args.gap_ms / 1000)

    if not samples:
        raise SystemExit("no probe was counted")

    def percentile(values, p):
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    figures = {f"p{p}_ms": round(percentile(samples, p), 1) for p in (50, 90, 99)}
    figures["max_ms"] = round(max(samples) * 1000, 1)
    figures["min_ms"] = round(min(samples) * 1000, 1)
    figures["accepted_p50_ms"] = round(percentile(accepted_after, 50), 1)
    print(f"{len(samples)} probes, POST -> counted by /v1/dau (polled every {args.poll_ms:g} ms): "
          f"p50 {figures['p50_ms']} ms, p90 {figures['p90_ms']} ms, p99 {figures['p99_ms']} ms, "
          f"min {figures['min_ms']} ms, max {figures['max_ms']} ms; log-ingest's 202 after p50 {figures['accepted_p50_ms']} ms")
    status = 0 if gave_up is None else 3
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"probes": len(samples), "poll_ms": args.poll_ms, "gave_up_at_probe": gave_up, **figures,
                       "samples_ms": [round(s * 1000, 1) for s in samples]}, out, indent=1)
        print(f"results written to {args.json}")
    raise SystemExit(status)


if __name__ == "__main__":
    main()
