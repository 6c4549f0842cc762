import CaravanCore
import Foundation
import Testing

private let aktau = StoryContent(
    title: "Aktau port adds container berths",
    standfirst: "Two new berths open in spring.",
    body: "The port of Aktau will open two berths.\n\nCranes arrive in March.",
    slug: "aktau-port-adds-container-berths",
    author: "Ainur Sarsenova",
    section: "Business",
    countries: [.kazakhstan, .region],
    tags: ["ports", "Middle Corridor"],
    language: .en,
    image: FeaturedImage(url: "https://cdn.caravan.news/aktau.jpg", caption: "The port at dawn", credit: "Caravan"))

private func edited(_ change: (inout StoryContent) -> Void) -> StoryContent {
    var content = aktau
    change(&content)
    return content
}

@Suite("Story content: what changed between two revisions")
struct StoryContentChangesTests {
    @Test(
        arguments: [
            ("a new story has nothing to compare with", nil, aktau, []),
            ("saved unchanged", aktau, aktau, []),
            ("title", aktau, edited { $0.title = "Aktau port adds three berths" }, [StoryField.title]),
            ("standfirst", aktau, edited { $0.standfirst = "" }, [.standfirst]),
            ("a trailing newline in the body", aktau, edited { $0.body += "\n" }, [.body]),
            ("slug", aktau, edited { $0.slug = "aktau-berths" }, [.slug]),
            ("byline removed", aktau, edited { $0.author = "" }, [.author]),
            ("section", aktau, edited { $0.section = "Transport" }, [.section]),
            ("country added", aktau, edited { $0.countries.append(.turkmenistan) }, [.countries]),
            ("tags reordered", aktau, edited { $0.tags.reverse() }, [.tags]),
            ("language", aktau, edited { $0.language = .ru }, [.language]),
            ("image caption only", aktau, edited { $0.image?.caption = "The port at dusk" }, [.image]),
            ("image removed", aktau, edited { $0.image = nil }, [.image]),
            ("image added", edited { $0.image = nil }, aktau, [.image]),
            // Listed in the form's order, whatever order they were edited in.
            (
                "tags then body", aktau,
                edited {
                    $0.tags = []
                    $0.body = "Rewritten."
                }, [.body, .tags]
            ),
            ("everything", aktau, StoryContent(language: .ru), StoryField.allCases),
        ] as [(String, StoryContent?, StoryContent, [StoryField])])
    func changes(_ name: String, old: StoryContent?, new: StoryContent, fields: [StoryField]) {
        #expect(StoryContent.changes(from: old, to: new) == fields)
    }
}

@Suite("Story content: each field as one text, for comparing revisions side by side")
struct StoryContentTextTests {
    @Test(arguments: [
        (StoryField.title, "Aktau port adds container berths"),
        (.standfirst, "Two new berths open in spring."),
        (.body, "The port of Aktau will open two berths.\n\nCranes arrive in March."),
        (.slug, "aktau-port-adds-container-berths"),
        (.author, "Ainur Sarsenova"),
        (.section, "Business"),
        (.countries, "Kazakhstan, Central Asia"),
        (.tags, "ports, Middle Corridor"),
        (.language, "en"),
        (.image, "https://cdn.caravan.news/aktau.jpg\nThe port at dawn\nCaravan"),
    ])
    func text(of field: StoryField, text: String) {
        #expect(aktau.text(of: field) == text)
    }

    @Test(
        arguments: [
            (nil, ""),
            (FeaturedImage(url: "https://cdn.caravan.news/a.jpg"), "https://cdn.caravan.news/a.jpg"),
            // Empty parts leave no blank lines.
            (
                FeaturedImage(url: "https://cdn.caravan.news/a.jpg", credit: "Reuters"),
                "https://cdn.caravan.news/a.jpg\nReuters"
            ),
            (FeaturedImage(url: "", caption: "Dawn"), "Dawn"),
        ] as [(FeaturedImage?, String)])
    func imageText(image: FeaturedImage?, text: String) {
        #expect(StoryContent(image: image).text(of: .image) == text)
    }

    @Test func anEmptyStoryIsAllEmptyTextButItsLanguage() {
        for field in StoryField.allCases {
            #expect(StoryContent().text(of: field) == (field == .language ? "en" : ""), "\(field)")
        }
    }

    @Test func aStoredStoryOpensInTheFormWithItsNames() {
        let article = Article(
            id: "aktau", slug: aktau.slug, title: aktau.title, standfirst: aktau.standfirst, body: aktau.body,
            bodyHTML: "<p>The port</p>", excerpt: "The port", author: Byline(named: "Ainur Sarsenova"),
            section: Section(named: "Business"), countries: aktau.countries,
            tags: [Tag(named: "ports"), Tag(named: "Middle Corridor")], language: .en, status: .published,
            published: now, updated: now, image: aktau.image)
        #expect(StoryContent(article) == aktau)

        var bare = article
        bare.author = nil
        bare.section = nil
        bare.image = nil
        #expect(StoryContent.changes(from: aktau, to: StoryContent(bare)) == [.author, .section, .image])
    }
}

private let now = Date(timeIntervalSince1970: 1_780_000_000)
