// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "netrun",
    // macOS 13 for ContinuousClock (GRDB alone needs 10.15); Linux has no minimum.
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "netrun", targets: ["netrun"]),
        .library(name: "NetrunCore", targets: ["NetrunCore"]),
        .library(name: "NetrunRunner", targets: ["NetrunRunner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // libyaml from the system (Debian: libyaml-dev, Homebrew: libyaml).
        .systemLibrary(
            name: "LibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),
        // zlib from the system, for .gz data files (Debian: zlib1g-dev; part of macOS).
        .systemLibrary(
            name: "SystemZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),

        // OpenSSL's libcrypto from the system, for SHA-256 (Debian: libssl-dev, Homebrew: openssl@3).
        .systemLibrary(
            name: "SystemCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),

        // Float32 matrix multiply: packed, register-tiled (AVX2/FMA picked at run time), threaded.
        .target(name: "NetrunKernels"),
        // Math and learning, no I/O.
        .target(name: "NetrunCore", dependencies: ["NetrunKernels"]),
        // YAML text → node tree → typed Config → Network.
        .target(name: "NetrunConfig", dependencies: ["NetrunCore", "LibYAML"]),
        // Data sets: inline samples, CSV, IDX, CIFAR-10, synthetic sets, splits, preprocessing.
        .target(name: "NetrunData", dependencies: ["NetrunCore", "NetrunConfig", "SystemZlib"]),
        // SQLite: migrations, runs, metrics, weights; SHA-256 fingerprints.
        .target(name: "NetrunStore", dependencies: [
            "NetrunCore", "SystemCrypto",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // SVG charts and pictures of runs, drawn once as SVG; librsvg renders the PNG from the same SVG,
        // opened at run time (Debian: librsvg2-2, Homebrew: librsvg) when the first PNG is drawn.
        .target(name: "NetrunPlot"),
        // One training run end to end: config → data → network → trainer → store.
        .target(name: "NetrunRunner", dependencies: ["NetrunCore", "NetrunConfig", "NetrunData", "NetrunStore"]),
        // The command line: parses arguments and prints.
        .executableTarget(name: "netrun", dependencies: [
            "NetrunRunner", "NetrunPlot",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // bench/compare.py's netrun side: timed runs, sweeps and matrix products as JSON.
        .executableTarget(name: "netrun-bench", dependencies: [
            "NetrunRunner", "NetrunKernels",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Counts the test process's heap allocations (a counting malloc), for the no-allocation-per-step test.
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        .testTarget(name: "NetrunCoreTests", dependencies: ["NetrunCore", "NetrunKernels", "AllocationCounter"]),
        .testTarget(name: "NetrunConfigTests", dependencies: ["NetrunConfig", "NetrunCore"]),
        .testTarget(name: "NetrunDataTests", dependencies: ["NetrunData", "NetrunCore"]),
        .testTarget(name: "NetrunStoreTests", dependencies: [
            "NetrunStore", "NetrunCore", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "NetrunRunnerTests", dependencies: [
            "NetrunRunner", "NetrunConfig", "NetrunData", "NetrunStore", "NetrunCore",
            // The sharded-sweep tests compare merged databases row by row.
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The PNG tests read pictures back with cairo.
        .testTarget(name: "NetrunPlotTests", dependencies: ["NetrunPlot"]),
        .testTarget(name: "netrunCLITests", dependencies: [
            "netrun", "NetrunStore",
            // The fuzz tests run most cases in process and read the databases the binary leaves.
            "NetrunRunner", "NetrunConfig", "NetrunData", "NetrunCore", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
    ]
)
