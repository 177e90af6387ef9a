/// Behaviour logs joined with the business data (log ⋈ business): page views and DAU records gain the
/// province of `common.ar` (`base_province.area_code`) and, when `common.uid` is set, the user's gender and
/// age group on the record's business day. Dimensions are taken as known when the record is made; an
/// unknown province or user leaves those fields out (logs are not held: DAU must not wait for a profile).
public struct LogEnrichment: Sendable {
    /// Provinces by area code.
    public var provinces: [String: ShopRow]
    /// Users by id.
    public var users: [Int64: ShopRow]

    public init(provinces: [String: ShopRow], users: [Int64: ShopRow]) {
        self.provinces = provinces
        self.users = users
    }

    /// The user ids that `records` refer to (their `uid`), to read before `apply`.
    public static func userIDs(in records: [OutputRecord]) -> Set<Int64> {
        Set(records.compactMap { record in record.document["uid"].flatMap(BehaviourEvent.text).flatMap { Int64($0) } })
    }

    /// Adds `province_id`, `province_name`, `user_gender` and `user_age_group` where known.
    public func apply(to records: inout [OutputRecord]) {
        for index in records.indices {
            guard case .object(var document) = records[index].document else { continue }
            if let area = document["ar"].flatMap(BehaviourEvent.text), let province = provinces[area] {
                if let id = (try? province.integer("id")) ?? nil { document["province_id"] = .integer(id) }
                if let name = province.text("name") { document["province_name"] = .string(name) }
            }
            if let uid = document["uid"].flatMap(BehaviourEvent.text).flatMap({ Int64($0) }), let user = users[uid] {
                if let gender = user.text("gender") { document["user_gender"] = .string(gender) }
                if let birthday = user.text("birthday").flatMap({ BusinessDate(String($0.prefix(10))) }),
                   let day = document["date"]?.stringValue.flatMap(BusinessDate.init), birthday <= day {
                    document["user_age_group"] = .string(Self.ageGroup(LineJoin.wholeYears(from: birthday, to: day)))
                }
            }
            records[index].document = .object(document)
        }
    }

    /// The age bands of the dashboards: `<18`, `18-24`, `25-29`, `30-34`, `35-39`, `40-49`, `50+`.
    public static func ageGroup(_ age: Int) -> String {
        switch age {
        case ..<18: return "<18"
        case 18...24: return "18-24"
        case 25...29: return "25-29"
        case 30...34: return "30-34"
        case 35...39: return "35-39"
        case 40...49: return "40-49"
        default: return "50+"
        }
    }
}
