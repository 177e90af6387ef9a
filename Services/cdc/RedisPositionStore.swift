import BinlogReplication
import Common
import Logging
import Redis

/// Keeps the delivered binlog position in Redis under `cdc:position:<source server_id>:<client_id>`,
/// as the JSON of `ReplicationPosition.storedText`; waits for Redis when it is down.
struct RedisPositionStore: PositionStore {
    let client: RedisClient
    let key: String
    let readiness: Readiness
    let logger: Logger

    static func key(serverID: UInt32, clientID: String) -> String { "cdc:position:\(serverID):\(clientID)" }

    func load() async throws -> ReplicationPosition? {
        let value = try await waitForDependency("redis", readiness: readiness, logger: logger, what: "load position") {
            try await client.execute(["GET", key])
        }
        guard let text = value.string else { return nil }
        guard let position = ReplicationPosition(storedText: text) else {
            throw ReplicationError.serverSetting("Redis key \(key) holds \(text), not a position; delete it to start at the binlog's end")
        }
        return position
    }

    func save(_ position: ReplicationPosition) async throws {
        _ = try await waitForDependency("redis", readiness: readiness, logger: logger, what: "store position") {
            try await client.execute(["SET", key, position.storedText])
        }
    }
}
