#if canImport(Glibc)
    import Glibc
#endif

// libFuzzer's entry for programs that keep their own main, as SwiftPM's executables do.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

nonisolated(unsafe) private var harness: ((UnsafeBufferPointer<UInt8>) -> Void)?

/// Runs libFuzzer with the command line's options, feeding every input to `body`.
public func runFuzzer(_ body: @escaping (UnsafeBufferPointer<UInt8>) -> Void) -> Never {
    harness = body
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        harness?(UnsafeBufferPointer(start: data, count: size))
        return 0
    }
    exit(status)
}

/// What libFuzzer's runtime links against; the driver above calls the same harness.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    harness?(UnsafeBufferPointer(start: data, count: size))
    return 0
}
