import CaravanStorage
import Foundation
import Synchronization
import Testing

@Suite("One archive rebuild at a time")
struct ArchiveRebuildTests {
    struct Broken: Error {}

    @Test("callers that arrive while a rebuild runs wait for that one and see how it ended; the next call starts afresh")
    func waitersShareTheOutcome() async throws {
        let rebuilds = ArchiveRebuild()
        let runs = Mutex(0)
        let gate = AsyncStream<Void>.makeStream()
        let stream = gate.stream
        let failing: @Sendable () async throws -> Void = {
            runs.withLock { $0 += 1 }
            for await _ in stream { break }
            throw Broken()
        }
        let first = Task { try await rebuilds.runOrAwait(failing) }
        while !rebuilds.isUnderway { try await Task.sleep(for: .milliseconds(5)) }
        let second = Task { try await rebuilds.runOrAwait(failing) }
        try await Task.sleep(for: .milliseconds(50))
        gate.continuation.yield()
        await #expect(throws: Broken.self) { try await first.value }
        await #expect(throws: Broken.self, "the waiter is told the rebuild it waited for failed") { try await second.value }
        #expect(runs.withLock { $0 } == 1, "the second caller did not build a second index")
        #expect(!rebuilds.isUnderway)
        try await rebuilds.runOrAwait { runs.withLock { $0 += 1 } }
        #expect(runs.withLock { $0 } == 2)
    }
}

@Suite("Work asked for in bursts")
struct CoalescedWorkTests {
    @Test("a hundred requests during a run make one more run, not a hundred; a later request runs again")
    func bursts() async throws {
        let runs = Mutex(0)
        let gate = AsyncStream<Void>.makeStream()
        let stream = gate.stream
        let work = CoalescedWork {
            let number = runs.withLock { $0 += 1; return $0 }
            if number == 1 { for await _ in stream { break } }
        }
        work.ask()
        while runs.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        for _ in 0..<100 { work.ask() }
        gate.continuation.yield()
        func waitFor(_ count: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(10)
            while runs.withLock({ $0 }) < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        }
        try await waitFor(2)
        try await Task.sleep(for: .milliseconds(300))
        #expect(runs.withLock { $0 } == 2, "the run under way, then one for all the requests that came meanwhile")
        work.ask()
        try await waitFor(3)
        #expect(runs.withLock { $0 } == 3)
    }
}
