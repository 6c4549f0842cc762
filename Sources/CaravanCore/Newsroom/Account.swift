import Foundation

/// A person who works in the newsroom.
public struct Account: Sendable, Hashable, Identifiable {
    public struct ID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public let rawValue: Int64
        public init(rawValue: Int64) { self.rawValue = rawValue }
        public var description: String { String(rawValue) }
        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(Int64.self)
        }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    public var id: ID
    /// Stored lower-cased: people type their address in any case.
    public var email: String
    /// The name stories are credited to by default.
    public var name: String
    public var role: Role
    public var created: Date

    public init(id: ID, email: String, name: String, role: Role, created: Date) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.created = created
    }

    /// What each kind of newsroom member may do.
    public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
        /// Everything, and manages people.
        case admin
        /// Edits, publishes and takes down every story.
        case editor
        /// Writes and edits their own drafts; cannot publish.
        case author

        public var publishes: Bool { self != .author }
        public var editsEveryStory: Bool { self != .author }
        public var managesPeople: Bool { self == .admin }

        public var label: String {
            switch self {
            case .admin: "Admin"
            case .editor: "Editor"
            case .author: "Author"
            }
        }

        private var rank: Int {
            switch self {
            case .admin: 0
            case .editor: 1
            case .author: 2
            }
        }
        public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
    }
}

/// An account with the hash its password is checked against; only sign-in ever reads it.
public struct Credentials: Sendable, Hashable {
    public var account: Account
    public var passwordHash: String
    public init(account: Account, passwordHash: String) {
        self.account = account
        self.passwordHash = passwordHash
    }
}

/// An admin's invitation to join the newsroom: whoever opens its link sets a password and becomes the account.
public struct Invitation: Sendable, Hashable {
    public var token: String
    public var email: String
    public var name: String
    public var role: Account.Role
    public var invitedBy: Account.ID
    public var expires: Date

    public init(token: String, email: String, name: String, role: Account.Role, invitedBy: Account.ID, expires: Date) {
        self.token = token
        self.email = email
        self.name = name
        self.role = role
        self.invitedBy = invitedBy
        self.expires = expires
    }
}

/// Rules for what people type when they make an account.
public enum AccountRules {
    public static let minimumPasswordLength = 10
    /// bcrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused instead.
    public static let maximumPasswordBytes = 72

    /// The address lower-cased and trimmed, or nil when it is not an email address.
    public static func normalizedEmail(_ text: String) -> String? {
        let email = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), email.count <= 254,
            !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
        else { return nil }
        return email
    }

    /// Why a password cannot be used, or nil when it can.
    public static func passwordProblem(_ password: String) -> String? {
        if password.count < minimumPasswordLength {
            return "The password must be at least \(minimumPasswordLength) characters long."
        }
        if password.utf8.count > maximumPasswordBytes {
            return "The password must be at most \(maximumPasswordBytes) bytes long."
        }
        if password.unicodeScalars.contains(where: { $0 == "\0" }) {
            return "The password cannot contain a NUL character."
        }
        return nil
    }
}
