import PipelineCore
import Testing

@Suite("business queries: parameters, searches and reading their answers (pure)")
struct BusinessQueryTests {
    let day = BusinessDate("2026-11-01")!

    func answer(_ text: String) throws -> SearchAnswer { try SearchAnswer(Array(text.utf8)) }

    @Test func parametersAreStrictAndEmptyMeansUnset() throws {
        let parameters = QueryParameters(["date": "2026-11-01", "gender": "", "limit": "101", "level": "4"])
        #expect(try parameters.date() == day)
        #expect(try parameters.choice("gender", ["M", "F"], default: nil) == nil)
        #expect(throws: QueryError(code: "invalid_parameter", message: "limit must be an integer from 1 to 100, got '101'", parameter: "limit")) {
            try parameters.integer("limit", in: 1...100, default: 10)
        }
        #expect(throws: QueryError.self) { try parameters.choice("level", ["1", "2", "3"], default: "1") }
        #expect(throws: QueryError(code: "missing_parameter", message: "date=YYYY-MM-DD is required", parameter: "date")) {
            try QueryParameters([:]).date()
        }
        #expect(throws: QueryError.self) { try QueryParameters(["date": "2026-02-29"]).date() }
        #expect(throws: QueryError.self) { try LineSearch(QueryParameters(["date": "2026-11-01", "size": "101"])) }
    }

    @Test func theSummaryIsReadExactlyWithEveryHour() throws {
        let result = try OrderQueries.summary(day, try answer("""
            {"hits":{"total":{"value":3}},"aggregations":{"amount":{"value":30051.0},"buyers":{"sum_other_doc_count":0,"buckets":[{"key":7,"doc_count":2},{"key":8,"doc_count":1}]},
             "paid":{"doc_count":1,"amount":{"value":1050}},"by_hour":{"buckets":[{"key":13,"doc_count":3,"amount":{"value":30051.0}}]}}}
            """))
        #expect(result.orders == 3 && result.orderAmount == "300.51" && result.buyers == 2)
        #expect(result.paidOrders == 1 && result.paidAmount == "10.50")
        #expect(result.byHour.count == 24 && result.byHour[13].orders == 3 && result.byHour[13].orderAmount == "300.51")
        #expect(result.byHour[0].orderAmount == "0.00")
        let empty = try OrderQueries.summary(day, nil)
        #expect(empty.orders == 0 && empty.byHour.count == 24)
    }

    @Test func distinctCountsRefuseAnIncompleteAnswerAndSumsMustBeExact() throws {
        #expect(throws: InvalidSearchAnswer.self) {
            try OrderQueries.summary(day, try answer(#"{"hits":{"total":{"value":3}},"aggregations":{"buyers":{"sum_other_doc_count":5,"buckets":[]}}}"#))
        }
        #expect(throws: InvalidSearchAnswer.self) {
            try OrderQueries.summary(day, try answer(#"{"hits":{"total":{"value":3}},"aggregations":{"amount":{"value":1.5}}}"#))
        }
    }

    @Test func listsAreSortedByTheirMeasureThenByID() throws {
        let provinces = try OrderQueries.provinces(day, try answer("""
            {"hits":{"total":{"value":4}},"aggregations":{"provinces":{"buckets":[{"key":9,"doc_count":1,"amount":{"value":100}},
             {"key":3,"doc_count":1,"amount":{"value":100}},{"key":5,"doc_count":2,"amount":{"value":900}}]}}}
            """))
        #expect(provinces.provinces.map(\.provinceID) == [5, 3, 9])
        let products = try OrderQueries.products(day, by: "quantity", limit: 2, try answer("""
            {"hits":{"total":{"value":4}},"aggregations":{"skus":{"buckets":[
             {"key":1,"doc_count":1,"amount":{"value":100},"quantity":{"value":5},"orders":{"buckets":[{"key":10,"doc_count":1}]}},
             {"key":2,"doc_count":2,"amount":{"value":900},"quantity":{"value":2},"orders":{"buckets":[{"key":10,"doc_count":1},{"key":11,"doc_count":1}]}},
             {"key":3,"doc_count":1,"amount":{"value":50},"quantity":{"value":5},"orders":{"buckets":[{"key":12,"doc_count":1}]}}]}}}
            """))
        #expect(products.products.map(\.skuID) == [1, 3])
        let byAmount = try OrderQueries.products(day, by: "amount", limit: 10, try answer("""
            {"hits":{"total":{"value":1}},"aggregations":{"skus":{"buckets":[
             {"key":2,"doc_count":2,"amount":{"value":900},"quantity":{"value":2},"orders":{"buckets":[{"key":10,"doc_count":1},{"key":11,"doc_count":1}]}}]}}}
            """))
        #expect(byAmount.products.first?.orders == 2 && byAmount.products.first?.amount == "9.00")
    }

    @Test func deepPagesWalkWithSearchAfterAndStatisticsLeaveOutEmptyGroups() throws {
        let search = try LineSearch(QueryParameters(["date": "2026-11-01", "q": "小米 10", "page": "600", "size": "20"]))
        #expect(search.offset == 11_980)
        let body = try JSONCodec.parse(search.body(count: 20, after: [.string("2026-11-01 10:00:00"), .integer(5)], statistics: false))
        #expect(body["search_after"] == .array([.string("2026-11-01 10:00:00"), .integer(5)]))
        #expect(body["from"] == nil)
        #expect(body["query"]?["bool"]?["must"] != nil)
        let hits: [(source: [String: JSONValue], sort: [JSONValue])] = [
            (source: ["id": .integer(5), "split_total_amount_cents": .integer(1050), "order_price_cents": .integer(525)], sort: [])
        ]
        let result = try search.result(hits: hits, statistics: try answer("""
            {"hits":{"total":{"value":12000}},"aggregations":{"gender":{"buckets":[{"key":"M","doc_count":2,"amount":{"value":10}},{"key":"F","doc_count":1,"amount":{"value":5}}]},
             "gender_unknown":{"doc_count":0},"age":{"buckets":[{"key":"<20","doc_count":0},{"key":"20-29","doc_count":3,"amount":{"value":15}},{"key":"30+","doc_count":0}]},
             "age_unknown":{"doc_count":1,"amount":{"value":7}}}}
            """))
        #expect(result.total == 12_000 && result.items.first?.amount == "10.50" && result.items.first?.orderPrice == "5.25")
        #expect(result.stats.gender.map(\.key) == ["F", "M"])
        #expect(result.stats.ageGroup.map(\.key) == ["20-29", "unknown"])
    }

    @Test func theDayBeforeCrossesMonthsYearsAndLeapDays() {
        #expect(BusinessDate("2026-11-01")!.dayBefore == BusinessDate("2026-10-31")!)
        #expect(BusinessDate("2024-03-01")!.dayBefore == BusinessDate("2024-02-29")!)
        #expect(BusinessDate("2026-01-01")!.dayBefore == BusinessDate("2025-12-31")!)
    }

    @Test func anOrderThatIsDeletedOrUnknownIsNotFound() throws {
        #expect(throws: QueryError.notFound("no order 5")) { try OrderDetail.make(orderID: 5, order: nil, lines: nil, provinceName: nil) }
        #expect(throws: QueryError.notFound("no order 5")) {
            try OrderDetail.make(orderID: 5, order: ["deleted": .bool(true)], lines: nil, provinceName: nil)
        }
        let order = try OrderDetail.make(orderID: 5, order: ["total_amount_cents": .integer(100), "province_id": .integer(1)], lines: nil, provinceName: "北京")
        #expect(order.totalAmount == "1.00" && order.province.id == 1 && order.province.name == "北京" && order.lines.isEmpty)
    }

    @Test func absentValuesAreWrittenAsNullNotLeftOut() throws {
        let order = try OrderDetail.make(orderID: 5, order: ["province_id": .integer(1)], lines: nil, provinceName: nil)
        #expect(String(decoding: try JSONCodec.encode(order), as: UTF8.self)
            == #"{"create_time":null,"lines":[],"order_id":5,"order_status":null,"province":{"id":1,"name":null},"total_amount":null,"user_id":null}"#)
        let province = DauAnswer.Province(areaCode: nil, dau: 3)
        #expect(String(decoding: try JSONCodec.encode(province), as: UTF8.self) == #"{"area_code":null,"dau":3,"name":null}"#)
        #expect(try JSONDecoderForTests.decode(DauAnswer.Province.self, #"{"dau":3}"#) == province)
    }
}
