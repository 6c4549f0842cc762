import Foundation

/// The story form as posted: turns the fields people typed into content, or says which field is wrong and why.
public enum StoryForm {
    public static let maximumTitleLength = 300
    public static let maximumURLLength = 2000

    /// A problem with one field, worded for the person at the form.
    public struct Problem: Sendable, Hashable {
        public var field: String
        public var message: String
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// Reads the fields (each name may carry several values, as checkboxes do).
    /// Always returns the content as typed, so a form shown again with its problems loses nothing.
    public static func read(_ fields: [String: [String]]) -> (content: StoryContent, problems: [Problem]) {
        func one(_ name: String) -> String { fields[name]?.last ?? "" }
        func line(_ name: String) -> String {
            one(name).replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
                .trimmingCharacters(in: .whitespaces)
        }
        var problems: [Problem] = []
        var content = StoryContent()
        content.title = line("title")
        content.standfirst = one("standfirst").replacingOccurrences(of: "\r\n", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        content.body = one("body").replacingOccurrences(of: "\r\n", with: "\n")
        content.author = line("author")
        content.section = line("section")
        // Tags with one URL are one tag ("Oil, oil"; the store keeps one anyway): the first spelling wins.
        content.tags = one("tags").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.reduce(into: []) { kept, tag in
                let slug = Slug.make(from: tag)
                if !kept.contains(where: { Slug.make(from: $0) == slug }) { kept.append(tag) }
            }

        let typedSlug = line("slug")
        // Slug.make falls back to "story" when nothing is left, so ask whether any typed character survives on its own.
        if typedSlug.isEmpty {
            content.slug = ""
        } else if typedSlug.contains(where: { Slug.make(from: String($0)) != "story" }) {
            content.slug = Slug.make(from: typedSlug)
        } else {
            content.slug = typedSlug
            problems.append(Problem(field: "slug", message: "The web address needs at least one letter or digit."))
        }

        if content.title.isEmpty && content.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(Problem(field: "title", message: "Write a title or a body: a story cannot be empty."))
        }
        if content.title.count > maximumTitleLength {
            problems.append(
                Problem(
                    field: "title",
                    message: "The title is \(content.title.count) characters; keep it to \(maximumTitleLength) at most."
                ))
        }

        let codes = (fields["countries"] ?? []).flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for code in codes {
            if let country = Country(code: code.uppercased()) {
                if !content.countries.contains(country) { content.countries.append(country) }
            } else {
                problems.append(Problem(field: "countries", message: "\"\(code)\" is not a country this site covers."))
            }
        }

        let language = line("language")
        if language.isEmpty {
            content.language = .en
        } else if let known = Article.Language(rawValue: language.lowercased()) {
            content.language = known
        } else {
            problems.append(Problem(field: "language", message: "The language must be en or ru, not \"\(language)\"."))
        }

        let imageURL = line("image_url")
        let caption = line("image_caption")
        let credit = line("image_credit")
        let media = line("image_media")
        if !media.isEmpty {
            if !imageURL.isEmpty {
                problems.append(
                    Problem(field: "image_url", message: "Choose a photograph from the library or give an address, not both."))
            }
            if !media.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) || media.count > 64 {
                problems.append(Problem(field: "image_media", message: "\"\(media)\" is not a photograph of the library."))
            }
            content.image = FeaturedImage(url: imageURL, caption: caption, credit: credit, media: media)
        } else if !imageURL.isEmpty {
            if let problem = imageURLProblem(imageURL) {
                problems.append(Problem(field: "image_url", message: problem))
            }
            content.image = FeaturedImage(url: imageURL, caption: caption, credit: credit)
        } else if !caption.isEmpty || !credit.isEmpty {
            problems.append(Problem(field: "image_url", message: "A caption or credit needs an image address."))
            content.image = FeaturedImage(url: "", caption: caption, credit: credit)
        }
        return (content, problems)
    }

    /// Images come from http or https addresses only: anything else (`javascript:`, `data:`) could run in a page.
    public static func imageURLProblem(_ text: String) -> String? {
        guard text.count <= maximumURLLength else {
            return "The image address is longer than \(maximumURLLength) characters."
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return "The image address must start with https:// (or http://) and name a host." }
        return nil
    }

    /// A time typed into a `datetime-local` field ("2026-12-01T09:30"), read in the newsroom's time zone.
    /// Anything else, or a day or time that does not exist, is nil: never half read, never rolled over.
    public static func localTime(_ text: String, timeZone: TimeZone) -> Date? {
        func numbers(_ text: Substring, separator: Character) -> [Int]? {
            let fields = text.split(separator: separator, omittingEmptySubsequences: false)
            guard fields.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
            let values = fields.compactMap { Int($0) }
            return values.count == fields.count ? values : nil
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2, let day = numbers(parts[0], separator: "-"),
            let clock = numbers(parts[1], separator: ":"), day.count == 3, (2...3).contains(clock.count),
            (1...9999).contains(day[0]), (1...12).contains(day[1]), (1...31).contains(day[2]),
            (0...23).contains(clock[0]), (0...59).contains(clock[1]), clock.count == 2 || (0...59).contains(clock[2])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(
            year: day[0], month: day[1], day: day[2], hour: clock[0], minute: clock[1],
            second: clock.count == 3 ? clock[2] : 0)
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day[2]
        else { return nil }
        return date
    }

    /// The value a `datetime-local` field shows for a time, in the newsroom's time zone.
    public static func localTimeText(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { String(format: "%02d", n ?? 0) }
        return "\(String(format: "%04d", c.year ?? 0))-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute))"
    }
}
