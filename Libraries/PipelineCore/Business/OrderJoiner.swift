/// The business stream's join, as a pure function of (state, batch): which records a batch of row changes
/// produces and which state changes commit with its offsets. See docs/architecture.md, "Business stream".
///
/// Dimension rows are stored with their version (newest wins). An order's row and its lines are kept in
/// the order's join state; a change older than what the state holds is ignored, and a snapshot row only
/// fills a gap. Every change of an order emits its `dwd.order` record and re-emits each of its lines; a
/// changed line is emitted alone. A line is emitted when its order and every dimension row it references
/// are known, with version max(order, line): a replay yields the same version. Until then it is held
/// (recorded in the partition's held hash) and re-checked (`recheck`), never dropped. Deleted rows become
/// deletion markers with the deletion's version. Each dimension change is also emitted (`dwd.dimension`).
public struct OrderJoiner: Sendable {
    public struct Plan: Sendable {
        /// Records to produce (before the state changes are committed).
        public var records: [OutputRecord] = []
        /// State changes to commit atomically with the batch's offsets.
        public var changes: [StateChange] = []
        /// Dimension rows the plan needed but the view has not read: read them and plan again.
        public var unfetched: Set<DimensionKey> = []
        /// Changes ignored because the state already held a newer version (replays, late snapshot rows).
        public var stale = 0
        /// Lines newly held, and held lines completed (or deleted) by this plan.
        public var newlyHeld = 0
        public var released = 0
    }

    public init() {}

    /// Plans `changes` (in batch order) against `orders` (the join state of every order they touch, absent
    /// when new) and `view`, and re-checks the held lines `recheck` (their orders must be in `orders`).
    /// `now` (epoch ms) only stamps newly held lines.
    public func plan(changes: [BusinessChange], orders loaded: [OrderRef: OrderState], recheck: [LineRef] = [],
                     view initialView: DimensionView, now: Int64) -> Plan {
        var plan = Plan()
        var view = initialView
        var orders = loaded
        var changedOrders: Set<OrderRef> = []
        var linesToEmit: Set<LineRef> = Set(recheck)
        var changedLines: Set<LineRef> = []

        for change in changes {
            switch change {
            case .dimension(let key, let value, _):
                // Snapshot rows have the lowest version, so the view and Redis both keep a binlog change over them.
                view.apply(key, value)
                plan.records.append(OrderRecords.dimension(key, value))
                plan.changes.append(.hashSetIfNotOlder(key: key.table.dimensionKey, field: String(key.id), value: value.encoded))
            case .order(let ref, let value, let bootstrap):
                var state = orders[ref] ?? OrderState()
                if let current = state.order, current.version > value.version || (bootstrap && current.version > SourceVersion.bootstrap) {
                    plan.stale += 1
                    continue
                }
                state.order = value
                orders[ref] = state
                changedOrders.insert(ref)
            case .line(let ref, let value, let bootstrap):
                var state = orders[ref.order] ?? OrderState()
                var line = state.lines[ref.lineID] ?? LineState(version: 0, row: nil)
                if line.version > value.version || (bootstrap && line.version > SourceVersion.bootstrap) {
                    plan.stale += 1
                    continue
                }
                line.version = value.version
                line.row = value.row
                state.lines[ref.lineID] = line
                orders[ref.order] = state
                linesToEmit.insert(ref)
                changedLines.insert(ref)
            case .ignored:
                continue
            }
        }

        for ref in changedOrders.sorted() {
            guard let order = orders[ref]?.order else { continue }
            if let row = order.row, let record = try? OrderRecords.order(id: ref.orderID, row: row, version: order.version) {
                plan.records.append(record)
            } else if order.row == nil {
                plan.records.append(OrderRecords.deleted(topic: OrderRecords.orderTopic, id: ref.orderID, orderID: nil, version: order.version))
            }
            plan.changes.append(.hashSet(key: BusinessKeys.order(ref), field: OrderState.orderField, value: OrderState.encode(order)))
            for lineID in orders[ref]?.lines.keys.map({ $0 }) ?? [] { linesToEmit.insert(LineRef(order: ref, lineID: lineID)) }
        }

        for ref in linesToEmit.sorted() {
            guard var state = orders[ref.order], let before = state.lines[ref.lineID] else {
                if recheck.contains(ref) {   // a held entry without its line: tidy it
                    plan.changes.append(.hashDelete(key: BusinessKeys.held(partition: ref.order.partition), field: BusinessKeys.heldField(ref)))
                }
                continue
            }
            var line = before
            let outcome = emit(&line, ref: ref, order: state.order, view: view, now: now, plan: &plan)
            if outcome == .unfetched { continue }
            state.lines[ref.lineID] = line
            orders[ref.order] = state
            if line != before || changedLines.contains(ref) {
                plan.changes.append(.hashSet(key: BusinessKeys.order(ref.order), field: OrderState.lineField(ref.lineID),
                                             value: OrderState.encode(line)))
            }
            switch (before.heldSince, line.heldSince) {
            case (nil, let since?):
                plan.newlyHeld += 1
                plan.changes.append(.hashSet(key: BusinessKeys.held(partition: ref.order.partition), field: BusinessKeys.heldField(ref),
                                             value: String(since)))
            case (.some, nil):
                plan.released += 1
                plan.changes.append(.hashDelete(key: BusinessKeys.held(partition: ref.order.partition), field: BusinessKeys.heldField(ref)))
            default:
                if recheck.contains(ref) && line.heldSince == nil {   // held hash entry without a held line: tidy it
                    plan.changes.append(.hashDelete(key: BusinessKeys.held(partition: ref.order.partition), field: BusinessKeys.heldField(ref)))
                }
            }
        }
        return plan
    }

    private enum LineOutcome { case emitted, held, unfetched }

    /// Emits `line` if it can be (a marker when it or its order is deleted), else holds it.
    private func emit(_ line: inout LineState, ref: LineRef, order: VersionedRow?, view: DimensionView, now: Int64,
                      plan: inout Plan) -> LineOutcome {
        let version = max(line.version, order?.version ?? 0)
        guard let row = line.row, order?.row != nil || order == nil else {
            plan.records.append(OrderRecords.deleted(topic: OrderRecords.lineTopic, id: ref.lineID, orderID: ref.order.orderID,
                                                     version: version))
            line.heldSince = nil
            return .emitted
        }
        guard let orderRow = order?.row else {
            if line.heldSince == nil { line.heldSince = now }
            return .held
        }
        var snapshot = line.snapshot
        if snapshot?[LineJoin.snapshotKey] != LineJoin.snapshotKey(line: row, order: orderRow) { snapshot = nil }
        if snapshot == nil {
            switch LineJoin.resolve(line: row, order: orderRow, view: view) {
            case .joined(let fields): snapshot = fields
            case .waiting(_, let unfetched) where !unfetched.isEmpty:
                plan.unfetched.formUnion(unfetched)
                return .unfetched
            case .waiting:
                if line.heldSince == nil { line.heldSince = now }
                return .held
            }
        }
        guard let snapshot, let record = try? OrderRecords.line(id: ref.lineID, row: row, order: orderRow, snapshot: snapshot,
                                                                version: version) else {
            if line.heldSince == nil { line.heldSince = now }
            return .held
        }
        line.snapshot = snapshot
        line.heldSince = nil
        plan.records.append(record)
        return .emitted
    }
}
