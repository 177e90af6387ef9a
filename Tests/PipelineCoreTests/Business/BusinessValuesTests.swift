import PipelineCore
import Testing

@Suite("exact decimals, money, versions, Maxwell records")
struct BusinessValuesTests {
    @Test(arguments: [("12.50", 2, Int64(1250)), ("12", 2, 1200), ("-0.01", 2, -1), ("0E-30", 2, 0), ("1.5E+2", 2, 15000),
                      ("1.25e1", 0, nil), ("0.125", 2, nil), ("1E-30", 2, nil), ("92233720368547758.08", 2, nil), ("3.10", 1, 31)])
    func decimalsScaleExactlyOrNotAtAll(text: String, places: Int, expected: Int64?) throws {
        #expect(JSONDecimal(text)?.scaled(places: places) == expected)
    }

    @Test func theExactModeKeepsDecimalsAsWrittenAndWritesThemBack() throws {
        let text = #"{"a":12.50,"b":1E-30,"c":3,"d":[0.1]}"#
        let value = try JSONCodec.parse(Array(text.utf8), numbers: .exact)
        #expect(value["a"] == .decimal(JSONDecimal("12.50")!))
        #expect(value["c"] == .integer(3))
        #expect(String(decoding: JSONCodec.serialize(value), as: UTF8.self) == text)
        #expect(try JSONCodec.parse(Array(text.utf8))["a"] == .double(12.5))   // the default is unchanged
        #expect(JSONDecimal("01") == nil && JSONDecimal("1.") == nil && JSONDecimal("-") == nil && JSONDecimal("1e5") != nil)
    }

    @Test func moneyIsWrittenWithTwoDecimals() {
        #expect(Money.format(cents: 123450) == "1234.50")
        #expect(Money.format(cents: -5) == "-0.05")
        #expect(Money.format(cents: 0) == "0.00")
    }

    @Test func versionsComeFromBinlogPositions() {
        #expect(SourceVersion.of(position: "mysql-bin.000001:3009") == Int64(1) << 32 + 3009)
        #expect(SourceVersion.of(position: "binlog.000002:4")! > SourceVersion.of(position: "binlog.000001:4294967295")!)
        for bad in ["", "mysql-bin:12", "mysql-bin.000001", "mysql-bin.x:1", "mysql-bin.1:-1", "a.1:99999999999"] {
            #expect(SourceVersion.of(position: bad) == nil, "\(bad)")
        }
        #expect(VersionedValue.encode(version: 42, payload: "x") == "00000000000000000042 x")
        #expect(VersionedValue.decode("00000000000000000042") == VersionedValue(version: 42, payload: nil))
        #expect(VersionedValue.decode("42 x") == nil)
    }

    @Test func maxwellRecordsAreReadWithTheirVersion() throws {
        let text = #"{"database":"gmall","table":"order_info","type":"update","ts":1795874154,"xid":11,"commit":true,"position":"mysql-bin.000003:3009","gtid":"0-1-7","server_id":1,"data":{"id":1,"total_amount":11.00,"order_status":"1002"},"old":{"order_status":"1001"}}"#
        let change = try #require(try MaxwellChange.read(try JSONCodec.parse(Array(text.utf8), numbers: .exact)))
        #expect(change.kind == .update && change.table == "order_info" && change.version == (3 << 32) + 3009)
        #expect(try Money.cents(change.row["total_amount"], field: "total_amount") == 1100)
        let bootstrap = #"{"database":"gmall","table":"sku_info","type":"bootstrap-insert","ts":1,"data":{"id":1}}"#
        #expect(try MaxwellChange.read(try JSONCodec.parse(Array(bootstrap.utf8)))?.version == SourceVersion.bootstrap)
        let start = #"{"database":"gmall","table":"sku_info","type":"bootstrap-start","ts":1,"data":{}}"#
        #expect(try MaxwellChange.read(try JSONCodec.parse(Array(start.utf8))) == nil)
        let noPosition = #"{"database":"gmall","table":"sku_info","type":"insert","ts":1,"data":{"id":1}}"#
        #expect(throws: ShopRowError(field: "position", problem: "is missing")) {
            try MaxwellChange.read(try JSONCodec.parse(Array(noPosition.utf8)))
        }
    }
}
