// gmall live dashboard: polls query-api every 2 s and draws its answers (plain DOM and SVG, no library).
// Every figure keeps the API's exact value in `data-value`; amounts are never turned into floats for display.
"use strict";

const REFRESH_MS = 2000;        // one refresh every 2 s while the page is open
const REQUEST_TIMEOUT_MS = 5000; // a request not answered by then counts as failed
const STALE_AFTER_MS = 6000;    // no good refresh for this long: say so, even while requests are pending

// ---------------------------------------------------------------- API access

const TOKEN_KEY = "gmall.queryApiToken"; // sessionStorage: asked once per browser session, gone when it ends

/** Headers of every API request, with the token the user gave. */
function apiHeaders() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Accept: "application/json", Authorization: `Bearer ${token}` } : { Accept: "application/json" };
}

/** Shows the token form (with `message`); a submitted token is kept for the session and the page refreshes. */
function askForToken(message) {
  $("token-message").textContent = message;
  $("token-form").hidden = false;
  document.querySelector("main").hidden = true;
  $("token-input").focus();
}

function tokenSubmitted(event) {
  event.preventDefault();
  const token = $("token-input").value.trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  $("token-input").value = "";
  $("token-form").hidden = true;
  document.querySelector("main").hidden = false;
  refresh();
}

class ApiError extends Error {
  constructor(path, status, message, retryAfter) {
    super(message);
    this.path = path;
    this.status = status;        // 0: no answer (unreachable or timed out)
    this.retryAfter = retryAfter; // seconds, from Retry-After, or null
  }
  describe() {
    return this.status ? `${this.path} answered ${this.status} (${this.message})` : `${this.path}: ${this.message}`;
  }
}

/** GET `path` with the query `params` (empty values left out); resolves to the JSON body or throws an ApiError. */
async function getJSON(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, String(value));
  }
  let response;
  try {
    response = await fetch(url, { headers: apiHeaders(), cache: "no-store", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    const timedOut = error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new ApiError(path, 0, timedOut ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : "query-api is unreachable", null);
  }
  let body = null;
  try { body = await response.json(); } catch (_) { body = null; }
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    askForToken("query-api refused the token: enter a valid one.");
  }
  if (!response.ok) {
    const detail = body && body.error ? `${body.error.code}: ${body.error.message}` : response.statusText || "error";
    const retry = Number.parseInt(response.headers.get("Retry-After") || "", 10);
    throw new ApiError(path, response.status, detail, Number.isFinite(retry) ? retry : null);
  }
  if (body === null) throw new ApiError(path, response.status, "the answer is not JSON", null);
  return body;
}

// ---------------------------------------------------------------- formatting (exact, from the API's strings)

function groupDigits(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
function formatCount(n) {
  return typeof n === "number" ? groupDigits(String(n)) : "—";
}
/** "1234567.50" -> "¥1,234,567.50", without going through a float. */
function formatAmount(text) {
  if (typeof text !== "string") return "—";
  const negative = text.startsWith("-");
  const [whole, fraction] = text.replace(/^-/, "").split(".");
  return `${negative ? "-" : ""}¥${groupDigits(whole)}${fraction !== undefined ? "." + fraction : ""}`;
}
function formatCompactAmount(value) {
  if (value >= 1e6) return `${(value / 1e6).toFixed(value >= 1e7 ? 0 : 1)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(value >= 1e4 ? 0 : 1)}k`;
  return String(Math.round(value));
}
function clockTime(date) {
  return date.toTimeString().slice(0, 8);
}
function isoDay(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
const STATUS_NAMES = { "1001": "unpaid", "1002": "paid", "1003": "cancelled", "1004": "finished", "1005": "refunding", "1006": "refunded" };

// ---------------------------------------------------------------- DOM helpers

const $ = (id) => document.getElementById(id);

/** An element with attributes and children (strings become text nodes: data is never parsed as HTML). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function setFigure(id, text, raw) {
  const node = $(id);
  node.textContent = text;
  node.dataset.value = raw === undefined || raw === null ? "" : String(raw);
}

function replaceRows(table, rows, columns, emptyText) {
  const body = table.tBodies[0];
  if (rows.length === 0) {
    body.replaceChildren(el("tr", { class: "empty" }, el("td", { colspan: String(columns), text: emptyText })));
  } else {
    body.replaceChildren(...rows);
  }
}

// ---------------------------------------------------------------- state

function initialDate() {
  const fromUrl = new URLSearchParams(window.location.search).get("date");
  if (fromUrl && /^\d{4}-\d{2}-\d{2}$/.test(fromUrl) && !Number.isNaN(Date.parse(fromUrl))) return fromUrl;
  return isoDay(new Date());
}

const state = {
  date: initialDate(),
  level: 1,
  by: "amount",
  search: { q: "", province_id: "", gender: "", page: 1, size: 20 },
  generation: 0,       // raised whenever the parameters change; answers to older requests are dropped
  running: false,
  again: false,
  timer: null,
  lastGood: null,      // Date of the last refresh whose every request succeeded
  failure: null,       // the last refresh's failures (ApiError list), or null
  requestCount: 0,     // requests per refresh
  provinces: new Map(), // province_id -> name, for the search filter
};

// ---------------------------------------------------------------- rendering

const FIGURES = [
  ["dau", "dau", formatCount],
  ["new-devices", "new_devices", formatCount],
  ["orders", "orders", formatCount],
  ["order-amount", "order_amount", formatAmount],
  ["paid-amount", "paid_amount", formatAmount],
];

function renderRealtime(answer) {
  for (const [id, field, format] of FIGURES) {
    const today = answer.today[field];
    const yesterday = answer.yesterday[field];
    setFigure(`today-${id}`, format(today), today);
    setFigure(`yesterday-${id}`, format(yesterday), yesterday);
    const delta = $(`delta-${id}`);
    const a = Number(today), b = Number(yesterday);
    delta.className = "delta";
    if (b > 0) {
      const change = ((a - b) / b) * 100;
      delta.textContent = `${change >= 0 ? "▲" : "▼"} ${Math.abs(change).toFixed(1)}%`;
      delta.classList.add(change >= 0 ? "up" : "down");
    } else {
      delta.textContent = "";
    }
  }
  $("day-before").textContent = answer.day_before;
  $("legend-today").textContent = answer.date;
  $("legend-yesterday").textContent = answer.day_before;
  const hours = (day, field) => day.by_hour.map((entry) => entry[field]);
  drawHourly($("chart-orders"), hours(answer.today, "orders"), hours(answer.yesterday, "orders"), formatCount);
  drawHourly($("chart-order-amount"), hours(answer.today, "order_amount"), hours(answer.yesterday, "order_amount"), formatAmount);
  drawHourly($("chart-dau"), hours(answer.today, "dau"), hours(answer.yesterday, "dau"), formatCount);
}

/** Bars for the day, a line for the day before; each mark carries data-series, data-hour and data-value. */
function drawHourly(chart, today, yesterday, format) {
  const width = 440, height = 190, left = 44, right = 6, top = 8, bottom = 20;
  const plotWidth = width - left - right, plotHeight = height - top - bottom;
  const values = today.concat(yesterday).map(Number);
  const step = niceStep(Math.max(1, ...values) / 4);
  const max = step * 4;
  const y = (value) => top + plotHeight - (Number(value) / max) * plotHeight;
  const slot = plotWidth / 24;
  const nodes = [];
  for (let i = 0; i <= 4; i++) {
    const value = step * i;
    nodes.push(svg("line", { class: "grid", x1: left, x2: width - right, y1: y(value), y2: y(value) }));
    const label = svg("text", { class: "axis-label", x: left - 6, y: y(value) + 3, "text-anchor": "end" });
    label.textContent = formatCompactAmount(value);
    nodes.push(label);
  }
  for (let hour = 0; hour < 24; hour += 3) {
    const label = svg("text", { class: "axis-label", x: left + slot * hour + slot / 2, y: height - 6, "text-anchor": "middle" });
    label.textContent = String(hour).padStart(2, "0");
    nodes.push(label);
  }
  today.forEach((value, hour) => {
    const bar = svg("rect", {
      class: "today", x: left + slot * hour + 2, width: Math.max(1, slot - 4),
      y: y(value), height: Math.max(0, top + plotHeight - y(value)),
      "data-series": "today", "data-hour": hour, "data-value": value,
    });
    const title = svg("title");
    title.textContent = `${String(hour).padStart(2, "0")}:00 ${format(value)}`;
    bar.append(title);
    nodes.push(bar);
  });
  const points = yesterday.map((value, hour) => `${left + slot * hour + slot / 2},${y(value)}`).join(" ");
  nodes.push(svg("polyline", { class: "yesterday-line", points }));
  yesterday.forEach((value, hour) => {
    const dot = svg("circle", { class: "yesterday", cx: left + slot * hour + slot / 2, cy: y(value), r: 2.2,
                                "data-series": "yesterday", "data-hour": hour, "data-value": value });
    const title = svg("title");
    title.textContent = `day before ${String(hour).padStart(2, "0")}:00 ${format(value)}`;
    dot.append(title);
    nodes.push(dot);
  });
  chart.replaceChildren(...nodes);
}

/** A round step for four grid lines covering `value` (whole numbers only: counts have no fractions). */
function niceStep(value) {
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  for (const step of [1, 2, 2.5, 5, 10]) {
    const candidate = step * magnitude;
    if (candidate >= value && Number.isInteger(candidate)) return candidate;
  }
  return 10 * magnitude;
}

function renderProvinces(answer) {
  const rows = answer.provinces.map((p) => el("tr", { "data-province-id": p.province_id },
    el("td", { class: "name", text: p.name }),
    el("td", { text: p.iso_code }),
    el("td", { class: "num", text: formatCount(p.orders), "data-value": p.orders }),
    el("td", { class: "num", text: formatAmount(p.order_amount), "data-value": p.order_amount })));
  replaceRows($("provinces-table"), rows, 4, "no orders on this day");
  for (const p of answer.provinces) state.provinces.set(String(p.province_id), p.name);
  updateProvinceOptions();
}

function updateProvinceOptions() {
  const select = $("search-province");
  const known = [...state.provinces.entries()].sort((a, b) => Number(a[0]) - Number(b[0]));
  const existing = [...select.options].slice(1).map((o) => o.value).join(",");
  if (existing === known.map(([id]) => id).join(",")) return;
  const chosen = select.value;
  select.replaceChildren(el("option", { value: "", text: "all provinces" }),
    ...known.map(([id, name]) => el("option", { value: id, text: name })));
  select.value = chosen;
}

function renderCategories(answer) {
  if (answer.level !== state.level) return;
  const max = Math.max(1, ...answer.categories.map((c) => Number(c.amount)));
  const rows = answer.categories.map((c) => el("tr", { "data-category-id": c.id },
    el("td", { class: "name", text: c.name }),
    el("td", { class: "num", text: formatCount(c.quantity), "data-value": c.quantity }),
    el("td", { class: "num", text: formatAmount(c.amount), "data-value": c.amount }),
    el("td", { class: "bar-cell" }, el("div", { class: "bar", style: `width:${(Number(c.amount) / max) * 100}%` }))));
  replaceRows($("categories-table"), rows, 4, "no order lines on this day");
  $("categories-table").dataset.level = String(answer.level);
}

function renderProducts(answer) {
  if (answer.by !== state.by) return;
  const rows = answer.products.map((p, index) => el("tr", { "data-sku-id": p.sku_id },
    el("td", { text: String(index + 1) }),
    el("td", { class: "name", text: p.sku_name, title: `${p.sku_name} · ${p.category3}` }),
    el("td", { text: p.trademark }),
    el("td", { class: "num", text: formatCount(p.quantity), "data-value": p.quantity }),
    el("td", { class: "num", text: formatAmount(p.amount), "data-value": p.amount }),
    el("td", { class: "num", text: formatCount(p.orders), "data-value": p.orders })));
  replaceRows($("products-table"), rows, 6, "no order lines on this day");
  $("products-table").dataset.by = answer.by;
}

function renderSearch(answer) {
  const rows = answer.items.map((item) => {
    const link = el("a", { href: `#order-${item.order_id}`, "data-order-id": item.order_id, text: String(item.order_id) });
    return el("tr", { "data-detail-id": item.detail_id },
      el("td", { text: item.create_time }),
      el("td", {}, link),
      el("td", { text: String(item.detail_id) }),
      el("td", { class: "name", text: item.sku_name }),
      el("td", { class: "num", text: formatCount(item.sku_num) }),
      el("td", { class: "num", text: formatAmount(item.order_price) }),
      el("td", { class: "num", text: formatAmount(item.amount) }),
      el("td", { text: STATUS_NAMES[item.order_status] || item.order_status, title: item.order_status }),
      el("td", { text: item.province_name ?? "—" }),
      el("td", { text: item.user_id === null ? "—" : String(item.user_id) }),
      el("td", { text: item.user_gender ?? "—" }),
      el("td", { class: "num", text: item.user_age === null ? "—" : String(item.user_age) }));
  });
  replaceRows($("search-table"), rows, 12, answer.total > 0 ? "no lines on this page" : "no matching order lines");
  const pages = Math.max(1, Math.ceil(answer.total / answer.size));
  $("search-pages").textContent = formatCount(pages);
  const input = $("search-page-input");
  if (document.activeElement !== input) input.value = String(answer.page);
  input.max = String(pages);
  $("search-prev").disabled = answer.page <= 1;
  $("search-next").disabled = answer.page >= pages;
  setFigure("search-total", `${formatCount(answer.total)} matching lines`, answer.total);
  const chips = [];
  for (const [group, label] of [["gender", "gender"], ["age_group", "age"]]) {
    for (const entry of answer.stats[group]) {
      chips.push(el("span", { class: "chip", "data-group": group, "data-key": entry.key, "data-lines": entry.lines, "data-amount": entry.amount },
        el("b", { text: `${label} ${entry.key}` }), `${formatCount(entry.lines)} lines · ${formatAmount(entry.amount)}`));
    }
  }
  $("search-stats").replaceChildren(...chips);
}

// ---------------------------------------------------------------- refreshing

/** One refresh: every panel's request in parallel; panels whose request failed keep their last data, marked stale. */
async function refresh() {
  if (!sessionStorage.getItem(TOKEN_KEY)) { askForToken("query-api needs a token (ask your operator; the local stack writes it to .local/query-api-token)."); return; }
  if (state.running) { state.again = true; return; }
  state.running = true;
  clearTimeout(state.timer);
  const generation = state.generation;
  const date = state.date;
  const search = { date, ...state.search };
  const requests = [
    ["realtime-panel", getJSON("/v1/realtime", { date }), renderRealtime],
    ["provinces-panel", getJSON("/v1/orders/by-province", { date }), renderProvinces],
    ["categories-panel", getJSON("/v1/orders/by-category", { date, level: state.level }), renderCategories],
    ["products-panel", getJSON("/v1/products/top", { date, by: state.by, limit: 10 }), renderProducts],
    ["search-panel", getJSON("/v1/orders/search", search), renderSearch],
  ];
  state.requestCount = requests.length;
  const outcomes = await Promise.allSettled(requests.map(([, request]) => request));
  let delay = REFRESH_MS;
  if (generation === state.generation) {
    const failures = [];
    outcomes.forEach((outcome, index) => {
      const [panel, , render] = requests[index];
      if (outcome.status === "fulfilled") {
        try {
          render(outcome.value);
          markPanel(panel, false);
        } catch (error) {
          failures.push(new ApiError(requests[index][0], 0, `unexpected answer: ${error.message}`, null));
          markPanel(panel, true);
        }
      } else {
        failures.push(outcome.reason instanceof ApiError ? outcome.reason : new ApiError(panel, 0, String(outcome.reason), null));
        markPanel(panel, true);
      }
    });
    if (failures.length === 0) {
      state.lastGood = new Date();
      state.failure = null;
    } else {
      state.failure = failures;
      const retry = Math.max(0, ...failures.map((f) => f.retryAfter || 0)) * 1000;
      delay = Math.min(Math.max(REFRESH_MS, retry), 10000);
    }
    document.body.dataset.refreshedDate = date;
    showStatus();
  }
  state.running = false;
  if (state.again) {
    state.again = false;
    refresh();
  } else {
    state.timer = setTimeout(refresh, delay);
  }
}

function markPanel(panel, stale) {
  const ids = panel === "realtime-panel" ? [] : [panel];
  for (const id of ids) $(id).classList.toggle("stale", stale);
  if (panel === "realtime-panel") {
    document.querySelector(".kpis").classList.toggle("stale-data", stale);
    document.querySelector(".charts").classList.toggle("stale-data", stale);
  }
}

/** The status pill and the banner, from the last refresh's outcome and the age of the last good one. */
function showStatus() {
  const now = Date.now();
  const age = state.lastGood ? now - state.lastGood.getTime() : null;
  const lastGoodText = state.lastGood
    ? `Showing the data of the last good refresh at ${clockTime(state.lastGood)} (${Math.round(age / 1000)} s ago).`
    : "No data could be loaded yet.";
  let kind = "ok";
  if (state.failure) kind = "error";
  else if (state.lastGood === null) kind = "loading";
  else if (age > STALE_AFTER_MS) kind = "stale";

  const status = $("status");
  status.dataset.state = kind;
  document.body.dataset.state = kind;
  const banner = $("error-banner");
  if (kind === "ok" || kind === "loading") {
    $("status-text").textContent = kind === "ok" ? `live · updated ${clockTime(state.lastGood)}` : "loading…";
    banner.hidden = true;
    if (kind === "ok") $("last-refresh").textContent = `last refresh ${clockTime(state.lastGood)}`;
    return;
  }
  if (kind === "error") {
    const unreachable = state.failure.every((f) => f.status === 0);
    const unavailable = state.failure.some((f) => f.status === 503);
    $("status-text").textContent = unreachable ? "API unreachable" : unavailable ? "data unavailable" : "refresh failed";
    $("error-title").textContent = unreachable
      ? "The API is unreachable."
      : unavailable ? "The API cannot reach its data (Elasticsearch)." : "The API answered with an error.";
    $("error-detail").textContent = describeFailures(state.failure);
  } else {
    $("status-text").textContent = "stale";
    $("error-title").textContent = "The data is stale:";
    $("error-detail").textContent = `no answer from the API for ${Math.round(age / 1000)} s.`;
  }
  $("error-last-good").textContent = lastGoodText;
  banner.dataset.kind = kind;
  banner.hidden = false;
}

/** The failures grouped by what went wrong: "all 5 requests: 503 (busy: …)" or "/v1/realtime: no answer within 5 s". */
function describeFailures(failures) {
  const groups = new Map();
  for (const failure of failures) {
    const what = failure.status ? `${failure.status} (${failure.message})` : failure.message;
    if (!groups.has(what)) groups.set(what, []);
    groups.get(what).push(failure.path);
  }
  return [...groups].map(([what, paths]) =>
    `${paths.length === state.requestCount ? `all ${paths.length} requests` : paths.join(", ")}: ${what}`).join("; ") + ".";
}

/** Parameters changed: drop answers in flight and refresh now. */
function parametersChanged() {
  state.generation += 1;
  refresh();
}

// ---------------------------------------------------------------- order detail

async function showOrder(orderId) {
  const panel = $("order-detail");
  panel.hidden = false;
  $("order-detail-id").textContent = String(orderId);
  const body = $("order-detail-body");
  body.replaceChildren(el("p", { class: "muted", text: "loading…" }));
  try {
    const order = await getJSON(`/v1/orders/${encodeURIComponent(orderId)}`);
    const facts = [
      ["Status", `${STATUS_NAMES[order.order_status] || ""} (${order.order_status})`],
      ["Created", order.create_time],
      ["Total", formatAmount(order.total_amount)],
      ["User", order.user_id === null ? "—" : String(order.user_id)],
      ["Province", order.province.name ?? "—"],
    ];
    const list = el("dl", {}, ...facts.flatMap(([name, value]) => [el("dt", { text: name }), el("dd", { text: value })]));
    list.dataset.orderId = String(order.order_id);
    list.dataset.totalAmount = order.total_amount;
    const lines = el("table", { id: "order-detail-lines" },
      el("thead", {}, el("tr", {}, el("th", { text: "Line" }), el("th", { text: "Product" }),
        el("th", { class: "num", text: "Qty" }), el("th", { class: "num", text: "Amount" }))),
      el("tbody", {}, ...(order.lines.length ? order.lines.map((line) => el("tr", { "data-detail-id": line.detail_id },
        el("td", { text: String(line.detail_id) }), el("td", { class: "name", text: line.sku_name }),
        el("td", { class: "num", text: formatCount(line.sku_num) }), el("td", { class: "num", text: formatAmount(line.amount) })))
        : [el("tr", { class: "empty" }, el("td", { colspan: "4", text: "no lines" }))])));
    body.replaceChildren(list, lines);
  } catch (error) {
    body.replaceChildren(el("p", { class: "error", text: error instanceof ApiError ? error.describe() : String(error) }));
  }
}

// ---------------------------------------------------------------- wiring

function setPressed(group, attribute, value) {
  for (const button of $(group).querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset[attribute] === String(value)));
  }
}

function start() {
  const picker = $("date-picker");
  picker.value = state.date;
  picker.addEventListener("change", () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(picker.value)) return;
    state.date = picker.value;
    state.search.page = 1;
    state.provinces.clear();
    const url = new URL(window.location.href);
    url.searchParams.set("date", state.date);
    window.history.replaceState(null, "", url);
    parametersChanged();
  });
  $("category-level").addEventListener("click", (event) => {
    const level = event.target.closest("button")?.dataset.level;
    if (!level) return;
    state.level = Number(level);
    setPressed("category-level", "level", level);
    parametersChanged();
  });
  $("top-by").addEventListener("click", (event) => {
    const by = event.target.closest("button")?.dataset.by;
    if (!by) return;
    state.by = by;
    setPressed("top-by", "by", by);
    parametersChanged();
  });
  const readSearchForm = () => {
    state.search.q = $("search-q").value.trim();
    state.search.province_id = $("search-province").value;
    state.search.gender = $("search-gender").value;
    state.search.page = 1;
    parametersChanged();
  };
  $("search-form").addEventListener("submit", (event) => { event.preventDefault(); readSearchForm(); });
  $("search-province").addEventListener("change", readSearchForm);
  $("search-gender").addEventListener("change", readSearchForm);
  const goTo = (page) => {
    if (!Number.isInteger(page) || page < 1) return;
    state.search.page = page;
    parametersChanged();
  };
  $("search-prev").addEventListener("click", () => goTo(state.search.page - 1));
  $("search-next").addEventListener("click", () => goTo(state.search.page + 1));
  $("search-page-input").addEventListener("change", (event) => goTo(Number(event.target.value)));
  $("search-table").addEventListener("click", (event) => {
    const link = event.target.closest("a[data-order-id]");
    if (!link) return;
    event.preventDefault();
    showOrder(link.dataset.orderId);
  });
  $("token-form").addEventListener("submit", tokenSubmitted);
  $("order-detail-close").addEventListener("click", () => { $("order-detail").hidden = true; });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") $("order-detail").hidden = true; });
  // The banner also turns stale while requests hang (no answer, no error yet).
  setInterval(showStatus, 1000);
  refresh();
}

document.addEventListener("DOMContentLoaded", start);
