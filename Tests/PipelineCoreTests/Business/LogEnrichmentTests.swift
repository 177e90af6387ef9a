import PipelineCore
import Testing

@Suite("log ⋈ business enrichment (pure)")
struct LogEnrichmentTests {
    @Test func recordsGainTheProvinceOfTheirAreaAndTheUsersGenderAndAgeGroup() async throws {
        let harness = JoinHarness()
        try await harness.process([try Rows.change(.province, position: 1, Rows.province),
                                   try Rows.change(.user, position: 2, Rows.user(birthday: "2000-11-02", gender: "M"))])
        var records = [
            OutputRecord(topic: Topics.dau, id: "a", document: .object(["ar": .string("110000"), "uid": .string("7"), "date": .string("2026-11-01")])),
            OutputRecord(topic: Topics.pageLog, id: "b", document: .object(["ar": .string("999999"), "uid": .integer(8), "date": .string("2026-11-01")])),
            OutputRecord(topic: Topics.pageLog, id: "c", document: .object(["date": .string("2026-11-02"), "uid": .string("7")])),
        ]
        #expect(LogEnrichment.userIDs(in: records) == [7, 8])
        try await harness.reader.logEnrichment(userIDs: LogEnrichment.userIDs(in: records)).apply(to: &records)
        #expect(records[0].document["province_id"] == .integer(1))
        #expect(records[0].document["province_name"] == .string("北京"))
        #expect(records[0].document["user_gender"] == .string("M"))
        #expect(records[0].document["user_age_group"] == .string("25-29"))   // 25 on 2026-11-01, the day before the 26th birthday
        #expect(records[1].document["province_id"] == nil && records[1].document["user_gender"] == nil)
        #expect(records[2].document["user_age_group"] == .string("25-29"))
    }

    @Test(arguments: [(17, "<18"), (18, "18-24"), (24, "18-24"), (25, "25-29"), (39, "35-39"), (49, "40-49"), (50, "50+")])
    func ageGroups(age: Int, group: String) {
        #expect(LogEnrichment.ageGroup(age) == group)
    }
}
