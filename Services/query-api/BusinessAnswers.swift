import Common
import Elasticsearch
import PipelineCore

/// Answers the business questions from Elasticsearch: sends the searches of `PipelineCore`'s queries
/// (`OrderQueries`, `LineSearch`, `OrderDetail`, `DauQuery`) and names what they count from the dimension
/// index. A missing index means nothing was indexed yet: zeros and empty lists.
struct BusinessAnswers: Sendable {
    let elasticsearch: ElasticsearchClient
    let settings: ElasticsearchSettings
    let gate: SearchGate

    var orderIndex: String { settings.index(forTopic: Topics.order) }
    var lineIndex: String { settings.index(forTopic: Topics.orderWide) }
    var dauIndex: String { settings.index(forTopic: Topics.dau) }
    var dimensionIndex: String { settings.index(forTopic: Topics.dimension) }

    /// The search's answer, nil when the index does not exist yet.
    func search(_ index: String, _ body: [UInt8]) async throws -> SearchAnswer? {
        do {
            return try await gate.run { try SearchAnswer(try await elasticsearch.search(index: index, body: body)) }
        } catch ElasticsearchError.http(status: 404, body: _) {
            return nil
        }
    }

    func dimensions(_ table: ShopTable, field: String = "id", values: [JSONValue]) async throws -> [Int64: ShopRow] {
        guard !values.isEmpty, let answer = try await search(dimensionIndex, DimensionLookup.body(table: table, field: field, values: values)) else {
            return [:]
        }
        return DimensionLookup.rows(answer)
    }

    func dau(_ date: BusinessDate) async throws -> DauAnswer {
        guard let answer = try await search(dauIndex, DauQuery.searchBody(for: date)) else {
            return DauAnswer(date: date.description, dau: 0, byHour: Array(repeating: 0, count: 24))
        }
        var dau = try DauQuery.answer(for: date, searchResponse: Array(answer.value.serialized))
        let areas = dau.byProvince.compactMap(\.areaCode).map(JSONValue.string)
        DauQuery.name(&dau, provinces: try await dimensions(.province, field: "area_code", values: areas))
        return dau
    }

    func summary(_ date: BusinessDate) async throws -> OrderQueries.Summary {
        try OrderQueries.summary(date, try await search(orderIndex, OrderQueries.summaryBody(date)))
    }

    func provinces(_ date: BusinessDate) async throws -> OrderQueries.Provinces {
        var provinces = try OrderQueries.provinces(date, try await search(orderIndex, OrderQueries.provincesBody(date)))
        OrderQueries.name(&provinces, with: try await dimensions(.province, values: provinces.provinces.map { .integer($0.provinceID) }))
        return provinces
    }

    func categories(_ date: BusinessDate, level: Int) async throws -> OrderQueries.Categories {
        var categories = try OrderQueries.categories(date, level: level, try await search(lineIndex, OrderQueries.categoriesBody(date, level: level)))
        let rows = try await dimensions(OrderQueries.categoryTable(level: level), values: categories.categories.map { .integer($0.id) })
        for index in categories.categories.indices { categories.categories[index].name = rows[categories.categories[index].id]?.text("name") }
        return categories
    }

    func products(_ date: BusinessDate, by: String, limit: Int) async throws -> OrderQueries.Products {
        var products = try OrderQueries.products(date, by: by, limit: limit, try await search(lineIndex, OrderQueries.productsBody(date)))
        let skus = try await dimensions(.sku, values: products.products.map { .integer($0.skuID) })
        let trademarkIDs = Set(skus.values.compactMap { (try? $0.integer("tm_id")) ?? nil }).sorted().map(JSONValue.integer)
        let categoryIDs = Set(skus.values.compactMap { (try? $0.integer("category3_id")) ?? nil }).sorted().map(JSONValue.integer)
        OrderQueries.name(&products, skus: skus, trademarks: try await dimensions(.trademark, values: trademarkIDs),
                          categories: try await dimensions(.category3, values: categoryIDs))
        return products
    }

    /// The page of lines; pages past `LineSearch.directWindow` are reached by walking with `search_after`.
    func search(_ query: LineSearch) async throws -> LineSearch.Result {
        let end = query.offset + query.size
        guard let first = try await search(lineIndex, query.body(from: end <= LineSearch.directWindow ? query.offset : 0,
                                                                  count: end <= LineSearch.directWindow ? query.size : 0,
                                                                  statistics: true)) else {
            return try query.result(hits: [], statistics: try SearchAnswer(Array(#"{"hits":{"total":{"value":0}}}"#.utf8)))
        }
        if end <= LineSearch.directWindow || Int64(query.offset) >= first.total {
            return try query.result(hits: end <= LineSearch.directWindow ? first.hits : [], statistics: first)
        }
        var skipped = 0
        var after: [JSONValue]?
        while skipped < query.offset {
            let step = min(LineSearch.directWindow, query.offset - skipped)
            guard let answer = try await search(lineIndex, query.body(count: step, after: after, statistics: false, sourceless: true)),
                  let last = answer.hits.last else { return try query.result(hits: [], statistics: first) }
            skipped += answer.hits.count
            after = last.sort
        }
        let page = try await search(lineIndex, query.body(count: query.size, after: after, statistics: false))
        return try query.result(hits: page?.hits ?? [], statistics: first)
    }

    func order(_ id: Int64) async throws -> OrderDetail {
        let document = try await gate.run { try await elasticsearch.get(index: orderIndex, id: String(id)) }
        let order = document.flatMap { try? JSONCodec.parse($0) }?.objectValue
        let lines = order == nil ? nil : try await search(lineIndex, OrderDetail.linesBody(orderID: id))
        let province = try await dimensions(.province, values: order?["province_id"].map { [$0] } ?? [])
        return try OrderDetail.make(orderID: id, order: order, lines: lines, provinceName: province.values.first?.text("name"))
    }
}

extension JSONValue {
    var serialized: [UInt8] { JSONCodec.serialize(self) }
}
