#!/usr/bin/env python3
"""Helpers of scripts/check-manifests.sh for one rendered overlay (the output of `kubectl kustomize`).

  split RENDERED CORE CUSTOM   writes the built-in kinds to CORE (for kubernetes-validate) and the custom
                               resources to CUSTOM; prints the objects by kind. Fails on a custom kind this
                               script has no schema for.
  custom CUSTOM                validates the custom resources (Strimzi KafkaTopic/KafkaUser, Prometheus
                               Operator ServiceMonitor, KEDA ScaledObject) against the schemas below.
  rules NAME RENDERED          the project's own rules (topics, ports, secrets per pod, cdc, grace periods).
  skip RENDERED OUT ID=REASON...  copies RENDERED to OUT with checkov's skip annotations on every object, so
                               that checkov reports each skip (with its count) instead of leaving it out.
  checkov-report JSON          prints checkov's failures, skips and counts from its JSON output.

kubernetes-validate knows only the built-in kinds (it merely warns on the others), and the operators'
CRDs are not vendored here. So the custom resources are checked against hand-written schemas of the
fields this project uses, written from the CRDs named below and strict: a field outside them, a wrong
type or an unknown enum value fails. That is a subset of what the API server checks; a field that the
CRD allows but the subset does not must be added here after checking the CRD.
"""
import re
import sys
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent

# ---- schemas of the custom resources (subsets; additionalProperties false throughout) ----------------

def obj(properties, required=()):
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}

STRING = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
DNS_SUBDOMAIN = {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", "maxLength": 253}
STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
METADATA = obj({"name": DNS_SUBDOMAIN, "namespace": DNS_SUBDOMAIN, "labels": STRING_MAP, "annotations": STRING_MAP},
               required=["name", "namespace"])
LABEL_SELECTOR = obj({
    "matchLabels": STRING_MAP,
    "matchExpressions": {"type": "array", "items": obj({
        "key": STRING, "operator": {"enum": ["In", "NotIn", "Exists", "DoesNotExist"]},
        "values": {"type": "array", "items": STRING}}, required=["key", "operator"])},
})
DURATION = {"type": "string", "pattern": r"^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"}


def resource(api_version, kind, spec):
    return obj({"apiVersion": {"const": api_version}, "kind": {"const": kind}, "metadata": METADATA, "spec": spec},
               required=["apiVersion", "kind", "metadata", "spec"])


SCHEMAS = {
    # Strimzi 0.49+ (kafka.strimzi.io/v1), CRD kafkatopics.kafka.strimzi.io.
    ("kafka.strimzi.io/v1", "KafkaTopic"): resource("kafka.strimzi.io/v1", "KafkaTopic", obj({
        "topicName": STRING,
        "partitions": {"type": "integer", "minimum": 1},
        "replicas": {"type": "integer", "minimum": 1, "maximum": 32767},
        # Topic configuration: Kafka's topic settings (names checked loosely, values scalars).
        "config": {"type": "object", "propertyNames": {"pattern": r"^[a-z]+(\.[a-z]+)*$"},
                   "additionalProperties": {"type": ["string", "integer", "number", "boolean"]}},
    })),
    # Strimzi 0.49+ (kafka.strimzi.io/v1), CRD kafkausers.kafka.strimzi.io (v1 has `operations`, not `operation`).
    ("kafka.strimzi.io/v1", "KafkaUser"): resource("kafka.strimzi.io/v1", "KafkaUser", obj({
        "authentication": obj({"type": {"enum": ["tls", "tls-external", "scram-sha-512"]}}, required=["type"]),
        "authorization": obj({
            "type": {"enum": ["simple"]},
            "acls": {"type": "array", "minItems": 1, "items": obj({
                "type": {"enum": ["allow", "deny"]},
                "resource": obj({"type": {"enum": ["topic", "group", "cluster", "transactionalId"]},
                                 "name": STRING, "patternType": {"enum": ["literal", "prefix"]}}, required=["type"]),
                "host": STRING,
                "operations": {"type": "array", "minItems": 1, "items": {"enum": [
                    "Read", "Write", "Create", "Delete", "Alter", "Describe", "ClusterAction",
                    "AlterConfigs", "DescribeConfigs", "IdempotentWrite", "All"]}},
            }, required=["resource", "operations"])},
        }, required=["type"]),
    }, required=["authentication"])),
    # Prometheus Operator, CRD servicemonitors.monitoring.coreos.com (v1).
    ("monitoring.coreos.com/v1", "ServiceMonitor"): resource("monitoring.coreos.com/v1", "ServiceMonitor", obj({
        "selector": LABEL_SELECTOR,
        "namespaceSelector": obj({"any": BOOL, "matchNames": {"type": "array", "items": STRING}}),
        "jobLabel": STRING,
        "targetLabels": {"type": "array", "items": STRING},
        "podTargetLabels": {"type": "array", "items": STRING},
        "endpoints": {"type": "array", "minItems": 1, "items": obj({
            "port": STRING, "path": {"type": "string", "pattern": "^/"}, "scheme": {"enum": ["http", "https"]},
            "interval": DURATION, "scrapeTimeout": DURATION, "honorLabels": BOOL})},
    }, required=["selector", "endpoints"])),
    # KEDA 2.x, CRD scaledobjects.keda.sh (v1alpha1). Trigger metadata values are strings.
    ("keda.sh/v1alpha1", "ScaledObject"): resource("keda.sh/v1alpha1", "ScaledObject", obj({
        "scaleTargetRef": obj({"apiVersion": STRING, "kind": STRING, "name": STRING, "envSourceContainerName": STRING},
                              required=["name"]),
        "pollingInterval": INT, "cooldownPeriod": INT, "initialCooldownPeriod": INT, "idleReplicaCount": INT,
        "minReplicaCount": INT, "maxReplicaCount": INT,
        "fallback": obj({"failureThreshold": INT, "replicas": INT}, required=["failureThreshold", "replicas"]),
        "advanced": obj({
            "restoreToOriginalReplicaCount": BOOL,
            "horizontalPodAutoscalerConfig": obj({"name": STRING, "behavior": {"type": "object"}}),
        }),
        "triggers": {"type": "array", "minItems": 1, "items": obj({
            "type": STRING, "name": STRING, "metadata": STRING_MAP, "useCachedMetrics": BOOL,
            "metricType": {"enum": ["AverageValue", "Value", "Utilization"]},
            "authenticationRef": obj({"name": STRING, "kind": {"enum": ["TriggerAuthentication", "ClusterTriggerAuthentication"]}},
                                     required=["name"]),
        }, required=["type", "metadata"])},
    }, required=["scaleTargetRef", "triggers"])),
}
CUSTOM_GROUPS = {key[0].split("/")[0] for key in SCHEMAS}


def load(path):
    with open(path) as f:
        return [doc for doc in yaml.safe_load_all(f) if doc]


def group(doc):
    return doc["apiVersion"].split("/")[0] if "/" in doc["apiVersion"] else ""


def split(rendered, core_path, custom_path):
    docs = load(rendered)
    core, custom, unknown = [], [], []
    for doc in docs:
        g = group(doc)
        if g in CUSTOM_GROUPS:
            custom.append(doc)
        elif "." not in g or g.endswith(".k8s.io"):
            core.append(doc)
        else:
            unknown.append(f"{doc['apiVersion']} {doc['kind']}")
    for path, part in ((core_path, core), (custom_path, custom)):
        with open(path, "w") as f:
            yaml.safe_dump_all(part, f, sort_keys=False)
    kinds = {}
    for doc in docs:
        kinds[doc["kind"]] = kinds.get(doc["kind"], 0) + 1
    print(f"{len(docs)} objects: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    if unknown:
        print("error: no schema for these kinds (add one to scripts/check_manifests.py): " + ", ".join(unknown))
        return 1
    return 0


def custom(path):
    docs = load(path)
    invalid = 0
    for doc in docs:
        schema = SCHEMAS.get((doc["apiVersion"], doc["kind"]))
        name = f"{doc['kind']}/{doc.get('metadata', {}).get('name')}"
        errors = (sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
                  if schema else [f"no schema for {doc['apiVersion']}"])
        for error in errors:
            where = ".".join(map(str, error.path)) or "(top)" if schema else "(top)"
            print(f"ERROR {name}: {where}: {getattr(error, 'message', error)}")
        invalid += bool(errors)
    if docs:
        print(f"{len(docs) - invalid} of {len(docs)} custom resources valid against the hand-written subsets"
              f" ({', '.join(sorted({d['kind'] for d in docs}))})")
    else:
        print("no custom resources")
    return 1 if invalid else 0


# ---- the project's own rules ------------------------------------------------------------------------

# What each service connects to (Services/*/main.swift): the ConfigMaps and Secrets it may get, no more.
NEEDS = {
    "log-ingest": {"kafka"},
    "enricher": {"kafka", "redis"},
    "sink-es": {"kafka", "redis", "elasticsearch"},
    "query-api": {"elasticsearch"},
    "cdc": {"kafka", "redis", "mysql"},
}
SECRETS_OF = {  # Secret name (or pattern) -> what it is for
    "gmall-redis": "redis", "gmall-es-elastic-user": "elasticsearch", "gmall-es-http-certs-public": "elasticsearch",
    "gmall-cluster-ca-cert": "kafka", "gmall-cdc-mysql": "mysql",
}
OWN_SECRETS = {"log-ingest": {"gmall-ingest-write-keys"}, "query-api": {"gmall-query-api-tokens"},
               "cdc": {"gmall-cdc-admin-token"}}


def swift_topics():
    text = (ROOT / "Libraries/PipelineCore/Records/OutputRecord.swift").read_text()
    body = text[text.index("public enum Topics"):]
    body = body[:body.index("\n}")]
    return set(re.findall(r'static let \w+ = "([^"]+)"', body))


def default_port(service):
    text = (ROOT / f"Services/{service}/main.swift").read_text()
    return int(re.search(r'defaultAddress: "[^"]*:(\d+)"', text).group(1))


def seconds(duration):
    match = re.fullmatch(r"(\d+)(ms|s|m)", duration)
    value, unit = int(match.group(1)), match.group(2)
    return {"ms": value / 1000, "s": value, "m": value * 60}[unit]


def rules(name, rendered):
    docs = load(rendered)
    problems = []
    configmaps = {d["metadata"]["name"]: d.get("data", {}) for d in docs if d["kind"] == "ConfigMap"}

    def configmap(prefix):  # generated names end in -<hash>
        found = [data for cm, data in configmaps.items() if re.fullmatch(re.escape(prefix) + r"(-[a-z0-9]{10})?", cm)]
        return found[0] if found else {}

    kafka = configmap("gmall-kafka")
    partitions = int(kafka.get("KAFKA_TOPIC_PARTITIONS", "4"))
    common = configmap("gmall-common")
    shutdown = seconds(common.get("SHUTDOWN_TIMEOUT", "20s"))

    topics = [d for d in docs if d["kind"] == "KafkaTopic"]
    if topics:
        declared = {t["spec"].get("topicName", t["metadata"]["name"]): t for t in topics}
        expected = swift_topics()
        for missing in sorted(expected - declared.keys()):
            problems.append(f"topic {missing} (enum Topics) has no KafkaTopic")
        for extra in sorted(declared.keys() - expected):
            problems.append(f"KafkaTopic {extra} is not a topic of enum Topics")
        for topic, t in declared.items():
            spec = t["spec"]
            if spec.get("replicas") != 3 or str(spec.get("config", {}).get("min.insync.replicas")) != "2":
                problems.append(f"KafkaTopic {topic}: want replicas 3 and min.insync.replicas 2")
            if spec.get("partitions") != partitions:
                problems.append(f"KafkaTopic {topic}: {spec.get('partitions')} partitions, KAFKA_TOPIC_PARTITIONS says {partitions}")
            if str(kafka.get("KAFKA_REPLICATION_FACTOR")) != str(spec.get("replicas")):
                problems.append(f"KafkaTopic {topic}: replicas differ from KAFKA_REPLICATION_FACTOR")
    users = {d["metadata"]["name"] for d in docs if d["kind"] == "KafkaUser"}

    workloads = {d["metadata"]["name"]: d for d in docs if d["kind"] in ("Deployment", "StatefulSet")}
    if set(workloads) != set(NEEDS):
        problems.append(f"workloads {sorted(workloads)}, expected {sorted(NEEDS)}")
    scalers = {}
    for d in docs:
        if d["kind"] == "HorizontalPodAutoscaler":
            scalers[d["spec"]["scaleTargetRef"]["name"]] = d["spec"]["maxReplicas"]
        if d["kind"] == "ScaledObject":
            scalers[d["spec"]["scaleTargetRef"]["name"]] = d["spec"].get("maxReplicaCount", 100)
    for service, w in workloads.items():
        pod = w["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        where = f"{w['kind']} {service}"
        # Port: the one the service's main.swift defaults to, on HTTP_ADDR, the container and the Service.
        port = default_port(service)
        if env.get("HTTP_ADDR") != f"0.0.0.0:{port}" or container["ports"][0]["containerPort"] != port:
            problems.append(f"{where}: HTTP_ADDR/containerPort differ from main.swift's port {port}")
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            if probe not in container:
                problems.append(f"{where}: no {probe}")
        # Graceful stop within the grace period.
        sleep = container.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
        grace = pod.get("terminationGracePeriodSeconds", 30)
        if sleep + shutdown >= grace:
            problems.append(f"{where}: preStop {sleep} s + SHUTDOWN_TIMEOUT {shutdown} s >= grace period {grace} s")
        # Only the ConfigMaps and Secrets it uses; secrets as files, never optional.
        allowed = NEEDS[service]
        for source in container.get("envFrom", []):
            if "secretRef" in source:
                problems.append(f"{where}: secrets through envFrom (use files)")
                continue
            cm = re.sub(r"-[a-z0-9]{10}$", "", source["configMapRef"]["name"])
            if cm.startswith("gmall-") and cm != "gmall-common" and cm[len("gmall-"):] not in allowed:
                problems.append(f"{where}: gets ConfigMap {cm}, which it does not use")
            elif not cm.startswith("gmall-") and cm != service:
                problems.append(f"{where}: gets another service's ConfigMap {cm}")
        if any("valueFrom" in e and "secretKeyRef" in e["valueFrom"] for e in container.get("env", [])):
            problems.append(f"{where}: a secret in an environment variable (use a file)")
        mounts = {m["name"]: m["mountPath"] for m in container.get("volumeMounts", [])}
        for volume in pod.get("volumes", []):
            secret = volume.get("secret")
            if not secret:
                continue
            if secret.get("optional"):
                problems.append(f"{where}: Secret {secret['secretName']} is optional")
            purpose = SECRETS_OF.get(secret["secretName"])
            if secret["secretName"] in users:
                purpose = "kafka"
                if env.get("KAFKA_SASL_USERNAME") != secret["secretName"]:
                    problems.append(f"{where}: mounts KafkaUser {secret['secretName']}'s secret as another user")
            if purpose is None and secret["secretName"] not in OWN_SECRETS.get(service, set()):
                problems.append(f"{where}: mounts Secret {secret['secretName']}, which is not its own")
            elif purpose is not None and purpose not in allowed:
                problems.append(f"{where}: mounts Secret {secret['secretName']} ({purpose}), which it does not use")
            if volume["name"] not in mounts:
                problems.append(f"{where}: volume {volume['name']} is not mounted")
        files = {k: v for k, v in env.items() if k.endswith("_FILE")}
        files.update({k: v for k, v in {**kafka, **configmap("gmall-elasticsearch")}.items()
                      if k.endswith("_FILE") and (k.startswith("KAFKA") and "kafka" in allowed
                                                 or k.startswith("ELASTICSEARCH") and "elasticsearch" in allowed)})
        for variable, path in files.items():
            if not any(path.startswith(m.rstrip("/") + "/") for m in mounts.values()):
                problems.append(f"{where}: {variable}={path} is not in a mounted volume")
        if "kafka" in allowed and kafka.get("KAFKA_SECURITY_PROTOCOL", "plaintext").startswith("sasl"):
            if env.get("KAFKA_SASL_USERNAME") not in users:
                problems.append(f"{where}: KAFKA_SASL_USERNAME {env.get('KAFKA_SASL_USERNAME')} is no KafkaUser here")
        # Consumers: no more members than partitions.
        replicas = max(w["spec"].get("replicas", 1), scalers.get(service, 0))
        if service in ("enricher", "sink-es") and replicas > partitions:
            problems.append(f"{where}: up to {replicas} replicas for {partitions} partitions")
    cdc = workloads.get("cdc")
    if cdc and (cdc["kind"] != "StatefulSet" or cdc["spec"].get("replicas") != 1
                or cdc["spec"].get("podManagementPolicy") != "OrderedReady" or "cdc" in scalers):
        problems.append("cdc must be a one-replica StatefulSet (OrderedReady) that nothing scales")
    namespace = [d for d in docs if d["kind"] == "Namespace"]
    if not namespace or namespace[0]["metadata"].get("labels", {}).get("pod-security.kubernetes.io/enforce") != "restricted":
        problems.append("the namespace does not enforce Pod Security `restricted`")

    for problem in problems:
        print(f"ERROR {name}: {problem}")
    if not problems:
        print(f"project rules hold ({len(workloads)} workloads" + (f", {len(topics)} topics" if topics else "") + ")")
    return 1 if problems else 0


def skip(rendered, out, *skips):
    docs = load(rendered)
    for doc in docs:
        annotations = doc["metadata"].setdefault("annotations", {})
        for number, item in enumerate(skips, 1):
            annotations[f"checkov.io/skip{number}"] = item
    with open(out, "w") as f:
        yaml.safe_dump_all(docs, f, sort_keys=False)
    return 0


def checkov_report(path):
    import json
    with open(path) as f:
        reports = json.load(f)
    reports = reports if isinstance(reports, list) else [reports]
    passed = failed = skipped = errors = 0
    skipped_by = {}
    for report in reports:
        summary = report.get("summary", {})
        passed += summary.get("passed", 0)
        failed += summary.get("failed", 0)
        skipped += summary.get("skipped", 0)
        errors += summary.get("parsing_errors", 0)
        results = report.get("results", {})
        for check in results.get("failed_checks", []):
            print(f"FAILED {check['check_id']} {check['check_name']}: {check['resource']}")
        for check in results.get("skipped_checks", []):
            skipped_by[check["check_id"]] = skipped_by.get(check["check_id"], 0) + 1
    detail = ", ".join(f"{check} x{n}" for check, n in sorted(skipped_by.items()))
    print(f"checkov: {passed} passed, {failed} failed, {skipped} skipped" + (f" ({detail})" if detail else "")
          + (f", {errors} parsing errors" if errors else ""))
    return 1 if failed or errors or not passed else 0


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    sys.exit({"split": split, "custom": custom, "rules": rules, "skip": skip,
              "checkov-report": checkov_report}[command](*args))
