extension ArchiveIndex {
    /// The stories holding one term, in slot order, with the term's counts in each, encoded for size: postings are
    /// most of the index's memory.
    ///
    /// Slots go in blocks of `blockSize` or so: a block's first slot is kept whole in `heads`, the rest as LEB128
    /// varints of the gap to the one before, so a common word's posting takes a byte or two instead of four, and a
    /// lookup decodes one block only. An edit re-encodes the one block it touches. The counts of one posting are
    /// packed into 16 bits (title in the top 3, standfirst in the next 3, body in the low 10), since almost every
    /// count is small; the rare counts that do not fit are kept whole in `overflow`, marked by all bits set.
    struct Postings: Sendable {
        /// How many stories hold the term.
        private(set) var count = 0
        private var bytes: [UInt8] = []
        /// Per block: its first slot, where its gaps begin in `bytes`, and the index of its first posting.
        private var heads: [Int32] = []
        private var offsets: [Int32] = []
        private var starts: [Int32] = []
        /// The last slot of the last block, where a new story's posting goes without any decoding.
        private var lastSlot: Int32 = -1
        private var packed: [UInt16] = []
        private var overflow: [Int32: Counts] = [:]
        private static let spilt = UInt16.max
        static let blockSize = 64

        /// Every slot, in order.
        func slots() -> [Int32] {
            var result: [Int32] = []
            result.reserveCapacity(count)
            for block in heads.indices { decode(block, into: &result) }
            return result
        }

        /// The counts of the posting at `index`, whose slot is `slot`.
        func counts(at index: Int, slot: Int32) -> Counts {
            let word = packed[index]
            if word == Self.spilt { return overflow[slot]! }
            return Counts(title: UInt32(word >> 13), standfirst: UInt32((word >> 10) & 0x7), body: UInt32(word & 0x3FF))
        }

        /// For each of `targets` (ascending slots) that holds the term, calls `found` with the target's place in
        /// `targets` and its posting's index. A target past the current block jumps to its block by the heads; within
        /// a block the gaps are read only as far as the target.
        func find(_ targets: [Int32], found: (Int, Int) -> Void) {
            guard !heads.isEmpty else { return }
            bytes.withUnsafeBufferPointer { bytes in
                var block = -1
                var slot: Int32 = 0
                var index = 0
                var at = 0
                var end = 0
                for (place, target) in targets.enumerated() {
                    if block < 0 || (block + 1 < heads.count && heads[block + 1] <= target) {
                        let holder = Self.lastBlock(notAbove: target, in: heads, from: max(block, 0))
                        guard holder >= 0 else { continue }
                        block = holder
                        slot = heads[block]
                        index = Int(starts[block])
                        at = Int(offsets[block])
                        end = block + 1 < offsets.count ? Int(offsets[block + 1]) : bytes.count
                    }
                    while slot < target && at < end {
                        slot += Int32(bitPattern: LEB128.read(bytes, at: &at))
                        index += 1
                    }
                    if slot == target { found(place, index) }
                }
            }
        }

        mutating func insert(_ counts: Counts, of slot: Int32) {
            let index: Int
            if slot > lastSlot {
                index = count
                if heads.isEmpty || count - Int(starts[heads.count - 1]) >= Self.blockSize {
                    heads.append(slot)
                    offsets.append(Int32(bytes.count))
                    starts.append(Int32(count))
                } else {
                    LEB128.append(UInt32(slot - lastSlot), to: &bytes)
                }
                lastSlot = slot
            } else {
                // Into the block whose head is the last not above the slot (the first block for a slot before all).
                let block = max(Self.lastBlock(notAbove: slot, in: heads), 0)
                var decoded: [Int32] = []
                decode(block, into: &decoded)
                let at = Self.lowerBound(slot, in: decoded)
                precondition(at == decoded.count || decoded[at] != slot, "a story's posting is added once")
                decoded.insert(slot, at: at)
                reencode(block, decoded, postingShift: 1)
                index = Int(starts[block]) + at
                // Stories put back into free slots can crowd one block: halve it before edits of it grow dear.
                if decoded.count > 2 * Self.blockSize { split(block, decoded) }
            }
            count += 1
            if counts.title < 0x7 && counts.standfirst < 0x7 && counts.body < 0x3FF {
                packed.insert(UInt16(counts.title << 13 | counts.standfirst << 10 | counts.body), at: index)
            } else {
                packed.insert(Self.spilt, at: index)
                overflow[slot] = counts
            }
        }

        mutating func remove(_ slot: Int32) {
            let block = Self.lastBlock(notAbove: slot, in: heads)
            precondition(block >= 0, "only a posting the list holds is removed")
            var decoded: [Int32] = []
            decode(block, into: &decoded)
            let at = Self.lowerBound(slot, in: decoded)
            precondition(at < decoded.count && decoded[at] == slot, "only a posting the list holds is removed")
            let index = Int(starts[block]) + at
            decoded.remove(at: at)
            if decoded.isEmpty {
                // A block of one: it holds no gaps, so only its entries go.
                heads.remove(at: block)
                offsets.remove(at: block)
                starts.remove(at: block)
                for later in block..<starts.count { starts[later] -= 1 }
            } else {
                reencode(block, decoded, postingShift: -1)
            }
            count -= 1
            if packed.remove(at: index) == Self.spilt { overflow[slot] = nil }
            if slot == lastSlot {
                var last: [Int32] = []
                if !heads.isEmpty { decode(heads.count - 1, into: &last) }
                lastSlot = last.last ?? -1
            }
        }

        /// Gives back the room the arrays grew into while the index was built.
        mutating func trim() {
            bytes = bytes.trimmed()
            heads = heads.trimmed()
            offsets = offsets.trimmed()
            starts = starts.trimmed()
            packed = packed.trimmed()
        }

        /// Appends block `block`'s slots to `result`.
        private func decode(_ block: Int, into result: inout [Int32]) {
            var slot = heads[block]
            result.append(slot)
            let end = block + 1 < offsets.count ? Int(offsets[block + 1]) : bytes.count
            bytes.withUnsafeBufferPointer { bytes in
                var at = Int(offsets[block])
                while at < end {
                    slot += Int32(bitPattern: LEB128.read(bytes, at: &at))
                    result.append(slot)
                }
            }
        }

        /// How many blocks the list is in.
        var blockCount: Int { heads.count }

        /// Writes block `block` anew from its slots, moving the blocks after it by the bytes and postings it changed.
        private mutating func reencode(_ block: Int, _ slots: some Collection<Int32>, postingShift: Int32) {
            let encoded = Self.gaps(slots)
            let begin = Int(offsets[block])
            let end = block + 1 < offsets.count ? Int(offsets[block + 1]) : bytes.count
            bytes.replaceSubrange(begin..<end, with: encoded)
            heads[block] = slots.first!
            let byteShift = Int32(encoded.count - (end - begin))
            for later in (block + 1)..<max(block + 1, offsets.count) {
                offsets[later] += byteShift
                starts[later] += postingShift
            }
        }

        /// Block `block`, whose slots are `slots`, as two blocks of half as many.
        private mutating func split(_ block: Int, _ slots: [Int32]) {
            let half = slots.count / 2
            let second = slots[half...]
            reencode(block, slots[..<half], postingShift: -Int32(second.count))
            let offset = block + 1 < offsets.count ? offsets[block + 1] : Int32(bytes.count)
            let encoded = Self.gaps(second)
            bytes.insert(contentsOf: encoded, at: Int(offset))
            heads.insert(second.first!, at: block + 1)
            offsets.insert(offset, at: block + 1)
            starts.insert(starts[block] + Int32(half), at: block + 1)
            for later in (block + 2)..<max(block + 2, offsets.count) {
                offsets[later] += Int32(encoded.count)
                starts[later] += Int32(second.count)
            }
        }

        /// The gaps between consecutive slots, the first slot left out (it is the block's head).
        private static func gaps(_ slots: some Collection<Int32>) -> [UInt8] {
            var encoded: [UInt8] = []
            for (previous, slot) in zip(slots, slots.dropFirst()) { LEB128.append(UInt32(slot - previous), to: &encoded) }
            return encoded
        }

        /// The last block, at or after `from`, whose head is not above `slot` (-1 when there is none).
        private static func lastBlock(notAbove slot: Int32, in heads: [Int32], from: Int = 0) -> Int {
            var low = from
            var high = heads.count
            while low < high {
                let middle = (low + high) / 2
                if heads[middle] <= slot { low = middle + 1 } else { high = middle }
            }
            return low - 1
        }

        private static func lowerBound(_ slot: Int32, in list: [Int32]) -> Int {
            var low = 0
            var high = list.count
            while low < high {
                let middle = (low + high) / 2
                if list[middle] < slot { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }
}

/// Unsigned LEB128: seven bits a byte, low bits first, the top bit set on every byte but the last.
enum LEB128 {
    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// The value that begins at `at`, moving `at` past it.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, at: inout Int) -> UInt32 {
        var value: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            let byte = bytes[at]
            at += 1
            value |= UInt32(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }
}

extension Array {
    /// The same elements in storage of exactly their size: what an array that grew by doubling gives back.
    func trimmed() -> [Element] {
        guard capacity > count else { return self }
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = buffer.initialize(from: self)
            initialized = count
        }
    }
}
