/// KEXEC_TYPE_DEFAULT (`kexec -l`-like): a kernel that gets the whole machine; boot_params'
/// e820 is Xen's machine memory map. Xen copies the pages into place only at
/// `KEXEC_CMD_kexec`, after it stopped running.
///
/// Segments go into Xen's crash region when there is one and they fit (top-down), else into
/// host RAM above 1 MiB outside Xen's image and the crash region, below 4 GiB when they fit
/// there. The crash region comes first because Xen never hands its pages out as heap (x86
/// `kexec_reserve_area()`, xen/arch/x86/setup.c): when a default image's destination pages are
/// free heap pages, Xen's `kimage_alloc_page()` (xen/common/kimage.c) may take one of them as
/// the copy of a page loaded earlier and then records that page's source as machine address 0
/// (`(addr & ~PAGE_MASK) | IND_SOURCE`), so `kexec_reloc` copies page 0 over part of the new
/// kernel ("XZ/ZSTD-compressed data is corrupt" in its decompressor). No destination inside the
/// crash region can be a heap page. A crash image armed there is untouched until `exec`.
///
/// The corresponding hypercall is `KEXEC_CMD_kexec_load` with `KEXEC_TYPE_DEFAULT`.
enum DefaultLayout {
    static func make<B>(_ input: LayoutInputs<B>) throws(PlanError) -> PlanDraft {
        let host = input.host
        let k = input.kernel
        guard host.memoryMap.contains(where: { $0.isRAM && $0.range.size > 0 }) else { throw .hostMemoryMapMissing }
        var excluded = [CrashLayout.lowMemory]
        if let x = host.xenImage { excluded.append(x) }
        if let c = host.crashRegion { excluded.append(c) }
        let free = host.memoryMap.filter(\.isRAM).flatMap { $0.range.subtracting(excluded) }
        let pm = UInt64(k.protectedModeRange.count)
        let runSize = max(k.initSizePages, try Checked.pageUp(pm, field: "protected-mode kernel size"))
        let commandLine = try KernelCommandLine.build(
            input.request.commandLine, embedded: k.embeddedCommandLine, elfCoreHeader: nil,
            lockdown: input.request.lockdown, maximum: Int(k.header.cmdlineSize))
        let paramsPages = try Checked.pageUp(UInt64(BootParams.size + commandLine.utf8.count + 1), field: "boot_params and command line size")
        let initrdPages = try Checked.pageUp(input.initrdSize, field: "initrd size")

        /// Purgatory, boot_params, kernel and initrd, top-down in `free`, below 4 GiB when they fit.
        func placeAll(in free: [AddressRange]) throws(PlanError) -> (purgatory: UInt64, params: UInt64, kernel: UInt64, initrd: UInt64?) {
            var alloc = PageAllocator(free: free)
            let fourGiB: UInt64 = 1 << 32
            func place(_ role: SegmentRole, _ size: UInt64, alignment: UInt64 = Checked.page) throws(PlanError) -> UInt64 {
                if let a = alloc.allocate(size: size, alignment: alignment, limit: fourGiB) { return a }
                if let a = alloc.allocate(size: size, alignment: alignment) { return a }
                throw .noRoomInMemory(role: role, size: size)
            }
            let purgatory = try place(.purgatory, PlanPurgatory.segmentSize)
            let params = try place(.bootParams, paramsPages)
            let kernel = try place(.kernel, runSize, alignment: k.alignment)
            let initrd: UInt64? = input.initrd != nil ? try place(.initrd, initrdPages) : nil
            return (purgatory, params, kernel, initrd)
        }
        let crashPages = host.crashRegion.flatMap(CrashRegionPages.usable).map { $0.subtracting([CrashLayout.lowMemory]) } ?? []
        let placed: (purgatory: UInt64, params: UInt64, kernel: UInt64, initrd: UInt64?)
        if !crashPages.isEmpty, let inRegion = try? placeAll(in: crashPages) {
            placed = inRegion
        } else {
            placed = try placeAll(in: free)
        }
        let purgatoryDest = placed.purgatory, paramsDest = placed.params, loadAddress = placed.kernel
        let initrdDest = placed.initrd

        let e820 = host.memoryMap.sorted { $0.range < $1.range }
        let params = try BootParams.build(
            image: input.kernelBytes,
            inputs: .init(
                address: paramsDest, commandLine: commandLine,
                initrd: initrdDest.map { AddressRange(start: $0, size: input.initrdSize) }, e820: e820, acpiRsdp: host.acpiRsdp,
                secureBoot: input.request.lockdown != nil))
        guard let kernelEntry = Checked.add(loadAddress, UInt64(0x200)) else { throw .addressOverflow("kernel entry") }

        var segments = [
            PlannedSegment(role: .kernel, dest: loadAddress, destSize: runSize, source: .file(.image, k.protectedModeRange)),
            PlannedSegment(role: .bootParams, dest: paramsDest, destSize: paramsPages, source: .generated(params)),
            PlannedSegment(role: .lowMemoryMap, dest: 0, destSize: CrashLayout.lowMemory.size, source: .none),
        ]
        if let d = initrdDest, let src = input.initrd {
            segments.append(PlannedSegment(role: .initrd, dest: d, destSize: initrdPages, source: src))
        }
        let code = try PlanPurgatory.build(
            loadAddress: purgatoryDest, bootParams: paramsDest, kernelEntry: kernelEntry, backup: nil,
            segments: segments, commandLine: commandLine)
        segments.append(PlannedSegment(role: .purgatory, dest: purgatoryDest, destSize: PlanPurgatory.segmentSize, source: .generated(code)))
        segments = PlanPurgatory.purgatoryLast(segments)  // the order PlanDigest hashes in one pass
        return PlanDraft(
            segments: segments, entry: purgatoryDest, kernelEntry: kernelEntry, commandLine: commandLine, e820: e820,
            neededBytes: 0)
    }
}
