import Foundation
import PipelineCore
import Testing

@Suite("DauQuery")
struct DauQueryTests {
    private let date = BusinessDate("2026-11-01")!

    private func answer(_ text: String) throws(DauQuery.InvalidAnswer) -> DauAnswer {
        try DauQuery.answer(for: date, searchResponse: Array(text.utf8))
    }

    @Test("The search counts the day's documents exactly and buckets them by hour")
    func searchBody() throws {
        let body = try JSONCodec.parse(DauQuery.searchBody(for: date))
        #expect(body == .object([
            "size": .integer(0),
            "track_total_hits": .bool(true),
            "query": .object(["term": .object(["date": .string("2026-11-01")])]),
            "aggs": .object([
                "by_hour": .object(["terms": .object(["field": .string("hour"), "size": .integer(24)])]),
                "by_area": .object(["terms": .object(["field": .string("ar"), "size": .integer(60_000)])]),
                "no_area": .object(["missing": .object(["field": .string("ar")])]),
                "new_devices": .object(["filter": .object(["term": .object(["is_new": .string("1")])])]),
            ]),
        ]))
    }

    @Test("Provinces by area code, most devices first, devices without ar last; new devices counted")
    func provinces() throws {
        var result = try answer(#"{"hits":{"total":{"value":9}},"aggregations":{"by_area":{"sum_other_doc_count":0,"buckets":[{"key":"310000","doc_count":3},{"key":"110000","doc_count":3},{"key":"990000","doc_count":1}]},"no_area":{"doc_count":2},"new_devices":{"doc_count":4}}}"#)
        DauQuery.name(&result, provinces: [1: ShopRow(["area_code": .string("110000"), "name": .string("北京")]),
                                           2: ShopRow(["area_code": .string("310000"), "name": .string("上海")])])
        #expect(result.byProvince == [.init(areaCode: "110000", name: "北京", dau: 3), .init(areaCode: "310000", name: "上海", dau: 3),
                                      .init(areaCode: nil, dau: 2), .init(areaCode: "990000", dau: 1)])
        #expect(result.newDevices == 4)
    }

    @Test("A full answer: total and every bucket")
    func fullAnswer() throws {
        let buckets = (0..<24).map { #"{"key":\#($0),"doc_count":\#($0 + 1)}"# }.joined(separator: ",")
        let result = try answer(#"{"took":3,"hits":{"total":{"value":300,"relation":"eq"},"hits":[]},"aggregations":{"by_hour":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[\#(buckets)]}}}"#)
        #expect(result == DauAnswer(date: "2026-11-01", dau: 300, byHour: Array(1...24)))
    }

    @Test("Hours without a bucket count 0, buckets in any order")
    func missingHours() throws {
        let result = try answer(#"{"hits":{"total":{"value":5}},"aggregations":{"by_hour":{"buckets":[{"key":23,"doc_count":2},{"key":0,"doc_count":3}]}}}"#)
        var expected = Array(repeating: 0, count: 24)
        expected[0] = 3
        expected[23] = 2
        #expect(result.byHour == expected)
        #expect(result.dau == 5)
    }

    @Test("A day without documents: no buckets, or no aggregations at all")
    func emptyDay() throws {
        for text in [#"{"hits":{"total":{"value":0}},"aggregations":{"by_hour":{"buckets":[]}}}"#, #"{"hits":{"total":{"value":0}}}"#] {
            #expect(try answer(text) == DauAnswer(date: "2026-11-01", dau: 0, byHour: Array(repeating: 0, count: 24)))
        }
    }

    @Test("Malformed answers are refused", arguments: [
        "", "not json", "[]", #"{}"#, #"{"hits":{}}"#, #"{"hits":{"total":5}}"#, #"{"hits":{"total":{"value":"5"}}}"#,
        #"{"hits":{"total":{"value":1}},"aggregations":{"by_hour":{"buckets":[{"key":24,"doc_count":1}]}}}"#,
        #"{"hits":{"total":{"value":1}},"aggregations":{"by_hour":{"buckets":[{"key":-1,"doc_count":1}]}}}"#,
        #"{"hits":{"total":{"value":1}},"aggregations":{"by_hour":{"buckets":[{"key":"3","doc_count":1}]}}}"#,
        #"{"hits":{"total":{"value":1}},"aggregations":{"by_hour":{"buckets":[{"key":3}]}}}"#,
        #"{"hits":{"total":{"value":1}},"aggregations":{"by_hour":{"buckets":[{"key":3.5,"doc_count":1}]}}}"#,
    ])
    func malformed(text: String) {
        #expect(throws: DauQuery.InvalidAnswer.self) { try answer(text) }
    }

    @Test("The answer encodes as {date, dau, by_hour}")
    func encoding() throws {
        let answer = DauAnswer(date: "2026-11-01", dau: 2, byHour: [1, 1] + Array(repeating: 0, count: 22))
        let text = String(decoding: try JSONCodec.encode(answer), as: UTF8.self)
        #expect(text == #"{"by_hour":[1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"by_province":[],"date":"2026-11-01","dau":2,"new_devices":0}"#)
        let decoded = try JSONDecoderForTests.decode(DauAnswer.self, text)
        #expect(decoded == answer)
    }
}

/// Decodes test JSON text with Foundation's decoder.
enum JSONDecoderForTests {
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
