import PipelineCore
import Testing

@Suite("JSONValue and JSONCodec")
struct JSONValueTests {
    @Test("Every JSON type is read into its case")
    func parseTypes() throws {
        let value = try TestEvents.json(#"{"n":null,"t":true,"f":false,"i":-42,"d":2.5,"s":"x","a":[1,"y"],"o":{"k":1}}"#)
        #expect(value == .object([
            "n": .null, "t": .bool(true), "f": .bool(false), "i": .integer(-42), "d": .double(2.5), "s": .string("x"),
            "a": .array([.integer(1), .string("y")]), "o": .object(["k": .integer(1)]),
        ]))
    }

    @Test("0 and 1 stay numbers, not booleans; true stays a boolean")
    func numbersAreNotBooleans() throws {
        #expect(try TestEvents.json("[0,1,true]") == .array([.integer(0), .integer(1), .bool(true)]))
    }

    @Test("Integers beyond Int64 become doubles")
    func hugeIntegers() throws {
        #expect(try TestEvents.json("9223372036854775807") == .integer(.max))
        #expect(try TestEvents.json("-9223372036854775808") == .integer(.min))
        #expect(try TestEvents.json("9223372036854775808").integerValue == nil)
    }

    @Test("Serialization is compact with keys sorted at every depth, and slashes unescaped")
    func canonicalOutput() throws {
        let value = try TestEvents.json(#"{ "b" : { "z" : 1, "a" : [ { "y" : 2, "x" : "a/b" } ] }, "a" : null }"#)
        #expect(String(decoding: JSONCodec.serialize(value), as: UTF8.self) == #"{"a":null,"b":{"a":[{"x":"a/b","y":2}],"z":1}}"#)
    }

    @Test("Parse and serialize round-trip")
    func roundTrip() throws {
        let value = TestEvents.pageView(ts: 1_793_491_200_000, eventID: "e\"\\\n√")
        #expect(try JSONCodec.parse(JSONCodec.serialize(value)) == value)
    }

    @Test("Accessors return nil for the wrong type")
    func accessors() {
        let object = JSONValue.object(["k": .string("v")])
        #expect(object["k"] == .string("v"))
        #expect(object["missing"] == nil)
        #expect(JSONValue.array([.null])["k"] == nil)
        #expect(JSONValue.string("s").stringValue == "s")
        #expect(JSONValue.integer(1).stringValue == nil)
        #expect(JSONValue.integer(1).integerValue == 1)
        #expect(JSONValue.double(1).integerValue == nil)
        #expect(object.objectValue == ["k": .string("v")])
        #expect(JSONValue.array([]).objectValue == nil)
        #expect(JSONValue.array([.null]).arrayValue == [.null])
        #expect(object.arrayValue == nil)
    }

    @Test("Type names for error messages")
    func typeNames() {
        let names = [JSONValue.null, .bool(true), .integer(1), .double(1.5), .string(""), .array([]), .object([:])].map(\.typeName)
        #expect(names == ["null", "boolean", "number", "number", "string", "array", "object"])
    }
}
