import SystemPackage

/// dom0's own kernel command line, where `--reuse-cmdline` starts (the planner then drops
/// `BOOT_IMAGE=` and `crashkernel=`). Read from `/proc/cmdline` until end of file: procfs
/// reports a size of 0, so the file's size is never used (Linux fs/proc/cmdline.c).
public enum Dom0CommandLine {
    /// `/proc/cmdline`.
    public static let path: FilePath = "/proc/cmdline"

    /// The first line of `file` (default `/proc/cmdline`), without its newline.
    public static func read(_ file: FilePath = path) throws(KexecError) -> String {
        let bytes: [UInt8]
        do { bytes = try SystemCalls.readFile(file, limit: 1 << 16) } catch { throw .fileUnavailable(file, error) }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
    }
}
