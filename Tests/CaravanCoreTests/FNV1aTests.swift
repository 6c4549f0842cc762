import CaravanCore
import Testing

@Suite struct FNV1aTests {
    // The published FNV-1a 64-bit test vectors.
    @Test(arguments: [
        ("", 0xcbf2_9ce4_8422_2325 as UInt64), ("a", 0xaf63_dc4c_8601_ec8c), ("foobar", 0x8594_4171_f739_67e8),
    ])
    func knownVectors(text: String, hash: UInt64) {
        #expect(FNV1a.hash(Array(text.utf8)) == hash)
        // A sequence without contiguous storage takes the element-by-element path and must agree.
        #expect(FNV1a.hash(text.utf8.lazy.map { $0 }) == hash)
    }

    @Test func addingInPiecesEqualsHashingTheWhole() {
        var hasher = FNV1a()
        hasher.add(Array("foo".utf8))
        hasher.add("bar".utf8.lazy.map { $0 })
        #expect(hasher.value == FNV1a.hash(Array("foobar".utf8)))
    }
}
