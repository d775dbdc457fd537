import Foundation
import KexecImage
import KexecTrust
import Testing

/// Real kernels for the Secure Boot gate, made once per run from the pinned Debian kernel
/// with tools/resign-kernel.sh and sbattach: `resigned` (OVMF snakeoil key), `unsigned`,
/// `tampered` (one byte of `resigned` changed) and `debian` (chains to Debian's CA, not to
/// the snakeoil db). A missing tool or kernel fails with what to run.
struct SignedKernels: Sendable {
    let debian: [UInt8]
    let resigned: [UInt8]
    let unsigned: [UInt8]
    let tampered: [UInt8]
    /// OVMF's snakeoil certificate, DER.
    let snakeoilDER: [UInt8]

    struct Failure: Error, CustomStringConvertible { let description: String }

    static let cache = ProcessInfo.processInfo.environment["XEN_KEXEC_CACHE"] ?? "/var/cache/xen-kexec"
    static let pinned = "\(cache)/pkg/linux-image-6.1.0-56-amd64/boot/vmlinuz-6.1.0-56-amd64"

    static let made: Result<SignedKernels, Failure> = Result { try make() }.mapError { ($0 as? Failure) ?? Failure(description: "\($0)") }

    static func get() throws -> SignedKernels {
        switch made {
        case .success(let k): return k
        case .failure(let e): Issue.record("\(e)"); throw e
        }
    }

    private static func sh(_ command: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Failure(description: "`\(command)` failed: \(String(decoding: out, as: UTF8.self)) (run tools/install-deps.sh for sbsigntool/ovmf/openssl)")
        }
    }

    /// `bytes` re-signed with the snakeoil key (tools/resign-kernel.sh), made at test time.
    static func resign(_ bytes: [UInt8]) throws -> [UInt8] {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { root.deleteLastPathComponent() }
        let dir = NSTemporaryDirectory() + "xen-kexec-resign-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: "\(dir)/in", contents: Data(bytes))
        try sh("'\(root.path)/tools/resign-kernel.sh' '\(dir)/in' '\(dir)/out' >/dev/null")
        guard let d = FileManager.default.contents(atPath: "\(dir)/out") else { throw Failure(description: "no signed output") }
        return [UInt8](d)
    }

    private static func make() throws -> SignedKernels {
        guard FileManager.default.fileExists(atPath: pinned) else {
            throw Failure(description: "pinned test kernel missing at \(pinned); fetch it with: XEN_KEXEC_CACHE=\(cache) tools/fetch-test-kernels.sh")
        }
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { root.deleteLastPathComponent() }
        let dir = NSTemporaryDirectory() + "xen-kexec-gate-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try sh("'\(root.path)/tools/resign-kernel.sh' '\(pinned)' '\(dir)/resigned' >/dev/null")
        try sh("cp '\(pinned)' '\(dir)/unsigned' && sbattach --remove '\(dir)/unsigned' >/dev/null")
        try sh("openssl x509 -in /usr/share/ovmf/PkKek-1-snakeoil.pem -outform DER -out '\(dir)/snakeoil.der'")
        func read(_ p: String) throws -> [UInt8] {
            guard let d = FileManager.default.contents(atPath: p) else { throw Failure(description: "cannot read \(p)") }
            return [UInt8](d)
        }
        let resigned = try read("\(dir)/resigned")
        var tampered = resigned
        tampered[0x10000] ^= 0xFF
        return SignedKernels(debian: try read(pinned), resigned: resigned, unsigned: try read("\(dir)/unsigned"),
                             tampered: tampered, snakeoilDER: try read("\(dir)/snakeoil.der"))
    }

    /// One EFI_SIGNATURE_LIST of `type` with `entries`, behind efivarfs' 4 attribute bytes.
    static func efivarfsFile(type: [UInt8], entries: [[UInt8]]) -> [UInt8] {
        let size = 16 + (entries.first?.count ?? 0)
        var out: [UInt8] = [0x27, 0, 0, 0] + type
        func u32(_ v: Int) { for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
        u32(28 + size * entries.count); u32(0); u32(size)
        for e in entries { out += [UInt8](repeating: 0, count: 16) + e }
        return out
    }

    static func imageSHA256(_ image: [UInt8]) throws -> [UInt8] {
        try AuthenticodeImageHash.sha256(image, pe: try PEImage.parse(image))
    }
}

/// A minimal unsigned Unified Kernel Image around `linux`: a PE32+ with `.osrel` and
/// `.linux` sections (VirtualSize = payload size, raw data padded to 0x200), as
/// systemd-stub images are laid out.
func makeUKI(linux: [UInt8]) -> [UInt8] {
    let sections: [(String, [UInt8])] = [(".osrel", Array("ID=debian\n".utf8)), (".linux", linux)]
    let pe = 0x80, optSize = 112 + 16 * 8, headers = 0x400
    func padded(_ n: Int) -> Int { (n + 0x1FF) / 0x200 * 0x200 }
    var b = [UInt8](repeating: 0, count: headers)
    func put(_ v: UInt64, _ at: Int, _ n: Int) { for i in 0..<n { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * i)) } }
    put(0x5A4D, 0, 2); put(UInt64(pe), 0x3C, 4)
    b.replaceSubrange(pe..<(pe + 4), with: Array("PE\0\0".utf8))
    put(0x8664, pe + 4, 2); put(UInt64(sections.count), pe + 6, 2); put(UInt64(optSize), pe + 20, 2); put(0x22, pe + 22, 2)
    let opt = pe + 24
    put(0x20B, opt, 2); put(UInt64(headers), opt + 60, 4); put(10, opt + 68, 2); put(16, opt + 108, 4)
    var raw = headers, va = 0x1000
    for (i, (name, data)) in sections.enumerated() {
        let at = opt + optSize + 40 * i
        b.replaceSubrange(at..<(at + name.utf8.count), with: Array(name.utf8))
        put(UInt64(data.count), at + 8, 4); put(UInt64(va), at + 12, 4)
        put(UInt64(padded(data.count)), at + 16, 4); put(UInt64(raw), at + 20, 4); put(0x4000_0040, at + 36, 4)
        raw += padded(data.count); va += (data.count + 0xFFF) / 0x1000 * 0x1000
    }
    for (_, data) in sections { b += data + [UInt8](repeating: 0, count: padded(data.count) - data.count) }
    return b
}
