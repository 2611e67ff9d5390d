// swift-tools-version:6.0
// The proxy floor on swift-nio: a relay with NIO's HTTP/1 decoders and nothing else.
// Its own package, so that the root package's build is not touched.
import PackageDescription

let package = Package(
    name: "NIORelay",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "NIORelay",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
    ]
)
