import CaravanSearch
import Testing

/// The site's ranking on the archive index, story by story. Tokens are given as the tokenizer would leave them.
@Suite("Ranking: tiers without common words, field weights, proximity, feedback")
struct RankingTests {
    /// A story from its title and body words (no standfirst).
    static func story(_ number: Int64, _ title: String, _ body: String) -> ArchiveIndex.Story {
        ArchiveIndex.Story(
            number: number, columns: [title.split(separator: " ").map(String.init), [], body.split(separator: " ").map(String.init)])
    }

    /// One clause per word, as the site runs a query of plain words.
    static func query(_ words: String) -> ArchiveIndex.Query {
        ArchiveIndex.Query(clauses: words.split(separator: " ").map { [ArchiveIndex.Phrase(tokens: [String($0)])] })
    }

    static func order(_ index: ArchiveIndex, _ words: String, _ ranking: ArchiveIndex.Ranking = .site) -> [Int64] {
        index.matches(query(words), ranking: ranking)
            .sorted { ($0.leading ? 0 : 1, $0.score, $0.number) < ($1.leading ? 0 : 1, $1.score, $1.number) }
            .map(\.number)
    }

    /// Filler stories that hold "the" and "report", so both are in more than half the archive.
    static let filler = (100..<110).map { story(Int64($0), "report", "the weather was fine and the report said so \($0)") }

    @Test func aWordInHalfTheArchiveIsNotAskedForByTheTier() {
        let index = ArchiveIndex(Self.filler + [
            Self.story(1, "cotton harvest", "cotton picking began in the valley"),
            Self.story(2, "report", "the harvest of grain"),
        ])
        // "the" is in eleven of twelve stories: the cotton story ranks first although it lacks "report".
        let found = index.matches(Self.query("the report cotton"), ranking: .site)
        #expect(found.first { $0.number == 1 }?.leading == true)
        #expect(found.first { $0.number == 1 }?.complete == false)
        #expect(Self.order(index, "the report cotton").first == 1)
    }

    @Test func aWordTheArchiveLacksIsNotAskedForByTheTier() {
        let index = ArchiveIndex(Self.filler + [
            Self.story(1, "water quotas", "water quotas for the irrigation season"),
            Self.story(2, "water", "water"),
        ])
        #expect(Self.order(index, "water quotas cottn").prefix(2) == [1, 2])
        #expect(index.matches(Self.query("water quotas cottn"), ranking: .site).allSatisfy { $0.leading == ($0.number == 1) })
    }

    @Test func storiesWithEveryRealWordStillComeFirst() {
        let index = ArchiveIndex(Self.filler + [
            Self.story(1, "silk silk silk", "silk silk silk silk"),
            Self.story(2, "bazaar", "the silk trade grew"),
        ])
        #expect(Self.order(index, "silk trade") == [2, 1])
    }

    @Test func aTitleWordCountsMoreThanABodyWordButNotTenTimes() {
        let index = ArchiveIndex(Self.filler + [
            Self.story(1, "railway", "officials spoke of many things at length that day"),
            Self.story(2, "officials", "railway works railway tracks railway stations railway"),
            Self.story(3, "officials", "railway works began on a day"),
        ])
        // One title mention against a body about the subject: the body wins now, the title won at weight 10.
        #expect(Self.order(index, "railway").first == 2)
        #expect(Self.order(index, "railway", .plainBM25(weights: [10, 4, 1])).first == 1)
        // Against a single body mention the title still wins.
        #expect(Self.order(index, "railway").firstIndex(of: 1)! < Self.order(index, "railway").firstIndex(of: 3)!)
    }

    @Test func queryWordsStandingTogetherRankAboveTheSameWordsApart() {
        let index = ArchiveIndex(Self.filler + [
            Self.story(1, "notes", "oil fell sharply while grain and bread and meat prices rose"),
            Self.story(2, "notes", "oil prices fell sharply while grain and bread and meat rose"),
        ])
        #expect(Self.order(index, "oil prices") == [2, 1])
        // Without the proximity bonus the two are level on BM25.
        let plain = index.matches(Self.query("oil prices"), ranking: .plainBM25(weights: [2, 1.5, 1]))
        #expect(Set(plain.map(\.score)).count == 1)
    }

    @Test(arguments: ["cotton", "cotton harvest", "harvest the", "grain cotton water"])
    func feedbackAndProximityReorderButNeverAddOrDropAMatch(words: String) {
        var stories = Self.filler
        for number in 1...40 {
            stories.append(Self.story(Int64(number), number % 3 == 0 ? "cotton harvest" : "grain", "cotton water grain harvest field \(number) " + String(repeating: "farm ", count: number % 7)))
        }
        let index = ArchiveIndex(stories)
        let site = index.matches(Self.query(words), ranking: .site)
        let plain = index.matches(Self.query(words), ranking: .plainBM25(weights: [2, 1.5, 1]))
        #expect(Set(site.map(\.number)) == Set(plain.map(\.number)))
        #expect(site.map(\.complete) == plain.map(\.complete))
    }
}
