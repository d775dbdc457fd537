#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

extension FileFault {
    /// Makes the file at `path` faulty (the tests run as root, so modes alone do not stop a
    /// read; the trust checks do).
    func apply(to path: FilePath, in dir: ScratchDirectory) {
        let p = path.string
        switch self {
        case .missing:
            unlink(p)
        case .directory:
            unlink(p)
            mkdir(p, 0o755)
        case .worldWritable:
            chmod(p, 0o666)
        case .foreignOwner:
            chown(p, 65534, 65534)
        case .symlinkLoop:
            unlink(p)
            symlink(p, p)
        case .notADirectoryInPath:
            unlink(p)
            dir.file("plain-file", [0])
            symlink(dir.path.appending("plain-file").string + "/below-a-file", p)
        case .empty:
            truncate(p, 0)
        case .changed:
            let size = (try? path.stat())?.size ?? 0
            dir.file(path.lastComponent!.string, pattern(Int(size), seed: 99))
        case .garbage:
            unlink(p)
            dir.file(String(p.dropFirst(dir.path.string.count + 1)), Array("\u{1}garbage = \"unterminated\n=\n".utf8))
        }
    }
}
