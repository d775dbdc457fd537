// swift-tools-version: 6.1
//
// xen-kexec: plan and load Linux crash kernels into the Xen hypervisor
// through libxenctrl's kexec calls.
import PackageDescription

let package = Package(
    name: "xen-kexec",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "xen-kexec-load", targets: ["xen-kexec-load"]),
        .library(name: "KexecImage", targets: ["KexecImage"]),
        .library(name: "KexecPlan", targets: ["KexecPlan"]),
        .library(name: "KexecTrust", targets: ["KexecTrust"]),
        .library(name: "XenKexec", targets: ["XenKexec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
    ],
    targets: [
        // Pure Swift: kernel image formats. No Foundation, no system calls.
        .target(name: "KexecImage"),
        // Authenticode: the PE image hash, PKCS#7 SignedData / SpcIndirectDataContent, the
        // signer's chain to UEFI trust anchors (db, MokList, given certificates), revocation.
        // No system calls: the caller hands in the bytes.
        .target(
            name: "KexecTrust",
            dependencies: [
                "KexecImage",
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The purgatory Xen enters for the classic types: an x86-64 program assembled here (its
        // assembler, SHA-256 and console routines, the digest table) from plain inputs, like
        // kexec-tools' purgatory/ beside kexec/. Pure Swift: no Foundation, no system calls.
        .target(name: "KexecPurgatory"),
        // The planner: segments, boot_params, ELF core header, XenRules; the purgatory's
        // inputs (KexecPurgatory builds it). No system calls.
        .target(
            name: "KexecPlan",
            dependencies: [
                "KexecImage",
                "KexecPurgatory",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // libxenctrl from Debian's libxen-dev, found with pkg-config.
        .systemLibrary(
            name: "CXenCtrl",
            pkgConfig: "xencontrol",
            providers: [.apt(["libxen-dev"])]
        ),
        // The hypervisor protocol, the libxenctrl backend, the recording fake.
        .target(
            name: "XenKexec",
            dependencies: [
                "KexecImage",
                "KexecPlan",
                "KexecTrust",
                "CXenCtrl",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // XenctrlHypervisor calls xtl_createlogger_stdiostream (the quiet libxenctrl
            // logger), which is in libxentoollog; xencontrol.pc only lists that library as
            // Requires.private.
            linkerSettings: [.linkedLibrary("xentoollog")]
        ),
        .executableTarget(
            name: "xen-kexec-load",
            dependencies: [
                "KexecImage",
                "KexecPlan",
                "KexecTrust",
                "XenKexec",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            // XEN_KEXEC_TEST_HOOKS: debug builds only (what the CLITests run). It keeps the hidden
            // `--sysfs-root` of load, provision and inspect, which moves where lockdown, db and
            // dbx are read from. Release builds (the .deb, the e2e dom0) never have it;
            // tools/check-deb.sh checks the packaged binary. The fault-injection loads are in
            // the test-only xen-kexec-fidelity (`fault-load`), never in this binary.
            swiftSettings: [.define("XEN_KEXEC_TEST_HOOKS", .when(configuration: .debug))],
            // The release binary stays position-independent (address-space randomisation for
            // a root tool), and its 92 000 relative relocations are packed (DT_RELR, glibc
            // 2.36+, lld): the dynamic loader no longer reads a 2.2 MB table at every start
            // (docs/performance.md, "Small commands").
            linkerSettings: [
                .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"],
                             .when(platforms: [.linux], configuration: .release)),
            ]
        ),
        // Test tooling, never shipped: the seeded generator the property tests and the
        // differential test draw from, and the Xen rules case generator.
        // The purgatory's routines mapped executable (the execution tests and the SHA-256 bench).
        .target(name: "KexecTestSupport", dependencies: ["KexecPlan", "KexecPurgatory"]),
        // tools/bench/purgatory-sha256-bench.sh: the purgatory's SHA-256 paths timed natively.
        // Not a product: the .deb does not carry it.
        .executableTarget(
            name: "xen-kexec-purgatory-bench",
            dependencies: ["KexecPurgatory", "KexecTestSupport"]
        ),
        // The differential test of XenRules against a running Xen (tools/e2e fidelity-*
        // scenarios copy it into the test dom0), and `fault-load`, the loads with injected
        // faults the refused-reload and purgatory scenarios need. Not a product: the .deb
        // does not carry it.
        .executableTarget(
            name: "xen-kexec-fidelity",
            dependencies: [
                "KexecImage",
                "KexecPlan",
                "KexecTestSupport",
                "XenKexec",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .testTarget(name: "KexecImageTests", dependencies: ["KexecImage", "KexecTestSupport"]),
        .testTarget(
            name: "KexecTrustTests",
            dependencies: [
                "KexecTrust", "KexecImage",
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(name: "KexecPlanTests", dependencies: ["KexecPlan", "KexecImage", "KexecPurgatory", "KexecTestSupport"]),
        .testTarget(
            name: "KexecPurgatoryTests",
            dependencies: ["KexecPurgatory", "KexecTestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "XenKexecTests",
            dependencies: [
                // xen-kexec-load: the fault campaign runs `provision` (ProvisionRun) and maps
                // each outcome to the CLI's exit code (Diagnosis).
                "XenKexec", "xen-kexec-load", "KexecPlan", "KexecImage", "KexecTrust",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // examples/PlanValidation: offline plan validation with the library alone, as a
        // distribution's CI would run it (docs/library.md). Built and run by `swift test`.
        .testTarget(
            name: "PlanValidationExample",
            dependencies: ["KexecPlan", "KexecImage"],
            path: "examples/PlanValidation",
            exclude: ["README.md", "hosts"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "xen-kexec-load", "xen-kexec-fidelity", "XenKexec", "KexecPlan",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
