import KexecPlan

/// Seeded, reproducible `KEXEC_CMD_kexec_load` requests near the edges of Xen's load rules,
/// for measuring `XenRules` against the real hypervisor (the differential test that
/// `xen-kexec-fidelity` runs in dom0; Xen's checks are in xen/common/kexec.c and
/// xen/common/kimage.c).
///
/// Every case is hypercall-shaped (`XenLoadRequest`): any type, any arch, any segment array.
/// The generator knows the crash region (and, for default loads, a RAM window), and mostly
/// produces requests one step inside or outside a rule: a segment a page below the region or
/// ending exactly at its end, `dest` off by one byte, `buf_size = dest_size ± 1`, segments that
/// touch or overlap by a page, 0/15/16 segments, buffer-less segments outside the region, the
/// entry at the region's inclusive end, arch 3/62/183, types 0/1/2/3/7, and for type 3 a
/// segment-0 setup header with each of Xen's EFI rules broken once. Buffers stay small (at most
/// 64 KiB each) so a case costs Xen little; a segment's `dest_size` may be larger.
public struct XenRulesCaseGenerator: Sendable {
    /// One generated request with the edge it probes.
    public struct Case: Equatable, Sendable {
        public var index: Int
        /// Which edge this case probes, e.g. `segment-past-end`.
        public var probe: String
        public var request: XenLoadRequest
    }

    public var crashRegion: AddressRange
    /// RAM for KEXEC_TYPE_DEFAULT segments (Xen copies them at exec time, so any free RAM
    /// will do; a window outside the crash region and Xen's image).
    public var defaultWindow: AddressRange
    /// Generate type-3 cases that expect a hypervisor with KEXEC_TYPE_CRASH_EFI.
    public var includeCrashEFI: Bool

    public init(crashRegion: AddressRange, defaultWindow: AddressRange, includeCrashEFI: Bool) {
        self.crashRegion = crashRegion
        self.defaultWindow = defaultWindow
        self.includeCrashEFI = includeCrashEFI
    }

    /// The largest buffer a case uses, so the runner can allocate once.
    public static let maxBufferBytes = 0x10000
    static let page: UInt64 = 0x1000
    static let mib: UInt64 = 0x10_0000

    /// `count` cases from `seed`; the same inputs always give the same cases.
    public func cases(seed: UInt64, count: Int) -> [Case] {
        var rng = SplitMix64(seed: seed)
        var out: [Case] = []
        let probes = Self.probes(efi: includeCrashEFI)
        for i in 0..<max(0, count) {
            let probe = probes[i % probes.count]
            out.append(Case(index: i, probe: probe, request: make(probe, &rng)))
        }
        return out
    }

    /// Probe names, in the order they cycle.
    public static func probes(efi: Bool) -> [String] {
        var p = [
            "valid-crash", "segment-below-start", "segment-at-end", "segment-past-end", "segment-straddles-start",
            "entry-at-start", "entry-at-end-inclusive", "entry-past-end", "entry-below-start",
            "dest-unaligned", "size-unaligned", "overlap-one-page", "touching", "overlap-bufferless",
            "buf-equals-dest", "buf-dest-plus-one", "buf-dest-minus-one", "zero-segments", "fifteen-segments",
            "sixteen-segments", "bufferless-outside", "bufferless-empty", "arch-386", "arch-aarch64", "type-2", "type-7",
            "whole-region-segment", "region-nearly-full", "default-valid", "default-unaligned", "default-overlap",
            "type-3-on-any", "reloc-tables-missing",
        ]
        if efi {
            p += [
                "efi-valid", "efi-valid-unaligned-kern16", "efi-bad-magic", "efi-version-0201", "efi-align-0",
                "efi-align-1m", "efi-align-18m", "efi-align-3m", "efi-misaligned-page", "efi-outside-region",
                "efi-arch-386", "efi-bufferless-low-map", "efi-segment0-short", "efi-end-wraps",
                "efi-bufferless-empty-unaligned",
            ]
        }
        return p
    }

    // MARK: - Building blocks

    /// A page-aligned spot for `pages` pages inside the crash region, above its bottom 1 MiB
    /// (where Xen takes its control and page-table pages).
    func spot(_ rng: inout SplitMix64, pages: UInt64) -> UInt64 {
        let low = crashRegion.start + Self.mib
        let slots = (crashRegion.size - Self.mib) / Self.page
        let room = slots > pages ? slots - pages : 1
        return low + (rng.next() % room) * Self.page
    }

    func seg(_ dest: UInt64, _ destSize: UInt64, buf: UInt64? = nil) -> XenSegmentDescriptor {
        let b = buf ?? min(destSize, UInt64(Self.maxBufferBytes))
        return XenSegmentDescriptor(hasBuffer: true, bufSize: b, dest: dest, destSize: destSize)
    }

    func bufferless(_ dest: UInt64, _ size: UInt64) -> XenSegmentDescriptor {
        XenSegmentDescriptor(hasBuffer: false, bufSize: 0, dest: dest, destSize: size)
    }

    /// A few ordinary, valid, page-aligned crash segments plus the low 1 MiB map.
    func validCrashSegments(_ rng: inout SplitMix64) -> [XenSegmentDescriptor] {
        let n = 1 + Int(rng.next() % 3)
        var segs = [bufferless(0, Self.mib)]
        var at = spot(&rng, pages: UInt64(n) * 32)
        for _ in 0..<n {
            let pages = 1 + rng.next() % 16
            segs.append(seg(at, pages * Self.page))
            at += (pages + 1 + rng.next() % 8) * Self.page
        }
        return segs
    }

    func crash(_ segs: [XenSegmentDescriptor], entry: UInt64? = nil, arch: UInt16 = KexecArch.x86_64, type: UInt8 = 1) -> XenLoadRequest {
        let e = entry ?? segs.first(where: \.hasBuffer)?.dest ?? crashRegion.start
        return XenLoadRequest(type: type, arch: arch, entry: e, segments: segs)
    }

    /// A synthetic setup header: the fields Xen's type-3 check reads, at their offsets.
    public static func efiHeader(setupSects: UInt8 = 7, magic: UInt32 = 0x5372_6448, version: UInt16 = 0x020F, alignment: UInt32 = 0x20_0000) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: XenLoadRequest.segment0PrefixLength)
        func put(_ v: UInt64, _ o: Int, _ n: Int) { for k in 0..<n { b[o + k] = UInt8(truncatingIfNeeded: v >> (8 * k)) } }
        b[0x1F1] = setupSects
        put(0xAA55, 0x1FE, 2)
        put(UInt64(magic), 0x202, 4)
        put(UInt64(version), 0x206, 2)
        put(UInt64(alignment), 0x230, 4)
        return b
    }

    /// A type-3 request whose segment 0 sits so that `dest + kern16` is `alignment`-aligned
    /// (shifted by `shift` bytes), plus boot_params and the low map.
    func efi(_ rng: inout SplitMix64, header: [UInt8], setupSects: UInt8 = 7, alignment: UInt64 = 0x20_0000, shift: Int64 = 0, arch: UInt16 = KexecArch.x86_64) -> XenLoadRequest {
        let kern16 = (UInt64(setupSects == 0 ? 4 : setupSects) + 1) * 512
        let firstA = (crashRegion.start + 2 * Self.mib + alignment - 1) / alignment * alignment
        let lastA = (crashRegion.start + crashRegion.size - 8 * Self.mib) / alignment * alignment
        let steps = lastA > firstA ? (lastA - firstA) / alignment + 1 : 1
        let a = firstA + (rng.next() % steps) * alignment
        let d0 = UInt64(Int64(bitPattern: a - kern16) + shift)
        let kernelSize = 64 * Self.page
        let bp = (a + kernelSize + Self.page) & ~(Self.page - 1)
        let segs = [
            XenSegmentDescriptor(hasBuffer: true, bufSize: UInt64(Self.maxBufferBytes), dest: d0, destSize: kernelSize + kern16),
            seg(bp, 2 * Self.page, buf: 0x1016),
            bufferless(0, Self.mib),
        ]
        return XenLoadRequest(type: 3, arch: arch, entry: bp, segments: segs, segment0Prefix: header)
    }

    // MARK: - Probes

    func make(_ probe: String, _ rng: inout SplitMix64) -> XenLoadRequest {
        let s = crashRegion.start, e = crashRegion.start + crashRegion.size, p = Self.page
        var segs = validCrashSegments(&rng)
        let pick = { (r: inout SplitMix64) -> UInt64 in (1 + r.next() % 4) * p }
        switch probe {
        case "valid-crash": return crash(segs)
        case "segment-below-start": segs.append(seg(s - p, 2 * p)); return crash(segs)
        case "segment-at-end": let n = pick(&rng); segs.append(seg(e - n, n)); return crash(segs)
        case "segment-past-end": let n = pick(&rng); segs.append(seg(e - n + p, n)); return crash(segs)
        case "segment-straddles-start": segs.append(seg(s - p, pick(&rng) + p)); return crash(segs)
        case "entry-at-start": return crash(segs, entry: s)
        case "entry-at-end-inclusive": return crash(segs, entry: e)
        case "entry-past-end": return crash(segs, entry: e + 1 + rng.next() % 2 * (p - 1))
        case "entry-below-start": return crash(segs, entry: s - 1)
        case "dest-unaligned":
            let d = spot(&rng, pages: 8) + 1 + rng.next() % (p - 1)
            segs.append(seg(d, 2 * p)); return crash(segs)
        case "size-unaligned":
            segs.append(seg(spot(&rng, pages: 8), 2 * p + 1 + rng.next() % (p - 1))); return crash(segs)
        case "overlap-one-page", "touching":
            let d = spot(&rng, pages: 32), n = pick(&rng)
            let second = probe == "touching" ? d + n : d + n - p
            return crash([bufferless(0, Self.mib), seg(d, n), seg(second, n)])
        case "overlap-bufferless":
            let d = spot(&rng, pages: 32)
            return crash([seg(d, 4 * p), bufferless(d + 2 * p, 4 * p)])
        case "buf-equals-dest", "buf-dest-plus-one", "buf-dest-minus-one":
            let n = pick(&rng)
            let b = probe == "buf-equals-dest" ? n : probe == "buf-dest-plus-one" ? n + 1 : n - 1
            segs.append(seg(spot(&rng, pages: 64) , n, buf: b)); return crash(Array(segs.prefix(1)) + [segs.last!])
        case "zero-segments": return crash([], entry: s + p)
        case "fifteen-segments", "sixteen-segments":
            let n = probe == "fifteen-segments" ? 15 : 16
            var at = spot(&rng, pages: 64)
            var many: [XenSegmentDescriptor] = []
            for _ in 0..<n { many.append(seg(at, p)); at += 2 * p }
            return crash(many)
        case "bufferless-outside":
            segs.append(bufferless(e + rng.next() % 4 * Self.mib, pick(&rng))); return crash(segs)
        case "bufferless-empty": segs.append(bufferless(s + 32 * Self.mib, 0)); return crash(segs)
        case "arch-386": return crash(segs, arch: KexecArch.i386)
        case "arch-aarch64": return crash(segs, arch: 183)
        case "type-2": return crash(segs, type: 2)
        case "type-7": return crash(segs, type: 7)
        case "whole-region-segment": return crash([seg(s, crashRegion.size, buf: p)], entry: s)
        case "region-nearly-full":
            // Leave k free pages at the bottom: too few for the control pages and tables when small.
            let k = rng.next() % 12
            return crash([seg(s + k * p, crashRegion.size - k * p, buf: p)], entry: s + k * p)
        case "reloc-tables-missing":
            // One segment from k pages above the region's start to its end, with the smallest
            // k that leaves Xen pages for the control pages and every segment table but not for
            // the tables of kexec_reloc's alias (found with the model, which Xen then checks).
            for k in UInt64(1)..<(crashRegion.size / p) {
                let r = crash([seg(s + k * p, crashRegion.size - k * p, buf: p)], entry: s + k * p)
                switch XenRules.check(r, crashRegion: crashRegion, hypervisor: .xen417)?.rule {
                case .noPageTableForRelocationCode: return r
                case .noControlPage, .noPageTablePage: continue
                default: return crash(segs)
                }
            }
            return crash(segs)
        case "default-valid", "default-unaligned", "default-overlap":
            let w = defaultWindow
            let slots = max(1, (w.size / p) - 64)
            let d = w.start + (rng.next() % slots) * p
            var list = [seg(d, 4 * p, buf: 0x2000)]
            if probe == "default-unaligned" { list.append(seg(d + 8 * p + 0x200, p, buf: 0x100)) }
            if probe == "default-overlap" { list.append(seg(d + 3 * p, 2 * p, buf: 0x100)) }
            return XenLoadRequest(type: 0, arch: KexecArch.x86_64, entry: d, segments: list)
        case "type-3-on-any":
            // On a Xen without the type: EINVAL before anything else; with it, a valid load.
            return efi(&rng, header: Self.efiHeader())
        case "efi-valid": return efi(&rng, header: Self.efiHeader())
        case "efi-valid-unaligned-kern16": return efi(&rng, header: Self.efiHeader(setupSects: 36), setupSects: 36)
        case "efi-bad-magic": return efi(&rng, header: Self.efiHeader(magic: 0x5372_6449))
        case "efi-version-0201": return efi(&rng, header: Self.efiHeader(version: 0x0201))
        case "efi-align-0": return efi(&rng, header: Self.efiHeader(alignment: 0))
        case "efi-align-1m": return efi(&rng, header: Self.efiHeader(alignment: 0x10_0000))
        case "efi-align-18m": return efi(&rng, header: Self.efiHeader(alignment: 0x120_0000), alignment: 0x120_0000)
        case "efi-align-3m": return efi(&rng, header: Self.efiHeader(alignment: 0x30_0000), alignment: 0x30_0000)
        case "efi-misaligned-page": return efi(&rng, header: Self.efiHeader(), shift: Int64(p))
        case "efi-outside-region":
            var r = efi(&rng, header: Self.efiHeader())
            r.segments[1].dest = e + 2 * Self.mib
            return r
        case "efi-arch-386": return efi(&rng, header: Self.efiHeader(), arch: KexecArch.i386)
        case "efi-bufferless-low-map":
            var r = efi(&rng, header: Self.efiHeader())
            r.segments.append(bufferless(Self.mib, Self.mib))
            return r
        case "efi-segment0-short":
            // The test Xen reads the setup header up to 0x234 only from a buffer that long.
            var r = efi(&rng, header: Self.efiHeader())
            r.segments[0].bufSize = 0x233 - rng.next() % 0x30
            return r
        case "efi-end-wraps":
            // A buffer-less segment whose end wraps past 2^64, or lands inside the last page.
            var r = efi(&rng, header: Self.efiHeader())
            let wraps = rng.next() % 2 == 0
            r.segments.append(bufferless(wraps ? UInt64.max - 0x7FF : UInt64.max - 0x1FFF, wraps ? p : p + 0x800))
            return r
        case "efi-bufferless-empty-unaligned":
            // dest_size 0 at an unaligned address: the test Xen widens it to the page it touches.
            var r = efi(&rng, header: Self.efiHeader())
            r.segments.append(bufferless(e - 4 * p + 1 + rng.next() % (p - 1), 0))
            return r
        default: return crash(segs)
        }
    }
}
