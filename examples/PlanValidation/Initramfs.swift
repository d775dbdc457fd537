/// A minimal initramfs for the example: a "newc" cpio archive (magic `070701`, the format
/// Linux unpacks in init/initramfs.c) holding the given files, then `TRAILER!!!`. The planner
/// treats an initrd as opaque bytes; a distribution's CI passes its real initrd file instead.
enum Initramfs {
    static func newc(_ files: [(name: String, mode: UInt32, bytes: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        func pad4() { while out.count % 4 != 0 { out.append(0) } }
        func entry(_ name: String, mode: UInt32, _ bytes: [UInt8], ino: UInt32) {
            let fields: [UInt32] = [
                ino, mode, 0, 0, 1, 0, UInt32(bytes.count), 0, 0, 0, 0, UInt32(name.utf8.count + 1), 0,
            ]
            out += Array("070701".utf8)
            for f in fields {
                let digits = String(f, radix: 16, uppercase: true)
                out += Array((String(repeating: "0", count: 8 - digits.count) + digits).utf8)
            }
            out += Array(name.utf8) + [0]
            pad4()
            out += bytes
            pad4()
        }
        for (i, f) in files.enumerated() { entry(f.name, mode: f.mode, f.bytes, ino: UInt32(i + 1)) }
        entry("TRAILER!!!", mode: 0, [], ino: 0)
        return out
    }
}
