#!/usr/bin/env python3
"""Tests query-api's dashboard in a real browser (headless Chromium through Selenium and chromedriver).

    .venv/bin/python scripts/browser_test.py --query-url http://127.0.0.1:8181 --date 2026-11-02 \
        --mariadb 127.0.0.1:13306 --noida-pid "$(cat .local/run/noida.pid)" --screenshot docs/dashboard.png

1. Loads the page for --date and checks that every figure it shows equals the API's answer, fetched here:
   the day's and the day before's figures, the hourly charts, provinces, categories at each level, top
   products by amount and by quantity, the order-line table with a search, a gender filter and paging, and
   an order's detail. Saves the screenshot (1400x1000) while the data is good.
2. Inserts a new paid order (an existing user, province and SKU; a fresh id; one order_detail line) into the
   shop database with the mariadb client and checks that the page shows it without being reloaded.
3. Freezes the Kafka/Elasticsearch stand-in (SIGSTOP to --noida-pid; SIGCONT afterwards, always) and checks
   that the page says the data is stale or unavailable, with the time of the last good refresh, and still shows
   the last figures; then that it recovers by itself.

Prints one line per check and 'N passed, N failed'; exits 1 if any check failed.
"""
import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from compare_business import query_api_headers  # query-api's token from QUERY_API_TOKEN

try:
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
except ImportError as missing:  # pragma: no cover
    raise SystemExit(f"{missing}: run scripts/setup.sh, or .venv/bin/pip install selenium")

SHOW_WITHIN_S = 10       # a new order must be on the page by then (the page polls every 2 s)
STALE_WITHIN_S = 20      # the page must say its data is stale/unavailable by then
RECOVER_WITHIN_S = 60    # and be live again this long after Elasticsearch is back
WIDTH, HEIGHT = 1400, 1000

# The page's state in one round trip: what a person sees (text) and the exact values kept in data-value.
PAGE_STATE_JS = r"""
const $ = (id) => document.getElementById(id);
const text = (node) => node ? node.textContent.trim() : null;
const rows = (id) => [...$(id).tBodies[0].rows].filter((r) => !r.classList.contains("empty"))
  .map((r) => [...r.cells].map((c) => c.textContent.trim()));
const series = (id, name) => [...$(id).querySelectorAll(`[data-series="${name}"]`)]
  .sort((a, b) => a.dataset.hour - b.dataset.hour).map((n) => n.dataset.value);
const figures = {};
for (const f of ["dau", "new-devices", "orders", "order-amount", "paid-amount"]) {
  figures[`today-${f}`] = text($(`today-${f}`));
  figures[`yesterday-${f}`] = text($(`yesterday-${f}`));
}
const charts = {};
for (const c of ["orders", "order-amount", "dau"]) {
  charts[c] = { today: series(`chart-${c}`, "today"), yesterday: series(`chart-${c}`, "yesterday") };
}
return {
  state: $("status").dataset.state,
  refreshedDate: document.body.dataset.refreshedDate || null,
  dayBefore: text($("day-before")),
  figures, charts,
  provinces: rows("provinces-table"),
  categoriesLevel: $("categories-table").dataset.level || null,
  categories: rows("categories-table"),
  productsBy: $("products-table").dataset.by || null,
  products: rows("products-table"),
  search: rows("search-table"),
  searchTotal: $("search-total").dataset.value || null,
  searchPage: $("search-page-input").value,
  searchPages: text($("search-pages")),
  stats: [...document.querySelectorAll("#search-stats .chip")].map((c) => [c.dataset.group, c.dataset.key, c.dataset.lines, c.dataset.amount]),
  bannerShown: !$("error-banner").hidden,
  banner: text($("error-banner")),
  noReloadMark: window.__gmallNoReloadMark || null,
};
"""


# ---------------------------------------------------------------- helpers

def api(base, path, **params):
    url = f"{base}{path}?{urllib.parse.urlencode({k: v for k, v in params.items() if v not in (None, '')})}"
    with urllib.request.urlopen(urllib.request.Request(url, headers=query_api_headers()), timeout=30) as answer:
        return json.load(answer)


def plain(text):
    """A shown figure without its presentation: '¥1,234.50' -> '1234.50', '1,234' -> '1234'."""
    return None if text is None else text.replace("¥", "").replace(",", "").strip()


def wait_for(condition, seconds, interval=0.2):
    """Polls `condition` (returns a list of problems) until it returns none or `seconds` pass; the last problems."""
    deadline = time.monotonic() + seconds
    while True:
        problems = condition()
        if not problems or time.monotonic() >= deadline:
            return problems
        time.sleep(interval)


class Checks:
    def __init__(self):
        self.passed, self.failed = 0, 0

    def record(self, name, problems, note=""):
        if problems:
            self.failed += 1
            print(f"FAIL {name}")
            for problem in problems[:15]:
                print(f"     {problem}")
            if len(problems) > 15:
                print(f"     ... and {len(problems) - 15} more")
        else:
            self.passed += 1
            print(f"ok   {name}{(' (' + note + ')') if note else ''}")
        return not problems


def differences(label, shown, expected):
    if shown == expected:
        return []
    if isinstance(shown, list) and isinstance(expected, list):
        for index, (s, e) in enumerate(zip(shown, expected)):
            if s != e:
                return [f"{label}: entry {index + 1} shows {s!r}, the API says {e!r} ({len(shown)} shown, {len(expected)} in the API)"]
        return [f"{label}: {len(shown)} entries shown, {len(expected)} in the API"]
    return [f"{label}: shows {shown!r}, the API says {expected!r}"]


# ---------------------------------------------------------------- what the page must show

FIGURE_FIELDS = {"dau": "dau", "new-devices": "new_devices", "orders": "orders", "order-amount": "order_amount",
                 "paid-amount": "paid_amount"}


def realtime_problems(page, realtime):
    problems = differences("day before", page["dayBefore"], realtime["day_before"])
    for figure, field in FIGURE_FIELDS.items():
        for day in ("today", "yesterday"):
            problems += differences(f"#{day}-{figure}", plain(page["figures"][f"{day}-{figure}"]), str(realtime[day][field]))
    for chart, field in (("orders", "orders"), ("order-amount", "order_amount"), ("dau", "dau")):
        for day in ("today", "yesterday"):
            problems += differences(f"#chart-{chart} {day}", page["charts"][chart][day],
                                    [str(hour[field]) for hour in realtime[day]["by_hour"]])
    return problems


def provinces_problems(page, answer):
    expected = [[p["name"], p["iso_code"], str(p["orders"]), p["order_amount"]] for p in answer["provinces"]]
    shown = [[r[0], r[1], plain(r[2]), plain(r[3])] for r in page["provinces"]]
    return differences("#provinces-table", shown, expected)


def categories_problems(page, answer):
    expected = [[c["name"], str(c["quantity"]), c["amount"]] for c in answer["categories"]]
    shown = [[r[0], plain(r[1]), plain(r[2])] for r in page["categories"]]
    return differences("#categories-table level", page["categoriesLevel"], str(answer["level"])) + \
        differences(f"#categories-table (level {answer['level']})", shown, expected)


def products_problems(page, answer):
    expected = [[str(i + 1), p["sku_name"], p["trademark"], str(p["quantity"]), p["amount"], str(p["orders"])]
                for i, p in enumerate(answer["products"])]
    shown = [[r[0], r[1], r[2], plain(r[3]), plain(r[4]), plain(r[5])] for r in page["products"]]
    return differences("#products-table by", page["productsBy"], answer["by"]) + \
        differences(f"#products-table (by {answer['by']})", shown, expected)


def search_problems(page, answer):
    expected = [[i["create_time"], str(i["order_id"]), str(i["detail_id"]), i["sku_name"], str(i["sku_num"]),
                 i["order_price"], i["amount"]] for i in answer["items"]]
    shown = [[r[0], r[1], r[2], r[3], plain(r[4]), plain(r[5]), plain(r[6])] for r in page["search"]]
    stats = [[group, e["key"], str(e["lines"]), e["amount"]] for group in ("gender", "age_group") for e in answer["stats"][group]]
    pages = max(1, -(-answer["total"] // answer["size"]))
    return differences("#search-table", shown, expected) + differences("#search-total", page["searchTotal"], str(answer["total"])) \
        + differences("#search-page-input", page["searchPage"], str(answer["page"])) \
        + differences("#search-pages", plain(page["searchPages"]), str(pages)) + differences("#search-stats", page["stats"], stats)


# ---------------------------------------------------------------- the test

class DashboardTest:
    def __init__(self, args, checks):
        self.args, self.checks = args, checks
        self.base = args.query_url.rstrip("/")
        self.day = args.date
        self.driver = None

    def page(self):
        return self.driver.execute_script(PAGE_STATE_JS)

    def compare(self, name, problems_of, seconds=8):
        """Compares the page with fresh API answers until they agree (the page refreshes every 2 s)."""
        def condition():
            try:
                return problems_of(self.page())
            except (urllib.error.URLError, OSError, KeyError, ValueError) as error:
                return [f"cannot compare: {error!r}"]
        return self.checks.record(name, wait_for(condition, seconds))

    def start_browser(self):
        options = webdriver.ChromeOptions()
        options.binary_location = self.args.chromium
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         f"--window-size={WIDTH},{HEIGHT}", "--lang=en-US", "--hide-scrollbars"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        os.environ.setdefault("SE_OFFLINE", "true")   # never let Selenium Manager look for a driver online
        self.driver = webdriver.Chrome(service=Service(self.args.chromedriver), options=options)
        # The viewport itself is 1400x1000, whatever the window's decorations.
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})

    def live_problems(self, day=None):
        """Why the page is not live (showing `day`, if given), or nothing."""
        p = self.page()
        if p["state"] == "ok" and not p["bannerShown"] and (day is None or p["refreshedDate"] == day):
            return []
        return [f"status {p['state']!r}, day {p['refreshedDate']!r}, banner {p['banner']!r}"]

    def token_form_problems(self, expected_message):
        form = self.driver.find_element(By.ID, "token-form")
        if not form.is_displayed():
            return ["the token form is not shown"]
        message = self.driver.find_element(By.ID, "token-message").text
        return [] if expected_message in message else [f"token message {message!r}, expected it to say {expected_message!r}"]

    def submit_token(self, token):
        field = self.driver.find_element(By.ID, "token-input")
        field.clear()
        field.send_keys(token)
        self.click("#token-form button[type=submit]")

    def enter_token(self):
        """The page asks for query-api's token; a wrong one is refused and asked for again; the right one opens it."""
        token = os.environ.get("QUERY_API_TOKEN", "")
        asked = wait_for(lambda: self.token_form_problems("needs a token"), 10)
        if not self.checks.record("without a token the page asks for one", asked):
            return False
        self.submit_token("not-the-token")
        refused = wait_for(lambda: self.token_form_problems("refused the token"), 10)
        if not self.checks.record("a wrong token is refused and asked for again", refused):
            return False
        self.submit_token(token)
        return True

    def click(self, css):
        self.driver.find_element(By.CSS_SELECTOR, css).click()

    def run(self):
        self.start_browser()
        base, day = self.base, self.day
        self.driver.get(f"{base}/?date={day}")
        if not self.enter_token():
            return
        loaded = wait_for(lambda: self.live_problems(day), 20)
        if not self.checks.record(f"the page loads and shows {day} (status live)", loaded):
            return
        # The wrong token's 401s, long answered now, are in the browser's log as failed loads: expected, drained.
        self.driver.get_log("browser")

        # 1. Every figure equals the API's answer.
        self.compare("KPIs and hourly charts equal /v1/realtime",
                     lambda p: realtime_problems(p, api(base, "/v1/realtime", date=day)))
        self.compare("the province table equals /v1/orders/by-province",
                     lambda p: provinces_problems(p, api(base, "/v1/orders/by-province", date=day)))
        for level in (1, 2, 3):
            self.click(f'#category-level button[data-level="{level}"]')
            self.compare(f"categories at level {level} equal /v1/orders/by-category",
                         lambda p, level=level: categories_problems(p, api(base, "/v1/orders/by-category", date=day, level=level)))
        for by in ("quantity", "amount"):
            self.click(f'#top-by button[data-by="{by}"]')
            self.compare(f"top products by {by} equal /v1/products/top",
                         lambda p, by=by: products_problems(p, api(base, "/v1/products/top", date=day, by=by, limit=10)))
        self.click('#category-level button[data-level="1"]')
        self.compare("the order-line table equals /v1/orders/search",
                     lambda p: search_problems(p, api(base, "/v1/orders/search", date=day)))
        self.search_with_filters()
        self.order_detail()
        self.check_console("no script errors while loading and using the page")
        self.screenshot()

        # 2. A new order appears without reloading.
        self.new_order()

        # 3. Elasticsearch unreachable.
        if self.args.noida_pid:
            self.elasticsearch_down()

    def search_with_filters(self):
        base, day = self.base, self.day
        first = api(base, "/v1/orders/search", date=day)
        if not first["items"]:
            self.checks.record("search with filters", ["the day has no order lines to search"])
            return
        words = [w for w in first["items"][0]["sku_name"].split() if w.isascii() and w.isalpha()] or \
            first["items"][0]["sku_name"].split()[:1]
        query = words[0].lower()
        box = self.driver.find_element(By.ID, "search-q")
        box.clear()
        box.send_keys(query)
        self.driver.find_element(By.CSS_SELECTOR, '#search-gender option[value="F"]').click()
        self.click("#search-submit")
        self.compare(f"search q={query!r} gender=F equals /v1/orders/search",
                     lambda p: search_problems(p, api(base, "/v1/orders/search", date=day, q=query, gender="F")))
        box.clear()
        self.driver.find_element(By.CSS_SELECTOR, '#search-gender option[value=""]').click()
        self.click("#search-submit")
        total = api(base, "/v1/orders/search", date=day)["total"]
        if total > 20:
            self.compare("back to all lines", lambda p: search_problems(p, api(base, "/v1/orders/search", date=day)))
            self.click("#search-next")
            self.compare("the next page equals /v1/orders/search page=2",
                         lambda p: search_problems(p, api(base, "/v1/orders/search", date=day, page=2)))
            self.click("#search-prev")
        self.compare("page 1 again", lambda p: search_problems(p, api(base, "/v1/orders/search", date=day)))

    def order_detail(self):
        link = self.driver.find_element(By.CSS_SELECTOR, "#search-table a[data-order-id]")
        order_id = link.get_attribute("data-order-id")
        link.click()
        expected = api(self.base, f"/v1/orders/{order_id}")

        def problems():
            shown = self.driver.execute_script("""
                const list = document.querySelector('#order-detail-body dl');
                const lines = [...document.querySelectorAll('#order-detail-lines tbody tr[data-detail-id]')].map(r => r.dataset.detailId);
                return list ? [list.dataset.orderId, list.dataset.totalAmount, lines] : null;""")
            want = [str(expected["order_id"]), expected["total_amount"], [str(line["detail_id"]) for line in expected["lines"]]]
            return differences("#order-detail", shown, want)
        self.checks.record(f"the order detail of {order_id} equals /v1/orders/{order_id}", wait_for(problems, 5))
        self.click("#order-detail-close")

    def check_console(self, name):
        entries = [e for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]
        self.checks.record(name, [e["message"] for e in entries])

    def screenshot(self):
        if not self.args.screenshot:
            return
        self.driver.execute_script("window.scrollTo(0, 0)")
        problems = wait_for(self.live_problems, 10)
        if not problems:
            folder = os.path.dirname(os.path.abspath(self.args.screenshot))
            os.makedirs(folder, exist_ok=True)
            self.driver.save_screenshot(self.args.screenshot)
        self.checks.record(f"screenshot saved to {self.args.screenshot}", problems)

    # ---------------------------------------------------------------- a new order

    def sql(self, statement):
        host, _, port = self.args.mariadb.rpartition(":")
        done = subprocess.run(["mariadb", "--no-defaults", f"--host={host}", f"--port={port}", "--user=root",
                               "--batch", "--skip-column-names", "--database=gmall"],
                              input=statement, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"mariadb: {done.stderr.strip()}")
        return [line.split("\t") for line in done.stdout.splitlines()]

    def new_order(self):
        if not self.args.mariadb:
            return
        base, day = self.base, self.day
        try:
            user = self.sql("SELECT id FROM user_info WHERE gender IS NOT NULL AND birthday IS NOT NULL ORDER BY id LIMIT 1")[0][0]
            province = self.sql("SELECT id FROM base_province ORDER BY id LIMIT 1")[0][0]
            sku_id, sku_name, price = self.sql("SELECT id, sku_name, price FROM sku_info WHERE category3_id IS NOT NULL "
                                               "AND tm_id IS NOT NULL ORDER BY id LIMIT 1")[0]
            order_id = int(self.sql("SELECT COALESCE(MAX(id), 0) + 1 FROM order_info")[0][0])
            detail_id = int(self.sql("SELECT COALESCE(MAX(id), 0) + 1 FROM order_detail")[0][0])
        except (RuntimeError, IndexError, ValueError) as error:
            self.checks.record("a new order: pick an existing user, province and SKU", [str(error)])
            return
        quantity = 2
        amount_cents = int(price) * 100 * quantity
        amount = f"{amount_cents // 100}.{amount_cents % 100:02d}"
        created = f"{day} 23:59:59"
        before = api(base, "/v1/realtime", date=day)["today"]
        # The page must not be reloaded: a mark set now must still be there when the order shows.
        self.driver.execute_script("window.__gmallNoReloadMark = arguments[0]", str(order_id))
        statement = f"""START TRANSACTION;
INSERT INTO order_info (id, consignee, user_id, province_id, order_status, total_amount, original_total_amount,
  activity_reduce_amount, coupon_reduce_amount, feight_fee, create_time, operate_time)
  VALUES ({order_id}, 'browser test', {user}, {province}, '1002', {amount}, {amount}, 0.00, 0.00, 0.00, '{created}', '{created}');
INSERT INTO order_detail (id, order_id, sku_id, sku_name, order_price, sku_num, create_time, split_total_amount,
  split_activity_amount, split_coupon_amount)
  VALUES ({detail_id}, {order_id}, {sku_id}, '{sku_name.replace("'", "''")}', {int(price)}.00, {quantity}, '{created}', {amount}, 0.00, 0.00);
COMMIT;"""
        try:
            self.sql(statement)
        except RuntimeError as error:
            self.checks.record("a new order: insert it", [str(error)])
            return
        committed = time.monotonic()
        cents = lambda text: int(plain(text).replace(".", ""))
        want_orders = before["orders"] + 1
        want_amount = cents(before["order_amount"]) + amount_cents
        want_paid = cents(before["paid_amount"]) + amount_cents

        def shown():
            p = self.page()
            problems = []
            if p["noReloadMark"] != str(order_id):
                problems.append("the page was reloaded (its mark is gone)")
            if plain(p["figures"]["today-orders"]) != str(want_orders):
                problems.append(f"#today-orders shows {p['figures']['today-orders']}, want {want_orders}")
            if cents(p["figures"]["today-order-amount"]) != want_amount:
                problems.append(f"#today-order-amount shows {p['figures']['today-order-amount']}")
            if cents(p["figures"]["today-paid-amount"]) != want_paid:
                problems.append(f"#today-paid-amount shows {p['figures']['today-paid-amount']}")
            if str(detail_id) not in [row[2] for row in p["search"]]:
                problems.append(f"line {detail_id} is not in the order-line table")
            return problems
        problems = wait_for(shown, SHOW_WITHIN_S, interval=0.1)
        seconds = time.monotonic() - committed
        self.checks.record(f"a new order ({order_id}, {quantity} x SKU {sku_id}, {amount}) shows up without reloading",
                           problems, f"{seconds:.1f} s after its commit")
        self.compare("after the new order, the figures still equal /v1/realtime",
                     lambda p: realtime_problems(p, api(base, "/v1/realtime", date=day)))

    # ---------------------------------------------------------------- Elasticsearch down

    def elasticsearch_down(self):
        pid = self.args.noida_pid
        before = self.page()
        os.kill(pid, signal.SIGSTOP)
        stopped = time.monotonic()
        try:
            def says_so():
                p = self.page()
                problems = []
                if p["state"] not in ("error", "stale"):
                    problems.append(f"status is {p['state']!r}")
                if not p["bannerShown"]:
                    problems.append("no banner")
                elif "last good refresh at" not in (p["banner"] or ""):
                    problems.append(f"the banner does not give the last good refresh: {p['banner']!r}")
                if p["figures"]["today-orders"] in (None, "", "—"):
                    problems.append("the figures are gone")
                return problems
            problems = wait_for(says_so, STALE_WITHIN_S)
            page = self.page()
            self.checks.record("with Elasticsearch frozen, the page says its data is stale or unavailable", problems,
                               f"after {time.monotonic() - stopped:.1f} s: {page['banner']!r}")
            self.checks.record("  ... and still shows the last figures",
                               differences("figures", page["figures"], before["figures"]))
            if self.args.error_screenshot:
                self.driver.save_screenshot(self.args.error_screenshot)
        finally:
            os.kill(pid, signal.SIGCONT)
        resumed = time.monotonic()
        problems = wait_for(self.live_problems, RECOVER_WITHIN_S, interval=0.5)
        self.checks.record("once Elasticsearch answers again, the page is live again by itself", problems,
                           f"{time.monotonic() - resumed:.1f} s after SIGCONT")
        if not problems:
            self.compare("and its figures equal /v1/realtime", lambda p: realtime_problems(p, api(self.base, "/v1/realtime", date=self.day)))

    def close(self):
        if self.driver is not None:
            try:
                self.driver.quit()
            except WebDriverException:
                pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--query-url", required=True, help="query-api, e.g. http://127.0.0.1:8181")
    parser.add_argument("--date", required=True, help="the business day to show (the day before should have data too)")
    parser.add_argument("--mariadb", metavar="HOST:PORT", help="the shop database (user root, database gmall): insert an order")
    parser.add_argument("--noida-pid", type=int, help="pid of the Kafka/Elasticsearch stand-in: freeze it to test the error state")
    parser.add_argument("--screenshot", help="save a screenshot (1400x1000) here while the data is good")
    parser.add_argument("--error-screenshot", help="save a screenshot of the error state here")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--chromedriver", default=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    args = parser.parse_args()
    datetime.date.fromisoformat(args.date)

    checks = Checks()
    test = DashboardTest(args, checks)
    try:
        test.run()
    except WebDriverException as error:
        checks.record("the browser", [f"{type(error).__name__}: {error.msg or error}"])
    finally:
        if checks.failed and test.driver is not None:
            path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "gmall-browser-test-failure.png")
            try:
                test.driver.save_screenshot(path)
                print(f"the page at the failure: {path}")
            except WebDriverException:
                pass
        test.close()
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
