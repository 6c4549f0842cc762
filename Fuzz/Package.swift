// swift-tools-version:6.1
// libFuzzer harnesses for Caravan's parsers, built apart from the product: `scripts/fuzz` builds them with
// `-sanitize=fuzzer,address` and runs each on a seed corpus made from the repository's own fixtures.
import PackageDescription

let package = Package(
    name: "CaravanFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Caravan", path: "..")],
    targets: [
        // Hands each harness to libFuzzer's driver, since SwiftPM's executables keep their own main.
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzQuery", dependencies: ["FuzzDriver", .product(name: "CaravanSearch", package: "Caravan"), .product(name: "CaravanCore", package: "Caravan")]),
        .executableTarget(name: "FuzzArticleLine", dependencies: ["FuzzDriver", .product(name: "CaravanCore", package: "Caravan")]),
        .executableTarget(
            name: "FuzzBankPayloads", dependencies: ["FuzzDriver", .product(name: "CaravanRates", package: "Caravan")]),
        .executableTarget(name: "FuzzMarkdown", dependencies: ["FuzzDriver", .product(name: "CaravanCore", package: "Caravan")]),
    ],
    swiftLanguageModes: [.v6]
)
