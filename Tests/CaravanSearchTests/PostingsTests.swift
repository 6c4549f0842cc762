@testable import CaravanSearch
import Testing

/// The encoded posting lists against a plain sorted list, through the edits an archive makes: stories added at the
/// end, edited stories put back into free slots in the middle, stories taken out, counts too large to pack.
@Suite("Posting lists: blocks of gaps, packed counts")
struct PostingsTests {
    typealias Counts = ArchiveIndex.Counts

    /// A small deterministic generator, so a failure repeats.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static func counts(_ slot: Int32) -> Counts {
        // Every ninth posting holds counts beyond the packed 3, 3 and 10 bits.
        slot % 9 == 0
            ? Counts(title: 7 + UInt32(slot % 5), standfirst: UInt32(slot % 300), body: 1023 + UInt32(slot))
            : Counts(title: UInt32(slot % 7), standfirst: UInt32(slot % 6), body: UInt32(slot % 1000))
    }

    static func expectSame(_ list: ArchiveIndex.Postings, _ reference: [Int32]) {
        #expect(list.count == reference.count)
        #expect(list.slots() == reference)
        for (index, slot) in reference.enumerated() {
            let counts = list.counts(at: index, slot: slot)
            let wanted = Self.counts(slot)
            #expect(counts.title == wanted.title && counts.standfirst == wanted.standfirst && counts.body == wanted.body)
        }
    }

    @Test(arguments: [
        (stories: 1, gap: 1), (stories: 64, gap: 1), (stories: 65, gap: 3), (stories: 700, gap: 1),
        (stories: 700, gap: 200), (stories: 3000, gap: 40_000),
    ])
    func editsKeepTheListAsAPlainOneWouldBe(stories: Int, gap: Int) {
        var list = ArchiveIndex.Postings()
        var reference: [Int32] = []
        var slot: Int32 = 0
        for _ in 0..<stories {
            list.insert(Self.counts(slot), of: slot)
            reference.append(slot)
            slot += Int32(1 + (Int(slot) * 7919) % gap)
        }
        list.trim()
        Self.expectSame(list, reference)

        var random = Generator(state: UInt64(stories * 31 + gap))
        var removed: [Int32] = []
        for round in 0..<(2 * stories) {
            if round % 3 != 2 && !reference.isEmpty {
                let taken = reference.remove(at: random.next(reference.count))
                list.remove(taken)
                removed.append(taken)
            } else if !removed.isEmpty {
                let back = removed.remove(at: random.next(removed.count))
                list.insert(Self.counts(back), of: back)
                reference.insert(back, at: reference.firstIndex { $0 > back } ?? reference.count)
            }
        }
        Self.expectSame(list, reference)

        // A story added after all the edits goes at the end, as a new story's slot does.
        let last = (reference.last ?? 0) + 5
        list.insert(Self.counts(last), of: last)
        reference.append(last)
        Self.expectSame(list, reference)

        // Looking some slots up finds exactly those the list holds, with their postings' places.
        let targets = Array(Set(reference.enumerated().filter { $0.offset % 3 == 0 }.map(\.element) + removed.prefix(50)))
            .sorted()
        var found: [Int32] = []
        list.find(targets) { place, index in
            #expect(list.slots()[index] == targets[place])
            found.append(targets[place])
        }
        #expect(found == targets.filter { Set(reference).contains($0) })

        for taken in reference { list.remove(taken) }
        #expect(list.count == 0)
        #expect(list.slots().isEmpty)
    }

    @Test func storiesPutBackIntoOneBlockSplitIt() {
        var list = ArchiveIndex.Postings()
        var reference: [Int32] = []
        // 65 stories a thousand slots apart: two blocks, the first spanning slots 0 to 63,000.
        for slot in stride(from: Int32(0), through: 64_000, by: 1000) {
            list.insert(Self.counts(slot), of: slot)
            reference.append(slot)
        }
        #expect(list.blockCount == 2)
        var random = Generator(state: 7)
        var free = (1..<63_000).map(Int32.init).filter { $0 % 1000 != 0 }
        for _ in 0..<2000 {
            let slot = free.remove(at: random.next(free.count))
            list.insert(Self.counts(slot), of: slot)
            reference.insert(slot, at: reference.firstIndex { $0 > slot } ?? reference.count)
        }
        Self.expectSame(list, reference)
        // No block holds more than twice the block size, so the 2,065 postings stand in at least 17 blocks.
        #expect(list.blockCount >= reference.count / (2 * ArchiveIndex.Postings.blockSize) + 1)
        while !reference.isEmpty { list.remove(reference.remove(at: random.next(reference.count))) }
        #expect(list.count == 0 && list.blockCount == 0)
    }
}
