import Foundation

/// Mirrors how SQLite FTS5's `unicode61 remove_diacritics 2` tokenizer splits and folds text, so the
/// terms we emit are exactly the tokens FTS5 will look for, and never something it reads as empty.
///
/// What FTS5 (checked against SQLite 3.40) does, and therefore what this does:
/// - ASCII letters and digits are token characters; every other ASCII character separates tokens.
/// - Outside ASCII, FTS5 classifies code points with Unicode 6.1 tables: letters (L*), numbers (N*)
///   and private-use characters (Co) are token characters, and so is anything those tables do not
///   know (unassigned in 6.1, which includes letters *and* emoji added since).
/// - A few combining diacritics (U+0300–U+0331) cannot start a token but continue one, and are
///   then dropped by the folding.
/// - Folding lowercases and, for Latin letters, removes diacritics (`é` → `e`, `ệ` → `e`), but keeps
///   letters without a decomposition (`ø`, `ł`, `æ`) and non-Latin ones (`й`, `ё`) as they are.
enum FTS5Tokenizer {
    /// The Unicode version of the tables inside SQLite's unicode61 tokenizer.
    static let sqliteUnicodeVersion = (major: 6, minor: 1)

    /// Whether FTS5 lets this code point begin a token.
    static func isTokenStart(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value)
                || (0x61...0x7A).contains(value)
        }
        if isUnknownToSQLite(scalar) {
            return true
        }
        if let isToken = recategorised[value] {
            return isToken
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber, .privateUse:
            return true
        case .unassigned:
            // Noncharacters (U+FDD0…, U+1FFFE…) are absent from SQLite's tables, hence token
            // characters there; only U+FFFE and U+FFFF are listed, as separators.
            return value != 0xFFFE && value != 0xFFFF
        default:
            return false
        }
    }

    /// Code points whose category changed after Unicode 6.1, with what SQLite's tables still say:
    /// two Mongolian letters became marks; New Tai Lue vowel signs and two Vedic signs, once
    /// spacing marks, became letters.
    private static let recategorised: [UInt32: Bool] = {
        var table: [UInt32: Bool] = [0x1885: true, 0x1886: true]
        for value in Array(0x19B0...0x19C0) + [0x19C8, 0x19C9, 0x1CF2, 0x1CF3] {
            table[UInt32(value)] = false
        }
        return table
    }()

    /// Whether this code point keeps a token going once it has started.
    static func isTokenContinuation(_ scalar: Unicode.Scalar) -> Bool {
        isTokenStart(scalar) || isFoldedDiacritic(scalar)
    }

    /// The combining diacritics FTS5 treats as part of the preceding letter (and then removes).
    static func isFoldedDiacritic(_ scalar: Unicode.Scalar) -> Bool {
        foldedDiacritics.contains(scalar.value)
    }

    private static let foldedDiacritics: Set<UInt32> = [
        0x300, 0x301, 0x302, 0x303, 0x304, 0x306, 0x307, 0x308, 0x309, 0x30A, 0x30B, 0x30C, 0x30F,
        0x311, 0x31B, 0x323, 0x324, 0x325, 0x326, 0x327, 0x328, 0x32D, 0x32E, 0x330, 0x331,
    ]

    /// Code points newer than SQLite's Unicode tables, which FTS5 treats as token characters.
    private static func isUnknownToSQLite(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else {
            return false
        }
        return (age.major, age.minor) > sqliteUnicodeVersion
    }

    /// The ranges (offsets into `scalars`) of the tokens FTS5 would produce from this text.
    static func tokenRanges(in scalars: ArraySlice<Unicode.Scalar>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = scalars.startIndex
        while index < scalars.endIndex {
            guard isTokenStart(scalars[index]) else {
                index += 1
                continue
            }
            let start = index
            index += 1
            while index < scalars.endIndex, isTokenContinuation(scalars[index]) {
                index += 1
            }
            ranges.append(start..<index)
        }
        return ranges
    }

    /// The tokens of a piece of text, spelt as typed (FTS5 folds them itself).
    static func tokens(in text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return tokenRanges(in: scalars[...]).map { string(from: scalars[$0]) }
    }

    /// The token as FTS5 stores it in its index: lowercased, Latin diacritics removed. Exact for
    /// Latin, Cyrillic and Greek; elsewhere close (it only steers spelling suggestions).
    static func fold(_ token: String) -> String {
        var folded = String.UnicodeScalarView()
        for scalar in token.unicodeScalars { appendFolded(scalar, to: &folded) }
        return String(folded)
    }

    /// One code point of a token, folded as FTS5 folds it (nothing for a folded diacritic).
    static func appendFolded(_ scalar: Unicode.Scalar, to folded: inout String.UnicodeScalarView) {
        if scalar.value < 0x80 {
            folded.append(lowercasedASCII(scalar))
        } else if isFoldedDiacritic(scalar) {
            return
        } else if let special = specialFolds[scalar.value] {
            folded.append(special)
        } else if isUnknownToSQLite(scalar) {
            folded.append(scalar)
        } else {
            let lower = scalar.properties.lowercaseMapping.unicodeScalars
            // A lowercase form newer than SQLite's tables (Cherokee) is not known to FTS5.
            if lower.contains(where: isUnknownToSQLite) {
                folded.append(scalar)
                return
            }
            for lower in lower where !isFoldedDiacritic(lower) {
                folded.append(latinBase(of: lower) ?? lower)
            }
        }
    }

    /// Where SQLite case-folds rather than lowercases (µ, ſ, Greek variant letters), and two Latin
    /// letters whose diacritics it keeps.
    private static let specialFolds: [UInt32: Unicode.Scalar] = [
        0xB5: "\u{3BC}", 0x17F: "s", 0x1E9B: "s", 0x3C2: "\u{3C3}", 0x3D0: "\u{3B2}", 0x3D1: "\u{3B8}",
        0x3D5: "\u{3C6}", 0x3D6: "\u{3C0}", 0x3F0: "\u{3BA}", 0x3F1: "\u{3C1}", 0x3F5: "\u{3B5}",
        0x1E0: "\u{1E1}", 0x1E1: "\u{1E1}",
    ]

    /// A string made of the given code points.
    static func string(from scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    private static func lowercasedASCII(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        (0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(scalar.value + 32)! : scalar
    }

    /// The ASCII letter under a Latin letter with diacritics (`ệ` → `e`), if it is one.
    private static func latinBase(of scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let value = scalar.value
        guard (0xC0...0x24F).contains(value) || (0x1E00...0x1EFF).contains(value) else {
            return nil
        }
        let parts = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
        guard let base = parts.first, parts.count > 1, base.isASCII, base.properties.isAlphabetic
        else {
            return nil
        }
        let marksOnly = parts.dropFirst().allSatisfy { $0.properties.generalCategory == .nonspacingMark }
        return marksOnly ? lowercasedASCII(base) : nil
    }
}
