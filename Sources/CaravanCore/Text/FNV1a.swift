/// FNV-1a, 64 bits: a fast, stable fingerprint of bytes (page ETags, the "has this story changed" check).
/// Not cryptographic: it detects change, it does not resist forgery.
public struct FNV1a: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ bytes: some Sequence<UInt8>) {
        // Called from other modules the generic loop is not specialised: a page of bytes took most of a millisecond
        // one element at a time. Contiguous bytes (buffers, Data, arrays) are read through a plain pointer instead.
        let contiguous: UInt64? = bytes.withContiguousStorageIfAvailable { [value] buffer in
            var hash = value
            for byte in buffer { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return hash
        }
        if let contiguous {
            value = contiguous
            return
        }
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }

    /// The fingerprint of one run of bytes.
    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hasher = FNV1a()
        hasher.add(bytes)
        return hasher.value
    }
}
