// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "attendance",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "attendance", targets: ["attendance"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Pure domain: no I/O, no frameworks.
        .target(name: "AttendanceCore"),
        // CSV (and later CTF) readers and writers on top of the core.
        .target(name: "AttendanceInterop", dependencies: ["AttendanceCore"]),
        // Fluent models, migrations and repositories. No Vapor.
        .target(
            name: "AttendanceStore",
            dependencies: [
                "AttendanceCore",
                "AttendanceInterop",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Passwords (bcrypt, from Vapor) and random secrets, for the web and the command alike.
        .target(
            name: "AttendanceAccounts",
            dependencies: [
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Letters, their PDFs, and the email and text-message senders.
        .target(
            name: "AttendanceLetters",
            dependencies: [
                "AttendanceCore",
                "AttendanceStore",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "AttendanceWeb",
            dependencies: [
                "AttendanceAccounts",
                "AttendanceCore",
                "AttendanceInterop",
                "AttendanceStore",
                "AttendanceLetters",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "attendance",
            dependencies: [
                "AttendanceAccounts",
                "AttendanceCore",
                "AttendanceInterop",
                "AttendanceStore",
                "AttendanceWeb",
                "AttendanceLetters",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        // libFuzzer targets for what reads input from outside (scripts/fuzz builds them with -sanitize=fuzzer).
        .executableTarget(name: "FuzzImportRows", dependencies: ["AttendanceCore", "AttendanceInterop"], path: "Fuzz/FuzzImportRows"),
        .executableTarget(name: "FuzzTables", dependencies: ["AttendanceCore"], path: "Fuzz/FuzzTables"),
        .executableTarget(name: "FuzzCTF", dependencies: ["AttendanceInterop"], path: "Fuzz/FuzzCTF"),
        .executableTarget(name: "FuzzDates", dependencies: ["AttendanceCore"], path: "Fuzz/FuzzDates"),
        .executableTarget(
            name: "FuzzRegisterSave", dependencies: ["AttendanceCore", "AttendanceInterop"], path: "Fuzz/FuzzRegisterSave"),
        .testTarget(name: "AttendanceCoreTests", dependencies: ["AttendanceCore"]),
        .testTarget(name: "AttendanceInteropTests", dependencies: ["AttendanceCore", "AttendanceInterop"]),
        .testTarget(
            name: "AttendanceStoreTests",
            dependencies: [
                "AttendanceCore", "AttendanceStore", "AttendanceInterop",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        .testTarget(
            name: "AttendanceLettersTests",
            dependencies: [
                "AttendanceCore", "AttendanceLetters", "AttendanceStore", "AttendanceInterop",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "AttendanceWebTests",
            dependencies: [
                "AttendanceAccounts",
                "AttendanceCore",
                "AttendanceLetters",
                "AttendanceWeb",
                "AttendanceStore",
                "AttendanceInterop",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Every target: `any` spelled out for existentials, and a member visible only where its module is imported.
for target in package.targets {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility"),
        ]
}
