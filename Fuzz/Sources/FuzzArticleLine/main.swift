import CaravanCore
import Foundation
import FuzzDriver

let zone = TimeZone(identifier: "Asia/Almaty")!

// One import line: a story or a Problem, never a trap; a story's text never carries a NUL.
runFuzzer { bytes in
    if let story = try? ArticleLine.parse(bytes, timeZone: zone) {
        precondition(!story.title.utf8.contains(0) && !story.body.utf8.contains(0), "a NUL reached a story")
        _ = ArticleBody.html(fromMarkdown: story.body)
    }
}
