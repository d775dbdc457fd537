import KexecImage
import KexecPlan

/// The readable form of a plan: one line per segment (index, role, dest, dest size, buf
/// size, and with `--segment-digests` the segment's SHA-256 prefix), then the digest, the command line and the e820 table.
enum PlanTable {
    static func render(_ plan: KexecLoadRequest) -> String {
        var out = ""
        let entryName = plan.loadType == .crashEFI ? "parameters (boot_params)" : "entry (purgatory)"
        out += "type \(plan.typeName) (\(plan.type)), arch \(plan.arch), \(entryName) \(hex(plan.entryMaddr)), kernel entry \(hex(plan.kernelEntry))\n"
        if let r = plan.crashRegion {
            out += "crash region \(hex(r.start)) + \(hex(r.size)) (\(humanSize(r.size)))\n"
        }
        // Each segment's own digest only when asked for (`plan --segment-digests`).
        let digests = plan.segments.contains { $0.sha256 != nil }
        out += pad("#", 3) + pad("role", 15) + pad("dest", 14) + pad("dest size", 12) + (digests ? pad("buf size", 12) + "sha256\n" : "buf size\n")
        for (i, s) in plan.segments.enumerated() {
            let sha = s.sha256.map { String(hexDigits($0).prefix(16)) } ?? "-"
            out += pad("\(i)", 3) + pad(s.roleName, 15) + pad(hex(s.dest), 14) + pad(hex(s.destSize), 12)
                + (digests ? pad(hex(s.bufSize), 12) + sha : hex(s.bufSize)) + "\n"
        }
        out += "digest \(hexDigits(plan.digest))\n"
        out += "command line: \(plan.commandLine)\n"
        out += "e820 (\(plan.e820.count) entries):\n"
        for m in plan.e820 {
            let name = E820Type(rawValue: m.type)?.name ?? "type \(m.type)"
            out += "  " + pad(hex(m.range.start), 14) + pad(hex(m.range.size), 14) + name + "\n"
        }
        return out
    }

    private static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
    }
}
