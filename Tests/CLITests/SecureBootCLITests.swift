import Foundation
import Testing
@testable import xen_kexec_load
import XenKexec

/// The Secure Boot policy at the CLI, with the built binary on this machine (not a Xen
/// dom0): a kernel the gate refuses exits 80 with a message naming the file, the reason and
/// what to do; one it accepts goes on to open libxenctrl and exits 69 (not dom0) — so the
/// gate ran before anything touched Xen. Kernels: the pinned Debian kernel re-signed with
/// OVMF's snakeoil key (tools/resign-kernel.sh) and an unsigned copy.
@Suite(.serialized) struct SecureBootCLITests {
    struct Failure: Error, CustomStringConvertible { let description: String }

    struct Kernels: Sendable {
        let dir: String, resigned: String, unsigned: String, debian: String
    }

    static let snakeoil = "/usr/share/ovmf/PkKek-1-snakeoil.pem"
    static let cache = ProcessInfo.processInfo.environment["XEN_KEXEC_CACHE"] ?? "/var/cache/xen-kexec"
    static let pinned = "\(cache)/pkg/linux-image-6.1.0-56-amd64/boot/vmlinuz-6.1.0-56-amd64"

    static let made: Result<Kernels, SecureBootCLITests.Failure> = Result {
        guard FileManager.default.fileExists(atPath: pinned) else {
            throw SecureBootCLITests.Failure(description: "pinned test kernel missing at \(pinned); fetch it with: XEN_KEXEC_CACHE=\(cache) tools/fetch-test-kernels.sh")
        }
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let dir = BackendBinaryTests.scratch()
        let sh = Process()
        sh.executableURL = URL(fileURLWithPath: "/bin/sh")
        sh.arguments = ["-c", "'\(root.path)/tools/resign-kernel.sh' '\(pinned)' '\(dir)/resigned' >/dev/null && cp '\(pinned)' '\(dir)/unsigned' && sbattach --remove '\(dir)/unsigned' >/dev/null"]
        try sh.run()
        sh.waitUntilExit()
        guard sh.terminationStatus == 0 else {
            throw SecureBootCLITests.Failure(description: "making the signed test kernels failed; run tools/install-deps.sh (sbsigntool, ovmf, openssl)")
        }
        return Kernels(dir: dir, resigned: "\(dir)/resigned", unsigned: "\(dir)/unsigned", debian: pinned)
    }.mapError { ($0 as? SecureBootCLITests.Failure) ?? SecureBootCLITests.Failure(description: "\($0)") }

    static func kernels() throws -> Kernels {
        switch made {
        case .success(let k): return k
        case .failure(let e): Issue.record("\(e)"); throw e
        }
    }

    /// A scratch sysfs whose lockdown file selects `integrity`.
    static func lockedDownRoot(_ k: Kernels) throws -> String {
        let root = "\(k.dir)/sysroot"
        try FileManager.default.createDirectory(atPath: "\(root)/sys/kernel/security", withIntermediateDirectories: true)
        try "none [integrity] confidentiality\n".write(toFile: "\(root)/sys/kernel/security/lockdown", atomically: true, encoding: .utf8)
        return root
    }

    /// The classic types are refused before anything is read or opened: off a dom0 the
    /// binary still says 80, not "not a dom0".
    @Test(.disabled(if: BackendBinaryTests.isDom0))
    func classicTypeIsRefusedAndTheOptInNamed() throws {
        let k = try Self.kernels()
        let refused = try BackendBinaryTests.run(["load", "--type", "crash", "--require-signature", "--trust-cert", Self.snakeoil, k.resigned, "--json"])
        #expect(refused.status == 80, "\(refused.stderr)")
        #expect(refused.stderr.contains("would arm an unverified kernel"))
        #expect(refused.stderr.contains("--allow-unverified-kernel"))
        let json = try JSONSerialization.jsonObject(with: Data(refused.stdout.utf8)) as? [String: Any]
        #expect(json?["kind"] as? String == "secure-boot-refused")
        #expect(json?["exitCode"] as? Int == 80)
        let allowed = try BackendBinaryTests.run(["load", "--type", "crash", "--require-signature", "--allow-unverified-kernel", k.unsigned])
        #expect(allowed.status == 69, "\(allowed.stderr)")
    }

    @Test func inspectReportsVerdictAndChain() throws {
        let k = try Self.kernels()
        let r = try BackendBinaryTests.run(["inspect", "--json", "--trust-cert", Self.snakeoil, k.resigned, k.debian, k.unsigned])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let results = (doc?["results"] as? [[String: Any]]) ?? []
        let verdicts = results.map { $0["verification"] as? [String: Any] ?? [:] }
        #expect(verdicts.count == 3)
        // Which source decided whether the policy applies on this host, and what each said.
        let secureBoot = doc?["secureBoot"] as? [String: Any]
        #expect(["lockdown", "boot_params.secure_boot", "efivarfs SecureBoot", "cannot-tell", "none"].contains(secureBoot?["decidedBy"] as? String ?? "?"))
        #expect((secureBoot?["sources"] as? [[String: Any]])?.map { $0["source"] as? String } == ["lockdown", "boot_params.secure_boot", "efivarfs SecureBoot"])
        #expect(verdicts[0]["result"] as? String == "verified")
        #expect((verdicts[0]["chain"] as? [String])?.first?.contains("SnakeOil") == true)
        #expect(verdicts[0]["anchor"] as? String == "--trust-cert \(Self.snakeoil)")
        #expect(verdicts[1]["kind"] as? String == "untrusted")
        #expect(verdicts[2]["kind"] as? String == "unsigned")
        let text = try BackendBinaryTests.run(["inspect", "--trust-cert", Self.snakeoil, k.resigned])
        #expect(text.stdout.contains("secure boot:"))
        #expect(text.stdout.contains("verified (kernel), anchored in --trust-cert"))
    }
}
