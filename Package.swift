// swift-tools-version:5.9
import PackageDescription

// Why the flags below exist: a plain `swift build -c release` targets baseline x86-64, where
// `SIMD8<Float>.addingProduct` becomes eight libm `fmaf` calls per vector and the GEMM runs at
// ~1.5 GFLOP/s. `-target-cpu native` lets LLVM emit `vfmadd231ps` and use every register the
// machine has.
//
// SwiftPM rejects `unsafeFlags` in a package that another package depends on by version, so the
// flags are only added when this package is built as the root package (its own checkout). As a
// dependency it stays flag-free; the importing package gets full-speed kernels by building with
// `-Xswiftc -target-cpu -Xswiftc native` (see README.md, "Using SwiftVAE as a dependency").
//
// SWIFTVAE_TARGET_CPU overrides the CPU (for example `haswell` for a portable AVX2 binary) and
// `none` turns the flag off.
let environment = Context.environment
let builtAsDependency = Context.packageDirectory.contains("/checkouts/")
    || Context.packageDirectory.contains("/SourcePackages/")
let requestedCPU = environment["SWIFTVAE_TARGET_CPU"] ?? "native"

var optimizationSettings: [SwiftSetting] = []
#if arch(x86_64)
if !builtAsDependency && requestedCPU != "none" {
    optimizationSettings.append(.unsafeFlags(["-target-cpu", requestedCPU]))
}
#endif

let package = Package(
    name: "SwiftVAE",
    products: [
        .library(name: "SwiftVAE", targets: ["SwiftVAE"]),
        .executable(name: "vae-run", targets: ["vae-run"]),
        .executable(name: "vae-bench", targets: ["vae-bench"]),
    ],
    targets: [
        // Exposes the compiler's __AVX512F__ target-feature macro to Swift, so the
        // GEMM can pick its SIMD16 micro-kernel at build time.
        .target(name: "CVAEFeatures"),
        // Counts malloc & co. by interposition: for the zero-allocation test and vae-bench only.
        .target(name: "CMallocCounter"),
        .target(
            name: "VAEKernels",
            dependencies: ["CVAEFeatures"],
            swiftSettings: optimizationSettings),
        .target(
            name: "SwiftVAE",
            dependencies: ["VAEKernels"],
            swiftSettings: optimizationSettings,
            // Scalar Double.squareRoot (weight initialisation) keeps a libm fallback on Linux.
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        .executableTarget(
            name: "vae-run",
            dependencies: ["SwiftVAE"],
            swiftSettings: optimizationSettings),
        .executableTarget(
            name: "vae-bench",
            dependencies: ["SwiftVAE", "VAEKernels", "CMallocCounter"],
            path: "Benchmarks/vae-bench",
            swiftSettings: optimizationSettings),
        .testTarget(
            name: "VAEKernelsTests",
            dependencies: ["VAEKernels"],
            swiftSettings: optimizationSettings),
        .testTarget(
            name: "SwiftVAETests",
            dependencies: ["SwiftVAE", "CMallocCounter"],
            swiftSettings: optimizationSettings),
    ]
)
