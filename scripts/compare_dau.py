#!/usr/bin/env python3
"""Prints the query API's DAU answers next to the simulator's expected ones.

Waits (up to --wait seconds) for the pipeline to catch up; exits 1 if any day still differs.
"""
import argparse
import json
import sys
import time
import urllib.request

from compare_business import query_api_headers


def fetch(query_url, day):
    request = urllib.request.Request(f"{query_url}/v1/dau?date={day}", headers=query_api_headers())
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--expected", required=True)
    parser.add_argument("--query-url", required=True)
    parser.add_argument("--wait", type=float, default=60)
    args = parser.parse_args()
    with open(args.expected) as f:
        expected = json.load(f)["days"]

    def same(a, e):
        """DAU, by hour and (when the expected file has it) by province: area code and devices, in order."""
        provinces = [{"area_code": p["area_code"], "dau": p["dau"]} for p in a.get("by_province", [])]
        return a["dau"] == e["dau"] and a["by_hour"] == e["by_hour"] and provinces == e.get("by_province", provinces)

    deadline = time.monotonic() + args.wait
    while True:
        actual = {day: fetch(args.query_url, day) for day in sorted(expected)}
        matches = all(same(actual[d], expected[d]) for d in expected)
        if matches or time.monotonic() >= deadline:
            break
        time.sleep(1)

    print(f"{'date':<12}{'dau (api)':>11}{'dau (expected)':>16}  by_hour")
    for day in sorted(expected):
        a, e = actual[day], expected[day]
        equal = same(a, e)
        print(f"{day:<12}{a['dau']:>11}{e['dau']:>16}  {'same' if equal else 'DIFFERENT'}")
        if not equal:
            print(f"{'':12}api      {a['by_hour']} {a.get('by_province')}\n{'':12}expected {e['by_hour']} {e.get('by_province')}")
    print("all days match" if matches else "MISMATCH: the pipeline's answers differ from the expected ones")
    return 0 if matches else 1


if __name__ == "__main__":
    sys.exit(main())
