extension Sequence {
    /// The first `count` elements in the order `precedes` gives, as `sorted(by:).prefix(count)` would give them,
    /// without sorting the rest: a results page needs its ten stories, not the order of all two thousand matches.
    /// `precedes` must be a strict total order for the result to equal the full sort's.
    @inlinable  // specialised where it is called: unspecialised, a generic loop costs far more than the comparisons
    public func leading(_ count: Int, by precedes: (Element, Element) throws -> Bool) rethrows -> [Element] {
        guard count > 0 else { return [] }
        var kept: [Element] = []
        kept.reserveCapacity(Swift.min(count, underestimatedCount) + 1)
        for element in self {
            if kept.count == count {
                guard let last = kept.last, try precedes(element, last) else { continue }
                kept.removeLast()
            }
            // Binary search for the first kept element that the new one precedes.
            var low = 0
            var high = kept.count
            while low < high {
                let middle = (low + high) / 2
                if try precedes(element, kept[middle]) { high = middle } else { low = middle + 1 }
            }
            kept.insert(element, at: low)
        }
        return kept
    }
}
