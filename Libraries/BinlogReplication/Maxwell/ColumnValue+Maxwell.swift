extension ColumnValue {
    /// Writes the value as Maxwell's JSON shows it.
    func write(to writer: inout MaxwellJSONWriter) {
        switch self {
        case .null: writer.null()
        case .int(let value): writer.number(value)
        case .uint(let value): writer.number(value)
        case .float(let value): value.isFinite ? writer.raw(JavaFormat.float(value)) : writer.string(JavaFormat.float(value))
        case .double(let value): value.isFinite ? writer.raw(JavaFormat.double(value)) : writer.string(JavaFormat.double(value))
        case .decimal(let text): writer.raw(text)
        case .string(let text): writer.string(text)
        case .bytes(let bytes): writer.string(Base64.encode(bytes))
        case .set(let members):
            writer.beginArray()
            for member in members { writer.string(member) }
            writer.endArray()
        case .json(let document): writer.raw(document)
        }
    }

    /// The value as Java's `toString()` shows it, which Maxwell concatenates into partition keys; nil for NULL.
    public var javaString: String? {
        switch self {
        case .null: return nil
        case .int(let value): return String(value)
        case .uint(let value): return String(value)
        case .float(let value): return JavaFormat.float(value)
        case .double(let value): return JavaFormat.double(value)
        case .decimal(let text), .string(let text), .json(let text): return text
        case .bytes(let bytes): return Base64.encode(bytes)
        case .set(let members): return "[" + members.joined(separator: ", ") + "]"
        }
    }
}
