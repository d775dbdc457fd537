import KexecPlan

/// Turns a ``LoadPlan`` into the exact ``KexecLoadRequest`` sent to Xen: file segments
/// become slices of the payload buffers the files were read into (no copy), generated
/// segments get a small payload buffer each, buffer-less segments stay buffer-less.
public enum PlanPayloads {
    public static func request(
        for plan: LoadPlan, image: PayloadBuffer, initrd: PayloadBuffer?,
        allocate: (Int) throws(KexecError) -> PayloadBuffer
    ) throws(KexecError) -> KexecLoadRequest {
        var segments: [KexecSegment] = []
        for (i, s) in plan.segments.enumerated() {
            let payload: PayloadSlice?
            switch s.source {
            case .none:
                payload = nil
            case .file(let which, let range):
                let buffer: PayloadBuffer
                switch which {
                case .image: buffer = image
                case .initrd:
                    guard let initrd else { throw .planSegmentWithoutInitrd(segment: i, role: s.role) }
                    buffer = initrd
                }
                guard range.lowerBound >= 0, range.upperBound <= buffer.byteCount else {
                    throw .planSegmentOutsideFile(segment: i, role: s.role, range: range, fileBytes: buffer.byteCount)
                }
                payload = PayloadSlice(buffer, range: range)
            case .generated(let bytes):
                let buffer = try allocate(bytes.count)
                buffer.write(bytes, at: 0)
                payload = PayloadSlice(buffer, range: 0..<bytes.count)
            }
            segments.append(KexecSegment(payload: payload, dest: s.dest, destSize: s.destSize))
        }
        return KexecLoadRequest(type: plan.type.rawValue, arch: plan.arch, entryMaddr: plan.entryOrParameters, segments: segments)
    }
}
