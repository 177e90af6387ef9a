/// The shop's reference data as the simulator needs it: the SKUs it sells (with price and name), their SPUs
/// and the category tree's links. It mirrors `scripts/shop-seed.sql`, which the database must have loaded;
/// `ShopDatabaseCheck` compares the two before any traffic is written.
enum ShopCatalog {
    struct SPU: Sendable {
        let id: Int
        let name: String
        let category3: Int
        let trademark: Int
    }

    struct SKU: Sendable {
        let id: Int
        let spu: Int
        let price: Cents
        let name: String
    }

    /// Province ids of `base_province` (the 34 provincial divisions).
    static let provinceIDs = Array(1...34)

    /// `base_category3.category2_id` by category-3 id.
    static let category2OfCategory3: [Int: Int] = [
        1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4, 9: 5, 10: 5, 11: 6, 12: 6,
        13: 7, 14: 7, 15: 8, 16: 8, 17: 9, 18: 9, 19: 10, 20: 10, 21: 11, 22: 11, 23: 12,
    ]

    /// `base_category2.category1_id` by category-2 id.
    static let category1OfCategory2: [Int: Int] = [
        1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4, 9: 5, 10: 5, 11: 6, 12: 6,
    ]

    static let spus: [SPU] = [
        SPU(id: 1, name: "小米10", category3: 1, trademark: 1),
        SPU(id: 2, name: "Redmi K30", category3: 1, trademark: 1),
        SPU(id: 3, name: "Apple iPhone 12", category3: 1, trademark: 2),
        SPU(id: 4, name: "HUAWEI Mate 40", category3: 1, trademark: 3),
        SPU(id: 5, name: "小米 GaN 充电器", category3: 3, trademark: 1),
        SPU(id: 6, name: "华为 Mate 40 保护壳", category3: 4, trademark: 3),
        SPU(id: 7, name: "联想 小新 Pro 13", category3: 5, trademark: 4),
        SPU(id: 8, name: "联想 拯救者 刃7000", category3: 6, trademark: 4),
        SPU(id: 9, name: "小米 无线鼠标", category3: 7, trademark: 1),
        SPU(id: 10, name: "TCL 4K 超高清电视", category3: 9, trademark: 5),
        SPU(id: 11, name: "美的 对开门冰箱", category3: 10, trademark: 6),
        SPU(id: 12, name: "美的 智能电饭煲", category3: 11, trademark: 6),
        SPU(id: 13, name: "欧莱雅 复颜玻尿酸面霜", category3: 13, trademark: 7),
        SPU(id: 14, name: "香奈儿 可可小姐唇膏", category3: 15, trademark: 8),
        SPU(id: 15, name: "金龙鱼 食用油", category3: 18, trademark: 9),
        SPU(id: 16, name: "三只松鼠 坚果礼盒", category3: 20, trademark: 10),
        SPU(id: 17, name: "活着", category3: 21, trademark: 11),
    ]

    /// SKUs 1..40; a SKU's trademark and category are its SPU's.
    static let skus: [SKU] = [
        SKU(id: 1, spu: 1, price: Cents(yuan: 3999), name: "小米10 8GB+128GB 冰海蓝"),
        SKU(id: 2, spu: 1, price: Cents(yuan: 4299), name: "小米10 8GB+256GB 钛银黑"),
        SKU(id: 3, spu: 1, price: Cents(yuan: 4699), name: "小米10 12GB+256GB 蜜桃金"),
        SKU(id: 4, spu: 2, price: Cents(yuan: 1999), name: "Redmi K30 6GB+128GB 深海微光"),
        SKU(id: 5, spu: 2, price: Cents(yuan: 2299), name: "Redmi K30 8GB+128GB 紫玉幻境"),
        SKU(id: 6, spu: 3, price: Cents(yuan: 5499), name: "Apple iPhone 12 64GB 蓝色"),
        SKU(id: 7, spu: 3, price: Cents(yuan: 6299), name: "Apple iPhone 12 128GB 黑色"),
        SKU(id: 8, spu: 3, price: Cents(yuan: 6799), name: "Apple iPhone 12 256GB 白色"),
        SKU(id: 9, spu: 4, price: Cents(yuan: 4999), name: "HUAWEI Mate 40 8GB+128GB 亮黑色"),
        SKU(id: 10, spu: 4, price: Cents(yuan: 5499), name: "HUAWEI Mate 40 8GB+256GB 秘银色"),
        SKU(id: 11, spu: 5, price: Cents(yuan: 149), name: "小米 GaN 充电器 65W 白色"),
        SKU(id: 12, spu: 5, price: Cents(yuan: 99), name: "小米 充电器 33W 套装"),
        SKU(id: 13, spu: 6, price: Cents(yuan: 79), name: "华为 Mate 40 保护壳 黑色"),
        SKU(id: 14, spu: 6, price: Cents(yuan: 89), name: "华为 Mate 40 保护壳 橙色"),
        SKU(id: 15, spu: 7, price: Cents(yuan: 5299), name: "联想 小新 Pro 13 i5 16GB 512GB 银色"),
        SKU(id: 16, spu: 7, price: Cents(yuan: 6299), name: "联想 小新 Pro 13 i7 16GB 1TB 灰色"),
        SKU(id: 17, spu: 8, price: Cents(yuan: 7999), name: "联想 拯救者 刃7000 i7 RTX3060"),
        SKU(id: 18, spu: 9, price: Cents(yuan: 69), name: "小米 无线鼠标 Lite 黑色"),
        SKU(id: 19, spu: 9, price: Cents(yuan: 99), name: "小米 无线鼠标 静音版 白色"),
        SKU(id: 20, spu: 10, price: Cents(yuan: 2899), name: "TCL 55英寸 4K 超高清电视"),
        SKU(id: 21, spu: 10, price: Cents(yuan: 3999), name: "TCL 65英寸 4K 超高清电视"),
        SKU(id: 22, spu: 11, price: Cents(yuan: 3699), name: "美的 526升 对开门冰箱 白色"),
        SKU(id: 23, spu: 11, price: Cents(yuan: 4599), name: "美的 606升 对开门冰箱 银色"),
        SKU(id: 24, spu: 12, price: Cents(yuan: 299), name: "美的 智能电饭煲 4L"),
        SKU(id: 25, spu: 12, price: Cents(yuan: 399), name: "美的 智能电饭煲 5L IH"),
        SKU(id: 26, spu: 13, price: Cents(yuan: 249), name: "欧莱雅 复颜玻尿酸面霜 50ml"),
        SKU(id: 27, spu: 13, price: Cents(yuan: 399), name: "欧莱雅 复颜面霜 礼盒装"),
        SKU(id: 28, spu: 14, price: Cents(yuan: 320), name: "香奈儿 可可小姐唇膏 #116"),
        SKU(id: 29, spu: 14, price: Cents(yuan: 320), name: "香奈儿 可可小姐唇膏 #132"),
        SKU(id: 30, spu: 14, price: Cents(yuan: 320), name: "香奈儿 可可小姐唇膏 #212"),
        SKU(id: 31, spu: 15, price: Cents(yuan: 69), name: "金龙鱼 食用调和油 5L"),
        SKU(id: 32, spu: 15, price: Cents(yuan: 99), name: "金龙鱼 花生油 5L"),
        SKU(id: 33, spu: 16, price: Cents(yuan: 159), name: "三只松鼠 坚果礼盒 1.5kg"),
        SKU(id: 34, spu: 16, price: Cents(yuan: 59), name: "三只松鼠 每日坚果 750g"),
        SKU(id: 35, spu: 17, price: Cents(yuan: 45), name: "活着 余华 平装"),
        SKU(id: 36, spu: 17, price: Cents(yuan: 68), name: "活着 余华 精装"),
        SKU(id: 37, spu: 1, price: Cents(yuan: 4999), name: "小米10 Pro 12GB+256GB 星空蓝"),
        SKU(id: 38, spu: 4, price: Cents(yuan: 5999), name: "HUAWEI Mate 40 Pro 8GB+256GB 釉白色"),
        SKU(id: 39, spu: 10, price: Cents(yuan: 5499), name: "TCL 75英寸 4K 超高清电视"),
        SKU(id: 40, spu: 15, price: Cents(yuan: 139), name: "金龙鱼 稻米油 5L"),
    ]

    static let spuByID: [Int: SPU] = Dictionary(uniqueKeysWithValues: spus.map { ($0.id, $0) })
}
