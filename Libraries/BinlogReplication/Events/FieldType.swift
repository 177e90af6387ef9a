/// MySQL/MariaDB column type codes as they appear in a TABLE_MAP event.
public enum FieldType: UInt8, Sendable {
    case decimal = 0
    case tiny = 1
    case short = 2
    case long = 3
    case float = 4
    case double = 5
    case null = 6
    case timestamp = 7
    case longlong = 8
    case int24 = 9
    case date = 10
    case time = 11
    case datetime = 12
    case year = 13
    case newdate = 14
    case varchar = 15
    case bit = 16
    case timestamp2 = 17
    case datetime2 = 18
    case time2 = 19
    case json = 245
    case newDecimal = 246
    case `enum` = 247
    case set = 248
    case tinyBlob = 249
    case mediumBlob = 250
    case longBlob = 251
    case blob = 252
    case varString = 253
    case string = 254
    case geometry = 255

    /// Numeric columns get one bit each in the SIGNEDNESS optional metadata.
    var isNumeric: Bool {
        switch self {
        case .tiny, .short, .int24, .long, .longlong, .newDecimal, .float, .double, .decimal: return true
        default: return false
        }
    }

    /// Character columns get a collation in the charset optional metadata (ENUM and SET have their own).
    var isCharacter: Bool {
        switch self {
        case .string, .varchar, .varString, .blob, .tinyBlob, .mediumBlob, .longBlob: return true
        default: return false
        }
    }

    /// How many bytes of per-column metadata the TABLE_MAP carries for a column of this type.
    var metadataLength: Int {
        switch self {
        case .float, .double, .blob, .tinyBlob, .mediumBlob, .longBlob, .geometry, .json,
             .timestamp2, .datetime2, .time2:
            return 1
        case .varchar, .varString, .bit, .newDecimal, .decimal, .string, .enum, .set:
            return 2
        default:
            return 0
        }
    }
}
