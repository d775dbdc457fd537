import KexecPlan
import SystemPackage
import Testing
@testable import XenKexec

/// `FileBytes`, the on-demand view `plan` plans over: the same bytes as the file, hashed in
/// regions of at most 1 MiB (so planning holds one chunk, not the initrd), and a read that
/// comes up short is reported, never a trap.
@Suite struct FileBytesTests {
    @Test func planOverTheFileIsThePlanOverItsBytes() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let kernel = PlannerIntegrationTests.bzImage()
        let initrd = pattern(3 << 20 | 12_345, seed: 5)
        let k = try FileBytes.open(dir.file("bzImage", kernel))
        let i = try FileBytes.open(dir.file("initrd", initrd))
        let host = try HostDescription.synthesized(crashRegion: AddressRange(start: 0x4000_0000, size: 0x1000_0000))
        for type in [LoadType.crash, .default, .crashEFI] {
            let request = PlanRequest(type: type, commandLine: CommandLineRequest(replacement: "console=ttyS0"), segmentDigests: true)
            let fromFiles = try Planner.plan(image: k, initrd: i, host: host, request: request)
            let fromArrays = try Planner.plan(image: kernel, initrd: initrd, host: host, request: request)
            #expect(fromFiles == fromArrays, "\(type)")
        }
        #expect(k.problem == nil && i.problem == nil)
    }

    @Test func regionsAreAtMostOneMiBAndAreTheBytes() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let bytes = pattern(2 << 20 | 777, seed: 9)
        let f = try FileBytes.open(dir.file("data", bytes))
        #expect(f.count == bytes.count)
        #expect(f.regions.count == 3)
        #expect(f.regions.allSatisfy { $0.count <= 1 << 20 })
        #expect(f.regions.flatMap { $0 } == bytes)
        let slice = f[(1 << 20) - 5 ..< (2 << 20) + 9]
        #expect(slice.startIndex == (1 << 20) - 5)
        #expect(slice.bytes == Array(bytes[(1 << 20) - 5 ..< (2 << 20) + 9]))
        #expect(slice.regions.flatMap { $0 } == slice.bytes)
        #expect(PlanDigest.sha256(f, 100..<(2 << 20)) == PlanDigest.sha256(bytes, 100..<(2 << 20)))
        #expect(f[70_000] == bytes[70_000] && f[3] == bytes[3] && f[bytes.count - 1] == bytes[bytes.count - 1])
    }

    @Test func aFileThatShrinksIsReportedNotTrapped() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let path = dir.file("data", pattern(200_000, seed: 1))
        let f = try FileBytes.open(path)
        dir.file("data", pattern(1000, seed: 1))   // truncated in place, same inode
        #expect(f[150_000] == 0)
        #expect(f.problem != nil)
    }

    @Test func directoriesAreRefused() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        #expect(throws: Errno.isDirectory) { try FileBytes.open(dir.path) }
    }
}

/// `FileBytes` is `Sendable` without `@unchecked`: its window is behind a `Mutex`, so tasks
/// sharing one read the right bytes.
@Suite struct FileBytesSharingTests {
    @Test func tasksSharingOneFileReadTheRightBytes() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        let bytes = pattern(1 << 20, seed: 5)
        let file = try FileBytes.open(dir.file("shared", bytes))
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for t in 0..<8 {
                group.addTask {
                    var bad = 0
                    for i in stride(from: t * 4099, to: bytes.count, by: 65_521) where file[i] != bytes[i] { bad += 1 }
                    return bad
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        #expect(file.problem == nil)
    }
}
