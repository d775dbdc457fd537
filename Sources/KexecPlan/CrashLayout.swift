import KexecImage

/// Segment layouts for the crash types, inside Xen's crash region, every segment on pages
/// of its own and placed top-down (so the bottom of the region stays free for the control
/// and page-table pages Xen takes from there).
///
/// KEXEC_TYPE_CRASH_EFI (the proposed Xen "x86/kexec: Secure Boot support" series, as the
/// test Xen in tools/e2e/xen-efi implements it; docs/efi.md): segment 0 is the whole image
/// file at `A − kern16` (`A` a multiple of `kernel_alignment`) with room for `init_size`
/// behind `A`; then boot_params + command line, initrd, ELF core header, and the buffer-less
/// `[0, 1 MiB)` segment. No purgatory, no backup segment; low memory is dumped in place.
///
/// KEXEC_TYPE_CRASH (kexec-tools' layout: kexec/arch/i386/kexec-bzImage.c, crashdump-x86.c): the protected-mode part at `A`, initrd,
/// boot_params + command line, this project's purgatory (the entry), the ELF core header,
/// a buffer-less backup area the purgatory copies low memory into, and `[0, 1 MiB)`.
///
/// The corresponding hypercall is `KEXEC_CMD_kexec_load`.
enum CrashLayout {
    static let lowMemory = AddressRange(start: 0, size: 0x10_0000)
    /// kexec-tools' minimum ELF core header reservation (`ELF_CORE_HEADER` memsz).
    static let elfCoreHeaderMinimum: UInt64 = 16 << 10

    static func make<B>(_ input: LayoutInputs<B>) throws(PlanError) -> PlanDraft {
        let efi = input.request.type == .crashEFI
        let host = input.host
        guard let region = host.crashRegion, region.size > 0 else { throw .noCrashRegion }
        guard region.end != nil else { throw .addressOverflow("crash region end") }
        if region.overlaps(lowMemory) { throw .crashRegionInLowMemory(region: region) }
        // Segments go on whole pages inside the region Xen reports (CrashRegionPages).
        let pages = CrashRegionPages.usable(region) ?? AddressRange(start: region.start, size: 0)
        let k = input.kernel

        // Sizes first: they decide whether the region can hold the plan at all.
        let runSize: UInt64
        if efi {
            let afterSetup = try Checked.sub(UInt64(k.kernelRange.count), k.kern16, field: "kernel size after the setup sectors")
            runSize = max(k.initSizePages, try Checked.pageUp(afterSetup, field: "kernel size after the setup sectors"))
        } else {
            let pm = UInt64(k.protectedModeRange.count)
            runSize = max(k.initSizePages, try Checked.pageUp(pm, field: "protected-mode kernel size"))
        }
        let initrdPages = try Checked.pageUp(input.initrdSize, field: "initrd size")
        // The backup area holds the RAM below 1 MiB (kexec-tools' crashdump-x86.c backup).
        var backupSize: UInt64? = nil
        var backupPages: UInt64 = 0
        if !efi, let lowRAM = CrashMemoryMap.lowRAM(host).last {
            guard let end = lowRAM.end, let size = Checked.alignUp(end, 1024) else {
                throw .addressOverflow("backup size (end of the RAM below 1 MiB)")
            }
            backupSize = size
            backupPages = try Checked.pageUp(size, field: "backup size")
        }
        let notes = ElfCoreHeader.notes(of: host)
        let loadCount = CrashMemoryMap.dumpRanges(
            host: host, region: region, backup: backupSize.map { AddressRange(start: region.start, size: $0) }
        ).count
        let elfBytes = ElfCoreHeader.ehdrSize + ElfCoreHeader.phdrSize * (notes.count + loadCount)
        let elfPages = max(elfCoreHeaderMinimum, try Checked.pageUp(UInt64(elfBytes), field: "ELF core header size"))
        // Longest command line this plan can have: elfcorehdr= at the region's end, and
        // acpi_rsdp= (its length does not depend on the layout).
        let longest = try KernelCommandLine.build(
            input.request.commandLine, embedded: k.embeddedCommandLine, elfCoreHeader: region.end,
            acpiRsdp: host.acpiRsdp, lockdown: input.request.lockdown, maximum: Int(k.header.cmdlineSize))
        let paramsPages = try Checked.pageUp(UInt64(BootParams.size + longest.utf8.count + 1), field: "boot_params and command line size")
        let purgatoryPages: UInt64 = efi ? 0 : PlanPurgatory.segmentSize
        let headroom = efi ? k.kern16 : 0
        let kernelPages = try Checked.add(try Checked.pageUp(headroom, field: "setup sectors size"), runSize, field: "kernel size")
        let payload = try Checked.sum([kernelPages, initrdPages, backupPages, elfPages, paramsPages, purgatoryPages], field: "plan size")
        let slack = k.alignment > Checked.page ? k.alignment - Checked.page : 0
        let controlPages = (8 + (try Checked.add(payload, lowMemory.size, field: "plan size")) / 0x20_0000 + 1) * Checked.page
        let needed = try Checked.sum([payload, slack, controlPages], field: "plan size with Xen's control pages")
        let what = "kernel \(humanSizeUp(kernelPages)) (init_size \(hex(UInt64(k.header.initSize)))) aligned to \(humanSize(k.alignment))"
            + (initrdPages > 0 ? ", initrd \(humanSizeUp(initrdPages))" : "")
            + ", boot_params, ELF core header" + (efi ? "" : ", purgatory, backup") + ", and Xen's control pages"
        guard pages.size >= needed else {
            throw .crashRegionTooSmall(region: region, needed: needed, detail: what)
        }

        // Placement, top-down.
        var alloc = PageAllocator(free: [pages])
        func place(_ size: UInt64, alignment: UInt64 = Checked.page, headroom: UInt64 = 0) throws(PlanError) -> UInt64 {
            guard let a = alloc.allocate(size: size, alignment: alignment, headroom: headroom) else {
                throw .crashRegionTooSmall(region: region, needed: needed, detail: what + " do not fit with their alignment")
            }
            return a
        }
        var backupDest: UInt64? = nil
        if backupSize != nil { backupDest = try place(backupPages) }
        let elfDest = try place(elfPages)
        var purgatoryDest: UInt64? = nil
        if !efi { purgatoryDest = try place(purgatoryPages) }
        let commandLine = try KernelCommandLine.build(
            input.request.commandLine, embedded: k.embeddedCommandLine, elfCoreHeader: elfDest,
            acpiRsdp: host.acpiRsdp, lockdown: input.request.lockdown, maximum: Int(k.header.cmdlineSize))
        let paramsDest = try place(paramsPages)
        let loadAddress = try place(runSize, alignment: k.alignment, headroom: headroom)
        var initrdDest: UInt64? = nil
        if input.initrd != nil { initrdDest = try place(initrdPages) }

        // Contents.
        var backup: AddressRange? = nil
        if let d = backupDest, let s = backupSize { backup = AddressRange(start: d, size: s) }
        var excluded = [AddressRange(start: elfDest, size: elfPages)]
        if let b = backupDest { excluded.append(AddressRange(start: b, size: backupPages)) }
        let e820 = try CrashMemoryMap.crashKernelE820(host: host, region: pages, excluded: excluded)
        let loads = CrashMemoryMap.dumpRanges(host: host, region: region, backup: backup)
        let elf = ElfCoreHeader.build(notes: notes, loads: loads)
        guard UInt64(elf.count) <= elfPages else { throw .addressOverflow("ELF core header grew past its reservation") }
        let initrdRange = initrdDest.map { AddressRange(start: $0, size: input.initrdSize) }
        let params = try BootParams.build(
            image: input.kernelBytes,
            inputs: .init(address: paramsDest, commandLine: commandLine, initrd: initrdRange, e820: e820, acpiRsdp: host.acpiRsdp,
                secureBoot: input.request.lockdown != nil))
        guard let kernelEntry = Checked.add(loadAddress, UInt64(0x200)) else { throw .addressOverflow("kernel entry") }

        var segments: [PlannedSegment] = []
        if efi {
            segments.append(PlannedSegment(role: .kernel, dest: loadAddress - k.kern16, destSize: k.kern16 + runSize, source: .file(.image, k.kernelRange)))
        } else {
            segments.append(PlannedSegment(role: .kernel, dest: loadAddress, destSize: runSize, source: .file(.image, k.protectedModeRange)))
        }
        segments.append(PlannedSegment(role: .bootParams, dest: paramsDest, destSize: try Checked.pageUp(UInt64(params.count), field: "boot_params size"), source: .generated(params)))
        if let d = initrdDest, let src = input.initrd {
            segments.append(PlannedSegment(role: .initrd, dest: d, destSize: initrdPages, source: src))
        }
        segments.append(PlannedSegment(role: .elfCoreHeader, dest: elfDest, destSize: elfPages, source: .generated(elf)))
        var entry = paramsDest
        if let p = purgatoryDest {
            let code = try PlanPurgatory.build(
                loadAddress: p, bootParams: paramsDest, kernelEntry: kernelEntry, backup: backup,
                segments: segments, commandLine: commandLine)
            segments.append(PlannedSegment(role: .purgatory, dest: p, destSize: purgatoryPages, source: .generated(code)))
            entry = p
        }
        if let b = backupDest {
            segments.append(PlannedSegment(role: .backup, dest: b, destSize: backupPages, source: .none))
        }
        segments.append(PlannedSegment(role: .lowMemoryMap, dest: lowMemory.start, destSize: lowMemory.size, source: .none))
        if !efi { segments = PlanPurgatory.purgatoryLast(segments) }  // the order PlanDigest hashes in one pass
        return PlanDraft(
            segments: segments, entry: entry, kernelEntry: kernelEntry, commandLine: commandLine, e820: e820,
            neededBytes: needed)
    }
}
