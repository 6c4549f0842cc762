import Foundation

/// URL slugs: lowercase ASCII words joined by hyphens, Cyrillic transliterated.
public enum Slug {
    /// Longest slug we make; a longer one is cut back to a word boundary.
    public static let maximumLength = 80

    public static func make(from text: String) -> String {
        var ascii = ""
        ascii.reserveCapacity(text.utf8.count)
        for character in text.lowercased() {
            if let latin = cyrillic[character] {
                ascii += latin
            } else if character.isASCII {
                ascii.append(character)
            } else {
                // Fold Latin diacritics (ş → s, ö → o); whatever is left that is not ASCII becomes a separator.
                let folded = String(character).folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
                ascii += folded.allSatisfy(\.isASCII) ? folded : " "
            }
        }
        var slug = ""
        var pendingHyphen = false
        for scalar in ascii.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingHyphen && !slug.isEmpty { slug.append("-") }
                pendingHyphen = false
                slug.unicodeScalars.append(scalar)
            } else if scalar != "'" && scalar != "’" {
                // Apostrophes vanish ("don't" → "dont"); everything else separates words.
                pendingHyphen = true
            }
        }
        if slug.count > maximumLength {
            let cut = slug.prefix(maximumLength)
            slug = cut.lastIndex(of: "-").map { String(cut[..<$0]) } ?? String(cut)
        }
        return slug.isEmpty ? "story" : slug
    }

    /// A slug that does not collide: "title", then "title-2", "title-3" …
    public static func variant(_ base: String, number: Int) -> String {
        number <= 1 ? base : "\(base)-\(number)"
    }

    // Russian after the common BGN/PCGN simplification, plus the letters of Kazakh, Kyrgyz, Tajik and Uzbek Cyrillic.
    static let cyrillic: [Character: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
        "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
        "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
        "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
        "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ў": "o", "є": "ye", "ї": "yi",
    ]
}
