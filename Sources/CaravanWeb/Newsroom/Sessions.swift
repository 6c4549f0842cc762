import CaravanCore
import CaravanStorage
import Foundation
import Hummingbird
import HummingbirdAuth
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// What a signed-in browser's cookie stands for. The account is read afresh on every request, so a changed role
/// applies at once.
struct NewsroomSession: Codable, Sendable {
    var account: Int64
    /// The token every form of this session carries; a form without it was not made by us.
    var csrf: String
    var signedIn: Date
}

/// hummingbird-auth's session storage, kept in the database so that sessions survive a restart and are shared by
/// every instance.
struct DatabaseSessionDriver: PersistDriver {
    let store: any SessionStore
    let clock: @Sendable () -> Date

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        if try await store.session(key: key, now: clock()) != nil { throw PersistError.duplicate }
        try await set(key: key, value: value, expires: expires)
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let data = try JSONEncoder().encode(value)
        let until = expires.map { clock().addingTimeInterval(TimeInterval($0.components.seconds)) }
        try await store.saveSession(key: key, data: data, expires: until)
    }

    func get<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: type)?.object
    }

    func getWithTTL<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> (
        object: Object, ttl: Duration?
    )? {
        let now = clock()
        guard let stored = try await store.session(key: key, now: now) else { return nil }
        do {
            let object = try JSONDecoder().decode(type, from: stored.data)
            return (object, stored.expires.map { .seconds(Int64($0.timeIntervalSince(now))) })
        } catch {
            throw PersistError.invalidConversion
        }
    }

    func remove(key: String) async throws {
        try await store.removeSession(key: key)
    }
}

/// Random tokens for sessions' forms, the sign-in form and invitations.
enum Token {
    static func make(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/", with: "_"
        )
        .replacingOccurrences(of: "=", with: "")
    }

    /// Compares in time that does not depend on where the strings differ.
    static func matches(_ given: String?, _ expected: String) -> Bool {
        guard let given, !expected.isEmpty else { return false }
        let a = Array(given.utf8)
        let b = Array(expected.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// bcrypt, off the request's executor: a check takes long on purpose and must not stall other requests.
public struct PasswordHasher: Sendable {
    let cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash at this hasher's cost to check against when the address is unknown, so a wrong address costs exactly
    /// the work of a wrong password and timing does not tell who has an account. Made once per cost, when first needed.
    func decoy() async throws -> String {
        if let known = Self.decoys.withLock({ $0[cost] }) { return known }
        let made = try await hash("caravan decoy password")
        Self.decoys.withLock { $0[cost] = made }
        return made
    }
    private static let decoys = Mutex<[UInt8: String]>([:])
}
