#if canImport(Glibc)
import Glibc
#endif
import KexecPlan
import SystemPackage
import Testing
@testable import XenKexec

@Suite struct TrustedFileTests {
    let heap: (Int) throws(KexecError) -> PayloadBuffer = { PayloadBuffer.heap(byteCount: $0) }
    /// The owner the happy path accepts: root when the tests run as root.
    var me: FileTrustPolicy { FileTrustPolicy(allowedOwners: [geteuid()]) }

    @Test func readsOnceWithoutHashing() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let bytes = pattern(10_000, seed: 3)
        let p = dir.file("vmlinuz", bytes, mode: [.ownerReadWrite, .groupRead, .otherRead])
        let meter = SHA256Meter()
        let f = try SHA256Meter.$current.withValue(meter) { try LoadedFile.load(p, policy: me, allocate: heap) }
        #expect(f.payload.byteCount == 10_000)
        #expect(meter.total == 0)
        #expect(f.payload.withUnsafeBytes { Array($0) } == bytes)
    }

    @Test func readsAnEmptyFile() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let f = try LoadedFile.load(dir.file("empty", []), policy: me, allocate: heap)
        #expect(f.payload.byteCount == 0)
    }

    @Test func refusesAMissingFile() async {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let p = dir.path.appending("absent")
        #expect(throws: KexecError.fileUnavailable(p, .noSuchFileOrDirectory)) { try LoadedFile.load(p, policy: me, allocate: heap) }
    }

    @Test func refusesADirectory() async {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        #expect(throws: KexecError.untrustedFile(dir.path, .notRegularFile)) { try LoadedFile.load(dir.path, policy: me, allocate: heap) }
    }

    @Test func refusesAFIFO() async {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let p = dir.path.appending("fifo")
        #expect(mkfifo(p.string, 0o644) == 0)
        #expect(throws: KexecError.untrustedFile(p, .notRegularFile)) { try LoadedFile.load(p, policy: me, allocate: heap) }
    }

    @Test func refusesGroupWritable() async {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let p = dir.file("k", [1, 2, 3], mode: FilePermissions(rawValue: 0o664))
        #expect(throws: KexecError.untrustedFile(p, .writableByOthers(mode: 0o664))) { try LoadedFile.load(p, policy: me, allocate: heap) }
    }

    @Test func refusesWorldWritable() async {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let p = dir.file("k", [1, 2, 3], mode: FilePermissions(rawValue: 0o646))
        #expect(throws: KexecError.untrustedFile(p, .writableByOthers(mode: 0o646))) { try LoadedFile.load(p, policy: me, allocate: heap) }
    }

    @Test func refusesAFileNotOwnedByRoot() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let p = dir.file("k", [1, 2, 3], mode: FilePermissions(rawValue: 0o644))
        if geteuid() == 0 {
            #expect(chown(p.string, 1000, 1000) == 0)
            #expect(throws: KexecError.untrustedFile(p, .notOwnedByRoot(uid: 1000))) { try LoadedFile.load(p, policy: .rootOnly, allocate: heap) }
        } else {
            // Not root: our own file is not root's.
            #expect(throws: KexecError.untrustedFile(p, .notOwnedByRoot(uid: geteuid()))) { try LoadedFile.load(p, policy: .rootOnly, allocate: heap) }
        }
    }

    @Test func followsASymlinkToATrustedFile() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let target = dir.file("vmlinuz-6.1", [9, 9, 9])
        let link = dir.path.appending("vmlinuz")
        #expect(symlink(target.string, link.string) == 0)
        #expect(try LoadedFile.load(link, policy: me, allocate: heap).payload.byteCount == 3)
    }

    @Test func policyTable() async {
        let p = FileTrustPolicy.rootOnly
        #expect(p.problem(type: .regular, permissions: FilePermissions(rawValue: 0o644), owner: 0) == nil)
        #expect(p.problem(type: .regular, permissions: FilePermissions(rawValue: 0o600), owner: 0) == nil)
        #expect(p.problem(type: .regular, permissions: FilePermissions(rawValue: 0o4755), owner: 0) == nil)
        #expect(p.problem(type: .regular, permissions: FilePermissions(rawValue: 0o620), owner: 0) == .writableByOthers(mode: 0o620))
        #expect(p.problem(type: .regular, permissions: FilePermissions(rawValue: 0o602), owner: 0) == .writableByOthers(mode: 0o602))
        #expect(p.problem(type: .symbolicLink, permissions: FilePermissions(rawValue: 0o777), owner: 0) == .notRegularFile)
        #expect(p.problem(type: .blockSpecial, permissions: FilePermissions(rawValue: 0o600), owner: 0) == .notRegularFile)
        #expect(p.problem(type: .regular, permissions: FilePermissions(rawValue: 0o644), owner: 33) == .notOwnedByRoot(uid: 33))
    }

    @Test func payloadFillNoticesAShorterFile() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let p = dir.file("k", pattern(100, seed: 1))
        let fd = try FileDescriptor.open(p, .readOnly)
        defer { try? fd.close() }
        #expect(try PayloadBuffer.heap(byteCount: 200).fill(from: fd) == false)  // file shorter than expected
        #expect(try PayloadBuffer.heap(byteCount: 50).fill(from: fd) == false)   // file longer than expected
        #expect(try PayloadBuffer.heap(byteCount: 100).fill(from: fd) == true)
    }
}

@Suite struct InstanceLockTests {
    @Test func secondHolderTimesOut() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let path = dir.path.appending("run/lock/xen-kexec-load.lock")  // parents created
        let first = try InstanceLock.acquire(path, timeoutSeconds: 0)
        var waited = false
        #expect(throws: KexecError.lockTimeout(path, seconds: 0)) {
            try InstanceLock.acquire(path, timeoutSeconds: 0, pollMilliseconds: 10) { waited = true }
        }
        #expect(!waited)  // timeout 0: no waiting announced
        first.release()
        let again = try InstanceLock.acquire(path, timeoutSeconds: 0)
        again.release()
    }

    @Test func waitsAndAnnouncesIt() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let path = dir.path.appending("x.lock")
        let first = try InstanceLock.acquire(path, timeoutSeconds: 0)
        defer { first.release() }
        var waited = false
        #expect(throws: KexecError.lockTimeout(path, seconds: 1)) {
            try InstanceLock.acquire(path, timeoutSeconds: 1, pollMilliseconds: 100) { waited = true }
        }
        #expect(waited)
    }

    /// A lock another user created or could write first is refused, never waited on.
    @Test func aLockFileOwnedByAnotherUserIsRefused() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let path = dir.file("lock", [])
        #expect(chown(path.string, 65534, 65534) == 0)
        #expect(throws: KexecError.lockUntrusted(path, .notOwnedByRoot(uid: 65534))) { try InstanceLock.acquire(path, timeoutSeconds: 0) }
    }

    @Test func aLockThatIsALinkIsRefused() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let target = dir.file("elsewhere", [])
        let path = dir.path.appending("lock")
        #expect(symlink(target.string, path.string) == 0)
        #expect(throws: KexecError.lockUntrusted(path, .notRegularFile)) { try InstanceLock.acquire(path, timeoutSeconds: 0) }
    }

    @Test func aLockInAWorldWritableDirectoryIsRefused() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let shared = dir.path.appending("shared")
        #expect(mkdir(shared.string, 0o1777) == 0 && chmod(shared.string, 0o1777) == 0)
        #expect(throws: KexecError.lockUntrusted(shared, .writableByOthers(mode: 0o1777))) {
            try InstanceLock.acquire(shared.appending("lock"), timeoutSeconds: 0)
        }
    }

    @Test func theDefaultLockIsInARootOnlyDirectory() {
        #expect(InstanceLock.defaultPath == "/run/xen-kexec-load/lock")
    }

    @Test func reportsAnUnopenableLock() async {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        dir.file("file", [1])
        let path = dir.path.appending("file/x.lock")
        #expect(throws: KexecError.lockFailed(path, .notDirectory)) { try InstanceLock.acquire(path, timeoutSeconds: 0) }
    }
}
