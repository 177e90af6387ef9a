import PipelineCore

/// The fixed vocabulary of the gmall mock logs: areas, phones, pages, page walks and actions.
enum Catalog {
    static let areas = ["110000", "120000", "230000", "310000", "330000", "340000", "370000", "420000",
                        "440000", "500000", "530000", "610000"]
    static let brands: [(String, [String])] = [
        ("Xiaomi", ["Xiaomi 9", "Xiaomi 10 Pro", "Redmi k30"]),
        ("Huawei", ["Huawei P30", "Huawei Mate 30"]),
        ("Honor", ["Honor 20s"]),
        ("vivo", ["vivo iqoo3"]),
        ("oppo", ["oppo Reno3"]),
        ("Sumsung", ["Sumsung Galaxy S20"]),
        ("iPhone", ["iPhone X", "iPhone Xs", "iPhone 8"]),
    ]
    /// Typical navigation paths; a session follows a prefix of one.
    static let walks: [[String]] = [
        ["home", "search", "good_list", "good_detail", "cart", "trade", "payment"],
        ["home", "good_detail", "login", "register", "good_detail", "cart"],
        ["home", "mine", "orders_unpaid", "good_detail", "good_spec", "comment"],
        ["home", "activity1111", "good_detail", "cart", "trade"],
        ["home", "good_list", "good_detail", "comment", "home"],
        ["home", "search", "good_list", "good_detail", "good_spec", "cart", "trade", "payment"],
    ]
    static let pagesWithDisplays: Set<String> = ["home", "good_list", "good_detail", "activity1111", "search"]
    static let actions: [String: [String]] = [
        "good_detail": ["cart_add", "favor_add", "get_coupon"],
        "cart": ["cart_minus_num", "cart_add_num", "cart_remove"],
        "trade": ["trade_add_address"],
        "home": ["get_coupon"],
    ]

    /// What a page is about: a product on detail pages, a keyword on search results.
    static func item(on page: String, rng: inout SplitMix64) -> (item: String, type: String)? {
        switch page {
        case "good_detail", "good_spec", "comment": return (String(rng.between(1...35)), "sku_id")
        case "good_list": return (rng.pick(["图书", "手机", "电脑", "口红", "ps5", "衬衫"]), "keyword")
        case "trade", "payment": return (String(rng.between(1...35)) + "," + String(rng.between(1...35)), "sku_ids")
        default: return nil
        }
    }
}
