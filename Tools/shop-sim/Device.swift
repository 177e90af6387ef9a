import PipelineCore

/// A simulated phone or browser: the `common` part its events carry.
struct Device: Sendable {
    /// The user ids that devices log in as; the business simulation registers all of them first.
    static let userIDs = 1...5_000

    let mid: String
    let userID: Int
    let isNew: Bool
    let area: String
    let channel: String
    let os: String
    let model: String
    let brand: String
    let version: String

    init(number: Int, rng: inout SplitMix64) {
        mid = "mid_\(number)"
        userID = rng.between(Self.userIDs)
        isNew = rng.chance(percent: 30)
        area = rng.pick(Catalog.areas)
        let (brand, models) = rng.pick(Catalog.brands)
        self.brand = brand
        model = rng.pick(models)
        if brand == "iPhone" {
            os = rng.pick(["iOS 13.3.1", "iOS 13.2.9", "iOS 12.4.1", "iOS 13.2.3"])
            channel = "Appstore"
        } else {
            os = rng.pick(["Android 11.0", "Android 10.0", "Android 9.0", "Android 8.1"])
            channel = rng.pick(["xiaomi", "huawei", "oppo", "vivo", "wandoujia", "360", "web"])
        }
        version = rng.pick(["v2.1.134", "v2.1.132", "v2.1.111", "v2.0.1"])
    }

    func common(isNew: Bool) -> [String: JSONValue] {
        [
            "mid": .string(mid), "ar": .string(area), "ch": .string(channel), "os": .string(os),
            "md": .string(model), "ba": .string(brand), "vc": .string(version), "is_new": .string(isNew ? "1" : "0"),
        ]
    }
}
