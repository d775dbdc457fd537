import Foundation
import KexecPlan
import KexecTrust
import SystemPackage
import Testing
@testable import XenKexec

/// Secure Boot state from every source, failing closed (docs/uefi.md, "When the policy
/// applies"). Each case is a scratch sysfs; the live root is never touched.
@Suite struct SecureBootStateTests {
    struct Host {
        var lockdown: String? = nil
        /// boot_params.secure_boot (0x1EC); nil: no boot_params file.
        var bootParams: UInt8? = nil
        /// boot_params' EFI loader signature (0x1C0) says "Xen" (a PV dom0 on UEFI).
        var efiLoader = false
        /// efivarfs `SecureBoot` data byte; nil: absent.
        var secureBootVariable: UInt8? = nil
        var efiDirectory = false
    }

    static func state(_ host: Host) -> SecureBootState {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let root = dir.path.appending("root")
        if let l = host.lockdown { SecureBootGateTests.write(root.appending("sys/kernel/security/lockdown"), Array((l + "\n").utf8)) }
        if let b = host.bootParams {
            var bytes = [UInt8](repeating: 0, count: 4096)
            bytes[0x1EC] = b
            if host.efiLoader { bytes.replaceSubrange(0x1C0..<0x1C3, with: Array("Xen".utf8)) }
            SecureBootGateTests.write(root.appending("sys/kernel/boot_params/data"), bytes)
        }
        if host.efiDirectory { try? FileManager.default.createDirectory(atPath: root.appending("sys/firmware/efi").string, withIntermediateDirectories: true) }
        if let v = host.secureBootVariable {
            SecureBootGateTests.write(root.appending("sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"), [6, 0, 0, 0, v])
        }
        return SecureBootSources(root: root).state()
    }

    @Test func bootParamsAloneTurnsThePolicyOn() {
        let s = Self.state(Host(bootParams: 3, efiLoader: true))
        #expect(s.decidedBy == "boot_params.secure_boot")
        #expect(s.enforcedBecause == "Secure Boot is on (boot_params.secure_boot: 3 (enabled))")
        #expect(s.firmware == .uefi)
    }

    @Test func efivarfsAloneTurnsThePolicyOn() {
        let s = Self.state(Host(secureBootVariable: 1, efiDirectory: true))
        #expect(s.decidedBy == "efivarfs SecureBoot")
    }

    @Test func lockdownAloneTurnsThePolicyOn() {
        let s = Self.state(Host(lockdown: "none [integrity] confidentiality", bootParams: 0))
        #expect(s.enforcedBecause == "dom0 is locked down (integrity)")
        #expect(s.lockdownMode == "integrity")
    }

    /// The wave-2 hole: no securityfs, nothing else readable, a UEFI host: the policy applies.
    @Test func aUEFIHostWhereNothingCanBeReadFailsClosed() {
        let s = Self.state(Host(efiDirectory: true))
        #expect(s.decidedBy == "cannot-tell")
        #expect(s.enforcedBecause?.hasPrefix("dom0 cannot tell whether Secure Boot is on (uefi firmware; lockdown:") == true)
    }

    @Test func unknownFirmwareFailsClosed() {
        #expect(Self.state(Host()).decidedBy == "cannot-tell")
    }

    @Test func anySourceSayingOnWins() {
        #expect(Self.state(Host(bootParams: 2, efiLoader: true, secureBootVariable: 1)).decidedBy == "efivarfs SecureBoot")
        #expect(Self.state(Host(lockdown: "[none] integrity confidentiality", bootParams: 3, efiLoader: true)).decidedBy == "boot_params.secure_boot")
    }

    @Test(arguments: [
        Host(lockdown: "[none] integrity confidentiality", bootParams: 2, efiLoader: true),
        Host(bootParams: 0, efiLoader: true, secureBootVariable: 0, efiDirectory: true),
        Host(lockdown: "[none] integrity confidentiality", bootParams: 0),
        Host(bootParams: 0),
    ])
    func aSourceSayingOffWithNoneOnMeansNoPolicy(_ host: Host) {
        let s = Self.state(host)
        #expect(s.enforcedBecause == nil, "\(s.readings)")
        #expect(s.decidedBy == "none")
    }

    /// Lockdown "none" alone does not say Secure Boot is off on a UEFI host.
    @Test func lockdownNoneOnAUEFIHostIsNotEnough() {
        #expect(Self.state(Host(lockdown: "[none] integrity confidentiality", bootParams: 0, efiLoader: true)).decidedBy == "cannot-tell")
    }
}

/// The efivarfs side of the gate: what cannot be read or trusted fails closed.
@Suite struct SecureBootTrustSourcesTests {
    static let db = "db-d719b2cb-3d3a-4596-a3bc-dad00e67656f", dbx = "dbx-d719b2cb-3d3a-4596-a3bc-dad00e67656f"

    @Test func anUnreadableDbxRefuses() throws {
        let h = LoaderHarness()
        let sources = try SecureBootGateTests.sysfs(h)
        try FileManager.default.createDirectory(atPath: sources.efivars.appending(Self.dbx).string, withIntermediateDirectories: true)
        do { _ = try sources.trustStore(certificates: []); Issue.record("read") } catch {
            guard case .badConfiguration(let path, let why) = error else { Issue.record("\(error)"); return }
            #expect(path == sources.efivars.appending(Self.dbx) && why.contains("exists but cannot be read"))
        }
    }

    @Test func aMalformedDbxRefuses() throws {
        let h = LoaderHarness()
        let sources = try SecureBootGateTests.sysfs(h)
        SecureBootGateTests.write(sources.efivars.appending(Self.dbx), [0x27, 0, 0, 0, 1, 2, 3])
        #expect(throws: KexecError.badConfiguration(sources.efivars.appending(Self.dbx), "the dbx signature database does not parse: EFI_SIGNATURE_LIST at offset 0x4: truncated list header")) {
            _ = try sources.trustStore(certificates: [])
        }
    }

    @Test func anUnmountedEfivarfsOnAUEFIHostRefuses() throws {
        let h = LoaderHarness()
        let root = h.dir.path.appending("bare")
        try FileManager.default.createDirectory(atPath: root.appending("sys/firmware/efi/efivars").string, withIntermediateDirectories: true)
        do { _ = try SecureBootSources(root: root).trustStore(certificates: []); Issue.record("read") } catch {
            guard case .badConfiguration(_, let why) = error else { Issue.record("\(error)"); return }
            #expect(why.hasPrefix("efivarfs is not mounted"))
        }
    }

    /// A `db` without the authenticated non-volatile attributes is not trusted.
    @Test func aDbWithTheWrongAttributesIsNotTrusted() throws {
        let h = LoaderHarness()
        let sources = try SecureBootGateTests.sysfs(h)
        var bytes = try #require(FileManager.default.contents(atPath: sources.efivars.appending(Self.db).string)).map { $0 }
        bytes[0] = 0x07
        SecureBootGateTests.write(sources.efivars.appending(Self.db), bytes)
        let store = try sources.trustStore(certificates: [])
        #expect(store.anchors.isEmpty)
        #expect(store.sources.contains { $0.hasPrefix("db: not trusted: attributes 0x7") })
    }

    /// A non-volatile `MokListRT` is not shim's mirror: root could have written it.
    @Test func aNonVolatileMokListIsNotTrusted() throws {
        let h = LoaderHarness()
        let sources = try SecureBootGateTests.sysfs(h)
        let k = try SignedKernels.get()
        var mok = SignedKernels.efivarfsFile(type: EFISignatureList.x509GUID, entries: [k.snakeoilDER])
        mok[0] = 0x07
        SecureBootGateTests.write(sources.efivars.appending("MokListRT-605dab50-e046-4300-abb6-3dd810dd8b23"), mok)
        let store = try sources.trustStore(certificates: [])
        #expect(store.anchors.count == 1)  // db's, not MokListRT's
        #expect(store.sources.contains { $0.hasPrefix("MokListRT: not trusted: attributes 0x7 are non-volatile") })
    }
}
