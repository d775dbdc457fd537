import Foundation
import KexecPurgatory
import KexecTestSupport

// xen-kexec-purgatory-bench FILE [RUNS]: hashes FILE (read into memory) with the purgatory's
// own SHA-256 routines, mapped executable as the unit tests map them, on the scalar path and,
// when CPUID offers it, the SHA-NI path; prints "PATH BEST_CPU_SECONDS DIGEST" per path (the
// best of RUNS, CPU time of this process) for tools/bench/purgatory-sha256-bench.sh. Not
// shipped: the .deb carries xen-kexec-load alone.

func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let contents = FileManager.default.contents(atPath: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: xen-kexec-purgatory-bench FILE [RUNS] (FILE readable)\n".utf8))
    exit(64)
}
let runs = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 3) : 3
let data = [UInt8](contents)
let routines: MappedPurgatoryRoutines
do {
    routines = try MappedPurgatoryRoutines()
} catch {
    FileHandle.standardError.write(Data("cannot map the routines executable (errno \(error.errno))\n".utf8))
    exit(71)
}
var paths: [(String, UInt)] = [("scalar", PurgatoryRoutines.scalarPath)]
if routines.selectedPath() == PurgatoryRoutines.shaNIPath {
    paths.append(("sha-ni", PurgatoryRoutines.shaNIPath))
} else {
    print("sha-ni unavailable (CPUID: no SHA, SSSE3 or SSE4.1)")
}
for (name, path) in paths {
    var best = Double.infinity
    var digest: [UInt8] = []
    for _ in 0..<runs {
        let start = cpuSeconds()
        digest = routines.digest(data, path: path)
        best = min(best, cpuSeconds() - start)
    }
    print("\(name) \(String(format: "%.6f", best)) \(digest.map { String(format: "%02x", $0) }.joined())")
}
