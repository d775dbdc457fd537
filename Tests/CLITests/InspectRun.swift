import Foundation
import Testing

/// Runs the `xen-kexec-load` binary built next to the test bundle.
enum InspectRun {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs the built tool (found and run by `BackendBinaryTests.run`).
    static func run(_ arguments: [String]) throws -> Result {
        let r = try BackendBinaryTests.run(arguments)
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    /// Writes bytes to a fresh temporary file and returns its path.
    static func write(_ bytes: [UInt8], name: String) throws -> String {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("xen-kexec-inspect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// A pinned kernel is not in the cache: the test fails with the command to run.
    struct MissingKernel: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "pinned test kernel missing at \(path); fetch it with: tools/fetch-test-kernels.sh (see Tests/Fixtures/README.md)"
        }
    }

    /// Fails loudly (with the command to run) when a pinned kernel is not in the cache; never skips.
    static func requireKernel(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw MissingKernel(path: path) }
    }
}

/// Small synthetic files for the CLI tests (the full builders live in KexecImageTests).
struct InspectFixture: Sendable, CustomStringConvertible {
    let name: String
    let bytes: [UInt8]
    let field: String
    let offset: String

    var description: String { name }

    /// A minimal loadable bzImage (no EFI stub): protocol 2.15, 64-bit, relocatable.
    static var loadable: [UInt8] {
        var b = [UInt8](repeating: 0, count: 0x2000)
        func put(_ v: UInt64, _ at: Int, _ n: Int) { for i in 0..<n { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * i)) } }
        put(7, 0x1F1, 1)              // setup_sects: kern16 = 4 KiB
        put(0x100, 0x1F4, 4)          // syssize
        put(0xAA55, 0x1FE, 2)
        put(0x5372_6448, 0x202, 4)    // "HdrS"
        put(0x020F, 0x206, 2)
        put(1, 0x211, 1)              // LOADED_HIGH
        put(0x20_0000, 0x230, 4)      // kernel_alignment
        put(1, 0x234, 1)              // relocatable
        put(0x7F, 0x236, 2)           // xloadflags
        put(0x40_0000, 0x260, 4)      // init_size
        return b
    }

    static func patched(_ edit: (inout [UInt8]) -> Void) -> [UInt8] {
        var b = loadable
        edit(&b)
        return b
    }

    static let malformed: [InspectFixture] = [
        InspectFixture(name: "bad-boot-flag", bytes: patched { $0[0x1FE] = 0x12 }, field: "boot_flag", offset: "0x1fe"),
        InspectFixture(name: "bad-magic", bytes: patched { $0[0x205] = 0 }, field: "header", offset: "0x202"),
        InspectFixture(name: "setup-past-end", bytes: patched { $0[0x1F1] = 0xFF }, field: "setup_sects", offset: "0x1f1"),
        InspectFixture(name: "truncated", bytes: Array(loadable[0..<0x21A]), field: "ramdisk_image", offset: "0x218"),
        InspectFixture(name: "pe-offset-past-end", bytes: patched { $0[0] = 0x4D; $0[1] = 0x5A; $0[0x3C] = 0xF0; $0[0x3F] = 0x7F },
                       field: "e_lfanew", offset: "0x3c"),
        InspectFixture(name: "alignment-zero", bytes: patched { $0[0x232] = 0 }, field: "kernel_alignment", offset: "0x230"),
        InspectFixture(name: "envelope-without-kernel", bytes: envelopeWithoutKernel, field: ".kernel", offset: "0x3c"),
    ]

    /// ELF64 LE, no program headers, sections: null and .shstrtab only.
    static var envelopeWithoutKernel: [UInt8] { envelope(kernel: nil, cmdline: nil) }

    /// An ELF envelope: null, [.kernel], [.cmdline], .shstrtab; the kernel right after the headers.
    static func envelope(kernel: [UInt8]?, cmdline: String?) -> [UInt8] {
        var names: [UInt8] = [0]
        var sections: [(name: UInt32, type: UInt32, data: [UInt8])] = []
        if let kernel { sections.append((UInt32(names.count), 1, kernel)); names += Array(".kernel\0".utf8) }
        if let cmdline { sections.append((UInt32(names.count), 1, Array(cmdline.utf8) + [0])); names += Array(".cmdline\0".utf8) }
        sections.append((UInt32(names.count), 3, [])); names += Array(".shstrtab\0".utf8)
        sections[sections.count - 1].data = names
        let count = sections.count + 1
        var b = [UInt8](repeating: 0, count: 64 + 64 * count)
        func put(_ v: UInt64, _ at: Int, _ n: Int) { for i in 0..<n { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * i)) } }
        b[0] = 0x7F; b[1] = 0x45; b[2] = 0x4C; b[3] = 0x46; b[4] = 2; b[5] = 1; b[6] = 1
        put(62, 18, 2); put(64, 40, 8); put(64, 58, 2); put(UInt64(count), 60, 2); put(UInt64(count - 1), 62, 2)
        for (i, s) in sections.enumerated() {
            let offset = b.count
            b += s.data
            let at = 64 + 64 * (i + 1)
            put(UInt64(s.name), at, 4); put(UInt64(s.type), at + 4, 4); put(UInt64(offset), at + 24, 8); put(UInt64(s.data.count), at + 32, 8)
        }
        return b
    }
}
