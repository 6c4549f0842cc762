import ArgumentParser
import CaravanCore
import CaravanStorage
import CaravanWeb
import Foundation

/// `caravan user add`: makes newsroom accounts from the command line, the first admin above all.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manages newsroom accounts.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Creates an account; the password is read from standard input (asked for twice on a terminal).")

        @OptionGroup var global: GlobalOptions

        @Option(help: "The person's email address; they sign in with it.")
        var email: String

        @Option(help: "admin, editor or author.")
        var role: String

        @Option(help: "The name stories are credited to (default: the part of the email before @).")
        var name: String?

        func run() async throws {
            try await reportingFailures {
                guard let address = AccountRules.normalizedEmail(email) else {
                    throw CommandFailure("--email: \"\(email)\" is not an email address")
                }
                guard let accountRole = Account.Role(rawValue: role) else {
                    throw CommandFailure("--role must be admin, editor or author, not \"\(role)\"")
                }
                let password = try PasswordInput.read()
                if let problem = AccountRules.passwordProblem(password) { throw CommandFailure(problem) }
                let displayName =
                    name?.trimmingCharacters(in: .whitespaces).isEmpty == false
                    ? name!.trimmingCharacters(in: .whitespaces) : String(address.prefix(while: { $0 != "@" }))
                let hash = try await PasswordHasher().hash(password)
                let account: Account = try await global.withStores { stores in
                    do {
                        return try await stores.accounts.addAccount(
                            email: address, name: displayName, role: accountRole, passwordHash: hash, now: Date())
                    } catch let error as AccountError {
                        throw CommandFailure(error.description)
                    }
                }
                print("created \(account.role.rawValue) \(account.email) (\(account.name)); sign in at /admin/login")
            }
        }
    }
}

/// Reads a password: one line from a pipe, or typed twice without echo on a terminal.
enum PasswordInput {
    static func read() throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true) else {
                throw CommandFailure("no password on standard input (pipe it in, or run on a terminal to type it)")
            }
            return line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
        let first = try prompt("Password: ")
        let second = try prompt("Password again: ")
        guard first == second else { throw CommandFailure("the two passwords are not the same") }
        return first
    }

    private static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw CommandFailure("no password given") }
        return line
    }
}
