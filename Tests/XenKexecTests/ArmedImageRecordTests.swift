#if canImport(Glibc)
import Glibc
#endif
import KexecPlan
import SystemPackage
import Testing
@testable import XenKexec

@Suite struct ArmedImageRecordTests {
    static let sample = ArmedImageRecord(
        type: .crashEFI, digest: String(repeating: "ab", count: 32),
        kernel: .init(path: "/boot/vmlinuz-6.1"),
        initrd: .init(path: "/boot/initrd with space.img"),
        commandLineRequest: CommandLineRequest(replacement: "console=ttyS0 a\\b", append: "x=\"y\"\nz", reuse: nil),
        xenReadsUnalignedHeader: true, commandLine: "console=ttyS0 elfcorehdr=1K", segmentCount: 5,
        loadedAt: 1_764_100_000, xenStatusBit: true, bootID: "0f1e-boot")

    @Test func roundTrips() async throws {
        let text = Self.sample.encoded()
        #expect(try ArmedImageRecord.decode(text) == Self.sample)
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("#") || $0.contains("=") })
        #expect(text.contains("type=crash-efi\n"))
        #expect(text.contains("request_append=x=\"y\"\\nz\n"))
    }

    /// Every plan input a restore needs: the lockdown level and an explicit ACPI RSDP.
    @Test func roundTripsTheLockdownAndAnExplicitRsdp() async throws {
        var r = Self.sample
        r.lockdown = .integrity
        r.acpiRsdp = ExplicitAcpiRsdp(address: 0x7f77_d014, source: .option)
        let text = r.encoded()
        #expect(text.contains("lockdown=integrity\n") && text.contains("acpi_rsdp=0x7f77d014\n") && text.contains("acpi_rsdp_source=option\n"))
        #expect(try ArmedImageRecord.decode(text) == r)
        #expect(r.planRequest.lockdown == .integrity)
    }

    @Test func roundTripsWithoutOptionalFields() async throws {
        var r = Self.sample
        r.initrd = nil
        r.commandLineRequest = CommandLineRequest()
        r.bootID = nil
        r.state = .possiblyDamaged
        r.type = .default
        #expect(try ArmedImageRecord.decode(r.encoded()) == r)
        #expect(r.slot == .default)
        #expect(Self.sample.slot == .crash)
    }

    /// Format 1 (written before the one-pass load) kept a SHA-256 per file; it still reads,
    /// and its file digests are ignored (the plan digest identifies the armed bytes).
    @Test func readsFormatOneAndIgnoresItsFileDigests() async throws {
        let v1 = Self.sample.encoded().replacingFirst("format=2", with: "format=1")
            .replacingFirst("kernel=/boot/vmlinuz-6.1\n", with: "kernel=/boot/vmlinuz-6.1\nkernel_sha256=" + String(repeating: "1", count: 64) + "\n")
            .replacingFirst("initrd=/boot/initrd with space.img\n", with: "initrd=/boot/initrd with space.img\ninitrd_sha256=" + String(repeating: "2", count: 64) + "\n")
        #expect(v1.contains("kernel_sha256=") && v1.contains("initrd_sha256="))
        #expect(try ArmedImageRecord.decode(v1) == Self.sample)
        #expect(!Self.sample.encoded().contains("sha256"))
    }

    @Test func refusesWhatItDidNotWrite() async {
        #expect(throws: ArmedImageRecord.DecodeError.malformedLine(1)) { try ArmedImageRecord.decode("garbage\n") }
        #expect(throws: ArmedImageRecord.DecodeError.missingKey("format")) { try ArmedImageRecord.decode("type=crash\n") }
        #expect(throws: ArmedImageRecord.DecodeError.unsupportedFormat("3")) {
            try ArmedImageRecord.decode(Self.sample.encoded().replacingFirst("format=2", with: "format=3"))
        }
        #expect(throws: ArmedImageRecord.DecodeError.badValue(key: "digest", value: "xyz")) {
            try ArmedImageRecord.decode(Self.sample.encoded().replacingFirst("digest=" + String(repeating: "ab", count: 32), with: "digest=xyz"))
        }
        #expect(throws: ArmedImageRecord.DecodeError.badValue(key: "type", value: "live-update")) {
            try ArmedImageRecord.decode(Self.sample.encoded().replacingFirst("type=crash-efi", with: "type=live-update"))
        }
    }
}

extension String {
    func replacingFirst(_ a: String, with b: String) -> String {
        guard let r = range(of: a) else { return self }
        return replacingCharacters(in: r, with: b)
    }

    func range(of needle: String) -> Range<String.Index>? {
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(needle) { return i..<index(i, offsetBy: needle.count) }
            i = index(after: i)
        }
        return nil
    }
}

@Suite struct ArmedImageStoreTests {
    @Test func writesReadsAndRemovesAtomically() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let store = ArmedImageStore(directory: dir.path.appending("run/state"), bootID: "0f1e-boot")
        #expect(store.read(slot: .crash) == .none)
        try store.write(ArmedImageRecordTests.sample)
        #expect(store.read(slot: .crash) == .found(ArmedImageRecordTests.sample))
        #expect(store.read(slot: .crashEFI) == .found(ArmedImageRecordTests.sample))
        #expect(store.read(slot: .default) == .none)
        #expect(store.path(for: .crashEFI) == dir.path.appending("run/state/crash.record"))
        #expect((try? dir.path.appending("run/state/.crash.record.tmp").stat()) == nil)
        try store.remove(slot: .crash)
        #expect(store.read(slot: .crash) == .none)
        try store.remove(slot: .crash)  // removing nothing is fine
    }

    @Test func ignoresARecordFromAnotherBoot() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        try ArmedImageStore(directory: dir.path, bootID: "0f1e-boot").write(ArmedImageRecordTests.sample)
        #expect(ArmedImageStore(directory: dir.path, bootID: "other-boot").read(slot: .crash) == .staleBoot(ArmedImageRecordTests.sample))
    }

    @Test func reportsAnUnreadableRecord() async {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        dir.file("crash.record", Array("format=1\nnonsense\n".utf8))
        guard case .unreadable = ArmedImageStore(directory: dir.path, bootID: nil).read(slot: .crash) else {
            Issue.record("expected unreadable")
            return
        }
    }

    /// `status` reads without the lock: a record or a directory another user owns, or one
    /// others can write, is never believed (`fault-lock-unprivileged` plants one for real).
    @Test func aRecordAnotherUserCouldWriteIsNotBelieved() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let store = ArmedImageStore(directory: dir.path.appending("state"), bootID: "0f1e-boot")
        try store.write(ArmedImageRecordTests.sample)
        let record = store.path(for: .crash)
        #expect(store.read(slot: .crash) == .found(ArmedImageRecordTests.sample))
        #expect(chown(record.string, 65534, 65534) == 0)
        #expect(store.read(slot: .crash) == .unreadable("\(record) is not to be trusted (owned by uid 65534): another user could have written it"))
        #expect(chown(record.string, geteuid(), getegid()) == 0 && chmod(record.string, 0o666) == 0)
        guard case .unreadable = store.read(slot: .crash) else { Issue.record("a world-writable record was believed"); return }
        #expect(chmod(record.string, 0o644) == 0 && chown(store.directory.string, 65534, 65534) == 0)
        guard case .unreadable = store.read(slot: .crash) else { Issue.record("a record in another user's directory was believed"); return }
        #expect(chown(store.directory.string, geteuid(), getegid()) == 0)
        #expect(store.read(slot: .crash) == .found(ArmedImageRecordTests.sample))
    }

    @Test func reportsAnUnwritableDirectory() async {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        dir.file("not-a-dir", [1])
        let store = ArmedImageStore(directory: dir.path.appending("not-a-dir"), bootID: nil)
        #expect(throws: KexecError.recordUnwritable(store.path(for: ArmedImageRecordTests.sample.slot), .notDirectory)) { try store.write(ArmedImageRecordTests.sample) }
    }
}

@Suite struct ArmedStatusTests {
    let r = ArmedImageRecordTests.sample

    @Test func agreesOnlyWhenTheBitIsUnchanged() async {
        #expect(ArmedStatus.evaluate(.found(r), xenBit: true) == .armed(r))
        #expect(ArmedStatus.evaluate(.found(r), xenBit: true).isArmed)
        #expect(ArmedStatus.evaluate(.found(r), xenBit: false) == .disagree(r, xenBit: false))
    }

    @Test func noRecordMeansNotLoadedWhateverTheBit() async {
        #expect(ArmedStatus.evaluate(.none, xenBit: true) == .notLoaded(xenBit: true))
        #expect(ArmedStatus.evaluate(.none, xenBit: false) == .notLoaded(xenBit: false))
        #expect(ArmedStatus.evaluate(.staleBoot(r), xenBit: true) == .notLoaded(xenBit: true))
    }

    @Test func damagedAndUnreadableAreUnknown() async {
        var d = r
        d.state = .possiblyDamaged
        #expect(ArmedStatus.evaluate(.found(d), xenBit: true) == .possiblyDamaged(d))
        #expect(ArmedStatus.evaluate(.unreadable("x"), xenBit: false) == .recordUnreadable(reason: "x", xenBit: false))
        #expect(!ArmedStatus.evaluate(.unreadable("x"), xenBit: false).isArmed)
    }
}
