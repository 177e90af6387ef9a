/// Binlog event type codes that this library acts on (MySQL's and MariaDB's numbering).
public enum EventType: UInt8, Sendable {
    case query = 2
    case stop = 3
    case rotate = 4
    case formatDescription = 15
    case xid = 16
    case tableMap = 19
    case writeRowsV1 = 23
    case updateRowsV1 = 24
    case deleteRowsV1 = 25
    case heartbeat = 27
    case writeRowsV2 = 30
    case updateRowsV2 = 31
    case deleteRowsV2 = 32
    case mysqlGtid = 33
    case annotateRows = 160
    case binlogCheckpoint = 161
    case mariadbGtid = 162
    case mariadbGtidList = 163
    case startEncryption = 164
    case queryCompressed = 165
    case writeRowsCompressedV1 = 166
    case updateRowsCompressedV1 = 167
    case deleteRowsCompressedV1 = 168
    case writeRowsCompressedV2 = 169
    case updateRowsCompressedV2 = 170
    case deleteRowsCompressedV2 = 171

    /// The kind of row change a rows event carries, nil for other events.
    var rowsKind: RowsEvent.Kind? {
        switch self {
        case .writeRowsV1, .writeRowsV2: return .insert
        case .updateRowsV1, .updateRowsV2: return .update
        case .deleteRowsV1, .deleteRowsV2: return .delete
        default: return nil
        }
    }

    var isCompressedRows: Bool { rawValue >= 166 && rawValue <= 171 || self == .queryCompressed }
}
