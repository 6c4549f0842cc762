// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Caravan",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "caravan", targets: ["caravan"]),
        // For the fuzzing harnesses in Fuzz/, which build these with libFuzzer and AddressSanitizer.
        .library(name: "CaravanCore", targets: ["CaravanCore"]),
        .library(name: "CaravanSearch", targets: ["CaravanSearch"]),
        .library(name: "CaravanRates", targets: ["CaravanRates"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
    ],
    targets: [
        // cmark-gfm, the reference CommonMark renderer, from Debian (libcmark-gfm-dev, libcmark-gfm-extensions-dev).
        .systemLibrary(
            name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        // Snowball's stemmers, from Debian (libstemmer-dev), which ships no pkg-config file.
        .systemLibrary(name: "CStemmer", path: "Sources/CStemmer", providers: [.apt(["libstemmer-dev"])]),
        // libvips, the streaming image library, from Debian (libvips-dev).
        .systemLibrary(name: "CVips", path: "Sources/CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        // Domain: articles, countries, sections, pagination and excerpt maths, rate arithmetic, Markdown. No I/O.
        .target(name: "CaravanCore", dependencies: ["CCmarkGFM"]),
        // Search: the query language, its compilation to FTS5, highlighting, suggestions. No I/O.
        .target(name: "CaravanSearch", dependencies: ["CaravanCore", "CStemmer"]),
        // Rates: national-bank payload parsers, normalisation, precedence, the fetcher.
        .target(
            name: "CaravanRates",
            dependencies: [
                "CaravanCore", "CaravanStorage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // Media: photographs checked, turned upright, stripped of metadata and written at each width, with libvips.
        .target(
            name: "CaravanMedia",
            dependencies: ["CaravanCore", "CaravanStorage", "CVips", .product(name: "Crypto", package: "swift-crypto")]),
        // Storage's interface, whatever the engine: the store protocols, their requests and results, errors, and the
        // domain preparation of an article before it is stored.
        .target(name: "CaravanStorage", dependencies: ["CaravanCore", "CaravanSearch"]),
        // The SQLite engine: every store on one file, FTS5, and the archive index in memory beside it.
        .target(
            name: "CaravanSQLite",
            dependencies: ["CaravanCore", "CaravanSearch", "CaravanStorage", .product(name: "GRDB", package: "GRDB.swift")]),
        // The PostgreSQL engine: every store on one server (and a replica), tsvector search, LISTEN/NOTIFY.
        .target(
            name: "CaravanPostgres",
            dependencies: [
                "CaravanCore", "CaravanSearch", "CaravanStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // Reading stories in: `caravan import jsonl` and the demo's installer, through the store protocol alone.
        .target(name: "CaravanImport", dependencies: ["CaravanCore", "CaravanStorage"]),
        // The commands' tools that reach into both engines: `caravan copy`, the evaluation and the search benchmark.
        .target(
            name: "CaravanTools",
            dependencies: [
                "CaravanCore", "CaravanSearch", "CaravanStorage", "CaravanSQLite", "CaravanPostgres", "CaravanImport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        // What the tests share: hostile queries, a seeded random generator. Never linked into `caravan`.
        .target(name: "CaravanTestSupport"),
        // Bundled demo content: original articles and saved bank payloads.
        .target(
            name: "CaravanDemo",
            dependencies: ["CaravanCore", "CaravanStorage", "CaravanImport", "CaravanRates", "CaravanMedia"],
            resources: [.copy("Content")]),
        // Web: routes, controllers, templates, the JSON API; it sees the stores only through their protocols.
        .target(
            name: "CaravanWeb",
            dependencies: [
                "CaravanCore", "CaravanSearch", "CaravanStorage", "CaravanRates", "CaravanMedia",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Templates"), .copy("Static")]),
        // The composition root: opens the stores a database URL names and builds the served application from them.
        .target(
            name: "CaravanApp",
            dependencies: [
                "CaravanCore", "CaravanStorage", "CaravanSQLite", "CaravanPostgres", "CaravanRates", "CaravanWeb",
                "CaravanDemo", "CaravanMedia",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // The `caravan` command: parses arguments and calls the libraries.
        .executableTarget(
            name: "caravan",
            dependencies: [
                "CaravanCore", "CaravanStorage", "CaravanImport", "CaravanTools", "CaravanRates", "CaravanWeb",
                "CaravanDemo", "CaravanApp", "CaravanMedia",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "CaravanCoreTests", dependencies: ["CaravanCore"]),
        .testTarget(name: "CaravanMediaTests", dependencies: ["CaravanMedia", "CaravanCore", "CaravanTestSupport"]),
        .testTarget(
            name: "CaravanAppTests",
            dependencies: [
                "CaravanApp", "CaravanStorage", "CaravanWeb", .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
        .testTarget(name: "CaravanSearchTests", dependencies: ["CaravanSearch", "CaravanTestSupport"]),
        .testTarget(
            name: "CaravanRatesTests",
            dependencies: [
                "CaravanRates", "CaravanStorage", "CaravanSQLite",
                // A local server for the fetcher's tests, which never touch the internet.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "CaravanStorageTests",
            dependencies: [
                "CaravanStorage", "CaravanSQLite", "CaravanPostgres", "CaravanImport", "CaravanTools", "CaravanApp", "CaravanCore",
                "CaravanTestSupport", "CaravanMedia", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "CaravanWebTests",
            dependencies: [
                "CaravanWeb", "CaravanStorage", "CaravanSQLite", "CaravanPostgres", "CaravanApp", "CaravanDemo",
                "CaravanTestSupport", "CaravanMedia",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // Gunzips compressed responses in the tests.
                .product(name: "CompressNIO", package: "compress-nio"),
                // Talks to real `caravan serve` processes in the two-instance test.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            // The sitemap schemas xmllint checks the served sitemaps against.
            resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
