#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SystemPackage
@testable import XenKexec

/// The store's real file operations, with each call a step of a ``FaultSchedule``.
struct FaultingStateDirectory: StateDirectoryOperations {
    let real = SystemStateDirectory()
    let schedule: FaultSchedule
    let directory: FilePath

    /// Records the step; throws an injected errno, removes the directory for
    /// ``InjectedFault/directoryMissing``, and returns any other fault for the call to apply.
    private func step(_ verb: String, _ path: FilePath) throws(Errno) -> InjectedFault? {
        let name = path == directory ? "\(verb) state directory" : "\(verb) \(path.lastComponent?.string ?? path.string)"
        switch schedule.step(name) {
        case .errno(let e)?: throw e
        case .directoryMissing?:
            try? FileManager.default.removeItem(atPath: directory.string)
            return nil
        case let other: return other
        }
    }

    func makeDirectory(_ path: FilePath, permissions: FilePermissions) throws(Errno) {
        _ = try step("mkdir", path)
        try real.makeDirectory(path, permissions: permissions)
    }

    func writeDurably(_ path: FilePath, _ bytes: [UInt8], permissions: FilePermissions) throws(Errno) {
        let half = Array(bytes.prefix(bytes.count / 2))
        switch try step("write", path) {
        case .tornWrite(let e)?:
            try real.writeDurably(path, half, permissions: permissions)
            throw e
        case .killedMidWrite?:
            try real.writeDurably(path, half, permissions: permissions)
            schedule.onKill()
        default: break
        }
        try real.writeDurably(path, bytes, permissions: permissions)
    }

    func rename(_ from: FilePath, to: FilePath) throws(Errno) {
        _ = try step("rename", from)
        try real.rename(from, to: to)
    }

    func removeFile(_ path: FilePath) throws(Errno) {
        _ = try step("unlink", path)
        try real.removeFile(path)
    }

    func readFile(_ path: FilePath, limit: Int) throws(Errno) -> [UInt8] {
        let fault = try step("read", path)
        let bytes = try real.readFile(path, limit: limit)
        return fault == .tornRecord ? Array(bytes.prefix(bytes.count / 2)) : bytes
    }

    func exists(_ path: FilePath) -> Bool {
        do { _ = try step("stat", path) } catch { return false }
        return real.exists(path)
    }
}
