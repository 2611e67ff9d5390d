// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ConnectSite",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "build-site", targets: ["build-site"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.4.0"),
    ],
    targets: [
        // System libraries: libcmark renders Markdown, zlib writes the gzip variants.
        .systemLibrary(name: "CCMark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Swaps the new public/ in with one renameat2(RENAME_EXCHANGE).
        .target(name: "CAtomicRename"),

        // The shared vocabulary of the builder, the server and the sandbox.
        .target(name: "ConnectAPI"),

        .target(
            name: "SiteBuilder",
            dependencies: [
                "CAtomicRename", "CCMark", "CZlib", "ConnectAPI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "OpenAPIKit30", package: "OpenAPIKit"),
            ]
        ),
        .executableTarget(
            name: "build-site",
            dependencies: ["SiteBuilder", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        .testTarget(name: "ConnectAPITests", dependencies: ["ConnectAPI"]),
        .testTarget(
            name: "SiteBuilderTests",
            dependencies: ["SiteBuilder", "ConnectAPI"],
            exclude: ["Fixtures", "Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
