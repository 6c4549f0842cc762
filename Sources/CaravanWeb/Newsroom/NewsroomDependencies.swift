import CaravanCore
import CaravanStorage
import Foundation

/// The newsroom's stores and settings, chosen by the composition root.
public struct NewsroomDependencies: Sendable {
    public var stories: any NewsroomStore
    public var accounts: any AccountStore
    public var sessions: any SessionStore
    public var configuration: NewsroomConfiguration

    public init(
        stories: any NewsroomStore, accounts: any AccountStore, sessions: any SessionStore,
        configuration: NewsroomConfiguration = NewsroomConfiguration()
    ) {
        self.stories = stories
        self.accounts = accounts
        self.sessions = sessions
        self.configuration = configuration
    }
}

/// How the newsroom guards itself; the defaults are for production.
public struct NewsroomConfiguration: Sendable {
    /// bcrypt's cost: 12 takes a quarter of a second per check on a server, which is the point.
    public var passwordCost: UInt8
    /// A signed-in session lasts this long after its last use.
    public var sessionLifetime: Duration
    public var throttle: SignInThrottle
    /// Wrong passwords one client may send for any addresses before it has to wait: one client cannot try address
    /// after address, while `throttle` counts each address from each client apart, so nobody locks out another.
    public var clientThrottle: SignInThrottle
    public var invitationLifetime: TimeInterval

    public init(
        passwordCost: UInt8 = 12, sessionLifetime: Duration = .seconds(12 * 3600),
        throttle: SignInThrottle = SignInThrottle(),
        clientThrottle: SignInThrottle = SignInThrottle(allowedFailures: 20),
        invitationLifetime: TimeInterval = 7 * 86_400
    ) {
        self.passwordCost = passwordCost
        self.sessionLifetime = sessionLifetime
        self.throttle = throttle
        self.clientThrottle = clientThrottle
        self.invitationLifetime = invitationLifetime
    }
}
