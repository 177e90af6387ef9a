import PipelineCore
import Testing

@Suite("order wide join (pure)")
struct OrderJoinerTests {
    static func v(_ position: Int64) -> Int64 { (Int64(1) << 32) + position }

    /// The wide line of `Rows`' defaults, as it must be in Elasticsearch.
    static let expectedLine: [String: JSONValue] = [
        "id": .integer(11), "order_id": .integer(1), "sku_id": .integer(3), "sku_name": .string("小米10 8GB"), "sku_num": .integer(2),
        "order_price_cents": .integer(5525), "split_total_amount_cents": .integer(10050),
        "split_activity_amount_cents": .integer(500), "split_coupon_amount_cents": .integer(500),
        "order_status": .string("1001"), "consignee": .string("张三"), "user_id": .integer(7), "province_id": .integer(1),
        "total_amount_cents": .integer(10050), "original_total_amount_cents": .integer(11050),
        "activity_reduce_amount_cents": .integer(500), "coupon_reduce_amount_cents": .integer(500), "feight_fee_cents": .integer(0),
        "create_time": .string("2026-11-01 13:05:22"), "operate_time": .null, "date": .string("2026-11-01"), "hour": .integer(13),
        "counts": .bool(true), "paid": .bool(false), "deleted": .bool(false),
        "province_name": .string("北京"), "province_area_code": .string("110000"), "province_iso_code": .string("CN-11"),
        "province_iso_3166_2": .string("CN-BJ"), "province_region_id": .string("1"),
        "category1_id": .integer(2), "category1_name": .string("手机"), "category2_id": .integer(13), "category2_name": .string("手机通讯"),
        "category3_id": .integer(61), "category3_name": .string("手机"), "tm_id": .integer(5), "tm_name": .string("小米"),
        "spu_id": .integer(4), "spu_name": .string("小米10"), "user_gender": .string("F"), "user_age": .integer(35),
    ]

    static func dimensions(position: Int64 = 100) throws -> [[BusinessChange]] {
        [
            [try Rows.change(.sku, position: position, partition: 1, Rows.sku()),
             try Rows.change(.spu, position: position + 1, partition: 2, Rows.spu),
             try Rows.change(.trademark, position: position + 2, partition: 3, Rows.trademark)],
            [try Rows.change(.category3, position: position + 3, partition: 1, Rows.category3),
             try Rows.change(.category2, position: position + 4, partition: 2, Rows.category2),
             try Rows.change(.category1, position: position + 5, partition: 3, Rows.category1)],
            [try Rows.change(.province, position: position + 6, partition: 2, Rows.province)],
            [try Rows.change(.user, position: position + 7, partition: 3, Rows.user())],
        ]
    }

    @Test func everyArrivalOrderGivesTheSameWideLine() async throws {
        let batches = [[try Rows.change(.order, position: 10, Rows.order())],
                       [try Rows.change(.orderLine, position: 20, Rows.line())]] + (try Self.dimensions())
        var orders = 0
        for permutation in Self.permutations(Array(batches.indices)) {
            let harness = JoinHarness()
            for index in permutation {
                try await harness.process(batches[index])
                try await harness.recheck()
            }
            #expect(harness.document(Topics.orderWide, 11) == Self.expectedLine, "arrival order \(permutation)")
            #expect(harness.version(Topics.orderWide, 11) == Self.v(20))
            #expect(harness.document(Topics.order, 1)?["total_amount_cents"] == .integer(10050))
            #expect(harness.heldCount == 0, "arrival order \(permutation)")
            // Emitted once joined, and never before: no incomplete line reaches the topic.
            #expect(harness.produced.filter { $0.topic == Topics.orderWide }.count == 1)
            orders += 1
        }
        #expect(orders == 720)
    }

    @Test func aLineWaitsHeldUntilItsRowsArriveAndIsCompletedByTheRecheck() async throws {
        let harness = JoinHarness()
        try await harness.process(try Self.dimensions().dropLast().flatMap { $0 })   // everything but the user
        let plan = try await harness.process([try Rows.change(.order, position: 10, Rows.order()),
                                              try Rows.change(.orderLine, position: 20, Rows.line())])
        #expect(plan.newlyHeld == 1)
        #expect(harness.document(Topics.orderWide, 11) == nil)
        #expect(harness.hashes[BusinessKeys.held(partition: 0)] == ["1/11": "1000"])
        harness.now = 5_000
        try await harness.recheck()   // still missing: stays held, with its first time
        #expect(harness.hashes[BusinessKeys.held(partition: 0)] == ["1/11": "1000"])
        try await harness.process([try Rows.change(.user, position: 30, partition: 2, Rows.user())])
        let completed = try await harness.recheck()
        #expect(completed.released == 1)
        #expect(harness.document(Topics.orderWide, 11) == Self.expectedLine)
        #expect(harness.heldCount == 0)
    }

    @Test func anOrderUpdateReEmitsEveryLineWithAHigherVersionAndTheFirstJoinsDimensions() async throws {
        let harness = JoinHarness()
        try await harness.process(try Self.dimensions().flatMap { $0 })
        try await harness.process([try Rows.change(.order, position: 10, Rows.order()),
                                   try Rows.change(.orderLine, position: 20, Rows.line()),
                                   try Rows.change(.orderLine, position: 20, Rows.line(id: 12, amount: "0.00"))])
        // The SKU is renamed and the user changes after the join: joined lines keep what they were joined with.
        try await harness.process([try Rows.change(.trademark, .update, position: 200, partition: 1,
                                                   ["id": .integer(5), "tm_name": .string("Xiaomi")]),
                                   try Rows.change(.user, .update, position: 201, partition: 1, Rows.user(gender: "M"))])
        try await harness.process([try Rows.change(.order, .update, position: 300, Rows.order(status: "1002"))])
        for id: Int64 in [11, 12] {
            let line = try #require(harness.document(Topics.orderWide, id))
            #expect(line["order_status"] == .string("1002") && line["paid"] == .bool(true))
            #expect(line["tm_name"] == .string("小米") && line["user_gender"] == .string("F"))
            #expect(harness.version(Topics.orderWide, id) == Self.v(300))
        }
        #expect(harness.document(Topics.order, 1)?["paid"] == .bool(true))
        // A new line joins with the dimensions as they are now.
        try await harness.process([try Rows.change(.orderLine, position: 400, Rows.line(id: 13))])
        #expect(harness.document(Topics.orderWide, 13)?["tm_name"] == .string("Xiaomi"))
        #expect(harness.version(Topics.orderWide, 13) == Self.v(400))
    }

    @Test func cancelledOrdersDoNotCountAndDeletesStayDeletedWhenOlderChangesReplay() async throws {
        let harness = JoinHarness()
        try await harness.process(try Self.dimensions().flatMap { $0 })
        let insertOrder = try Rows.change(.order, position: 10, Rows.order())
        let insertLine = try Rows.change(.orderLine, position: 20, Rows.line())
        let insertLine2 = try Rows.change(.orderLine, position: 21, Rows.line(id: 12))
        try await harness.process([insertOrder, insertLine, insertLine2])
        try await harness.process([try Rows.change(.order, .update, position: 30, Rows.order(status: "1003"))])
        #expect(harness.document(Topics.order, 1)?["counts"] == .bool(false))
        #expect(harness.document(Topics.orderWide, 11)?["counts"] == .bool(false))

        try await harness.process([try Rows.change(.orderLine, .delete, position: 40, Rows.line())])
        #expect(harness.document(Topics.orderWide, 11)?["deleted"] == .bool(true))
        #expect(harness.version(Topics.orderWide, 11) == Self.v(40))
        // Replaying the older insert changes nothing, in state or in the index.
        let replay = try await harness.process([insertLine])
        #expect(replay.stale == 1)
        #expect(harness.document(Topics.orderWide, 11)?["deleted"] == .bool(true))

        // Deleting the order marks it and its remaining lines deleted.
        try await harness.process([try Rows.change(.order, .delete, position: 50, Rows.order(status: "1003"))])
        #expect(harness.document(Topics.order, 1)?["deleted"] == .bool(true))
        #expect(harness.document(Topics.orderWide, 12)?["deleted"] == .bool(true))
        #expect(harness.version(Topics.orderWide, 12) == Self.v(50))
        try await harness.process([insertOrder, insertLine2])
        #expect(harness.document(Topics.orderWide, 12)?["deleted"] == .bool(true))
    }

    @Test func aReplayedBatchProducesTheSameRecordsAndLeavesTheStateAsItWas() async throws {
        let harness = JoinHarness()
        try await harness.process(try Self.dimensions().flatMap { $0 })
        let batch = [try Rows.change(.order, position: 10, Rows.order()), try Rows.change(.orderLine, position: 20, Rows.line()),
                     try Rows.change(.order, .update, position: 30, Rows.order(status: "1002"))]
        let first = try await harness.reader.plan(changes: batch, now: 1)
        harness.commit(first)
        let stateAfterFirst = harness.hashes
        // A crash after producing but before the commit replays against the old state: the same records.
        let crashed = JoinHarness()
        try await crashed.process(try Self.dimensions().flatMap { $0 })
        let replayedBeforeCommit = try await crashed.reader.plan(changes: batch, now: 2)
        #expect(replayedBeforeCommit.records == first.records)
        // A replay after the commit changes no state and writes nothing newer.
        let replay = try await harness.reader.plan(changes: batch, now: 3)
        harness.commit(replay)
        #expect(harness.hashes == stateAfterFirst)
        #expect(Set(replay.records.map(\.version)).isSubset(of: Set(first.records.map(\.version))))
    }

    @Test func snapshotRowsFillGapsButNeverReplaceBinlogChanges() async throws {
        let harness = JoinHarness()
        try await harness.process([try Rows.change(.sku, .update, position: 500, partition: 1, Rows.sku(name: "new"))])
        try await harness.process([try Rows.change(.sku, .bootstrapInsert, position: 0, partition: 1, Rows.sku(name: "old")),
                                   try Rows.change(.province, .bootstrapInsert, position: 0, partition: 1, Rows.province)])
        let sku = try VersionedRow.decode(try #require(harness.hashes[ShopTable.sku.dimensionKey]?["3"]))
        #expect(sku.row?.text("sku_name") == "new")
        #expect(try VersionedRow.decode(try #require(harness.hashes[ShopTable.province.dimensionKey]?["1"])).version == SourceVersion.bootstrap)
        // The index of dimension rows keeps the binlog's version too.
        #expect(harness.documents["\(Topics.dimension)/sku_info:3"]?.document["sku_name"] == .string("new"))
        #expect(harness.documents["\(Topics.dimension)/sku_info:3"]?.document["table"] == .string("sku_info"))

        try await harness.process([try Rows.change(.order, .update, position: 10, Rows.order(status: "1002"))])
        let late = try await harness.process([try Rows.change(.order, .bootstrapInsert, position: 0, Rows.order(status: "1001"))])
        #expect(late.stale == 1)
        #expect(harness.document(Topics.order, 1)?["order_status"] == .string("1002"))
    }

    @Test func deletedDimensionsMakeNewLinesWaitAndOlderReplaysDoNotResurrectThem() async throws {
        let harness = JoinHarness()
        try await harness.process(try Self.dimensions().flatMap { $0 })
        try await harness.process([try Rows.change(.user, .delete, position: 900, partition: 3, Rows.user())])
        try await harness.process([try Rows.change(.user, position: 107, partition: 3, Rows.user())])   // replay of the insert
        try await harness.process([try Rows.change(.order, position: 1000, Rows.order()), try Rows.change(.orderLine, position: 1001, Rows.line())])
        #expect(harness.heldCount == 1)
        #expect(harness.document(Topics.orderWide, 11) == nil)
        #expect(harness.documents["\(Topics.dimension)/user_info:7"]?.document["deleted"] == .bool(true))
    }

    @Test func agesAreWholeYearsOnTheOrdersBusinessDay() throws {
        func age(_ birthday: String, _ day: String) -> Int { LineJoin.wholeYears(from: BusinessDate(birthday)!, to: BusinessDate(day)!) }
        #expect(age("1990-11-02", "2026-11-01") == 35)
        #expect(age("1990-11-01", "2026-11-01") == 36)
        #expect(age("2000-02-29", "2026-02-28") == 25)
        #expect(age("2000-02-29", "2026-03-01") == 26)
        #expect(age("2000-02-29", "2028-02-29") == 28)
    }

    @Test func rowsThatCannotBeJoinedAreRefusedNamingTheField() throws {
        var line = Rows.line()
        line["split_total_amount"] = .double(0.1)
        #expect(throws: ShopRowError.self) { try Rows.change(.orderLine, position: 1, line) }
        var order = Rows.order()
        order["total_amount"] = Rows.decimal("1.005")
        #expect(throws: ShopRowError(field: "total_amount", problem: "is not an exact amount in cents: 1.005")) {
            try Rows.change(.order, position: 1, order)
        }
        #expect(throws: ShopRowError(field: "order_id", problem: "is missing")) {
            try Rows.change(.orderLine, position: 1, ["id": .integer(1)])
        }
        #expect(try Rows.change(.order, position: 1, Rows.order()) != .ignored)
        #expect(try BusinessChange.classify(MaxwellChange(database: "other", table: "order_info", kind: .insert, row: ShopRow([:]), version: 1),
                                            partition: 0, database: "gmall") == .ignored)
    }

    static func permutations(_ items: [Int]) -> [[Int]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { i in
            permutations(Array(items[..<i] + items[(i + 1)...])).map { [items[i]] + $0 }
        }
    }
}
