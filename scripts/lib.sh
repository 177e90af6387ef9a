# Shared by the scripts in this folder: paths, ports and small helpers. Sourced, not run.
export PATH="/opt/swift/usr/bin:$PATH"
ROOT="$(pwd)"
VENV="$ROOT/.venv"
# schemathesis in a venv of its own: its pytest needs a newer `packaging` than checkov allows in $VENV.
SCHEMATHESIS_VENV="$ROOT/.venv-schemathesis"
LOCAL="${GMALL_LOCAL:-$ROOT/.local}"   # the local stack's data, logs and pid files
RUN="$LOCAL/run"
LOGS="$LOCAL/logs"
BIN_DIR="${GMALL_BIN_DIR:-$ROOT/.build/${SWIFT_CONFIGURATION:-debug}}"

# Ports of the local stack (override through the environment).
REDIS_PORT="${GMALL_REDIS_PORT:-16379}"
KAFKA_PORT="${GMALL_KAFKA_PORT:-19092}"
ES_PORT="${GMALL_ES_PORT:-19200}"
MARIADB_PORT="${GMALL_MARIADB_PORT:-13306}"
INGEST_ADDR="127.0.0.1:${GMALL_INGEST_PORT:-8180}"
QUERY_ADDR="127.0.0.1:${GMALL_QUERY_PORT:-8181}"
ENRICHER_ADDR="127.0.0.1:${GMALL_ENRICHER_PORT:-8182}"
SINK_ADDR="127.0.0.1:${GMALL_SINK_PORT:-8183}"
CDC_ADDR="127.0.0.1:${GMALL_CDC_PORT:-8184}"

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
# install_debian_packages PACKAGE...: installs those not installed yet (quietly, no recommends); returns 1
# when it installed nothing, so that a caller can follow up on a fresh install.
install_debian_packages() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 1
  step "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Explicit failures: callers test the result in an if, where set -e does not apply.
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || die "could not install ${missing[*]}"
}

# new_secret FILE CREDENTIALS_FILE NAME: a random secret in FILE (one line) and its name:sha256 line in
# CREDENTIALS_FILE (what log-ingest and query-api read), both readable by the owner only; kept if present.
new_secret() {
  local secret_file=$1 credentials_file=$2 name=$3
  [[ -s $secret_file && -s $credentials_file ]] && return 0
  (umask 077
   head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$secret_file"
   printf '%s:%s\n' "$name" "$(tr -d '\n' <"$secret_file" | sha256sum | cut -d' ' -f1)" >"$credentials_file")
}

# The local stack's ingest write key and query-api token: generated on first use under $LOCAL, and
# exported as INGEST_WRITE_KEY and QUERY_API_TOKEN for shop-sim and the comparison scripts.
use_credentials() {
  mkdir -p "$LOCAL"
  new_secret "$LOCAL/ingest-write-key" "$LOCAL/ingest-write-keys" local
  new_secret "$LOCAL/query-api-token" "$LOCAL/query-api-tokens" local
  INGEST_WRITE_KEY="$(cat "$LOCAL/ingest-write-key")"
  QUERY_API_TOKEN="$(cat "$LOCAL/query-api-token")"
  export INGEST_WRITE_KEY QUERY_API_TOKEN
}

# The noida-db server binary inside the venv (run directly, so that its pid is the server's).
noida_bin() { ls "$VENV"/lib/python3*/site-packages/noida_db/noida-db 2>/dev/null | head -n1; }

# free_port: a TCP port free on 127.0.0.1 now, picked below the kernel's ephemeral range (from which it also
# gives outgoing connections their local ports, so a port from there could be taken before our server binds it).
free_port() {
  python3 - <<'PY'
import random, socket
upper = max(2048, int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0]))
for _ in range(2000):
    port = random.randrange(max(1024, upper - 12000), upper)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    raise SystemExit("no free port")
PY
}

# use_private_ports: exports GMALL_<NAME>_PORT for every part of the local stack, each a free port whose next
# one is free too (a second replica listens on port + 1, see stack.sh), all distinct: for a stack of one's own.
use_private_ports() {
  local assignments
  assignments=$(python3 - REDIS KAFKA ES MARIADB INGEST QUERY ENRICHER SINK CDC <<'PY'
import random, socket, sys
held = []
def bind(port):
    s = socket.socket()   # no SO_REUSEADDR: a port held here must not be bound twice
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        s.close()
        return None
    held.append(s)
    return s
# Below the ephemeral range (see free_port).
upper = max(2048, int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0]))
for name in sys.argv[1:]:
    for _ in range(2000):
        port = random.randrange(max(1024, upper - 12000), upper - 1)
        if bind(port) and bind(port + 1):   # both held until every port is chosen
            break
    else:
        raise SystemExit("no free ports")
    print(f"export GMALL_{name}_PORT={port}")
PY
  ) || die "could not find free ports"
  eval "$assignments"
}

# use_bench_stack: what every benchmark with a private stack starts with: release binaries (built into the
# shared scratch folder .build-bench, unless GMALL_BIN_DIR names binaries already built), a data folder
# (GMALL_LOCAL) and private ports, this file's variables set for them, and an EXIT trap that runs the script's
# bench_cleanup (if it defines one), stops the stack and removes the folder.
use_bench_stack() {
  if [[ -z ${GMALL_BIN_DIR:-} ]]; then
    step "building release binaries (scratch .build-bench)"
    swift build -c release --scratch-path .build-bench 2>&1 | grep -E "error|Build complete" | tail -n 1
    export GMALL_BIN_DIR="$ROOT/.build-bench/release"
  fi
  export GMALL_LOCAL; GMALL_LOCAL=$(mktemp -d /tmp/gmall-bench.XXXXXX)
  use_private_ports
  source "$ROOT/scripts/lib.sh"   # again, for the private ports and folder
  trap stop_bench_stack EXIT
}

stop_bench_stack() {
  if declare -F bench_cleanup >/dev/null; then bench_cleanup || true; fi
  "$ROOT/scripts/stack.sh" stop >/dev/null 2>&1 || true
  rm -rf "$GMALL_LOCAL"
}

# start_bench_services: the private stack, every service, and the write key and token (INGEST_WRITE_KEY,
# QUERY_API_TOKEN) for the clients.
start_bench_services() {
  step "starting a private stack and the services (data in $GMALL_LOCAL)"
  "$ROOT/scripts/stack.sh" start >/dev/null
  "$ROOT/scripts/stack.sh" services >/dev/null
  use_credentials
}

# start_private_ingest DIR KEY_NAME [VAR=VALUE...]: a Kafka/Elasticsearch stand-in and log-ingest on free ports,
# data and logs in DIR (pid files DIR/*.pid, for the caller to stop), with a new write key named KEY_NAME in
# DIR/write-key; the VAR=VALUE pairs go to log-ingest's environment. Sets kafka_port, es_port, ingest_port.
start_private_ingest() {
  local dir=$1 key_name=$2; shift 2
  kafka_port=$(free_port); es_port=$(free_port); ingest_port=$(free_port)
  "$(noida_bin)" start --data-dir "$dir/noida" --only kafka,elasticsearch --kafka-port "$kafka_port" \
    --elasticsearch-port "$es_port" >"$dir/noida.log" 2>&1 & echo $! >"$dir/noida.pid"
  wait_for_port "$kafka_port" "noida-db (Kafka)"
  new_secret "$dir/write-key" "$dir/write-keys" "$key_name"
  env KAFKA_BROKERS="127.0.0.1:$kafka_port" HTTP_ADDR="127.0.0.1:$ingest_port" INGEST_WRITE_KEYS_FILE="$dir/write-keys" \
    "$@" "$BIN_DIR/log-ingest" >"$dir/ingest.log" 2>&1 & echo $! >"$dir/ingest.pid"
  wait_for_url "http://127.0.0.1:$ingest_port/readyz" log-ingest
}

# wait_for_port PORT WHAT [SECONDS]
wait_for_port() {
  local port=$1 what=$2 limit=${3:-30} i=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    i=$((i + 1)); (( i > limit * 10 )) && die "$what did not listen on port $port within ${limit}s (see $LOGS)"
    sleep 0.1
  done
}

# wait_for_url URL WHAT [SECONDS] [PIDFILE]: until it answers 200; fails (status 1) if PIDFILE's process exits.
wait_for_url() {
  local url=$1 what=$2 limit=${3:-60} pidfile=${4:-} i=0
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    i=$((i + 1)); (( i > limit * 5 )) && die "$what not ready at $url within ${limit}s (see $LOGS)"
    [[ -n $pidfile ]] && ! alive "$(cat "$pidfile" 2>/dev/null)" && return 1
    sleep 0.2
  done
}

# stop_pidfile FILE: SIGTERM, then SIGKILL after 10 s.
# alive PID: the process runs (a zombie does not: a killed daemon whose parent is gone may stay one
# when PID 1 does not reap orphans, as in many containers).
alive() {
  local pid=$1 state
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  state=$(ps -o stat= -p "$pid" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}

stop_pidfile() {
  local file=$1 pid
  [[ -f $file ]] || return 0
  pid=$(cat "$file")
  if alive "$pid"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}
