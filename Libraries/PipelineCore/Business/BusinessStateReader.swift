/// Reads of the hashes that hold the business stream's state (Redis in the enricher, a dictionary in tests).
public protocol HashReader: Sendable {
    /// Every field of each hash in `keys` (empty for a missing hash), in one round trip.
    func allFields(of keys: [String]) async throws -> [[String: String]]
    /// The values of `fields` of each hash (nil for missing fields), in one round trip.
    func values(of requests: [(key: String, fields: [String])]) async throws -> [[String?]]
}

/// Reads the state a plan needs and plans: the join state of the orders a batch touches
/// (`BusinessKeys.order`), then the dimension rows the join asks for (`dim:<table>`), level by level, so
/// that nothing is guessed. Also reads a partition's held lines.
public struct BusinessStateReader<Reader: HashReader>: Sendable {
    public let reader: Reader
    public let joiner = OrderJoiner()

    public init(reader: Reader) {
        self.reader = reader
    }

    /// Plans `changes` and the re-check of `recheck` against the stored state.
    public func plan(changes: [BusinessChange], recheck: [LineRef] = [], now: Int64) async throws -> OrderJoiner.Plan {
        let orders = try await load(Set(changes.compactMap(\.order) + recheck.map(\.order)))
        var view = DimensionView()
        while true {
            let plan = joiner.plan(changes: changes, orders: orders, recheck: recheck, view: view, now: now)
            if plan.unfetched.isEmpty { return plan }
            // Each round reads only rows not read before (a line needs at most four: SKU, category 3, 2, 1).
            try await fetch(plan.unfetched, into: &view)
        }
    }

    /// The join state of `refs`; absent for orders never seen.
    public func load(_ refs: Set<OrderRef>) async throws -> [OrderRef: OrderState] {
        let ordered = refs.sorted()
        guard !ordered.isEmpty else { return [:] }
        let replies = try await reader.allFields(of: ordered.map(BusinessKeys.order))
        var result: [OrderRef: OrderState] = [:]
        for (ref, fields) in zip(ordered, replies) where !fields.isEmpty {
            result[ref] = try OrderState(fields: fields)
        }
        return result
    }

    /// The lines in `partition`'s held hash, with the time each was first held (epoch ms).
    public func held(partition: Int32) async throws -> [LineRef: Int64] {
        let fields = try await reader.allFields(of: [BusinessKeys.held(partition: partition)]).first ?? [:]
        var result: [LineRef: Int64] = [:]
        for (field, since) in fields {
            if let line = BusinessKeys.heldLine(partition: partition, field: field) { result[line] = Int64(since) ?? 0 }
        }
        return result
    }

    /// The province and user rows that log records need (`LogEnrichment`): every province (a small table,
    /// indexed by area code here) and the users `userIDs`.
    public func logEnrichment(userIDs: Set<Int64>) async throws -> LogEnrichment {
        let users = userIDs.sorted()
        let replies = try await reader.values(of: users.isEmpty ? [] : [(ShopTable.user.dimensionKey, users.map(String.init))])
        var usersByID: [Int64: ShopRow] = [:]
        for (id, value) in zip(users, replies.first ?? []) {
            if let row = try value.map(VersionedRow.decode)?.row { usersByID[id] = row }
        }
        var provinces: [String: ShopRow] = [:]
        for (_, value) in try await reader.allFields(of: [ShopTable.province.dimensionKey]).first ?? [:] {
            if let row = try VersionedRow.decode(value).row, let area = row.text("area_code") { provinces[area] = row }
        }
        return LogEnrichment(provinces: provinces, users: usersByID)
    }

    private func fetch(_ keys: Set<DimensionKey>, into view: inout DimensionView) async throws {
        let byTable = Dictionary(grouping: keys, by: \.table).map { ($0.key, $0.value.sorted()) }.sorted { $0.0.rawValue < $1.0.rawValue }
        let replies = try await reader.values(of: byTable.map { table, keys in (table.dimensionKey, keys.map { String($0.id) }) })
        for ((_, keys), values) in zip(byTable, replies) {
            for (key, value) in zip(keys, values) {
                view.recordFetched(key, try value.map(VersionedRow.decode))
            }
        }
    }
}
