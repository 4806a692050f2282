// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "keen-reports",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keen-reports", targets: ["keen-reports"]),
        .library(name: "KeenReports", targets: ["KeenReports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CLibCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        .systemLibrary(
            name: "CLibCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "KeenReports",
            dependencies: ["CLibPQ", "CLibCSV", "CLibCrypto", "CLibXlsxWriter", "CLibCurl",
                           .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams")],
            swiftSettings: [
                // The row loops append to buffers held by writer objects; the
                // run-time exclusivity checks on them cost about 5% of an
                // export (perf, scripts/bench). Debug builds keep them.
                .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
            ]
        ),
        .executableTarget(
            name: "keen-reports",
            dependencies: [
                "KeenReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "KeenReportsTests",
            dependencies: ["KeenReports", .product(name: "Yams", package: "Yams")]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["KeenReports", "keen-reports", .product(name: "Logging", package: "swift-log")],
            // The Python helpers the tests run (a browser check, servers, readers).
            exclude: ["Support/browser_check.py", "Support/xlsx_dump.py", "Support/mail_server.py", "Support/http_receiver.py",
                      "Support/mail_read.py"]
        ),
    ]
)
