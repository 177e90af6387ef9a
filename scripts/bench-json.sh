#!/usr/bin/env bash
# Microseconds per event for JSONCodec.parse / JSONCodec.serialize (release build) on events made by
# the simulator, with Foundation's JSONSerialization measured in the same run as the baseline.
# Builds a throwaway package in .build-bench-json (git-ignored) that links only PipelineCore.
#   ROUNDS=20 DEVICES=100 scripts/bench-json.sh          # or EVENTS=FILE (lines: request<TAB>event JSON)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ROUNDS=${ROUNDS:-20}
DEVICES=${DEVICES:-100}
bench="$ROOT/.build-bench-json"
pkg="$bench/pkg"
mkdir -p "$pkg/Libraries" "$pkg/Sources/BenchJSON"
ln -sfn "$ROOT/Libraries/PipelineCore" "$pkg/Libraries/PipelineCore"

cat >"$pkg/Package.swift" <<'EOF'
// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "bench-json",
    platforms: [.macOS(.v14)],
    targets: [
        .target(name: "PipelineCore", path: "Libraries/PipelineCore"),
        .executableTarget(name: "BenchJSON", dependencies: ["PipelineCore"], path: "Sources/BenchJSON"),
    ]
)
EOF

cat >"$pkg/Sources/BenchJSON/main.swift" <<'EOF'
import Foundation
import PipelineCore

let arguments = CommandLine.arguments
guard arguments.count == 3, let rounds = Int(arguments[2]), rounds > 0 else {
    FileHandle.standardError.write(Data("usage: BenchJSON EVENTS-FILE ROUNDS\n".utf8))
    exit(2)
}
let file = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
let events: [[UInt8]] = file.split(separator: UInt8(ascii: "\n")).compactMap { line in
    line.firstIndex(of: UInt8(ascii: "\t")).map { [UInt8](line[($0 + 1)...]) }
}
guard !events.isEmpty else {
    FileHandle.standardError.write(Data("no events in \(arguments[1])\n".utf8))
    exit(1)
}
let datas = events.map { Data($0) }
let meanBytes = events.reduce(0) { $0 + $1.count } / events.count

/// Best-of-`rounds` time per event, in microseconds, of `body` applied to every event.
func measure(_ body: (Int) throws -> Int) rethrows -> Double {
    var best = Double.infinity
    var sink = 0
    for _ in 0..<rounds {
        let start = ContinuousClock.now
        for index in events.indices { sink &+= try body(index) }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        best = min(best, seconds * 1e6 / Double(events.count))
    }
    if sink == 42 { print("") }  // keeps the work from being optimised away
    return best
}

let parsed = try events.map { try JSONCodec.parse($0) }
let parse = try measure { index in
    if case .object(let members) = try JSONCodec.parse(events[index]) { return members.count }
    return 0
}
let serialization = try measure { index in
    (try JSONSerialization.jsonObject(with: datas[index]) as? [String: Any])?.count ?? 0
}
let serialize = measure { index in JSONCodec.serialize(parsed[index]).count }
let sortedKeys = try measure { index in
    let object = try JSONSerialization.jsonObject(with: datas[index])
    return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]).count
}
let reserialized = try events.map { try JSONCodec.parse(JSONCodec.serialize(try JSONCodec.parse($0))) }
print("\(events.count) events, \(meanBytes) bytes on average, best of \(rounds) rounds")
print(String(format: "JSONCodec.parse                         %8.2f µs/event", parse))
print(String(format: "JSONSerialization.jsonObject (baseline) %8.2f µs/event", serialization))
print(String(format: "JSONCodec.serialize                     %8.2f µs/event", serialize))
print(String(format: "JSONSerialization parse + data(sorted)  %8.2f µs/event", sortedKeys))
print("round trip parse(serialize(parse(e))) == parse(e): \(reserialized == parsed)")
EOF

step "building the benchmark (release)"
swift build -c release --package-path "$pkg" --scratch-path "$bench/build" >/dev/null

events=${EVENTS:-}
if [[ -z $events ]]; then
  events="$bench/events.tsv"
  sim="$ROOT/.build/debug/shop-sim"
  if [[ ! -x $sim ]]; then
    step "building shop-sim (debug) to generate events"
    swift build --product shop-sim >/dev/null
  fi
  "$sim" --devices "$DEVICES" --days 1 --seed 1 --dry-run --dump-events "$events" >/dev/null 2>&1
fi
step "measuring"
"$bench/build/release/BenchJSON" "$events" "$ROUNDS"
