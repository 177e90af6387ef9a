#!/usr/bin/env bash
# How log-ingest holds up against slow clients (a slowloris): SLOW_CLIENTS (default 3000) connections each
# send a request head with a valid write key and one byte of a 100 KB body, then nothing. Prints, every
# 5 s, how many of them the server still holds open, how many it has closed, and log-ingest's RSS and open
# file descriptors; with the default settings (HTTP_READ_TIMEOUT=30s, HTTP_MAX_CONNECTIONS=1000) every one
# is cut off about 30 s after its head, and at most 1000 are accepted at a time (the rest wait in the
# listen backlog). Extra variables (e.g. HTTP_READ_TIMEOUT=5s) are passed to log-ingest.
#   scripts/slow-clients.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
CLIENTS=${SLOW_CLIENTS:-3000}
[[ -x $BIN_DIR/log-ingest ]] || die "$BIN_DIR/log-ingest is not built: run scripts/setup.sh"

work=$(mktemp -d /tmp/gmall-slow-XXXXXX)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; sleep 0.5; rm -rf "$work"' EXIT
start_private_ingest "$work" slow
step "$CLIENTS slow clients against log-ingest (HTTP_READ_TIMEOUT=${HTTP_READ_TIMEOUT:-30s}, HTTP_MAX_CONNECTIONS=${HTTP_MAX_CONNECTIONS:-1000})"

python3 - "$ingest_port" "$CLIENTS" "$(cat "$work/write-key")" "$(cat "$work/ingest.pid")" <<'EOF'
import os, select, socket, sys, time
port, count, key, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
head = (f"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer {key}\r\n"
        "Content-Length: 100000\r\n\r\n[").encode()
sockets = []
for _ in range(count):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    sockets.append(s)
sent = set()
started = time.monotonic()
closed = set()

def service():
    status = open(f"/proc/{pid}/status").read()
    rss = next(l.split()[1] for l in status.splitlines() if l.startswith("VmRSS"))
    return int(rss) // 1024, len(os.listdir(f"/proc/{pid}/fd"))

while True:
    # Send each head once its connection is established; watch for the server closing them.
    for index, s in enumerate(sockets):
        if index in closed:
            continue
        if index not in sent:
            try:
                s.send(head)
                sent.add(index)
            except (BlockingIOError, OSError):
                pass
        try:
            if s.recv(4096) == b"":
                closed.add(index)
        except BlockingIOError:
            pass
        except OSError:
            closed.add(index)
    elapsed = time.monotonic() - started
    if int(elapsed) % 5 == 0:
        rss, fds = service()
        print(f"{elapsed:5.0f} s: heads sent {len(sent):5}, closed by the server {len(closed):5}, still open {count - len(closed):5}; "
              f"log-ingest RSS {rss} MB, open fds {fds}", flush=True)
        time.sleep(1)
    if len(closed) == count or elapsed > 120:
        break
    time.sleep(0.2)
rss, fds = service()
print(f"after {time.monotonic() - started:.0f} s: {len(closed)} of {count} slow connections cut off; log-ingest RSS {rss} MB, "
      f"{fds} open fds; a normal request: ", end="", flush=True)
EOF
curl -s -o /dev/null -w '%{http_code}\n' -m 10 "http://127.0.0.1:$ingest_port/healthz"
