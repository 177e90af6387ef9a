#!/usr/bin/env python3
"""Prints the query API's DAU answers next to the simulator's expected ones.

Waits (up to --wait seconds) for the pipeline to catch up; exits 1 if any day still differs.
"""
import argparse
import json
import sys
import time
import urllib.request


def fetch(query_url, day):
    with urllib.request.urlopen(f"{query_url}/v1/dau?date={day}", timeout=10) as answer:
        return json.load(answer)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--expected", required=True)
    parser.add_argument("--query-url", required=True)
    parser.add_argument("--wait", type=float, default=60)
    args = parser.parse_args()
    with open(args.expected) as f:
        expected = json.load(f)["days"]

    deadline = time.monotonic() + args.wait
    while True:
        actual = {day: fetch(args.query_url, day) for day in sorted(expected)}
        matches = all(actual[d]["dau"] == expected[d]["dau"] and actual[d]["by_hour"] == expected[d]["by_hour"]
                      for d in expected)
        if matches or time.monotonic() >= deadline:
            break
        time.sleep(1)

    print(f"{'date':<12}{'dau (api)':>11}{'dau (expected)':>16}  by_hour")
    for day in sorted(expected):
        a, e = actual[day], expected[day]
        same = a["dau"] == e["dau"] and a["by_hour"] == e["by_hour"]
        print(f"{day:<12}{a['dau']:>11}{e['dau']:>16}  {'same' if same else 'DIFFERENT'}")
        if not same:
            print(f"{'':12}api      {a['by_hour']}\n{'':12}expected {e['by_hour']}")
    print("all days match" if matches else "MISMATCH: the pipeline's answers differ from the expected ones")
    return 0 if matches else 1


if __name__ == "__main__":
    sys.exit(main())
