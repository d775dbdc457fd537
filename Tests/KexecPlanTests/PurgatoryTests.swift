import Foundation
import Testing
@testable import KexecPlan

let purgatoryParams = Purgatory.Parameters(
    loadAddress: 0x4ff5_b000, bootParams: 0x4ff5_9000, kernelEntry: 0x4be0_0200,
    backup: (source: 0, destination: 0x4ff6_0000, size: 0x9_fc00))

/// Golden bytes of the instruction stream (before the GDT).
@Test func purgatoryBytesAreStable() throws {
    let b = try Purgatory.build(purgatoryParams)
    #expect(Array(b[0..<4]) == [0xFA, 0xFC, 0x48, 0xBC])  // cli; cld; movabs rsp, …
    #expect(le(b, 4, UInt64.self) == 0x4ff5_c000)
    #expect(b.count <= 0x100)
    // GDT: __BOOT_CS at +0x10, __BOOT_DS at +0x18 of the 16-byte aligned table; GDTR points at it.
    let gdtr = b.count - 10
    #expect(le(b, gdtr, UInt16.self) == 0x1F)
    let gdt = Int(le(b, gdtr + 2, UInt64.self) - purgatoryParams.loadAddress)
    #expect(gdt % 16 == 0)
    #expect(le(b, gdt + 0x10, UInt64.self) == 0x00AF_9A00_0000_FFFF)
    #expect(le(b, gdt + 0x18, UInt64.self) == 0x00CF_9200_0000_FFFF)
}

/// Disassembles the purgatory with binutils and checks the instruction sequence.
/// binutils is required (`.ci/run` installs it): a missing objdump fails the test.
@Test func purgatoryDisassemblesAsIntended() throws {
    let objdump = "/usr/bin/objdump"
    guard FileManager.default.isExecutableFile(atPath: objdump) else {
        Issue.record("objdump is missing: apt-get install binutils")
        return
    }
    let b = try Purgatory.build(purgatoryParams)
    let gdtr = b.count - 10
    let gdt = Int(le(b, gdtr + 2, UInt64.self) - purgatoryParams.loadAddress)
    let path = NSTemporaryDirectory() + "purgatory-\(getpid()).bin"
    FileManager.default.createFile(atPath: path, contents: Data(b[0..<gdt]))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: objdump)
    p.arguments = ["-D", "-b", "binary", "-mi386:x86-64", "-M", "intel", path]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    let lines = out.split(separator: "\n").compactMap { line -> String? in
        let cols = line.split(separator: "\t")
        return cols.count >= 3 ? cols[2].split(separator: " ").filter { !$0.isEmpty }.joined(separator: " ") : nil
    }
    let expected = [
        "cli", "cld", "movabs rsp,0x4ff5c000",
        "movabs rsi,0x0", "movabs rdi,0x4ff60000", "movabs rcx,0x9fc00", "rep movs BYTE PTR es:[rdi],BYTE PTR ds:[rsi]",
        "movabs rax,0x\(String(purgatoryParams.loadAddress + UInt64(gdtr), radix: 16))", "lgdt [rax]",
        "movabs rax,", "push 0x10", "push rax", "rex.W retf",
        "mov eax,0x18", "mov ds,eax", "mov es,eax", "mov ss,eax", "mov fs,eax", "mov gs,eax",
        "movabs rsi,0x4ff59000", "xor ebx,ebx", "xor ecx,ecx", "xor edx,edx", "xor edi,edi", "xor ebp,ebp",
        "movabs rax,0x4be00200", "jmp rax", "hlt", "jmp",
    ]
    #expect(lines.count >= expected.count, "\(out)")
    for (i, e) in expected.enumerated() where i < lines.count {
        #expect(lines[i].hasPrefix(e) || (e == "rex.W retf" && lines[i].hasPrefix("retfq")), "instruction \(i): \(lines[i]) vs \(e)")
    }
}
