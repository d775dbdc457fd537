/// KEXEC_TYPE_DEFAULT (`kexec -l`-like): a kernel that gets the whole machine. Segments go
/// into host RAM above 1 MiB outside Xen's image and the crash region, below 4 GiB when they
/// fit there (top-down, like kexec-tools); boot_params' e820 is Xen's machine memory map.
/// Xen copies the pages into place only at `KEXEC_CMD_kexec`, after it stopped running.
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
        var alloc = PageAllocator(free: free)
        let fourGiB: UInt64 = 1 << 32
        func place(_ role: SegmentRole, _ size: UInt64, alignment: UInt64 = Checked.page) throws(PlanError) -> UInt64 {
            if let a = alloc.allocate(size: size, alignment: alignment, limit: fourGiB) { return a }
            if let a = alloc.allocate(size: size, alignment: alignment) { return a }
            throw .noRoomInMemory(role: role, size: size)
        }
        let pm = UInt64(k.protectedModeRange.count)
        let runSize = max(k.initSizePages, Checked.pageUp(pm) ?? pm)
        let commandLine = try KernelCommandLine.build(
            input.request.commandLine, embedded: k.embeddedCommandLine, elfCoreHeader: nil, maximum: Int(k.header.cmdlineSize))
        let paramsPages = Checked.pageUp(UInt64(BootParams.size + commandLine.utf8.count + 1)) ?? 0
        guard let initrdPages = Checked.pageUp(input.initrdSize) else { throw .addressOverflow("initrd size") }

        let purgatoryDest = try place(.purgatory, Purgatory.segmentSize)
        let paramsDest = try place(.bootParams, paramsPages)
        let loadAddress = try place(.kernel, runSize, alignment: k.alignment)
        var initrdDest: UInt64? = nil
        if input.initrd != nil { initrdDest = try place(.initrd, initrdPages) }

        let e820 = host.memoryMap.sorted { $0.range < $1.range }
        let params = try BootParams.build(
            image: input.kernelBytes,
            inputs: .init(
                address: paramsDest, commandLine: commandLine,
                initrd: initrdDest.map { AddressRange(start: $0, size: input.initrdSize) }, e820: e820, acpiRsdp: host.acpiRsdp))
        guard let kernelEntry = Checked.add(loadAddress, UInt64(0x200)) else { throw .addressOverflow("kernel entry") }
        let code = try Purgatory.build(.init(loadAddress: purgatoryDest, bootParams: paramsDest, kernelEntry: kernelEntry, backup: nil))

        var segments = [
            PlannedSegment(role: .kernel, dest: loadAddress, destSize: runSize, source: .file(.image, k.protectedModeRange)),
            PlannedSegment(role: .bootParams, dest: paramsDest, destSize: paramsPages, source: .generated(params)),
            PlannedSegment(role: .purgatory, dest: purgatoryDest, destSize: Purgatory.segmentSize, source: .generated(code)),
            PlannedSegment(role: .lowMemoryMap, dest: 0, destSize: CrashLayout.lowMemory.size, source: .none),
        ]
        if let d = initrdDest, let src = input.initrd {
            segments.append(PlannedSegment(role: .initrd, dest: d, destSize: initrdPages, source: src))
        }
        segments.sort { $0.dest < $1.dest }
        return PlanDraft(
            segments: segments, entry: purgatoryDest, kernelEntry: kernelEntry, commandLine: commandLine, e820: e820,
            neededBytes: 0)
    }
}
