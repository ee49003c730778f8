// swift-tools-version:5.9
// A separate package that depends on SwiftVAE and uses its public API exactly as documented.
// `.ci/check-client-package.sh` builds it against a tagged copy of this repository, i.e. as a
// versioned dependency (the case where SwiftPM forbids unsafe flags).
import PackageDescription
import Foundation

let source = ProcessInfo.processInfo.environment["SWIFTVAE_CLIENT_DEPENDENCY_URL"]
let package = Package(
    name: "api-client",
    dependencies: [
        source.map { .package(url: $0, from: "0.1.0") } ?? .package(path: "../.."),
    ],
    targets: [
        .executableTarget(name: "api-client", dependencies: [
            .product(name: "SwiftVAE", package: "SwiftVAE"),
        ]),
    ]
)
