#!/usr/bin/env bash
# Builds the service image without a container engine or a registry (as root, on Debian 12), then tests it:
#   scripts/image.sh                  build .local/image/gmall-pipeline-<version>.oci.tar and test that archive
#   scripts/image.sh --no-test        build only
#   scripts/image.sh --test           test the archive of the last build (no build)
#   scripts/image.sh --refresh-base   rebuild the cached Debian base first (to take in security updates)
#   scripts/image.sh --push DEST      also push the image (e.g. registry.example.com/gmall/gmall-pipeline:1.2.0;
#                                     any containers-transports destination, docker:// by default) and print
#                                     its digest (for k8s/overlays/prod/kustomization.yaml)
#
# The image: a Debian 12 base made from Debian's archive with mmdebstrap (variant essential, merged /usr, no
# apt, no docs) holding only the runtime libraries and tini, imported into buildah (vfs storage, chroot
# isolation: no daemon, no base image pulled); on top one layer with the five service binaries (release,
# stripped) and query-api's resource bundle in /usr/local/bin, and the Swift runtime they link dynamically
# in /usr/local/lib/swift/linux: one copy of Foundation and ICU's data instead of one per binary.
# ENTRYPOINT tini --, user 10001:10001, LOG_FORMAT=json, OCI labels. The code is that of HEAD (a clean export
# in .local/image/src: uncommitted changes are not in the image), built in .build-image/.
#
# Environment: IMAGE_NAME (gmall-pipeline), IMAGE_VERSION (git describe), IMAGE_SOURCE (the origin remote's
# URL; no source label without either), IMAGE_LICENSES (SPDX; NOASSERTION), DEBIAN_MIRROR and
# DEBIAN_SECURITY_MIRROR (those apt uses here), BUILDAH_PUSH_FLAGS (e.g. --tls-verify=false),
# GMALL_IMAGE_DIR (.local/image), SWIFT_SCRATCH_PATH (.build-image).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

build=1 test=1 refresh_base=0 push_dest=""
while (($#)); do
  case $1 in
    --no-test) test=0 ;;
    --test) build=0 ;;
    --refresh-base) refresh_base=1 ;;
    --push) push_dest=${2:?--push needs a destination}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see $0 --help)" ;;
  esac
  shift
done
[[ $(id -u) == 0 ]] || die "run as root (mmdebstrap and buildah's vfs storage need it)"

IMAGE_NAME="${IMAGE_NAME:-gmall-pipeline}"
IMAGE_DIR="${GMALL_IMAGE_DIR:-$ROOT/.local/image}"
SCRATCH="${SWIFT_SCRATCH_PATH:-$ROOT/.build-image}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBIAN_SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
SERVICES=(log-ingest enricher sink-es query-api cdc)
RESOURCES=gmall-pipeline_QueryAPI.resources   # next to query-api: its OpenAPI document and the dashboard
SWIFT_LIB_DIR=/opt/swift/usr/lib/swift/linux
USER_ID=10001
# What the binaries and the Swift runtime load (ldd), and tini. The test below fails on any missing library.
BASE_SUITE=bookworm
BASE_PACKAGES=(librdkafka1 libhiredis0.14 libcurl4 zlib1g libmariadb3 ca-certificates tini libstdc++6 libgcc-s1)
HOST_TOOLS=(buildah mmdebstrap binutils python3 curl)

heavy() { nice -n 19 ionice -c3 "$@"; }
bah() { heavy buildah --storage-driver vfs --root "$IMAGE_DIR/storage" --runroot "$IMAGE_DIR/run" "$@"; }

install_debian_packages "${HOST_TOOLS[@]}" || true
mkdir -p "$IMAGE_DIR"

# Working containers of this run, removed on exit (the images stay in $IMAGE_DIR/storage).
containers=()
test_tinis=()   # the test's services (their tini) while they run
cleanup() {
  local c
  ((${#test_tinis[@]})) && kill -TERM "${test_tinis[@]}" 2>/dev/null && sleep 10
  for c in "${containers[@]}"; do bah rm "$c" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
new_container() {  # new_container NAME IMAGE: sets ctr to the new working container's name
  ctr="gmall-image-$$-$1"
  bah from --quiet --pull-never --name "$ctr" "$2" >/dev/null
  containers+=("$ctr")
}
forget_container() { local c kept=(); for c in "${containers[@]}"; do [[ $c == "$1" ]] || kept+=("$c"); done; containers=("${kept[@]}"); }

start_time=$(date +%s)
revision=$(git rev-parse HEAD)
version="${IMAGE_VERSION:-$(git describe --tags --always --abbrev=12 HEAD)}"
archive="$IMAGE_DIR/$IMAGE_NAME-$version.oci.tar"

# --- the Debian base, cached as a tarball: rebuilt when its recipe changes or on --refresh-base -------------
base_recipe() {
  printf '%s\n' "recipe 1" "$BASE_SUITE" "${BASE_PACKAGES[@]}" "$DEBIAN_MIRROR" "$DEBIAN_SECURITY_MIRROR" "$USER_ID"
}
build_base() {  # build_base TARBALL
  local tarball=$1 epoch partial="${1%.tar}.partial.tar"
  epoch=$(git log -1 --format=%ct HEAD)
  step "building the Debian base from $DEBIAN_MIRROR with mmdebstrap (${BASE_PACKAGES[*]})"
  local user_hook
  user_hook="echo 'gmall:x:$USER_ID:$USER_ID:gmall-pipeline:/nonexistent:/usr/sbin/nologin' >>\"\$1/etc/passwd\""
  user_hook+="; echo 'gmall:x:$USER_ID:' >>\"\$1/etc/group\"; echo 'gmall:*:0:0:99999:7:::' >>\"\$1/etc/shadow\""
  # SOURCE_DATE_EPOCH: the same packages give the same tarball.
  SOURCE_DATE_EPOCH=$epoch heavy mmdebstrap --quiet --variant=essential --include="$(IFS=,; echo "${BASE_PACKAGES[*]}")" \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --customize-hook="$user_hook" \
    --customize-hook="dpkg-query --admindir=\"\$1/var/lib/dpkg\" -W -f='\${Package} \${Version}\n' >'$partial.packages'" \
    "$BASE_SUITE" "$partial" \
    "deb $DEBIAN_MIRROR $BASE_SUITE main" "deb $DEBIAN_MIRROR $BASE_SUITE-updates main" \
    "deb $DEBIAN_SECURITY_MIRROR $BASE_SUITE-security main" >"$IMAGE_DIR/mmdebstrap.log" 2>&1 \
    || { tail -n 40 "$IMAGE_DIR/mmdebstrap.log"; die "mmdebstrap failed (log: $IMAGE_DIR/mmdebstrap.log)"; }
  mv "$partial.packages" "$tarball.packages"
  mv "$partial" "$tarball"
}

# --- the Swift build: HEAD exported to $IMAGE_DIR/src (only changed files rewritten, so builds are incremental)
export_source() {
  local src=$IMAGE_DIR/src
  mkdir -p "$src"
  GIT_INDEX_FILE="$IMAGE_DIR/src.index" git --work-tree="$src" read-tree --reset -u HEAD
  # Package.resolved is not committed (its revisions are those of this machine's package mirror): the build
  # uses this checkout's, so that the image gets the dependency versions the tests ran with.
  if [[ -f Package.resolved ]]; then cp Package.resolved "$src/Package.resolved"; fi
  if [[ -n $(git status --porcelain -- Package.swift Package.resolved Libraries Services) ]]; then
    printf 'note: uncommitted changes in the sources are not in the image (it builds HEAD, %s)\n' "${revision:0:12}" >&2
  fi
  echo "$src"
}

build_binaries() {  # build_binaries SRC STAGE
  local src=$1 stage=$2 product lib
  step "building the services (swift build -c release, in ${SCRATCH#"$ROOT"/})"
  local t=$(date +%s)
  for product in "${SERVICES[@]}"; do
    heavy swift build -c release --package-path "$src" --scratch-path "$SCRATCH" --product "$product" \
      >"$IMAGE_DIR/build.log" 2>&1 || { tail -n 40 "$IMAGE_DIR/build.log"; die "swift build --product $product failed"; }
  done
  step "built in $(( $(date +%s) - t )) s; staging the stripped binaries and the Swift runtime"
  local bin="$SCRATCH/release"
  rm -rf "$stage"
  mkdir -p "$stage/usr/local/bin" "$stage/usr/local/lib/swift/linux" "$stage/etc/ld.so.conf.d" \
    "$stage/usr/local/share/doc/swift"
  for product in "${SERVICES[@]}"; do strip -o "$stage/usr/local/bin/$product" "$bin/$product"; done
  cp -r "$bin/$RESOURCES" "$stage/usr/local/bin/"
  # The Swift runtime libraries the binaries load (directly or through each other), once, stripped.
  for lib in $(for product in "${SERVICES[@]}"; do ldd "$bin/$product"; done \
                 | awk -v dir="$SWIFT_LIB_DIR/" 'index($3, dir) == 1 {print $3}' | sort -u); do
    strip --strip-unneeded -o "$stage/usr/local/lib/swift/linux/${lib##*/}" "$lib"
  done
  echo /usr/local/lib/swift/linux >"$stage/etc/ld.so.conf.d/swift.conf"
  cp /opt/swift/usr/share/swift/LICENSE.txt "$stage/usr/local/share/doc/swift/"
  chmod -R u=rwX,go=rX "$stage"
}

if ((build)); then
  src=$(export_source)
  stage="$IMAGE_DIR/stage"
  build_binaries "$src" "$stage"

  recipe_key=$(base_recipe | sha256sum | cut -c1-12)
  base_tar="$IMAGE_DIR/base-$BASE_SUITE-$recipe_key.tar"
  if ((refresh_base)) || [[ ! -s $base_tar ]]; then build_base "$base_tar"; fi
  base_image="localhost/$IMAGE_NAME-base:$(sha256sum "$base_tar" | cut -c1-12)"
  if ! bah inspect --type image "$base_image" >/dev/null 2>&1; then
    step "importing the base ($(du -h "$base_tar" | cut -f1) tarball) into buildah as $base_image"
    new_container base scratch
    bah add "$ctr" "$base_tar" / >/dev/null
    bah commit --quiet --rm "$ctr" "$base_image" >/dev/null
    forget_container "$ctr"
  fi

  step "assembling $IMAGE_NAME:$version on $base_image"
  old_images=$(bah images --quiet --noheading --filter "reference=localhost/$IMAGE_NAME" 2>/dev/null | sort -u)
  new_container app "$base_image"
  bah copy --quiet "$ctr" "$stage/" / >/dev/null
  bah run --isolation chroot "$ctr" -- ldconfig
  source_url="${IMAGE_SOURCE:-$(git remote get-url origin 2>/dev/null || true)}"
  labels=(
    --label "org.opencontainers.image.title=$IMAGE_NAME"
    --label "org.opencontainers.image.description=gmall-pipeline services: log-ingest, enricher, sink-es, query-api, cdc (each workload picks its binary)"
    --label "org.opencontainers.image.version=$version"
    --label "org.opencontainers.image.revision=$revision"
    --label "org.opencontainers.image.created=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    --label "org.opencontainers.image.licenses=${IMAGE_LICENSES:-NOASSERTION}"
  )
  if [[ -n $source_url ]]; then
    labels+=(--label "org.opencontainers.image.source=$source_url")
  else
    echo "note: no origin remote and no IMAGE_SOURCE: the image has no org.opencontainers.image.source label"
  fi
  bah config "${labels[@]}" \
    --entrypoint '["/usr/bin/tini", "--"]' --cmd '' --user "$USER_ID:$USER_ID" --workingdir / \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env LOG_FORMAT=json \
    --created-by "scripts/image.sh" "$ctr"
  bah commit --quiet --format oci --rm "$ctr" "localhost/$IMAGE_NAME:$version" >/dev/null
  forget_container "$ctr"
  bah tag "localhost/$IMAGE_NAME:$version" "localhost/$IMAGE_NAME:latest"
  rm -f "$archive"
  bah push --quiet "localhost/$IMAGE_NAME:$version" "oci-archive:$archive:$IMAGE_NAME:$version"
  ln -sfn "${archive##*/}" "$IMAGE_DIR/$IMAGE_NAME-latest.oci.tar"
  # Older builds out of the storage (vfs keeps a full copy of every layer); the cached base stays.
  new_id=$(bah images --quiet --noheading "localhost/$IMAGE_NAME:$version")
  for id in $old_images; do
    [[ $new_id == "$id"* ]] || bah rmi --force "$id" >/dev/null 2>&1 || true
  done
  for img in $(bah images --noheading --format '{{.Name}}:{{.Tag}}' --filter "reference=localhost/$IMAGE_NAME-base"); do
    [[ $img == "$base_image" ]] || bah rmi "$img" >/dev/null 2>&1 || true
  done
  rm -f "$IMAGE_DIR"/base-*.partial.tar "$IMAGE_DIR"/base-*.partial.tar.packages
  for f in "$IMAGE_DIR/$IMAGE_NAME"-*.oci.tar; do   # the archives of older builds (each can be rebuilt from git)
    [[ -L $f || $f == "$archive" ]] || { rm -f "$f"; echo "removed the older ${f#"$ROOT"/}"; }
  done
  for f in "$IMAGE_DIR"/base-*.tar "$IMAGE_DIR"/base-*.tar.packages; do
    [[ ! -e $f || $f == "$base_tar" || $f == "$base_tar.packages" ]] || rm -f "$f"
  done
else
  archive="$IMAGE_DIR/$(readlink "$IMAGE_DIR/$IMAGE_NAME-latest.oci.tar" 2>/dev/null)" \
    && [[ -f $archive ]] || die "no image built yet: run scripts/image.sh"
fi

# --- the size: the archive (compressed layers) and its layers unpacked ---------------------------------------
report_size() {
  python3 - "$1" <<'EOF'
import json, sys, tarfile, zlib
with tarfile.open(sys.argv[1]) as t:
    blob = lambda d: t.extractfile("blobs/sha256/" + d.split(":")[1])
    index = json.load(t.extractfile("index.json"))
    manifest = json.load(blob(index["manifests"][0]["digest"]))
    total_c = total_u = 0
    for i, layer in enumerate(manifest["layers"]):
        f, size = blob(layer["digest"]), 0
        d = zlib.decompressobj(16 + zlib.MAX_WBITS) if layer["mediaType"].endswith("gzip") else None
        while chunk := f.read(1 << 20):
            size += len(d.decompress(chunk)) if d else len(chunk)
        total_c += layer["size"]; total_u += size
        print(f"  layer {i + 1}: {layer['size'] / 2**20:6.1f} MiB compressed, {size / 2**20:6.1f} MiB unpacked")
    print(f"  layers:  {total_c / 2**20:6.1f} MiB compressed, {total_u / 2**20:6.1f} MiB unpacked")
EOF
}

if ((build)); then
  step "image $IMAGE_NAME:$version: ${archive#"$ROOT"/} ($(du -h "$archive" | cut -f1))"
  report_size "$archive"
fi

# --- the test: the archive's image, run with buildah (chroot isolation, the host's network and PIDs) --------
test_image() {
  local ctr out status pid i failures=0 b
  ok() { printf '  ok    %s\n' "$*"; }
  fail() { printf '  FAIL  %s\n' "$*"; failures=$((failures + 1)); }
  run() { bah run --isolation chroot "$@"; }   # run [-e VAR=VALUE...] CTR -- COMMAND...: as the image's user, with its env

  step "testing ${archive#"$ROOT"/}"
  new_container test "oci-archive:$archive"
  local config
  config=$(bah inspect --type container --format '{{.OCIv1.Config.User}} {{.OCIv1.Config.Entrypoint}} {{.OCIv1.Config.Env}}' "$ctr")
  [[ $config == "$USER_ID:$USER_ID [/usr/bin/tini --] "*LOG_FORMAT=json* ]] \
    && ok "config: user $USER_ID:$USER_ID, entrypoint tini --, LOG_FORMAT=json" || fail "config: $config"
  local labels
  labels=$(bah inspect --type container --format '{{range $k, $v := .OCIv1.Config.Labels}}{{$k}}={{$v}}{{"\n"}}{{end}}' "$ctr")
  for l in title version revision created licenses; do
    grep -q "^org.opencontainers.image.$l=." <<<"$labels" || fail "label org.opencontainers.image.$l missing"
  done
  ok "labels: $(grep -o '^org.opencontainers.image.[a-z]*' <<<"$labels" | sed 's/.*\.//' | tr '\n' ' ')"

  # capture [-e VAR=VALUE...] -- COMMAND...: runs COMMAND in the container; its output (stdout and stderr) in
  # $out, its exit status in $status. The output goes to a file in a host folder mounted into the container:
  # buildah's relay of a short-lived process's output once lost it (the status was right).
  local out_dir="$IMAGE_DIR/test-out"
  rm -rf "$out_dir"; mkdir -p "$out_dir"; chmod 1777 "$out_dir"
  capture() {
    local options=()
    while [[ $1 != -- ]]; do options+=("$1"); shift; done; shift
    rm -f "$out_dir/out"; status=0
    run "${options[@]}" -v "$out_dir:/test-out" "$ctr" -- sh -c 'exec "$@" >/test-out/out 2>&1' sh "$@" \
      >/dev/null 2>&1 || status=$?
    out=$(cat "$out_dir/out" 2>/dev/null || true)
  }
  capture -- id -u
  [[ $status == 0 && $out == "$USER_ID" ]] && ok "runs as uid $out (not root)" || fail "id -u: $status $out"
  # Every binary and Swift library finds its shared libraries.
  capture -- sh -c 'for f in /usr/local/bin/* /usr/local/lib/swift/linux/*.so; do [ -f "$f" ] && ldd "$f"; done'
  if [[ $status != 0 ]] || grep -q "not found" <<<"$out"; then
    fail "ldd (status $status): $(grep "not found" <<<"$out" | sort -u | tr '\n' ' ')"
  else ok "ldd: no missing shared library ($(grep -c '=>' <<<"$out") resolved)"; fi

  # Each service starts, reads its configuration and stops on a bad value with status 2 naming it.
  expect_config_error() {  # expect_config_error NAME VARIABLE [-e VAR=VALUE...] -- COMMAND...
    local what=$1 variable=$2; shift 2
    capture "$@"
    if [[ $status == 2 && $out == *"$variable"* ]]; then ok "$what: exit 2 naming $variable"
    else fail "$what: exit $status, expected 2 naming $variable: $(tail -c 300 <<<"$out")"; fi
  }
  for b in "${SERVICES[@]}"; do
    expect_config_error "$b HTTP_ADDR=127.0.0.1:99999" HTTP_ADDR -e HTTP_ADDR=127.0.0.1:99999 -- "$b"
  done
  expect_config_error "enricher BUSINESS_TIME_ZONE=Mars/Olympus" BUSINESS_TIME_ZONE -e BUSINESS_TIME_ZONE=Mars/Olympus -- enricher
  # Asia/Shanghai is accepted (ICU's zone data is in the image): the next variable read is the one refused.
  expect_config_error "enricher BUSINESS_TIME_ZONE=Asia/Shanghai (accepted)" ENRICHER_BATCH_SIZE \
    -e BUSINESS_TIME_ZONE=Asia/Shanghai -e ENRICHER_BATCH_SIZE=0 -- enricher

  # Every service under tini, as the image's user, on the host's network, with every dependency down (a closed
  # port): the HTTP server answers at once (/healthz 200, /readyz 503), the service logs JSON lines, and SIGTERM
  # to tini stops it gracefully with status 0. query-api also serves its OpenAPI document and the dashboard from
  # its resource bundle. tini -s: without a PID namespace (chroot isolation) tini is not PID 1 here, so it
  # registers as a subreaper instead.
  local -A port_of runner_of tini_of
  for b in "${SERVICES[@]}"; do
    port_of[$b]=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    run -e HTTP_ADDR="127.0.0.1:${port_of[$b]}" -e KAFKA_BROKERS=127.0.0.1:9 -e REDIS_ADDR=127.0.0.1:9 \
      -e ELASTICSEARCH_URL=http://127.0.0.1:9 -e CDC_MYSQL_ADDR=127.0.0.1:9 -e INGEST_AUTH=off -e QUERY_API_AUTH=off \
      -v "$out_dir:/test-out" "$ctr" -- sh -c 'exec "$@" >"/test-out/$0.log" 2>&1' "$b" /usr/bin/tini -s -- "$b" \
      >/dev/null 2>&1 &
    runner_of[$b]=$!
  done
  for b in "${SERVICES[@]}"; do
    for ((i = 0; i < 150; i++)); do
      curl -fsS -o /dev/null "http://127.0.0.1:${port_of[$b]}/healthz" 2>/dev/null && break
      kill -0 "${runner_of[$b]}" 2>/dev/null || break
      sleep 0.2
    done
    pid=$(ss -ltnpH "sport = :${port_of[$b]}" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true)
    if [[ -z $pid ]]; then
      fail "$b did not listen on ${port_of[$b]}: $(tail -c 300 "$out_dir/$b.log" 2>/dev/null)"
      continue
    fi
    tini_of[$b]=$(ps -o ppid= -p "$pid" | tr -d ' ')
    test_tinis+=("${tini_of[$b]}")
    local uid parent paths=(/healthz:200 /readyz:503) answers=() expected
    uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
    parent=$(ps -o comm= -p "${tini_of[$b]}")
    [[ $b == query-api ]] && paths+=(/v1/openapi.json:200 /:200 /dashboard/app.js:200)
    for expected in "${paths[@]}"; do
      status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port_of[$b]}${expected%:*}")
      answers+=("${expected%:*} $status")
      [[ $status == "${expected##*:}" ]] || fail "$b: GET ${expected%:*}: $status, expected ${expected##*:}"
    done
    [[ $uid == "$USER_ID" && $parent == tini ]] || fail "$b: uid $uid, parent $parent"
    grep -q '^{.*"message":"starting"' "$out_dir/$b.log" || fail "$b: no JSON log line 'starting' in $out_dir/$b.log"
    ok "$b: uid $uid under $parent, $(IFS=,; echo "${answers[*]}" | sed 's/,/, /g'), JSON log"
  done
  local t0=$SECONDS
  for b in "${!tini_of[@]}"; do kill -TERM "${tini_of[$b]}"; done
  for b in "${SERVICES[@]}"; do
    status=0; wait "${runner_of[$b]}" || status=$?
    [[ -z ${tini_of[$b]:-} ]] && continue
    [[ $status == 0 ]] && ok "$b: SIGTERM to tini: stopped gracefully, exit 0 (within $((SECONDS - t0)) s)" \
      || fail "$b: exit $status after SIGTERM (log: $out_dir/$b.log)"
  done
  test_tinis=()

  local root
  root=$(bah mount "$ctr")
  step "unpacked: $(du -sh --apparent-size "$root" | cut -f1) ($(du -sh "$root/usr/local/bin" | cut -f1) binaries, $(du -sh "$root/usr/local/lib/swift" | cut -f1) Swift runtime)"
  bah umount "$ctr" >/dev/null
  ((failures == 0)) || die "$failures image test(s) failed"
  step "image test passed"
}
((test)) && test_image

if [[ -n $push_dest ]]; then
  [[ $push_dest == *://* || $push_dest == *:/* || $push_dest == oci:* || $push_dest == dir:* ]] || push_dest="docker://$push_dest"
  step "pushing to $push_dest"
  # shellcheck disable=SC2086
  image_id=$(bah pull --quiet "oci-archive:$archive")   # the archive's image (already in the storage after a build)
  bah push --quiet ${BUILDAH_PUSH_FLAGS:-} --digestfile "$IMAGE_DIR/pushed.digest" "$image_id" "$push_dest"
  step "pushed $push_dest@$(cat "$IMAGE_DIR/pushed.digest")"
fi
step "done in $(( $(date +%s) - start_time )) s"
