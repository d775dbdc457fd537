import KexecPlan
import XenKexec

/// `plan --emit DIR`: every segment's exact buffer bytes (`segment-NN-ROLE.bin`; buffer-less
/// segments get an empty file) and `plan.json`, so anyone can check a plan byte by byte.
enum PlanEmitter {
    static func emit(_ plan: KexecLoadRequest, to dir: String, image: FileBytes, initrd: FileBytes?) throws {
        try PlanFiles.makeDirectory(dir)
        for (i, s) in plan.segments.enumerated() {
            let name = "\(dir)/segment-\(i < 10 ? "0" : "")\(i)-\(s.roleName).bin"
            switch s.source {
            case .none: try PlanFiles.write(name, [])
            case .generated(let b): try PlanFiles.write(name, b)
            case .file(let f, let r):
                let src = f == .image ? image : initrd
                try PlanFiles.write(name, src.map { $0[r].bytes } ?? [])
            }
        }
        try PlanFiles.write("\(dir)/plan.json", Array(PlanJSON.encode(PlanJSON.Plan(plan)).utf8))
    }
}
