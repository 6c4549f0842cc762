import CaravanCore
import CaravanStorage
import Foundation
import Testing

/// The behaviour every NewsroomStore must have, checked through the reader's stores on the same database.
@Suite("NewsroomStore contract")
struct NewsroomStoreContractTests {
    typealias N = Newsroom

    @Test(arguments: NewsroomBackend.all)
    func aNewDraftIsKeptButNotPublic(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            let story = try await N.draft(stores, "s1", N.content("Saiga census", body: "Antelopes counted on the steppe."), by: dana)

            #expect(story.article.status == .draft)
            #expect(story.article.slug == "saiga-census", "an empty slug is made from the title")
            #expect(story.article.published == nil, "a draft has never been published")
            #expect(story.article.updated == N.day(1))
            #expect((story.owner, story.ownerName) == (dana.id, "Dana Editor"))
            #expect(story.firstPublished == nil && story.publishAt == nil)
            #expect(story.revision == 1)
            #expect(try await stores.newsroom.story(id: "s1") == story)

            #expect(try await stores.articles.article(slug: "saiga-census") == nil)
            #expect(try await N.found(stores, "antelopes") == 0)
            #expect(try await N.latestTotal(stores) == 0)

            let revisions = try await stores.newsroom.revisions(of: "s1")
            #expect(revisions.map(\.number) == [1])
            let first = try #require(revisions.first)
            #expect((first.action, first.status, first.editor, first.editorName) == (.created, .draft, dana.id, "Dana Editor"))
            #expect(first.saved == N.day(1))
            #expect(first.changed.isEmpty)
            #expect(first.content == story.content)
            #expect(first.content.slug == "saiga-census", "a revision keeps the slug the store chose")
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func publishingPutsTheStoryOnEveryPublicPage(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            let versionBefore = try await stores.articles.contentVersion()
            let draft = try await N.draft(stores, "s1", N.content("Saiga census", body: "Antelopes counted on the steppe."), by: dana)
            let published = try await N.next(stores, draft, status: .published, action: .published, by: dana, at: N.day(2))

            #expect(published.article.status == .published)
            #expect(published.article.published == N.day(2), "first publication is now")
            #expect(published.article.updated == N.day(2), "a new story has not been corrected")
            #expect(published.firstPublished == N.day(2))
            #expect(published.revision == 2)
            #expect(try await stores.articles.article(slug: "saiga-census")?.id == "s1")
            #expect(try await N.found(stores, "antelopes") == 1)
            #expect(try await stores.articles.listing(.country(.kazakhstan), page: 1, perPage: 10)?.teasers.map(\.id) == ["s1"])
            #expect(try await stores.articles.contentVersion() > versionBefore, "caches learn of the change")

            let latest = try #require(try await stores.newsroom.revision(of: "s1", number: 2))
            #expect((latest.action, latest.status, latest.changed) == (.published, .published, []))
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func aCorrectionIsDatedAndItsChangedFieldsRecorded(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            let draft = try await N.draft(stores, "s1", N.content("Saiga census", body: "Antelopes counted."), by: dana)
            let published = try await N.next(stores, draft, status: .published, action: .published, by: dana, at: N.day(2))
            var corrected = published.content
            corrected.title = "Saiga census: numbers up"
            corrected.body = "Gazelles counted."
            let story = try await N.next(stores, published, content: corrected, by: dana, at: N.day(3))

            #expect(story.article.published == N.day(2))
            #expect(story.article.updated == N.day(3), "a correction carries the time it was saved")
            #expect(story.article.slug == "saiga-census", "the slug the editor did not touch stays")
            #expect(story.revision == 3)
            let revision = try #require(try await stores.newsroom.revision(of: "s1", number: 3))
            #expect(revision.changed == [.title, .body])
            #expect(revision.action == .edited)
            #expect(try await stores.newsroom.revision(of: "s1", number: 2)?.content.title == "Saiga census")
            #expect(try await stores.newsroom.revision(of: "s1", number: 9) == nil)
            #expect(try await stores.newsroom.revisions(of: "s1").map(\.number) == [3, 2, 1], "newest first")
            #expect(try await N.found(stores, "gazelles") == 1, "the search index follows in the same save")
            #expect(try await N.found(stores, "antelopes") == 0)
            #expect(try await stores.articles.article(slug: "saiga-census")?.title == "Saiga census: numbers up")
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func aSaveBasedOnAnOlderRevisionIsRefused(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            let timur = try await N.person(stores, "Timur Writer", role: .author)
            let opened = try await N.draft(stores, "s1", N.content("Water talks"), by: timur)
            try await N.next(stores, opened, content: N.content("Water talks resume"), by: dana, at: N.day(2))

            await #expect(throws: NewsroomError.conflict(latest: 2, by: "Dana Editor")) {
                try await N.next(stores, opened, content: N.content("Water talks stall"), by: timur, at: N.day(3))
            }
            let stored = try #require(try await stores.newsroom.story(id: "s1"))
            #expect(stored.article.title == "Water talks resume", "the refused save wrote nothing")
            #expect(stored.revision == 2)

            // The new-story form sent twice: the second is a conflict, not a second story.
            await #expect(throws: NewsroomError.conflict(latest: 2, by: "Dana Editor")) {
                try await N.draft(stores, "s1", N.content("Water talks"), by: timur)
            }
            await #expect(throws: NewsroomError.storyNotFound("gone")) {
                try await stores.newsroom.save(
                    StoryChange(id: "gone", content: N.content("Gone"), status: .draft, action: .edited, editor: dana, basedOn: 4),
                    now: N.day(3))
            }
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func anImportedStoryGetsABaselineBeforeItsFirstNewsroomEdit(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            _ = try await stores.articles.save([
                ArticleSubmission(
                    id: "imp", title: "Cotton harvest", body: "Fields in the Fergana valley.", published: N.day(-30),
                    section: "Economy", countries: [.uzbekistan], tags: ["cotton"], author: "Bakyt Osmonov")
            ])
            let imported = try #require(try await stores.newsroom.story(id: "imp"))
            #expect(imported.revision == 0, "the newsroom has never saved it")
            #expect(imported.owner == nil && imported.ownerName == nil)
            #expect(imported.firstPublished == N.day(-30), "an imported published story counts as published")

            var edited = imported.content
            edited.title = "Cotton harvest starts early"
            let story = try await N.next(stores, imported, content: edited, by: dana, at: N.day(1))
            #expect(story.revision == 2)
            #expect(story.owner == nil, "editing does not take ownership")
            #expect(story.article.published == N.day(-30))
            #expect(story.article.updated == N.day(1))

            let revisions = try await stores.newsroom.revisions(of: "imp")
            #expect(revisions.map(\.number) == [2, 1])
            let baseline = try #require(revisions.last)
            #expect((baseline.action, baseline.editor, baseline.status) == (.baseline, nil, .published))
            #expect(baseline.content == imported.content, "the state before the first edit can be restored")
            #expect(revisions.first?.changed == [.title])

            // Bringing the baseline back is a save like any other, marked as a restore.
            let restored = try await stores.newsroom.save(
                StoryChange(
                    id: "imp", content: baseline.content, status: .published, action: .restored, editor: dana, basedOn: 2,
                    restoredFrom: 1),
                now: N.day(2))
            #expect(restored.article.title == "Cotton harvest")
            let last = try #require(try await stores.newsroom.revision(of: "imp", number: 3))
            #expect((last.action, last.restoredFrom, last.changed) == (.restored, 1, [.title]))
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func reimportingAnUnchangedFileKeepsTheNewsroomsWork(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            let line = ArticleSubmission(id: "imp", title: "Cotton harvest", body: "Fields.", published: N.day(-30))
            _ = try await stores.articles.save([line])
            let imported = try #require(try await stores.newsroom.story(id: "imp"))
            try await N.next(stores, imported, status: .unpublished, action: .unpublished, by: dana, at: N.day(1))

            let again = try await stores.articles.save([line])
            #expect(again == SaveSummary(updated: 1, unchanged: 1), "the source did not change, so nothing is written")
            #expect(try await stores.newsroom.story(id: "imp")?.article.status == .unpublished)
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func unpublishingTakesTheStoryOffPublicReadsAndRepublishingKeepsItsDate(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            let draft = try await N.draft(stores, "s1", N.content("Border crossing", body: "Trucks queue at Dostyk."), by: dana)
            let published = try await N.next(stores, draft, status: .published, action: .published, by: dana, at: N.day(2))
            let down = try await N.next(stores, published, status: .unpublished, action: .unpublished, by: dana, at: N.day(3))

            #expect(down.article.status == .unpublished)
            #expect(down.firstPublished == N.day(2), "it was public once")
            #expect(try await stores.articles.article(slug: "border-crossing") == nil)
            #expect(try await N.found(stores, "trucks") == 0)
            #expect(try await N.latestTotal(stores) == 0)
            #expect(try await stores.articles.article(id: "s1")?.status == .unpublished)

            let again = try await N.next(stores, down, status: .published, action: .published, by: dana, at: N.day(4))
            #expect(again.article.published == N.day(2), "the original publication time stays")
            #expect(again.article.updated == N.day(4))
            #expect(again.firstPublished == N.day(2))
            #expect(try await N.found(stores, "trucks") == 1)
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func aSlugChangeAfterPublicationLeavesARedirect(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            let draft = try await N.draft(stores, "s1", N.content("Old title"), by: dana)
            var story = try await N.next(stores, draft, status: .published, action: .published, by: dana, at: N.day(2))
            #expect(story.article.slug == "old-title")

            story = try await N.next(stores, story, content: N.content("Old title", slug: "new-address"), by: dana, at: N.day(3))
            #expect(story.article.slug == "new-address")
            #expect(try await stores.articles.article(slug: "new-address")?.id == "s1")
            #expect(try await stores.articles.article(slug: "old-title") == nil)
            #expect(try await stores.newsroom.redirect(fromSlug: "old-title") == "new-address")
            #expect(try await stores.newsroom.revision(of: "s1", number: 3)?.changed == [.slug])

            story = try await N.next(stores, story, content: N.content("Old title", slug: "third"), by: dana, at: N.day(4))
            #expect(try await stores.newsroom.redirect(fromSlug: "old-title") == "third", "every old address leads to the current one")
            #expect(try await stores.newsroom.redirect(fromSlug: "new-address") == "third")

            // Another story cannot take an address that still redirects.
            let other = try await N.draft(stores, "s2", N.content("Old title"), by: dana)
            #expect(other.article.slug == "old-title-2")

            story = try await N.next(stores, story, content: N.content("Old title", slug: "old-title"), by: dana, at: N.day(5))
            #expect(story.article.slug == "old-title", "a story may take back its own former address")
            #expect(try await stores.newsroom.redirect(fromSlug: "old-title") == nil, "the story lives there again")
            #expect(try await stores.newsroom.redirect(fromSlug: "third") == "old-title")

            try await N.next(stores, story, status: .unpublished, action: .unpublished, by: dana, at: N.day(6))
            #expect(try await stores.newsroom.redirect(fromSlug: "third") == nil, "a redirect never leads to a story readers cannot see")
            #expect(try await stores.newsroom.redirect(fromSlug: "never-was") == nil)
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func slugChangesBeforePublicationLeaveNoRedirect(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            var story = try await N.draft(stores, "s1", N.content("Working title"), by: dana)
            var retitled = story.content
            retitled.title = "Final title"
            story = try await N.next(stores, story, content: retitled, by: dana, at: N.day(2))
            #expect(story.article.slug == "working-title", "a slug sent back unchanged stays")
            story = try await N.next(stores, story, content: N.content("Final title", slug: ""), by: dana, at: N.day(3))
            #expect(story.article.slug == "final-title", "an emptied slug is made again from the title")
            story = try await N.next(stores, story, status: .published, action: .published, by: dana, at: N.day(4))
            #expect(try await stores.newsroom.redirect(fromSlug: "working-title") == nil)
            #expect(try await stores.articles.article(slug: "final-title")?.id == "s1")
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func aScheduledStoryGoesOutWhenItsTimeComes(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            let draft = try await N.draft(stores, "s1", N.content("Budget vote", body: "Parliament votes on the budget."), by: dana)
            await #expect(throws: NewsroomError.missingPublishTime) {
                try await N.next(stores, draft, status: .scheduled, action: .scheduled, by: dana, at: N.day(2))
            }
            let scheduled = try await N.next(
                stores, draft, status: .scheduled, publishAt: N.day(5), action: .scheduled, by: dana, at: N.day(2))
            #expect(scheduled.article.status == .scheduled)
            #expect(scheduled.publishAt == N.day(5))
            #expect(scheduled.article.published == nil)
            #expect(try await stores.articles.article(slug: "budget-vote") == nil)
            #expect(try await N.found(stores, "parliament") == 0)

            #expect(try await stores.newsroom.publishDue(now: N.day(5, hour: 8)).isEmpty, "not yet")
            #expect(try await stores.newsroom.publishDue(now: N.day(5, hour: 10)) == ["s1"])
            #expect(try await stores.newsroom.publishDue(now: N.day(5, hour: 11)).isEmpty, "each story goes out once")

            let story = try #require(try await stores.newsroom.story(id: "s1"))
            #expect(story.article.status == .published)
            #expect(story.article.published == N.day(5), "published at the scheduled time, not when the job ran")
            #expect(story.article.updated == N.day(5))
            #expect(story.firstPublished == N.day(5))
            #expect(story.publishAt == nil)
            #expect(story.revision == 3)
            let revision = try #require(try await stores.newsroom.revisions(of: "s1").first)
            #expect((revision.action, revision.status, revision.editor, revision.changed) == (.publishedOnSchedule, .published, nil, []))
            #expect(try await stores.articles.article(slug: "budget-vote")?.id == "s1")
            #expect(try await N.found(stores, "parliament") == 1)
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func aScheduledStoryNeverGoesOutEarly(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            let draft = try await N.draft(stores, "s1", N.content("Embargoed report"), by: dana)
            let embargo = N.day(5).addingTimeInterval(0.5)
            try await N.next(stores, draft, status: .scheduled, publishAt: embargo, action: .scheduled, by: dana, at: N.day(2))
            #expect(try await stores.newsroom.publishDue(now: N.day(5).addingTimeInterval(0.9)).isEmpty)
            #expect(try await stores.newsroom.publishDue(now: N.day(5).addingTimeInterval(1)) == ["s1"])
            let published = try #require(try await stores.newsroom.story(id: "s1")?.article.published)
            #expect(published >= embargo)
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func takingDownAScheduledStoryCancelsItsTime(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            let draft = try await N.draft(stores, "s1", N.content("Budget vote"), by: dana)
            let scheduled = try await N.next(
                stores, draft, status: .scheduled, publishAt: N.day(5), action: .scheduled, by: dana, at: N.day(2))
            let back = try await N.next(stores, scheduled, status: .draft, action: .unpublished, by: dana, at: N.day(3))
            #expect(back.publishAt == nil)
            #expect(try await stores.newsroom.publishDue(now: N.day(6)).isEmpty)
            #expect(try await stores.newsroom.story(id: "s1")?.article.status == .draft)
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func theFeaturedImageIsStoredAndShownToReaders(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            let image = FeaturedImage(url: "https://images.example/dam.jpg", caption: "The Rogun dam", credit: "Photo: A. Rahimov")
            let draft = try await N.draft(stores, "s1", N.content("Rogun dam", image: image), by: dana)
            #expect(draft.article.image == image)
            let published = try await N.next(stores, draft, status: .published, action: .published, by: dana, at: N.day(2))
            #expect(try await stores.articles.article(slug: "rogun-dam")?.image == image)

            let bare = try await N.next(stores, published, content: N.content("Rogun dam"), by: dana, at: N.day(3))
            #expect(bare.article.image == nil)
            #expect(try await stores.newsroom.revision(of: "s1", number: 3)?.changed == [.image])
            #expect(try await stores.newsroom.revision(of: "s1", number: 2)?.content.image == image)
        }
    }

    @Test(arguments: NewsroomBackend.all)
    func theStoryListFiltersPagesAndShowsTheLastChangedFirst(_ backend: NewsroomBackend) async throws {
        try await backend.withStores { stores in
            let dana = try await N.person(stores)
            let timur = try await N.person(stores, "Timur Writer", role: .author)
            let a = try await N.draft(
                stores, "a", N.content("Grain exports", body: "Wheat to Afghanistan.", section: "Economy", countries: [.kazakhstan]),
                by: dana, at: N.day(1))
            try await N.next(stores, a, status: .published, action: .published, by: dana, at: N.day(4))
            try await N.draft(
                stores, "b", N.content("Glacier melt", body: "Ice loss of 50% in the Pamirs.", section: "Environment",
                                       author: "Bakyt Osmonov", countries: [.tajikistan]),
                by: timur, at: N.day(2))
            try await N.draft(
                stores, "c", N.content("Rail link", body: "A new_line to Kashgar; 500 km.", section: "Economy",
                                       countries: [.kyrgyzstan, .kazakhstan]),
                by: timur, at: N.day(3))

            func ids(_ filter: StoryFilter) async throws -> [String] {
                try await stores.newsroom.stories(filter).stories.map(\.id.rawValue)
            }
            #expect(try await ids(StoryFilter()) == ["a", "c", "b"], "last changed first, whatever the status")
            #expect(try await ids(StoryFilter(status: .draft)) == ["c", "b"])
            #expect(try await ids(StoryFilter(status: .published)) == ["a"])
            #expect(try await ids(StoryFilter(owner: timur.id)) == ["c", "b"])
            #expect(try await ids(StoryFilter(authorSlug: "bakyt-osmonov")) == ["b"])
            #expect(try await ids(StoryFilter(sectionSlug: "economy")) == ["a", "c"])
            #expect(try await ids(StoryFilter(country: .kazakhstan)) == ["a", "c"])
            #expect(try await ids(StoryFilter(text: "kashgar")) == ["c"], "words in the body, in any case")
            #expect(try await ids(StoryFilter(text: "GRAIN")) == ["a"])
            #expect(try await ids(StoryFilter(text: "50%")) == ["b"], "a typed % is a character")
            #expect(try await ids(StoryFilter(text: "new_line")) == ["c"])
            #expect(try await ids(StoryFilter(text: "w_eat")).isEmpty, "a typed _ is not a wildcard")
            #expect(try await ids(StoryFilter(status: .draft, owner: dana.id)).isEmpty)
            #expect(try await ids(StoryFilter(sectionSlug: "no-such-section")).isEmpty)

            let list = try await stores.newsroom.stories(StoryFilter(page: 2, perPage: 2))
            #expect(list.stories.map(\.id.rawValue) == ["b"])
            #expect((list.range.total, list.range.pages, list.range.first, list.range.last) == (3, 2, 3, 3))
            let past = try await stores.newsroom.stories(StoryFilter(page: 3, perPage: 2))
            #expect(past.range.isPastEnd && past.stories.isEmpty)

            let row = try #require(try await stores.newsroom.stories(StoryFilter(text: "rail")).stories.first)
            #expect(row.title == "Rail link")
            #expect(row.slug == "rail-link")
            #expect(row.status == .draft)
            #expect(row.author?.slug == "aigerim-sadykova")
            #expect(row.section?.name == "Economy")
            #expect(row.countries == [.kyrgyzstan, .kazakhstan])
            #expect(row.ownerName == "Timur Writer")
            #expect(row.published == nil && row.publishAt == nil)
            #expect(row.updated == N.day(3))
            let published = try #require(try await stores.newsroom.stories(StoryFilter(status: .published)).stories.first)
            #expect(published.published == N.day(4))
        }
    }
}
