import CaravanStorage
import Foundation

/// Splits a script of several SQL statements into single ones: PostgreSQL's extended protocol, which binds parameters,
/// takes one statement at a time.
enum SQLScript {
    /// The statements of `script`, without comments; semicolons inside quotes, identifiers and dollar-quoted bodies
    /// (`$$ … $$`, `$body$ … $body$`) do not split.
    static func statements(_ script: String) -> [String] {
        let characters = Array(script.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0

        func finish() {
            let statement = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !statement.isEmpty { statements.append(statement) }
            current = String.UnicodeScalarView()
        }
        /// Copies characters up to and including the closing `quote`; `backslashEscapes` for E'…' strings.
        func copyQuoted(_ quote: Unicode.Scalar, backslashEscapes: Bool) {
            current.append(characters[index])
            index += 1
            while index < characters.count {
                let character = characters[index]
                current.append(character)
                index += 1
                if backslashEscapes, character == "\\", index < characters.count {
                    current.append(characters[index])
                    index += 1
                } else if character == quote {
                    // A doubled quote is the quote itself, not the end.
                    guard index < characters.count, characters[index] == quote else { return }
                    current.append(characters[index])
                    index += 1
                }
            }
        }
        /// The `$tag$` starting at `start`, if one does (a `$1` parameter does not).
        func dollarTag(at start: Int) -> [Unicode.Scalar]? {
            var end = start + 1
            while end < characters.count, characters[end] != "$" {
                let character = characters[end]
                let isLetter = character.properties.isAlphabetic || character == "_"
                guard isLetter || (end > start + 1 && character.properties.numericType != nil) else { return nil }
                end += 1
            }
            guard end < characters.count else { return nil }
            return Array(characters[start...end])
        }

        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case ";":
                finish()
                index += 1
            case "-" where next == "-":
                while index < characters.count, characters[index] != "\n" { index += 1 }
            case "/" where next == "*":
                // PostgreSQL's block comments nest.
                var depth = 0
                repeat {
                    if characters[index] == "/", index + 1 < characters.count, characters[index + 1] == "*" {
                        depth += 1
                        index += 2
                    } else if characters[index] == "*", index + 1 < characters.count, characters[index + 1] == "/" {
                        depth -= 1
                        index += 2
                    } else {
                        index += 1
                    }
                } while depth > 0 && index < characters.count
                current.append(" ")
            case "'":
                let previous = current.last
                let escapes = (previous == "E" || previous == "e")
                    && (current.count < 2 || !Self.isWordCharacter(current[current.index(current.endIndex, offsetBy: -2)]))
                copyQuoted("'", backslashEscapes: escapes)
            case "\"":
                copyQuoted("\"", backslashEscapes: false)
            case "$":
                guard let tag = dollarTag(at: index), current.last.map({ !Self.isWordCharacter($0) }) ?? true else {
                    current.append(character)
                    index += 1
                    continue
                }
                current.append(contentsOf: tag)
                index += tag.count
                while index < characters.count {
                    if characters[index] == "$", index + tag.count <= characters.count,
                        Array(characters[index..<(index + tag.count)]) == tag
                    {
                        current.append(contentsOf: tag)
                        index += tag.count
                        break
                    }
                    current.append(characters[index])
                    index += 1
                }
            default:
                current.append(character)
                index += 1
            }
        }
        finish()
        return statements
    }

    private static func isWordCharacter(_ character: Unicode.Scalar) -> Bool {
        character.properties.isAlphabetic || character.properties.numericType != nil || character == "_"
    }
}
