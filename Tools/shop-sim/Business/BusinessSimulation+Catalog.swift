import PipelineCore

/// SKUs: renames and new ones.
extension BusinessSimulation {
    static let renameTags = ["【热卖】", "【限时特惠】", "【新品上市】", "官方标配", "【百亿补贴】"]
    static let variants = ["2026款", "限量版", "礼盒装", "升级版", "青春版", "至尊版"]

    /// A SKU's name changes (`sku_info.sku_name` only); lines already ordered keep the old name.
    mutating func renameSKU(rng: inout SplitMix64) {
        let id = rng.pick(state.availableSKUs)
        let name = (baseNames[id] ?? "") + " " + rng.pick(Self.renameTags)
        state.rename(sku: id, to: name)
        summary.skusRenamed += 1
        commit("sku \(id): renamed", [ShopStatements.renameSKU(id: id, to: name)])
    }

    mutating func addSKU(at time: ShopDateTime, rng: inout SplitMix64) {
        let sku = newSKU(at: time, rng: &rng)
        state.add(sku)
        summary.skusAdded += 1
        commit("sku \(sku.id): added", [ShopStatements.insertSKU(sku)])
    }

    /// A variant of a catalog SKU under the next id: same SPU, trademark and category, a price within 10%
    /// (whole yuan, as `sku_info.price` is DECIMAL(10,0)).
    mutating func newSKU(at time: ShopDateTime, rng: inout SplitMix64) -> ShopState.SKU {
        let template = rng.pick(ShopCatalog.skus)
        let spu = ShopCatalog.spuByID[template.spu]!
        let yuan = max(1, template.price.value / 100 * Int64(rng.between(90...110)) / 100)
        let id = nextSKUID
        nextSKUID += 1
        let name = template.name + " " + rng.pick(Self.variants)
        baseNames[id] = name
        return ShopState.SKU(id: id, spu: spu.id, price: Cents(yuan: yuan), name: name, trademark: spu.trademark,
                             category3: spu.category3, createTime: time)
    }
}
