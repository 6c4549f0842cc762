import CaravanCore
import Testing

@Suite struct LeadingTests {
    struct Item: Equatable {
        let key: Int
        let id: Int
    }

    static func precedes(_ left: Item, _ right: Item) -> Bool {
        left.key != right.key ? left.key < right.key : left.id > right.id
    }

    @Test(arguments: [
        ([Int](), 3, [Int]()),
        ([5, 1, 4], 0, []),
        ([5, 1, 4], 2, [1, 4]),
        ([5, 1, 4], 3, [1, 4, 5]),
        ([5, 1, 4], 10, [1, 4, 5]),
        ([3, 3, 3, 1], 2, [1, 3]),
        ([9, 8, 7, 6, 5, 4, 3, 2, 1], 4, [1, 2, 3, 4]),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9], 4, [1, 2, 3, 4]),
    ])
    func keepsTheFirstInOrder(values: [Int], count: Int, expected: [Int]) {
        #expect(values.leading(count, by: <) == expected)
    }

    @Test func agreesWithAFullSortOnTiesAndDuplicates() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let items = (0..<Int.random(in: 0...300, using: &generator)).map {
                Item(key: Int.random(in: 0...20, using: &generator), id: $0)
            }
            let count = round % 60
            #expect(items.leading(count, by: Self.precedes) == Array(items.sorted(by: Self.precedes).prefix(count)))
        }
    }
}
