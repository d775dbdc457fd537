import Foundation
import Testing

/// Kernels signed in every way the verifier must tell apart, made once per test run in a
/// temporary folder from the pinned Debian kernel (Tests/Fixtures/README.md) with
/// sbsigntool, openssl and tools/resign-kernel.sh:
///
/// - `debian`: the pinned kernel as Debian signed it (chains to Debian's Secure Boot CA);
/// - `resigned`: re-signed with OVMF's snakeoil key (the key of the snakeoil `db`);
/// - `unsigned`: every signature removed (sbattach --remove);
/// - `tampered`: `resigned` with one byte of `.text` changed;
/// - `untrusted`: signed with a throwaway key and self-signed certificate made here;
/// - `chained`: signed by a leaf certificate issued by a throwaway CA (`caCert`), the CA
///   not in the signature.
///
/// A missing tool or kernel fails the tests with what to run; nothing is skipped.
struct SigningFixtures: Sendable {
    let dir: String
    let debian: String
    let resigned: String
    let unsigned: String
    let tampered: String
    let untrusted: String
    let chained: String
    /// OVMF's snakeoil certificate (PEM).
    let snakeoilCert: String
    /// The throwaway self-signed certificate of `untrusted` (PEM).
    let throwawayCert: String
    /// The throwaway CA of `chained` (PEM), and its leaf (PEM).
    let caCert: String
    let leafCert: String

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let cache = ProcessInfo.processInfo.environment["XEN_KEXEC_CACHE"] ?? "/var/cache/xen-kexec"
    static let pinnedKernel = "\(cache)/pkg/linux-image-6.1.0-56-amd64/boot/vmlinuz-6.1.0-56-amd64"
    static let snakeoil = "/usr/share/ovmf/PkKek-1-snakeoil.pem"

    /// Made once; a failure is reported by every test that asks.
    static let made: Result<SigningFixtures, Failure> = Result { try make() }.mapError { ($0 as? Failure) ?? Failure(description: "\($0)") }

    static func get() throws -> SigningFixtures {
        switch made {
        case .success(let f): return f
        case .failure(let e):
            Issue.record("\(e)")
            throw e
        }
    }

    /// Runs a tool; returns its status and combined output.
    @discardableResult
    static func run(_ tool: String, _ args: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func mustRun(_ tool: String, _ args: [String], environment: [String: String] = [:]) throws {
        let (status, output) = try run(tool, args, environment: environment)
        guard status == 0 else { throw Failure(description: "\(tool) \(args.joined(separator: " ")) failed (\(status)): \(output)") }
    }

    private static func make() throws -> SigningFixtures {
        for tool in ["sbsign", "sbverify", "sbattach", "openssl", "osslsigncode"] {
            guard try run("sh", ["-c", "command -v \(tool)"]).status == 0 else {
                throw Failure(description: "\(tool) is missing: run tools/install-deps.sh (packages sbsigntool, openssl, osslsigncode, ovmf)")
            }
        }
        guard FileManager.default.fileExists(atPath: snakeoil) else {
            throw Failure(description: "\(snakeoil) is missing: run tools/install-deps.sh (package ovmf)")
        }
        guard FileManager.default.fileExists(atPath: pinnedKernel) else {
            throw Failure(description: "pinned test kernel missing at \(pinnedKernel); fetch it with: XEN_KEXEC_CACHE=\(cache) tools/fetch-test-kernels.sh")
        }
        removeStale(prefix: "xen-kexec-trust-")
        let dir = NSTemporaryDirectory() + "xen-kexec-trust-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let resign = "\(repoRoot)/tools/resign-kernel.sh"

        let resigned = "\(dir)/resigned.efi"
        try mustRun(resign, [pinnedKernel, resigned])

        let unsigned = "\(dir)/unsigned.efi"
        try FileManager.default.copyItem(atPath: pinnedKernel, toPath: unsigned)
        try mustRun("sbattach", ["--remove", unsigned])

        // One byte of .text (8 KiB into the file, well past the headers) flipped.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: resigned))
        bytes[0x10000] ^= 0xFF
        let tampered = "\(dir)/tampered.efi"
        try bytes.write(to: URL(fileURLWithPath: tampered))

        let throwawayKey = "\(dir)/throwaway.key", throwawayCert = "\(dir)/throwaway.pem"
        try mustRun("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", throwawayKey, "-out", throwawayCert,
                                "-days", "30", "-subj", "/CN=xen-kexec throwaway signer"])
        let untrusted = "\(dir)/untrusted.efi"
        try mustRun(resign, [pinnedKernel, untrusted], environment: ["RESIGN_KEY": throwawayKey, "RESIGN_CERT": throwawayCert, "RESIGN_PASS": ""])

        // A CA and a leaf it issued (basicConstraints CA:TRUE on the CA, CA:FALSE on the leaf).
        let caKey = "\(dir)/ca.key", caCert = "\(dir)/ca.pem", leafKey = "\(dir)/leaf.key", leafCSR = "\(dir)/leaf.csr", leafCert = "\(dir)/leaf.pem"
        let ext = "\(dir)/leaf.ext"
        try "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n".write(toFile: ext, atomically: true, encoding: .utf8)
        try mustRun("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", caCert, "-days", "30",
                                "-subj", "/CN=xen-kexec throwaway CA", "-addext", "basicConstraints=critical,CA:TRUE",
                                "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try mustRun("openssl", ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", leafKey, "-out", leafCSR, "-subj", "/CN=xen-kexec throwaway leaf"])
        try mustRun("openssl", ["x509", "-req", "-in", leafCSR, "-CA", caCert, "-CAkey", caKey, "-CAcreateserial", "-out", leafCert,
                                "-days", "30", "-extfile", ext])
        let chained = "\(dir)/chained.efi"
        try mustRun(resign, [pinnedKernel, chained], environment: ["RESIGN_KEY": leafKey, "RESIGN_CERT": leafCert, "RESIGN_PASS": ""])

        return SigningFixtures(
            dir: dir, debian: pinnedKernel, resigned: resigned, unsigned: unsigned, tampered: tampered,
            untrusted: untrusted, chained: chained, snakeoilCert: snakeoil, throwawayCert: throwawayCert,
            caCert: caCert, leafCert: leafCert)
    }

    /// Fixture folders of earlier runs (older than an hour): removed, they are 40 MB each.
    static func removeStale(prefix: String) {
        let fm = FileManager.default, tmp = NSTemporaryDirectory()
        for name in (try? fm.contentsOfDirectory(atPath: tmp)) ?? [] where name.hasPrefix(prefix) {
            let path = tmp + name
            if let date = (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date, date.timeIntervalSinceNow < -3600 {
                try? fm.removeItem(atPath: path)
            }
        }
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "cannot read \(path)") }
        return [UInt8](data)
    }
}
