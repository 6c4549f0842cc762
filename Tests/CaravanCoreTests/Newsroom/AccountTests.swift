import CaravanCore
import Foundation
import Testing

@Suite("Newsroom roles")
struct AccountRoleTests {
    @Test(arguments: [
        (Account.Role.admin, true, true, true, "Admin"),
        (.editor, true, true, false, "Editor"),
        (.author, false, false, false, "Author"),
    ])
    func whatEachRoleMayDo(
        role: Account.Role, publishes: Bool, editsEveryStory: Bool, managesPeople: Bool, label: String
    ) {
        #expect(role.publishes == publishes)
        #expect(role.editsEveryStory == editsEveryStory)
        #expect(role.managesPeople == managesPeople)
        #expect(role.label == label)
    }

    @Test(arguments: [
        ([Account.Role.author, .admin, .editor], [Account.Role.admin, .editor, .author]),
        ([.author, .author, .editor], [.editor, .author, .author]),
        ([], []),
    ])
    func peopleListsSortFromMostToLeastPowerful(roles: [Account.Role], sorted: [Account.Role]) {
        #expect(roles.sorted() == sorted)
    }

    /// The role is stored by its raw value; a stored value we no longer know must not become some role by accident.
    @Test(arguments: [
        ("admin", Account.Role.admin as Account.Role?),
        ("editor", .editor),
        ("author", .author),
        ("Admin", nil),
        ("owner", nil),
        ("", nil),
    ])
    func storedRoleNames(stored: String, role: Account.Role?) {
        #expect(Account.Role(rawValue: stored) == role)
        if let role { #expect(role.rawValue == stored) }
    }
}

@Suite("Email addresses people type when they sign in or are invited")
struct NormalizedEmailTests {
    @Test(arguments: [
        ("ainur@example.kz", "ainur@example.kz" as String?),
        ("Ainur.Sarsenova@Example.KZ", "ainur.sarsenova@example.kz"),
        ("  reporter@caravan.news \n", "reporter@caravan.news"),
        ("\treporter+tips@caravan.news", "reporter+tips@caravan.news"),
        ("АЙНУР@ПОЧТА.KZ", "айнур@почта.kz"),
        ("a@b.co", "a@b.co"),
        ("", nil),
        ("   ", nil),
        ("reporter", nil),
        ("reporter@", nil),
        ("@caravan.news", nil),
        ("reporter@caravan", nil),
        ("reporter@.caravan.news", nil),
        ("reporter@caravan.news.", nil),
        ("reporter@@caravan.news", nil),
        ("a@b@caravan.news", nil),
        ("re porter@caravan.news", nil),
        ("reporter@caravan .news", nil),
        ("\"Ainur\" <ainur@example.kz>", nil),
        ("<ainur@example.kz>", nil),
        ("\"ainur\"@example.kz", nil),
        (String(repeating: "a", count: 242) + "@example.com", String(repeating: "a", count: 242) + "@example.com"),
        (String(repeating: "a", count: 243) + "@example.com", nil),
    ])
    func normalized(typed: String, email: String?) {
        #expect(AccountRules.normalizedEmail(typed) == email)
    }
}

@Suite("Passwords")
struct PasswordProblemTests {
    static let tooShort = "The password must be at least 10 characters long."
    static let tooLong = "The password must be at most 72 bytes long."
    static let nul = "The password cannot contain a NUL character."

    @Test(arguments: [
        ("", tooShort as String?),
        ("123456789", tooShort),
        ("0123456789", nil),
        ("correct horse battery staple", nil),
        // Length counts what a person sees, not bytes: nine keys are nine characters however many bytes they take.
        ("🔑🔑🔑🔑🔑🔑🔑🔑🔑", tooShort),
        ("пароль-для", nil),
        // bcrypt reads 72 bytes: exactly 72 is fine, 73 would be silently cut, so it is refused.
        (String(repeating: "a", count: 72), nil),
        (String(repeating: "a", count: 73), tooLong),
        (String(repeating: "ж", count: 36), nil),
        (String(repeating: "ж", count: 37), tooLong),
        ("0123456789\0", nul),
        ("\0123456789abc", nul),
    ])
    func problem(password: String, problem: String?) {
        #expect(AccountRules.passwordProblem(password) == problem)
    }
}

@Suite("Sign-in throttle: five wrong passwords, then a fifteen-minute wait")
struct SignInThrottleTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)
    static func at(_ minutes: Double) -> Date { start.addingTimeInterval(minutes * 60) }

    /// Failures and "now" in minutes from a fixed start; the expected end of the lockout in the same minutes.
    @Test(
        arguments: [
            ([], 0, nil),
            ([0, 1, 2, 3], 4, nil),
            ([0, 1, 2, 3, 4], 4, 19 as Double?),
            ([4, 0, 3, 1, 2], 4, 19),
            ([0, 1, 2, 3, 4, 5], 5, 20),
            // The wait is counted from the last failure and lasts until it is over, however the failures were spread.
            ([0, 1, 2, 3, 4], 18.9, 19),
            ([0, 1, 2, 3, 4], 19, nil),
            ([0, 1, 2, 3, 4], 60, nil),
            ([0, 0, 0, 0, 14], 14, 29),
            ([0, 0, 0, 0, 14], 16, 29),
            ([0, 0, 0, 0, 14], 28.5, 29),
            ([0, 0, 0, 0, 14], 29, nil),
            // Failures spread wider than the window never add up to a lockout.
            ([0, 4, 8, 12, 16], 16, nil),
            ([-20, -19, 0, 1, 2], 2, nil),
            // After a lockout has run out, one more wrong password does not lock again.
            ([0, 1, 2, 3, 4, 20], 20, nil),
        ] as [([Double], Double, Double?)])
    func defaultThrottle(failures: [Double], now: Double, lockedUntil: Double?) {
        let throttle = SignInThrottle()
        #expect(throttle.lockedUntil(failures: failures.map(Self.at), now: Self.at(now)) == lockedUntil.map(Self.at))
    }

    /// A lockout longer than the window still lasts its full length.
    @Test(
        arguments: [
            ([0, 1, 2], 2, 62 as Double?),
            ([0, 1, 2], 30, 62),
            ([0, 1, 2], 61.5, 62),
            ([0, 1, 2], 62, nil),
            ([0, 1], 2, nil),
            ([0, 5, 11], 11, nil),
        ] as [([Double], Double, Double?)])
    func threeFailuresInTenMinutesLockForAnHour(failures: [Double], now: Double, lockedUntil: Double?) {
        let throttle = SignInThrottle(allowedFailures: 3, window: 10 * 60, lockout: 60 * 60)
        #expect(throttle.lockedUntil(failures: failures.map(Self.at), now: Self.at(now)) == lockedUntil.map(Self.at))
    }

    @Test(
        arguments: [
            (900, "15 minutes"),
            (841, "15 minutes"),
            (840, "14 minutes"),
            (61, "2 minutes"),
            (60, "1 minute"),
            (30, "1 minute"),
            (1, "1 minute"),
            // A person who sees the message is waiting: never "0 minutes".
            (0, "1 minute"),
            (-30, "1 minute"),
        ] as [(Double, String)])
    func waitText(seconds: Double, text: String) {
        #expect(SignInThrottle.waitText(from: Self.start, until: Self.start.addingTimeInterval(seconds)) == text)
    }
}
