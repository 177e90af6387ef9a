/// Before any traffic: the database must hold the reference data of `scripts/shop-seed.sql` as
/// `ShopCatalog` knows it, and no users, orders or added SKUs yet (the simulation numbers its rows from 1).
enum ShopDatabaseCheck {
    static func verify(_ client: MariaDBClient, initialUsers: Int) throws(ShopDatabaseError) {
        let purpose = "checking the database before the traffic"
        let counts = try client.query("""
            SELECT (SELECT COUNT(*) FROM base_province WHERE id BETWEEN 1 AND 34), (SELECT COUNT(*) FROM user_info), \
            (SELECT COUNT(*) FROM order_info), (SELECT COUNT(*) FROM order_detail), \
            (SELECT COUNT(*) FROM sku_info WHERE id > \(ShopCatalog.skus.count))
            """, purpose: purpose).first?.map { Int($0 ?? "") ?? -1 } ?? []
        guard counts.count == 5 else {
            throw ShopDatabaseError(purpose: purpose, detail: "unexpected answer \(counts)")
        }
        guard counts[0] == ShopCatalog.provinceIDs.count else {
            throw ShopDatabaseError(purpose: purpose, detail: "base_province has \(counts[0]) of the 34 provinces: "
                + "load scripts/shop-seed.sql first (scripts/stack.sh services does, once cdc runs)")
        }
        guard counts[1] == 0 && counts[2] == 0 && counts[3] == 0 && counts[4] == 0 else {
            throw ShopDatabaseError(purpose: purpose, detail: "the database already holds \(counts[1]) users, "
                + "\(counts[2]) orders, \(counts[3]) order lines and \(counts[4]) added SKUs; the simulation writes "
                + "its rows from id 1 into an empty shop (users 1-\(initialUsers), orders, SKUs after "
                + "\(ShopCatalog.skus.count)): start from a fresh database (scripts/stack.sh reset)")
        }
        let rows = try client.query("""
            SELECT s.id, s.spu_id, s.price, s.tm_id, s.category3_id, c3.category2_id, c2.category1_id FROM sku_info s \
            LEFT JOIN base_category3 c3 ON c3.id = s.category3_id LEFT JOIN base_category2 c2 ON c2.id = c3.category2_id \
            ORDER BY s.id
            """, purpose: purpose)
        let found = rows.map { $0.map { $0 ?? "NULL" }.joined(separator: " ") }
        let wanted = ShopCatalog.skus.map { sku -> String in
            let spu = ShopCatalog.spuByID[sku.spu]!
            let category2 = ShopCatalog.category2OfCategory3[spu.category3]!
            return "\(sku.id) \(sku.spu) \(sku.price.wholeYuan) \(spu.trademark) \(spu.category3) \(category2) "
                + "\(ShopCatalog.category1OfCategory2[category2]!)"
        }
        guard found == wanted else {
            let first = zip(found + Array(repeating: "(none)", count: max(0, wanted.count - found.count)), wanted)
                .first { $0 != $1 }
            throw ShopDatabaseError(purpose: purpose, detail: "sku_info and the category tree differ from what the "
                + "simulator knows (scripts/shop-seed.sql, mirrored in ShopCatalog.swift)"
                + (first.map { ": found '\($0.0)', expected '\($0.1)' (id spu price tm category3 category2 category1)" } ?? "")
                + "; load scripts/shop-seed.sql into a fresh database")
        }
    }
}
