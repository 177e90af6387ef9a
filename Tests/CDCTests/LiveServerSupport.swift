import BinlogReplication
import Foundation
import TestSupport

/// Test helpers around a real MariaDB: a reader from the current end of the binlog, and collecting records.
enum Live {
    static func server() async throws -> MariaDBServer { try await MariaDBServer.shared() }

    static func configuration(_ server: MariaDBServer) -> ReplicationConfiguration {
        ReplicationConfiguration(host: server.host, port: server.port, user: server.user,
                                 replicaServerID: UInt32.random(in: 1000...4_000_000_000),
                                 heartbeatSeconds: 1, timeoutSeconds: 10)
    }

    /// A fresh database name, and a reader that starts at the binlog's current end.
    static func reader(_ server: MariaDBServer, filter: TableFilter,
                       valueOptions: ValueDecodingOptions = ValueDecodingOptions()) throws -> (BinlogReader, StartPosition) {
        let reader = BinlogReader(configuration: configuration(server), filter: filter, valueOptions: valueOptions)
        let end = try reader.currentEnd()
        return (reader, .binlog(end.binlog))
    }

    /// Reads transactions until `count` records arrived (or `timeout`), then stops the stream.
    static func collect(_ stream: TransactionBatches, records count: Int, timeout: Duration = .seconds(20)) async throws
        -> [CommittedTransaction] {
        try await withThrowingTaskGroup(of: [CommittedTransaction]?.self) { group in
            group.addTask {
                var transactions: [CommittedTransaction] = []
                var seen = 0
                for try await batch in stream {
                    transactions += batch
                    seen += batch.reduce(0) { $0 + $1.records.count }
                    if seen >= count { break }
                }
                return transactions
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            guard let transactions = first else { throw LiveTestError.timeout("fewer than \(count) records within \(timeout)") }
            return transactions
        }
    }

    /// Record JSON with the fields that differ run to run (ts, xid, position, gtid, server_id) replaced by `_`.
    static func normalised(_ record: MaxwellRecord) -> String {
        var copy = record
        copy.timestamp = 0
        copy.xid = copy.xid.map { _ in 0 }
        copy.position = copy.position.map { _ in BinlogPosition(file: "_", offset: 0) }
        copy.gtid = copy.gtid.map { _ in Gtid(domain: 0, serverID: 0, sequence: 0) }
        copy.serverID = copy.serverID.map { _ in 0 }
        return copy.json()
    }

    static func uniqueDatabase(_ prefix: String = "cdc") -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }
}

enum LiveTestError: Error {
    case timeout(String)
}
