import Testing
@testable import BinlogReplication

@Suite struct MaxwellJSONWriterTests {
    @Test func escapesLikeJackson() {
        var writer = MaxwellJSONWriter()
        writer.string("q\"b\\s/\u{08}\u{09}\u{0A}\u{0C}\u{0D}\u{00}\u{1F}\u{7F}é😀\u{2028}")
        #expect(writer.text == #""q\"b\\s/\b\t\n\f\r\u0000\u001F"# + "\u{7F}é😀\u{2028}\"")
    }

    @Test func nestsObjectsAndArraysWithCommas() {
        var writer = MaxwellJSONWriter()
        writer.beginObject()
        writer.key("a"); writer.number(-5)
        writer.key("b"); writer.beginArray(); writer.string("x"); writer.null(); writer.bool(true); writer.endArray()
        writer.key("c"); writer.beginObject(); writer.endObject()
        writer.key("d"); writer.raw("{\"n\":1}")
        writer.endObject()
        #expect(writer.text == #"{"a":-5,"b":["x",null,true],"c":{},"d":{"n":1}}"#)
    }

    @Test(arguments: [
        (#"{"a": [1, 2]}"#, #"{"a":[1,2]}"#),
        (" [ ] ", "[]"),
        (#"{"k" : "v with  spaces\"", "n": -0.5e+10, "t": true, "f": false, "z": null}"#,
         #"{"k":"v with  spaces\"","n":-0.5e+10,"t":true,"f":false,"z":null}"#),
        ("\"😀\"", "\"😀\""),
        ("42", "42"),
    ])
    func compactsValidJSON(input: String, expected: String) {
        #expect(JSONCompactor.compact(input) == expected)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "tru", "\"a", "[1] x", "{\"a\":1,}", "-", "1e"])
    func rejectsInvalidJSON(input: String) {
        #expect(JSONCompactor.compact(input) == nil)
    }

    @Test func base64MatchesCommonsCodec() {
        #expect(Base64.encode([]) == "")
        #expect(Base64.encode([0x00, 0xFF]) == "AP8=")
        #expect(Base64.encode([0x41, 0x00, 0x00]) == "QQAA")
        #expect(Base64.encode(Array("hello".utf8)) == "aGVsbG8=")
        #expect(Base64.encode([0xFB, 0xFF]) == "+/8=")
    }
}
