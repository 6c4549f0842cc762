import CaravanCore
import CaravanSQLite
import CaravanStorage
import CaravanWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("Scheduled publishing")
struct ScheduledPublishingTests {
    @Test("two instances on one database publish a scheduled story exactly once, and both serve it")
    func twoInstancesPublishOnce() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "caravan-schedule-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("caravan.sqlite").path
        let one = NewsroomFixture(database: try SQLiteDatabase.open(path: path))
        let two = NewsroomFixture(database: try SQLiteDatabase.open(path: path))
        let editor = try await one.person("editor@caravan.test", .editor)

        // Far enough ahead that both servers are up before it is due, even on a busy machine.
        let publishAt = Date().addingTimeInterval(3)
        let id = Article.ID("scheduled-once")
        _ = try await one.stories.save(
            StoryChange(
                id: id,
                content: StoryContent(title: "Water talks resume in Tashkent", body: "Delegations meet at nine."),
                status: .scheduled, publishAt: publishAt, action: .scheduled, editor: editor, basedOn: nil),
            now: Date())
        #expect(try await two.store.article(slug: "water-talks-resume-in-tashkent") == nil)

        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let appOne = try await buildApplication(
            one.dependencies(), server: ServerOptions(port: 0),
            services: [ScheduledPublisher(stories: one.stories, interval: .milliseconds(50), logger: quiet)])
        let appTwo = try await buildApplication(
            two.dependencies(), server: ServerOptions(port: 0),
            services: [ScheduledPublisher(stories: two.stories, interval: .milliseconds(50), logger: quiet)])
        try await appOne.test(.live) { clientOne in
            try await appTwo.test(.live) { clientTwo in
                // Both schedulers poll every 50 ms; the story is due after three seconds.
                let deadline = Date().addingTimeInterval(15)
                while Date() < deadline, try await one.stories.story(id: id)?.article.status != .published {
                    try await Task.sleep(for: .milliseconds(100))
                }
                // Let both keep polling a while longer: neither may publish it again.
                try await Task.sleep(for: .milliseconds(400))
                #expect(try await one.stories.story(id: id)?.article.status == .published)
                let revisions = try await one.stories.revisions(of: id)
                #expect(revisions.filter { $0.action == .publishedOnSchedule }.count == 1)
                #expect(try await clientTwo.get("/articles/water-talks-resume-in-tashkent").status == .ok)
                #expect(try await clientOne.get("/").body.contains("Water talks resume in Tashkent"))
                let story = try #require(try await two.stories.story(id: id))
                #expect(story.article.published.map { abs($0.timeIntervalSince(publishAt)) < 1.5 } == true)
            }
        }
    }
}
