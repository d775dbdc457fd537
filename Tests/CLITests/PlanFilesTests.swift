import SystemPackage
import Testing
import XenKexec
@testable import xen_kexec_load

/// `plan` reads its inputs until end of file: procfs files report a size of 0.
@Suite struct PlanFilesTests {
    @Test func readsAFileWhoseReportedSizeIsZero() throws {
        let path = "/proc/self/status"
        #expect(try FilePath(path).stat().size == 0, "procfs reports st_size 0")
        let bytes = try HostFiles.read(FilePath(path))
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("Name:"))
    }

    @Test func readsTheRunningCommandLineTheOneWay() throws {
        let line = try Dom0.live.commandLine()
        #expect(!line.isEmpty && !line.contains("\n"))
        #expect(try HostFiles.read("/proc/cmdline").starts(with: Array(line.utf8)))
    }

    @Test func refusesADirectory() {
        #expect(throws: Errno.isDirectory) { try HostFiles.read("/proc") }
    }
}
