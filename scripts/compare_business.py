#!/usr/bin/env python3
"""Compares the business answers in Elasticsearch with shop-sim's expected ones (--business-expected).

Reads every document of <prefix>order (one per order) and <prefix>order_wide (one per order line) straight
from Elasticsearch, aggregates them here exactly (integer cents, distinct sets; documents with deleted: true
and those with counts: false are left out), and prints, per day, the expected and the actual orders, amount,
buyers and paid orders next to each other, plus a line for each list (by hour, province, category, top SKUs)
that differs. With --mariadb, also checks every order and order-line document field by field against a SQL
join of the final shop database. Polls (up to --wait seconds) until everything matches; exits 1 if anything
still differs.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

PAGE_SIZE = 5000
MAX_REPORTED = 20


# ---------------------------------------------------------------- Elasticsearch

def fetch_all(es_url, index):
    """Every document's _source in `index` (sorted by id, paged with search_after); [] if it does not exist."""
    documents, after = [], None
    while True:
        body = {"size": PAGE_SIZE, "sort": [{"id": "asc"}], "query": {"match_all": {}}}
        if after is not None:
            body["search_after"] = after
        request = urllib.request.Request(f"{es_url}/{index}/_search", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                result = json.load(answer)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return []
            raise
        hits = result["hits"]["hits"]
        documents.extend(hit["_source"] for hit in hits)
        if len(hits) < PAGE_SIZE:
            return documents
        after = hits[-1]["sort"]


# ---------------------------------------------------------------- aggregation

def amount(cents):
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def live(doc):
    """Whether a document counts: not a deletion marker, and its order counts."""
    return not doc.get("deleted") and doc.get("counts") is True


def aggregate(orders, lines, days):
    """The answers, in the expected file's format, for `days` from the documents."""
    totals = {day: {"orders": 0, "amount": 0, "buyers": set(), "paid_orders": 0, "paid_amount": 0,
                    "hours": [[0, 0] for _ in range(24)], "provinces": {},
                    "c1": {}, "c2": {}, "c3": {}, "skus": {}} for day in days}
    for doc in filter(live, orders):
        day = totals.get(doc.get("date"))
        if day is None:
            continue
        cents = doc["total_amount_cents"]
        day["orders"] += 1
        day["amount"] += cents
        day["buyers"].add(doc["user_id"])
        if doc.get("paid") is True:
            day["paid_orders"] += 1
            day["paid_amount"] += cents
        day["hours"][doc["hour"]][0] += 1
        day["hours"][doc["hour"]][1] += cents
        province = day["provinces"].setdefault(doc["province_id"], [0, 0])
        province[0] += 1
        province[1] += cents
    for doc in filter(live, lines):
        day = totals.get(doc.get("date"))
        if day is None:
            continue
        quantity, cents = doc["sku_num"], doc["split_total_amount_cents"]
        sku = day["skus"].setdefault(doc["sku_id"], [0, 0, set()])
        sku[0] += quantity
        sku[1] += cents
        sku[2].add(doc["order_id"])
        for level in ("1", "2", "3"):
            category = doc.get(f"category{level}_id")
            if category is not None:
                figure = day["c" + level].setdefault(category, [0, 0])
                figure[0] += quantity
                figure[1] += cents
    return {day: render(figures) for day, figures in totals.items()}


def render(day):
    def categories(figures):
        ordered = sorted(figures.items(), key=lambda item: (-item[1][1], item[0]))
        return [{"id": key, "quantity": q, "amount": amount(a)} for key, (q, a) in ordered]

    def skus(key):
        ordered = sorted(day["skus"].items(), key=lambda item: (key(item[1]), item[0]))[:10]
        return [{"sku_id": sku, "quantity": q, "amount": amount(a), "orders": len(o)} for sku, (q, a, o) in ordered]

    provinces = sorted(day["provinces"].items(), key=lambda item: (-item[1][1], item[0]))
    return {
        "orders": day["orders"], "order_amount": amount(day["amount"]), "buyers": len(day["buyers"]),
        "paid_orders": day["paid_orders"], "paid_amount": amount(day["paid_amount"]),
        "by_hour": [{"hour": h, "orders": n, "order_amount": amount(a)} for h, (n, a) in enumerate(day["hours"])],
        "by_province": [{"province_id": p, "orders": n, "order_amount": amount(a)} for p, (n, a) in provinces],
        "by_category1": categories(day["c1"]), "by_category2": categories(day["c2"]),
        "by_category3": categories(day["c3"]),
        "top_skus_by_amount": skus(lambda figure: -figure[1]),
        "top_skus_by_quantity": skus(lambda figure: -figure[0]),
    }


# ---------------------------------------------------------------- the shop database

class ShopDatabase:
    """Runs queries through the mariadb command-line client (batch mode, tab-separated)."""

    def __init__(self, address, user, password_file):
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise SystemExit(f"--mariadb must be host:port, got {address!r}")
        self.arguments = ["mariadb", "--no-defaults", f"--host={host}", f"--port={port}", f"--user={user}",
                          "--batch", "--skip-column-names", "--database=gmall"]
        self.environment = dict(os.environ)
        if password_file:
            with open(password_file) as f:
                self.environment["MYSQL_PWD"] = f.readline().rstrip("\n")

    def rows(self, sql):
        done = subprocess.run(self.arguments, input=sql, capture_output=True, text=True, env=self.environment)
        if done.returncode != 0:
            raise SystemExit(f"mariadb failed: {done.stderr.strip()}")
        return [[None if field == "NULL" else unescape(field) for field in line.split("\t")]
                for line in done.stdout.splitlines()]


def unescape(field):
    if "\\" not in field:
        return field
    out, escaped = [], False
    for ch in field:
        if escaped:
            out.append({"t": "\t", "n": "\n", "0": "\0"}.get(ch, ch))
            escaped = False
        elif ch == "\\":
            escaped = True
        else:
            out.append(ch)
    return "".join(out)


def cents(text):
    if text is None:
        return None
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    value = int(whole) * 100 + int((fraction + "00")[:2])
    return -value if negative else value


def integer(text):
    return None if text is None else int(text)


def age(birthday, day):
    """Whole years from `birthday` to `day` (both yyyy-MM-dd), None without a birthday."""
    if birthday is None:
        return None
    b, d = datetime.date.fromisoformat(birthday), datetime.date.fromisoformat(day)
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


ORDER_COLUMNS = ("o.id, o.order_status, o.consignee, o.user_id, o.province_id, o.total_amount, "
                 "o.original_total_amount, o.activity_reduce_amount, o.coupon_reduce_amount, o.feight_fee, "
                 "o.create_time, o.operate_time")


def order_fields(row):
    (id_, status, consignee, user_id, province_id, total, original, activity, coupon, fee, created,
     operated) = row
    return {
        "id": int(id_), "order_status": status, "consignee": consignee, "user_id": integer(user_id),
        "province_id": integer(province_id), "total_amount_cents": cents(total),
        "original_total_amount_cents": cents(original), "activity_reduce_amount_cents": cents(activity),
        "coupon_reduce_amount_cents": cents(coupon), "feight_fee_cents": cents(fee), "create_time": created,
        "operate_time": operated, "date": created[:10], "hour": int(created[11:13]),
        "counts": status != "1003", "paid": status in ("1002", "1004"), "deleted": False,
    }


def expected_documents(db):
    """The order and order-line documents the final database calls for, by id."""
    orders = {}
    for row in db.rows(f"SELECT {ORDER_COLUMNS} FROM order_info o"):
        fields = order_fields(row)
        orders[fields["id"]] = fields
    lines = {}
    for row in db.rows(f"""
        SELECT d.id, d.order_id, d.sku_id, d.sku_name, d.order_price, d.sku_num, d.split_total_amount,
               d.split_activity_amount, d.split_coupon_amount, {ORDER_COLUMNS},
               p.name, p.area_code, p.iso_code, p.iso_3166_2, p.region_id,
               c1.id, c1.name, c2.id, c2.name, c3.id, c3.name, s.tm_id, t.tm_name, s.spu_id, sp.spu_name,
               u.gender, u.birthday
        FROM order_detail d JOIN order_info o ON o.id = d.order_id
        LEFT JOIN base_province p ON p.id = o.province_id
        LEFT JOIN sku_info s ON s.id = d.sku_id
        LEFT JOIN base_category3 c3 ON c3.id = s.category3_id
        LEFT JOIN base_category2 c2 ON c2.id = c3.category2_id
        LEFT JOIN base_category1 c1 ON c1.id = c2.category1_id
        LEFT JOIN base_trademark t ON t.id = s.tm_id
        LEFT JOIN spu_info sp ON sp.id = s.spu_id
        LEFT JOIN user_info u ON u.id = o.user_id"""):
        line, order, dims = row[:9], row[9:21], row[21:]
        fields = order_fields(order)
        fields.update({
            "id": int(line[0]), "order_id": int(line[1]), "sku_id": integer(line[2]), "sku_name": line[3],
            "order_price_cents": cents(line[4]), "sku_num": integer(line[5]),
            "split_total_amount_cents": cents(line[6]), "split_activity_amount_cents": cents(line[7]),
            "split_coupon_amount_cents": cents(line[8]),
            "province_name": dims[0], "province_area_code": dims[1], "province_iso_code": dims[2],
            "province_iso_3166_2": dims[3], "province_region_id": dims[4],
            "category1_id": integer(dims[5]), "category1_name": dims[6], "category2_id": integer(dims[7]),
            "category2_name": dims[8], "category3_id": integer(dims[9]), "category3_name": dims[10],
            "tm_id": integer(dims[11]), "tm_name": dims[12], "spu_id": integer(dims[13]), "spu_name": dims[14],
            "user_gender": dims[15], "user_age": age(dims[16], fields["date"]),
        })
        lines[fields["id"]] = fields
    return orders, lines


def document_mismatches(kind, expected, documents):
    """Lines describing each document that is missing, extra or has a different field."""
    problems = []
    actual = {}
    for doc in documents:
        actual[doc.get("id")] = doc
    for id_, fields in sorted(expected.items()):
        doc = actual.get(id_)
        if doc is None or doc.get("deleted"):
            problems.append(f"{kind} {id_}: in the database, " + ("a deletion marker in" if doc else "absent from")
                            + " Elasticsearch")
            continue
        for name, value in fields.items():
            if name not in doc:
                problems.append(f"{kind} {id_}: field {name} missing (expected {value!r})")
            elif doc[name] != value or type(doc[name]) is not type(value):
                problems.append(f"{kind} {id_}: field {name}: expected {value!r}, actual {doc[name]!r}")
    for id_, doc in sorted(actual.items(), key=lambda item: str(item[0])):
        if id_ not in expected and not doc.get("deleted"):
            problems.append(f"{kind} {id_}: in Elasticsearch but not in the database (and not marked deleted)")
    return problems


# ---------------------------------------------------------------- comparison and report

SCALARS = [("orders", "orders"), ("order_amount", "amount"), ("buyers", "buyers"), ("paid_orders", "paid"),
           ("paid_amount", "paid amount")]
LISTS = [("by_hour", "hour"), ("by_province", "province_id"), ("by_category1", "id"), ("by_category2", "id"),
         ("by_category3", "id"), ("top_skus_by_amount", "sku_id"), ("top_skus_by_quantity", "sku_id")]


def describe_list_difference(expected, actual, key):
    """One line saying how two lists differ: the first entries that differ, and how many do."""
    if [e[key] for e in expected] == [a[key] for a in actual]:
        pairs = [(e, a) for e, a in zip(expected, actual) if e != a]
        e, a = pairs[0]
        return f"{len(pairs)} {'entry differs' if len(pairs) == 1 else 'entries differ'}; first {key} {e[key]}: expected " \
               f"{brief(e, key)}, actual {brief(a, key)}"
    by_key = {a[key]: a for a in actual}
    expected_keys = {e[key] for e in expected}
    for position, e in enumerate(expected):
        a = actual[position] if position < len(actual) else None
        if a != e:
            found = by_key.get(e[key])
            return (f"entry {position + 1}: expected {key} {e[key]} {brief(e, key)}, actual "
                    + (f"{key} {a[key]} {brief(a, key)}" if a else "nothing")
                    + (f" ({key} {e[key]} is {brief(found, key)} at entry {actual.index(found) + 1})" if found and found is not a else ""))
    extra = [a for a in actual if a[key] not in expected_keys]
    return f"{len(extra)} unexpected entries, first {key} {extra[0][key]} {brief(extra[0], key)}"


def brief(entry, key):
    return "(" + ", ".join(f"{k} {v}" for k, v in sorted(entry.items()) if k != key) + ")"


def report(expected, actual, problems):
    width = max(len(e) for e in ["paid amount", "orders"]) + 2
    for day in sorted(expected):
        e, a = expected[day], actual[day]
        print(f"{day:<{width + 2}}{'expected':>14}{'actual':>14}")
        for field, label in SCALARS:
            mark = "" if e[field] == a[field] else "   <-- differs"
            print(f"  {label:<{width}}{str(e[field]):>14}{str(a[field]):>14}{mark}")
        for field, key in LISTS:
            if e[field] != a[field]:
                print(f"  {field} differs: {describe_list_difference(e[field], a[field], key)}")
        print(f"  {'same' if e == a else 'DIFFERENT'}")
    if problems:
        print(f"documents checked against the shop database: {len(problems)} mismatch(es)")
        for line in problems[:MAX_REPORTED]:
            print(f"  {line}")
        if len(problems) > MAX_REPORTED:
            print(f"  ... and {len(problems) - MAX_REPORTED} more")


def query_api_headers():
    """query-api's bearer token from QUERY_API_TOKEN (the local stack writes it to .local/query-api-token)."""
    token = os.environ.get("QUERY_API_TOKEN", "")
    return {"Authorization": f"Bearer {token}"} if token else {}


def get_json(url):
    with urllib.request.urlopen(urllib.request.Request(url, headers=query_api_headers()), timeout=30) as answer:
        return json.load(answer)


def api_answers(query_url, days):
    """The same figures as the expected file, as query-api answers them (GET /v1/orders/..., /v1/products/top)."""
    answers = {}
    for day in days:
        summary = get_json(f"{query_url}/v1/orders/summary?date={day}")
        figures = {key: summary[key] for key in ("orders", "order_amount", "buyers", "paid_orders", "paid_amount", "by_hour")}
        provinces = get_json(f"{query_url}/v1/orders/by-province?date={day}")["provinces"]
        figures["by_province"] = [{k: p[k] for k in ("province_id", "orders", "order_amount")} for p in provinces]
        for level in (1, 2, 3):
            categories = get_json(f"{query_url}/v1/orders/by-category?date={day}&level={level}")["categories"]
            figures[f"by_category{level}"] = [{k: c[k] for k in ("id", "quantity", "amount")} for c in categories]
        for by in ("amount", "quantity"):
            products = get_json(f"{query_url}/v1/products/top?date={day}&by={by}&limit=10")["products"]
            figures[f"top_skus_by_{by}"] = [{k: p[k] for k in ("sku_id", "quantity", "amount", "orders")} for p in products]
        answers[day] = figures
    return answers


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--expected", required=True, help="shop-sim's --business-expected file")
    parser.add_argument("--es-url", required=True, help="Elasticsearch, e.g. http://127.0.0.1:19200")
    parser.add_argument("--prefix", default="gmall_", help="index prefix (default gmall_)")
    parser.add_argument("--wait", type=float, default=60, help="seconds to wait for a match (default 60)")
    parser.add_argument("--mariadb", metavar="HOST:PORT", help="also check each document against this shop database")
    parser.add_argument("--mariadb-user", default="root")
    parser.add_argument("--mariadb-password-file")
    parser.add_argument("--query-url", help="also compare query-api's answers (e.g. http://127.0.0.1:8181) with the expected ones")
    args = parser.parse_args()
    es_url = args.es_url.rstrip("/")
    with open(args.expected) as f:
        expected = json.load(f)["days"]

    wanted = None
    if args.mariadb:
        db = ShopDatabase(args.mariadb, args.mariadb_user, args.mariadb_password_file)
        wanted = expected_documents(db)

    deadline = time.monotonic() + args.wait
    while True:
        error = None
        try:
            orders = fetch_all(es_url, f"{args.prefix}order")
            lines = fetch_all(es_url, f"{args.prefix}order_wide")
        except (urllib.error.URLError, OSError, KeyError, ValueError) as failure:
            error, orders, lines = failure, [], []
        actual = aggregate(orders, lines, expected.keys())
        problems = []
        if wanted is not None:
            problems = document_mismatches("order", wanted[0], orders) + \
                document_mismatches("line", wanted[1], lines)
        matches = error is None and actual == expected and not problems
        if matches and args.query_url:
            try:
                actual = api_answers(args.query_url.rstrip("/"), sorted(expected))
            except (urllib.error.URLError, OSError, KeyError, ValueError) as failure:
                error = f"query-api: {failure}"
            matches = error is None and actual == expected
        if matches or time.monotonic() >= deadline:
            break
        time.sleep(2)

    if error is not None:
        print(f"cannot read the answers: {error}")
    print(f"{len(orders)} {args.prefix}order and {len(lines)} {args.prefix}order_wide documents"
          + (f"; figures below as query-api at {args.query_url} answers them" if args.query_url else ""))
    report(expected, actual, problems)
    print("all days match" if matches else "MISMATCH: Elasticsearch's business answers differ from the expected ones")
    return 0 if matches else 1


if __name__ == "__main__":
    sys.exit(main())
