#!/usr/bin/env python3
"""Checks query-api's real answers against its OpenAPI document (Services/query-api/Resources/openapi.json).

Calls every endpoint with representative parameters (each category level, both rankings, paging to the last
page and past it, filters, an order found through the search, an unknown order, an empty day, bad parameters,
wrong methods, unknown paths) and checks each answer's status, content type, documented headers and body
against the document ($refs resolved, JSON Schema 2020-12), plus what a schema cannot say: sort orders, sums
that must agree between endpoints, filters honoured, every page reachable, errors naming the parameter.
With --business-expected / --expected (shop-sim's files), also compares the figures with the expected answers.

    .venv/bin/python scripts/api_contract_test.py --query-url http://127.0.0.1:8181 --date 2026-11-02

Prints one line per check and 'N passed, N failed'; exits 1 listing every violation.
"""
import argparse
import datetime
import json
import math
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

try:
    import jsonschema
    import referencing
    from referencing.jsonschema import DRAFT202012
except ImportError as missing:  # pragma: no cover
    raise SystemExit(f"{missing}: run scripts/setup.sh, or .venv/bin/pip install jsonschema")

from compare_business import api_answers, query_api_headers  # the API's figures in the shape of shop-sim's expected file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC_FILE = os.path.join(ROOT, "Services", "query-api", "Resources", "openapi.json")
SPEC_URI = "urn:gmall:query-api:openapi"
EMPTY_DAY = "2001-01-01"


# ---------------------------------------------------------------- HTTP

class Answer:
    def __init__(self, status, headers, body, seconds):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds
        self._json = None

    def header(self, name):
        return self.headers.get(name.lower())

    def json(self):
        if self._json is None:
            self._json = json.loads(self.body.decode("utf-8"))
        return self._json


def call(base, method, path, params=None, headers=None):
    """One request; with the query-api token unless `headers` are given (pass {} for none)."""
    url = base + path
    if params:
        url += "?" + urllib.parse.urlencode(params)
    request = urllib.request.Request(url, method=method, data=b"{}" if method in ("POST", "PUT", "PATCH") else None,
                                     headers={"Accept": "application/json", **(headers if headers is not None else query_api_headers())})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    return Answer(status, {k.lower(): v for k, v in headers.items()}, body, time.monotonic() - started)


# ---------------------------------------------------------------- the OpenAPI document

class Contract:
    """The OpenAPI document: finds an operation's documented response and validates answers against it."""

    def __init__(self, spec):
        self.spec = spec
        resource = DRAFT202012.create_resource(spec)
        self.registry = referencing.Registry().with_resource(SPEC_URI, resource)
        self.templates = [(template, re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"))
                          for template in spec["paths"]]

    def resolve(self, node, pointer):
        """Follows OpenAPI-level $refs (responses, headers, parameters): (object, its JSON pointer)."""
        while isinstance(node, dict) and "$ref" in node:
            pointer = node["$ref"][1:]
            node = self.spec
            for part in pointer.strip("/").split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return node, pointer

    def template(self, path):
        exact = [t for t, pattern in self.templates if t == path]
        if exact:
            return exact[0]
        matches = [t for t, pattern in self.templates if pattern.match(path)]
        # Fixed segments win over templated ones (OpenAPI's rule), e.g. /v1/orders/summary over /v1/orders/{order_id}.
        matches.sort(key=lambda t: t.count("{"))
        return matches[0] if matches else None

    def validate(self, schema_pointer, value):
        validator = jsonschema.Draft202012Validator({"$ref": f"{SPEC_URI}#{schema_pointer}"}, registry=self.registry)
        return [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
                for error in sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))]

    def response(self, template, method, status):
        """The documented response object and its pointer, or (None, reason)."""
        item = self.spec["paths"][template]
        # A method the path does not have: its GET operation documents the 405.
        verb = method.lower() if method.lower() in item else "get"
        operation = item.get(verb)
        if operation is None:
            return None, f"no operation for {template}"
        key = str(status)
        if key not in operation["responses"]:
            return None, f"status {status} is not documented for {method} {template} " \
                         f"(documented: {', '.join(sorted(operation['responses']))})"
        escaped = template.replace("~", "~0").replace("/", "~1")
        return self.resolve(operation["responses"][key], f"/paths/{escaped}/{verb}/responses/{key}")

    def error_schema_pointer(self):
        return "/components/schemas/Error"


def media_type_matches(documented, actual):
    actual = (actual or "").split(";")[0].strip().lower()
    if documented == "*/*":
        return True
    return actual == documented.lower()


# ---------------------------------------------------------------- the run

class Run:
    def __init__(self, base, contract):
        self.base, self.contract = base, contract
        self.passed, self.failed, self.violations = 0, 0, []
        self.slowest = []

    def check(self, name, method, path, params=None, status=200, headers=None):
        """Calls the API and checks the answer against the document; returns the Answer (or None on failure to call).
        `status` is the expected status (an int or a set); `headers` replace the token header when given."""
        problems = []
        try:
            answer = call(self.base, method, path, params, headers)
        except (urllib.error.URLError, OSError) as error:
            self.record(name, [f"{method} {path}: no answer ({error})"])
            return None
        self.slowest.append((answer.seconds, f"{method} {path}?{urllib.parse.urlencode(params or {})}"))
        wanted = status if isinstance(status, (set, frozenset)) else {status}
        if answer.status not in wanted:
            excerpt = answer.body[:300].decode("utf-8", "replace")
            problems.append(f"status {answer.status}, expected {' or '.join(map(str, sorted(wanted)))}: {excerpt}")
        problems += self.conforms(method, path, answer)
        self.record(name, problems, answer)
        # Only a conforming answer is looked into further: the checks beyond the schema rely on its shape.
        return None if problems else answer

    def conforms(self, method, path, answer):
        """The answer against the document: documented status, content type, headers, body schema."""
        problems = []
        template = self.contract.template(path)
        if template is None:
            if answer.status != 404:
                problems.append(f"an undocumented path answered {answer.status}, not 404")
            return problems + self.body_against(answer, "application/json", self.contract.error_schema_pointer())
        response, pointer = self.contract.response(template, method, answer.status)
        if response is None:
            return problems + [pointer]
        for name, header in (response.get("headers") or {}).items():
            header, header_pointer = self.contract.resolve(header, f"{pointer}/headers/{name}")
            value = answer.header(name)
            if value is None:
                if header.get("required"):
                    problems.append(f"header {name} missing (documented for {answer.status})")
                continue
            schema_pointer = f"{header_pointer}/schema"
            problems += [f"header {name}: {p}" for p in self.contract.validate(schema_pointer, value)]
        content = response.get("content") or {}
        if not content:
            return problems
        media = next((m for m in content if media_type_matches(m, answer.header("content-type"))), None)
        if media is None:
            return problems + [f"content type {answer.header('content-type')!r}, documented {', '.join(content)}"]
        if media == "application/json":
            escaped = media.replace("~", "~0").replace("/", "~1")
            problems += self.body_against(answer, media, f"{pointer}/content/{escaped}/schema")
        return problems

    def body_against(self, answer, media, schema_pointer):
        if not media_type_matches(media, answer.header("content-type")):
            return [f"content type {answer.header('content-type')!r}, expected {media}"]
        try:
            body = answer.json()
        except ValueError as error:
            return [f"body is not JSON: {error}"]
        return [f"body {p}" for p in self.contract.validate(schema_pointer, body)]

    def expect(self, name, condition_problems):
        """A check that is not an HTTP call: a list of problems (empty = pass)."""
        self.record(name, condition_problems)

    def record(self, name, problems, answer=None):
        if problems:
            self.failed += 1
            print(f"FAIL {name}")
            for problem in problems:
                print(f"     {problem}")
                self.violations.append(f"{name}: {problem}")
        else:
            self.passed += 1
            print(f"ok   {name}")


# ---------------------------------------------------------------- checks beyond the schema

def cents(amount):
    negative = amount.startswith("-")
    whole, _, fraction = amount.lstrip("-").partition(".")
    value = int(whole) * 100 + int(fraction)
    return -value if negative else value


def sorted_problems(items, key, what):
    for position in range(1, len(items)):
        if key(items[position - 1]) > key(items[position]):
            return [f"{what}: entry {position + 1} is out of order ({items[position - 1]} before {items[position]})"]
    return []


def hours_problems(by_hour):
    hours = [entry["hour"] if isinstance(entry, dict) else i for i, entry in enumerate(by_hour)]
    return [] if hours == list(range(24)) else [f"by_hour's hours are {hours}, not 0..23"]


def same(label, actual, expected):
    return [] if actual == expected else [f"{label}: {actual!r}, expected {expected!r}"]


def day_before(day):
    return (datetime.date.fromisoformat(day) - datetime.timedelta(days=1)).isoformat()


def check_dau(run, day):
    answer = run.check(f"GET /v1/dau {day}", "GET", "/v1/dau", {"date": day})
    if not answer:
        return None
    body = answer.json()
    run.expect(f"/v1/dau {day}: sums and order", same("date", body["date"], day)
               + same("sum of by_hour", sum(body["by_hour"]), body["dau"])
               + same("sum of by_province", sum(p["dau"] for p in body["by_province"]), body["dau"])
               + ([] if body["new_devices"] <= body["dau"] else ["new_devices > dau"])
               + sorted_problems(body["by_province"], lambda p: -p["dau"], "by_province by dau descending")
               + [f"by_province has a zero row {p}" for p in body["by_province"] if p["dau"] == 0])
    return body


def check_summary(run, day):
    answer = run.check(f"GET /v1/orders/summary {day}", "GET", "/v1/orders/summary", {"date": day})
    if not answer:
        return None
    body = answer.json()
    run.expect(f"/v1/orders/summary {day}: sums", same("date", body["date"], day) + hours_problems(body["by_hour"])
               + same("sum of by_hour orders", sum(h["orders"] for h in body["by_hour"]), body["orders"])
               + same("sum of by_hour amounts", sum(cents(h["order_amount"]) for h in body["by_hour"]),
                      cents(body["order_amount"]))
               + ([] if body["paid_orders"] <= body["orders"] else ["paid_orders > orders"])
               + ([] if body["buyers"] <= body["orders"] else ["buyers > orders"])
               + ([] if cents(body["paid_amount"]) <= cents(body["order_amount"]) or body["orders"] == 0
                  else ["paid_amount > order_amount"]))
    return body


def check_provinces(run, day, summary):
    answer = run.check(f"GET /v1/orders/by-province {day}", "GET", "/v1/orders/by-province", {"date": day})
    if not answer:
        return None
    body = answer.json()
    provinces = body["provinces"]
    problems = same("date", body["date"], day) + sorted_problems(
        provinces, lambda p: (-cents(p["order_amount"]), p["province_id"]), "provinces by order_amount desc, id asc")
    problems += [f"zero row {p}" for p in provinces if p["orders"] == 0]
    if summary:
        problems += same("sum of orders vs summary", sum(p["orders"] for p in provinces), summary["orders"])
        problems += same("sum of amounts vs summary", sum(cents(p["order_amount"]) for p in provinces),
                         cents(summary["order_amount"]))
    run.expect(f"/v1/orders/by-province {day}: order and sums", problems)
    return body


def check_categories(run, day):
    totals, answers = {}, {}
    for level in (1, 2, 3):
        answer = run.check(f"GET /v1/orders/by-category {day} level={level}", "GET", "/v1/orders/by-category",
                           {"date": day, "level": level})
        if not answer:
            continue
        body = answer.json()
        answers[level] = body
        categories = body["categories"]
        totals[level] = (sum(c["quantity"] for c in categories), sum(cents(c["amount"]) for c in categories))
        run.expect(f"/v1/orders/by-category {day} level={level}: order",
                   same("date", body["date"], day) + same("level", body["level"], level)
                   + sorted_problems(categories, lambda c: (-cents(c["amount"]), c["id"]), "categories by amount desc, id asc")
                   + [f"zero row {c}" for c in categories if c["quantity"] == 0 and cents(c["amount"]) == 0])
    default = run.check(f"GET /v1/orders/by-category {day} (default level)", "GET", "/v1/orders/by-category",
                        {"date": day})
    if default and 1 in answers:
        run.expect("by-category: the default level is 1", same("answer", default.json(), answers[1]))
    if len(set(totals.values())) > 1:
        run.expect(f"/v1/orders/by-category {day}: levels add up to the same lines",
                   [f"quantity and cents by level: {totals}"])
    return answers.get(1)


def check_products(run, day, level1):
    answers = {}
    for by in ("amount", "quantity"):
        for limit in (1, 10, 100):
            answer = run.check(f"GET /v1/products/top {day} by={by} limit={limit}", "GET", "/v1/products/top",
                               {"date": day, "by": by, "limit": limit})
            if not answer:
                continue
            body = answer.json()
            answers[(by, limit)] = body
            products = body["products"]
            measure = (lambda p: (-cents(p["amount"]), p["sku_id"])) if by == "amount" else \
                (lambda p: (-p["quantity"], p["sku_id"]))
            run.expect(f"/v1/products/top {day} by={by} limit={limit}: order and size",
                       same("date", body["date"], day) + same("by", body["by"], by)
                       + ([] if len(products) <= limit else [f"{len(products)} products for limit {limit}"])
                       + sorted_problems(products, measure, f"products by {by} desc, sku_id asc")
                       + [f"orders > quantity for {p['sku_id']}" for p in products if p["orders"] > p["quantity"] > 0])
    default = run.check(f"GET /v1/products/top {day} (defaults)", "GET", "/v1/products/top", {"date": day})
    if default and ("amount", 10) in answers:
        run.expect("products/top: defaults are by=amount limit=10", same("answer", default.json(), answers[("amount", 10)]))
    for by in ("amount", "quantity"):
        if (by, 10) in answers and (by, 100) in answers:
            run.expect(f"products/top by={by}: limit=10 is the head of limit=100",
                       same("head", answers[(by, 10)]["products"], answers[(by, 100)]["products"][:10]))
    everything = answers.get(("amount", 100))
    if everything and level1 and len(everything["products"]) < 100:
        categories = level1["categories"]
        run.expect("products/top: all products add up to the level-1 categories",
                   same("quantity", sum(p["quantity"] for p in everything["products"]), sum(c["quantity"] for c in categories))
                   + same("cents", sum(cents(p["amount"]) for p in everything["products"]),
                          sum(cents(c["amount"]) for c in categories)))


def search_problems(body, day, params):
    items = body["items"]
    problems = same("date", body["date"], day) + same("page", body["page"], int(params.get("page") or 1)) \
        + same("size", body["size"], int(params.get("size") or 20))
    problems += sorted_problems(items, lambda i: (_descending(i["create_time"]), i["detail_id"]),
                                "items by create_time desc, detail_id asc")
    problems += [f"item {i['detail_id']} on another day: {i['create_time']}" for i in items if i["create_time"][:10] != day]
    for group in ("gender", "age_group"):
        entries = body["stats"][group]
        problems += same(f"stats.{group} lines sum to total", sum(e["lines"] for e in entries), body["total"])
        problems += sorted_problems(entries, lambda e: e["key"], f"stats.{group} by key")
    if len(items) > body["size"]:
        problems.append(f"{len(items)} items on a page of {body['size']}")
    return problems


def _descending(text):
    return [-ord(ch) for ch in text]


def search_words(text):
    """Words as Elasticsearch's standard analyzer splits them (approximately: letters/digits runs, CJK ideographs alone)."""
    return re.findall(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_\u3400-\u9fff\uf900-\ufaff]+", text.lower())


def check_search(run, day, provinces):
    base = {"date": day}
    first = run.check(f"GET /v1/orders/search {day}", "GET", "/v1/orders/search", base)
    if not first:
        return None
    body = first.json()
    run.expect(f"/v1/orders/search {day}: order and stats", search_problems(body, day, base))
    total = body["total"]

    # Paging: every page with size 100, then past the end; all lines distinct and as many as `total`.
    seen, pages = [], max(1, math.ceil(total / 100))
    for page in range(1, pages + 2):
        params = {"date": day, "page": page, "size": 100}
        answer = run.check(f"GET /v1/orders/search {day} page={page} size=100", "GET", "/v1/orders/search", params)
        if not answer:
            break
        page_body = answer.json()
        expected_items = max(0, min(100, total - (page - 1) * 100))
        run.expect(f"/v1/orders/search page {page}: {expected_items} items, same total",
                   search_problems(page_body, day, params) + same("items", len(page_body["items"]), expected_items)
                   + same("total", page_body["total"], total))
        seen += [item["detail_id"] for item in page_body["items"]]
    run.expect("/v1/orders/search: the pages hold every line once",
               same("distinct lines over all pages", len(set(seen)), total) + same("lines over all pages", len(seen), total))
    small = run.check(f"GET /v1/orders/search {day} page=2 size=5", "GET", "/v1/orders/search",
                      {"date": day, "page": 2, "size": 5})
    if small and total >= 10:
        run.expect("/v1/orders/search page 2 of size 5 is lines 6-10", same("items", [i["detail_id"] for i in small.json()["items"]],
                                                                            seen[5:10]))
    deep = run.check(f"GET /v1/orders/search {day} page=1000000", "GET", "/v1/orders/search",
                     {"date": day, "page": 1000000, "size": 100})
    if deep:
        run.expect("/v1/orders/search: a page far past the end is empty", same("items", deep.json()["items"], [])
                   + same("total", deep.json()["total"], total))

    # Filters.
    if body["items"]:
        item = body["items"][0]
        # An ASCII word in upper case (matching is case-insensitive) and an ideograph, if the name has them.
        words = search_words(item["sku_name"])
        latin = [w for w in words if w.isascii() and w.isalpha() and len(w) > 1] or [w for w in words if w.isascii()]
        ideographs = [w for w in words if not w.isascii()]
        query = " ".join(([latin[0].upper()] if latin else []) + ideographs[:1]) or words[0]
        answer = run.check(f"GET /v1/orders/search {day} q={query!r}", "GET", "/v1/orders/search", {"date": day, "q": query, "size": 100})
        if answer:
            found = answer.json()
            wanted = set(search_words(query))
            run.expect(f"/v1/orders/search q={query!r}: every line has the words, the first line is found",
                       search_problems(found, day, {"size": 100})
                       + [f"line {i['detail_id']} {i['sku_name']!r} lacks a word of {query!r}"
                          for i in found["items"] if not wanted <= set(search_words(i["sku_name"]))]
                       + ([] if item["detail_id"] in [i["detail_id"] for i in found["items"]] or found["total"] > 100
                          else [f"line {item['detail_id']} ({item['sku_name']!r}) not found"])
                       + ([] if 0 < found["total"] <= total else [f"total {found['total']} of {total}"]))
        nothing = run.check(f"GET /v1/orders/search {day} q=(no such word)", "GET", "/v1/orders/search",
                            {"date": day, "q": "zzqxv-nothing-matches"})
        if nothing:
            run.expect("/v1/orders/search: a word no line has finds nothing",
                       same("total", nothing.json()["total"], 0) + same("items", nothing.json()["items"], [])
                       + same("stats", nothing.json()["stats"], {"gender": [], "age_group": []}))
    genders = {}
    for gender in ("F", "M"):
        answer = run.check(f"GET /v1/orders/search {day} gender={gender}", "GET", "/v1/orders/search",
                           {"date": day, "gender": gender, "size": 100})
        if answer:
            found = answer.json()
            genders[gender] = found["total"]
            expected_total = next((e["lines"] for e in body["stats"]["gender"] if e["key"] == gender), 0)
            run.expect(f"/v1/orders/search gender={gender}: only {gender}, as many as the stats said",
                       search_problems(found, day, {"size": 100})
                       + [f"line {i['detail_id']} has gender {i['user_gender']}" for i in found["items"] if i["user_gender"] != gender]
                       + same("stats.gender keys", [e["key"] for e in found["stats"]["gender"]], [gender] if found["total"] else [])
                       + same("total", found["total"], expected_total))
    empty = run.check(f"GET /v1/orders/search {day} gender= (empty: unset)", "GET", "/v1/orders/search",
                      {"date": day, "gender": "", "q": "", "province_id": ""})
    if empty:
        run.expect("/v1/orders/search: empty parameters are unset", same("total", empty.json()["total"], total))
    if provinces and provinces["provinces"]:
        province = provinces["provinces"][0]
        answer = run.check(f"GET /v1/orders/search {day} province_id={province['province_id']}", "GET", "/v1/orders/search",
                           {"date": day, "province_id": province["province_id"], "size": 100})
        if answer:
            found = answer.json()
            run.expect(f"/v1/orders/search province_id={province['province_id']}: only {province['name']}",
                       search_problems(found, day, {"size": 100})
                       + [f"line {i['detail_id']} in {i['province_name']}" for i in found["items"] if i["province_name"] != province["name"]]
                       + ([] if found["total"] > 0 else ["no line in the province with the most orders"]))
        combined = run.check(f"GET /v1/orders/search {day} province and gender=F", "GET", "/v1/orders/search",
                             {"date": day, "province_id": province["province_id"], "gender": "F", "size": 100})
        if combined:
            run.expect("/v1/orders/search: filters combine",
                       [f"line {i['detail_id']}: {i['province_name']} {i['user_gender']}" for i in combined.json()["items"]
                        if i["province_name"] != province["name"] or i["user_gender"] != "F"])
    return body


def check_order(run, search):
    if search and search["items"]:
        item = search["items"][0]
        answer = run.check(f"GET /v1/orders/{item['order_id']} (found by search)", "GET", f"/v1/orders/{item['order_id']}")
        if answer:
            order = answer.json()
            lines = order["lines"]
            run.expect(f"/v1/orders/{item['order_id']}: the searched line is in it",
                       same("order_id", order["order_id"], item["order_id"]) + same("create_time", order["create_time"], item["create_time"])
                       + same("order_status", order["order_status"], item["order_status"])
                       + same("user_id", order["user_id"], item["user_id"])
                       + same("province name", order["province"]["name"], item["province_name"])
                       + ([] if item["detail_id"] in [line["detail_id"] for line in lines] else [f"line {item['detail_id']} missing"])
                       + sorted_problems(lines, lambda line: line["detail_id"], "lines by detail_id"))
    else:
        run.expect("GET /v1/orders/{order_id} (found by search)", ["the search found no line: cannot pick an order"])
    run.check("GET /v1/orders/999999999 (unknown)", "GET", "/v1/orders/999999999", status=404)
    run.check("GET /v1/orders/abc (not a number)", "GET", "/v1/orders/abc", status=400)
    run.check("GET /v1/orders/0 (not positive)", "GET", "/v1/orders/0", status=400)


def check_realtime(run, day, dau, summary, dau_before, summary_before):
    answer = run.check(f"GET /v1/realtime {day}", "GET", "/v1/realtime", {"date": day})
    if not answer:
        return
    body = answer.json()
    problems = same("date", body["date"], day) + same("day_before", body["day_before"], day_before(day))
    for label, part, d, s in (("today", body["today"], dau, summary), ("yesterday", body["yesterday"], dau_before, summary_before)):
        problems += hours_problems(part["by_hour"])
        if d:
            problems += same(f"{label}.dau", part["dau"], d["dau"]) + same(f"{label}.new_devices", part["new_devices"], d["new_devices"])
            problems += same(f"{label}.by_hour dau", [h["dau"] for h in part["by_hour"]], d["by_hour"])
        if s:
            for field in ("orders", "order_amount", "paid_amount"):
                problems += same(f"{label}.{field}", part[field], s[field])
            problems += same(f"{label}.by_hour orders", [(h["orders"], h["order_amount"]) for h in part["by_hour"]],
                             [(h["orders"], h["order_amount"]) for h in s["by_hour"]])
    run.expect(f"/v1/realtime {day}: the same figures as /v1/dau and /v1/orders/summary", problems)


def check_empty_day(run):
    day = EMPTY_DAY
    zero_hours = [{"hour": h, "orders": 0, "order_amount": "0.00"} for h in range(24)]
    answers = {}
    for path, params in (("/v1/dau", {}), ("/v1/orders/summary", {}), ("/v1/orders/by-province", {}),
                         ("/v1/orders/by-category", {"level": 2}), ("/v1/products/top", {"by": "quantity"}),
                         ("/v1/orders/search", {}), ("/v1/realtime", {})):
        answer = run.check(f"GET {path} {day} (a day without data)", "GET", path, {"date": day, **params})
        answers[path] = answer.json() if answer else None
    expected = {
        "/v1/dau": {"date": day, "dau": 0, "new_devices": 0, "by_hour": [0] * 24, "by_province": []},
        "/v1/orders/summary": {"date": day, "orders": 0, "order_amount": "0.00", "buyers": 0, "paid_orders": 0,
                               "paid_amount": "0.00", "by_hour": zero_hours},
        "/v1/orders/by-province": {"date": day, "provinces": []},
        "/v1/orders/by-category": {"date": day, "level": 2, "categories": []},
        "/v1/products/top": {"date": day, "by": "quantity", "products": []},
        "/v1/orders/search": {"date": day, "total": 0, "page": 1, "size": 20, "items": [],
                              "stats": {"gender": [], "age_group": []}},
    }
    zero_day = {"dau": 0, "new_devices": 0, "orders": 0, "order_amount": "0.00", "paid_amount": "0.00",
                "by_hour": [{"hour": h, "dau": 0, "orders": 0, "order_amount": "0.00"} for h in range(24)]}
    expected["/v1/realtime"] = {"date": day, "day_before": day_before(day), "today": zero_day, "yesterday": zero_day}
    run.expect(f"a day without data ({day}) answers zeros and empty lists",
               [f"{path}: {answers[path]!r}, expected {value!r}" for path, value in expected.items()
                if answers.get(path) is not None and answers[path] != value])


def check_errors(run, day):
    bad = [
        ("/v1/realtime", {}, "date"), ("/v1/dau", {}, "date"), ("/v1/orders/summary", {"date": ""}, "date"),
        ("/v1/orders/summary", {"date": "2026-02-30"}, "date"), ("/v1/orders/by-province", {"date": "2026-13-01"}, "date"),
        ("/v1/orders/by-category", {"date": "20261101"}, "date"), ("/v1/products/top", {"date": "yesterday"}, "date"),
        ("/v1/orders/search", {"date": "2026-11-1"}, "date"),
        ("/v1/orders/by-category", {"date": day, "level": "4"}, "level"),
        ("/v1/orders/by-category", {"date": day, "level": "0"}, "level"),
        ("/v1/orders/by-category", {"date": day, "level": "one"}, "level"),
        ("/v1/products/top", {"date": day, "by": "price"}, "by"),
        ("/v1/products/top", {"date": day, "limit": "0"}, "limit"),
        ("/v1/products/top", {"date": day, "limit": "101"}, "limit"),
        ("/v1/products/top", {"date": day, "limit": "ten"}, "limit"),
        ("/v1/orders/search", {"date": day, "page": "0"}, "page"),
        ("/v1/orders/search", {"date": day, "page": "-1"}, "page"),
        ("/v1/orders/search", {"date": day, "size": "0"}, "size"),
        ("/v1/orders/search", {"date": day, "size": "101"}, "size"),
        ("/v1/orders/search", {"date": day, "size": "1.5"}, "size"),
        ("/v1/orders/search", {"date": day, "gender": "X"}, "gender"),
        ("/v1/orders/search", {"date": day, "province_id": "beijing"}, "province_id"),
    ]
    for path, params, parameter in bad:
        answer = run.check(f"GET {path} {urllib.parse.urlencode(params) or '(no date)'}: 400", "GET", path, params, status=400)
        if answer:
            error = answer.json().get("error", {})
            names_it = error.get("parameter") == parameter or parameter in error.get("message", "")
            run.expect(f"  ... the error names {parameter}", [] if names_it else [f"error {error} does not name {parameter}"])
    for method, path, params in (("POST", "/v1/orders/summary", {"date": day}), ("DELETE", "/v1/dau", {"date": day}),
                                 ("PUT", "/v1/orders/1", {}), ("POST", "/v1/orders/search", {"date": day}),
                                 ("POST", "/v1/realtime", {"date": day}), ("PATCH", "/healthz", {})):
        answer = run.check(f"{method} {path}: 405", method, path, params, status=405)
        if answer:
            allow = answer.header("allow") or ""
            run.expect(f"  ... Allow names GET ({allow!r})", [] if "GET" in [m.strip() for m in allow.split(",")] else
                       [f"Allow is {allow!r}"])
    for path in ("/v1/nothing-here", "/v1/orders/summary/extra", "/v2/dau", "/dashboard/no-such-file.js"):
        run.check(f"GET {path}: 404", "GET", path, {"date": day}, status=404)


def check_authentication(run, day):
    """Every /v1 path needs the token (none or a wrong one: 401 with a Bearer challenge); the rest stays open."""
    for path, params in (("/v1/dau", {"date": day}), ("/v1/orders/summary", {"date": day}), ("/v1/orders/search", {"date": day}),
                         ("/v1/orders/1", {}), ("/v1/openapi.json", {})):
        for label, headers in (("no token", {}), ("a wrong token", {"Authorization": "Bearer not-a-configured-token"}),
                               ("another scheme", {"Authorization": "Basic dXNlcjpwYXNz"})):
            answer = run.check(f"GET {path} with {label}: 401", "GET", path, params, status=401, headers=headers)
            if answer:
                challenge = answer.header("www-authenticate") or ""
                run.expect("  ... with a Bearer challenge", [] if challenge.startswith("Bearer") else [f"WWW-Authenticate {challenge!r}"])
    for path in ("/healthz", "/readyz", "/metrics", "/", "/dashboard/app.js"):
        run.check(f"GET {path} without a token: open", "GET", path, status=200, headers={})


def check_operations(run):
    run.check("GET /healthz", "GET", "/healthz")
    run.check("GET /readyz", "GET", "/readyz")
    metrics = run.check("GET /metrics", "GET", "/metrics")
    if metrics:
        run.expect("/metrics is Prometheus text", [] if b"# TYPE" in metrics.body else ["no '# TYPE' line"])
    served = run.check("GET /v1/openapi.json", "GET", "/v1/openapi.json")
    if served:
        with open(SPEC_FILE, "rb") as f:
            run.expect("/v1/openapi.json is Resources/openapi.json byte for byte", [] if served.body == f.read() else
                       ["the served document differs from Services/query-api/Resources/openapi.json"])
    page = run.check("GET / (the dashboard)", "GET", "/")
    if page:
        run.expect("/ references its assets under /dashboard/",
                   [f"no {asset}" for asset in (b"/dashboard/app.js", b"/dashboard/style.css") if asset not in page.body])
    for asset, kind in (("app.js", "javascript"), ("style.css", "css")):
        answer = run.check(f"GET /dashboard/{asset}", "GET", f"/dashboard/{asset}")
        if answer:
            with open(os.path.join(ROOT, "Services", "query-api", "Resources", "dashboard", asset), "rb") as f:
                run.expect(f"/dashboard/{asset}: the file, as {kind}",
                           ([] if answer.body == f.read() else ["differs from the file in Resources/dashboard"])
                           + ([] if kind in (answer.header("content-type") or "") else [f"content type {answer.header('content-type')}"]))


# ---------------------------------------------------------------- expected answers (shop-sim)

def check_expected(run, business_expected, expected):
    if business_expected:
        with open(business_expected) as f:
            days = json.load(f)["days"]
        answers = api_answers(run.base, sorted(days))
        for day, want in sorted(days.items()):
            problems = [problem for field in want for problem in same(field, answers[day].get(field), want[field])]
            run.expect(f"{day}: the business answers equal shop-sim's expected ones", problems)
    if expected:
        with open(expected) as f:
            days = json.load(f)["days"]
        for day, want in sorted(days.items()):
            dau = call(run.base, "GET", "/v1/dau", {"date": day}).json()
            problems = same("dau", dau["dau"], want["dau"]) + same("by_hour", dau["by_hour"], want["by_hour"])
            if "by_province" in want:
                problems += same("by_province", [{"area_code": p["area_code"], "dau": p["dau"]} for p in dau["by_province"]],
                                 want["by_province"])
            run.expect(f"{day}: DAU equals shop-sim's expected answer", problems)


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--query-url", required=True, help="query-api, e.g. http://127.0.0.1:8181")
    parser.add_argument("--date", required=True, help="a business day with data (the day before should have some too)")
    parser.add_argument("--business-expected", help="shop-sim's --business-expected file: compare the figures too")
    parser.add_argument("--expected", help="shop-sim's --expected file: compare DAU too")
    args = parser.parse_args()
    base = args.query_url.rstrip("/")
    day = args.date
    with open(SPEC_FILE) as f:
        contract = Contract(json.load(f))
    run = Run(base, contract)
    started = time.monotonic()

    check_operations(run)
    dau = check_dau(run, day)
    dau_before = check_dau(run, day_before(day))
    summary = check_summary(run, day)
    summary_before = check_summary(run, day_before(day))
    provinces = check_provinces(run, day, summary)
    level1 = check_categories(run, day)
    check_products(run, day, level1)
    search = check_search(run, day, provinces)
    check_order(run, search)
    check_realtime(run, day, dau, summary, dau_before, summary_before)
    check_empty_day(run)
    check_errors(run, day)
    check_authentication(run, day)
    check_expected(run, args.business_expected, args.expected)

    run.slowest.sort(reverse=True)
    print(f"\n{len(run.slowest)} requests in {time.monotonic() - started:.1f} s; slowest: "
          + ", ".join(f"{seconds * 1000:.0f} ms {what}" for seconds, what in run.slowest[:3]))
    if run.violations:
        print(f"\n{len(run.violations)} violation(s) of the contract:")
        for violation in run.violations:
            print(f"  - {violation}")
    print(f"{run.passed} passed, {run.failed} failed")
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
