import Foundation
import Testing
@testable import KexecPurgatory

let purgatoryChecks = [
    PurgatoryDigests.Check(address: 0x4be0_0000, length: 0x7d_3000),
    PurgatoryDigests.Check(address: 0x4ff5_9000, length: 0x1100),
]
let purgatoryParams = Purgatory.Parameters(
    loadAddress: 0x4ff5_b000, bootParams: 0x4ff5_9000, kernelEntry: 0x4be0_0200,
    backup: (source: 0, destination: 0x4ff6_0000, size: 0x9_fc00), checks: purgatoryChecks)

/// Where the entry's `jmp rel32` at offset 0 goes.
func purgatoryStart(_ b: [UInt8]) -> Int { 5 + Int(Int32(bitPattern: le(b, 1, UInt32.self))) }

/// Golden bytes: the entry jump, the digest table, the first instructions, the GDT.
@Test func purgatoryBytesAreStable() throws {
    let b = try Purgatory.build(purgatoryParams).bytes
    #expect(b[0] == 0xE9)  // jmp rel32 over the table
    let t = Purgatory.digestTableOffset
    #expect(le(b, t, UInt64.self) == 2)
    #expect(le(b, t + 8, UInt64.self) == 0x7d_3000 + 0x1100)  // total bytes checked
    #expect(Array(b[(t + 16)..<(t + 48)]) == [UInt8](repeating: 0, count: 32))  // filled by PlanDigest
    #expect(le(b, t + 48, UInt64.self) == 0x4be0_0000)
    #expect(le(b, t + 56, UInt64.self) == 0x7d_3000)
    #expect(le(b, t + 64, UInt64.self) == 0x4ff5_9000)
    let start = purgatoryStart(b)
    #expect(start == t + 48 + 2 * 16)
    #expect(Array(b[start..<(start + 4)]) == [0xFA, 0xFC, 0x48, 0xBC])  // cli; cld; movabs rsp, …
    #expect(le(b, start + 4, UInt64.self) == 0x4ff5_d000)  // top of the two-page segment
    #expect(b.count <= Int(Purgatory.segmentSize) - Purgatory.stackReserve)
    // GDT: __BOOT_CS at +0x10, __BOOT_DS at +0x18 of the 16-byte aligned table; GDTR points at it.
    let gdtr = b.count - 10
    #expect(le(b, gdtr, UInt16.self) == 0x1F)
    let gdt = Int(le(b, gdtr + 2, UInt64.self) - purgatoryParams.loadAddress)
    #expect(gdt % 16 == 0)
    #expect(le(b, gdt + 0x10, UInt64.self) == 0x00AF_9A00_0000_FFFF)
    #expect(le(b, gdt + 0x18, UInt64.self) == 0x00CF_9200_0000_FFFF)
    // The mismatch line: one digest names no single segment.
    let text = String(decoding: b.split(separator: 0).first { $0.starts(with: Array("purgatory: sha256 digests do not".utf8)) } ?? [], as: UTF8.self)
    #expect(text == "purgatory: sha256 digests do not match: 2 segments (8208640 bytes); resetting\r\n")
    // The match line names the path that hashed the segments (verify's rdx).
    let lines = b.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    #expect(lines.contains { $0.hasSuffix("purgatory: sha256 digests match (scalar)\r\n") })
    #expect(lines.contains { $0.hasSuffix("purgatory: sha256 digests match (sha-ni)\r\n") })
}

/// The SHA-256 and verify routines' bytes, pinned by their own digest (the execution tests
/// prove what they compute; this notices any change of encoding).
@Test func purgatoryRoutinesAreStable() {
    let r = PurgatoryRoutines.assemble()
    #expect(r.verify == 0)
    #expect(r.code.count == 4192)
    #expect(sha256Hex(r.code) == "eb54ba834accb46c21ea30c3ff867a7b3efeb7c58524c3446afc94de07ef63c3")
}

/// Disassembles `bytes` with binutils; one normalized instruction per line.
/// binutils is required (`.ci/run` installs it): a missing objdump fails the test.
func disassemble(_ bytes: [UInt8]) throws -> [String] {
    let objdump = "/usr/bin/objdump"
    guard FileManager.default.isExecutableFile(atPath: objdump) else {
        Issue.record("objdump is missing: apt-get install binutils")
        return []
    }
    let path = NSTemporaryDirectory() + "purgatory-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).bin"
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: objdump)
    p.arguments = ["-D", "-b", "binary", "-mi386:x86-64", "-M", "intel", path]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return out.split(separator: "\n").compactMap { line -> String? in
        let cols = line.split(separator: "\t")
        return cols.count >= 3 ? cols[2].split(separator: " ").filter { !$0.isEmpty }.joined(separator: " ") : nil
    }
}

/// The entry code: check, report, backup, GDT, jump; on a mismatch the message and the reset.
@Test func purgatoryDisassemblesAsIntended() throws {
    let b = try Purgatory.build(purgatoryParams).bytes
    let start = purgatoryStart(b)
    let lines = try disassemble(Array(b[start...]))
    let load = purgatoryParams.loadAddress
    let gdtr = load + UInt64(b.count - 10)
    let expected = [
        "cli", "cld", "movabs rsp,0x4ff5d000",
        "movabs rsi,", "call",
        // SSE on for the SHA-NI path (Xen leaves CR4 = PAE only), CR0 and CR4 back after the check.
        "mov rax,cr0", "mov r14,rax", "and rax,0xfffffffffffffff3", "or rax,0x2", "mov cr0,rax",
        "mov rax,cr4", "mov r15,rax", "or rax,0x200", "mov cr4,rax",
        "movabs rdi,0x\(String(load + 16, radix: 16))", "call", "mov cr4,r15", "mov cr0,r14", "test rax,rax", "jne",
        // the match line: "(scalar)", or "(sha-ni)" when verify's rdx says 2.
        "movabs rsi,", "cmp rdx,0x2", "jne", "movabs rsi,", "call",
        "movabs rsi,0x0", "movabs rdi,0x4ff60000", "movabs rcx,0x9fc00", "rep movs BYTE PTR es:[rdi],BYTE PTR ds:[rsi]",
        "movabs rax,0x\(String(gdtr, radix: 16))", "lgdt [rax]",
        "movabs rax,", "push 0x10", "push rax", "rex.W retf",
        "mov eax,0x18", "mov ds,eax", "mov es,eax", "mov ss,eax", "mov fs,eax", "mov gs,eax",
        "movabs rsi,0x4ff59000", "xor ebx,ebx", "xor ecx,ecx", "xor edx,edx", "xor edi,edi", "xor ebp,ebp",
        "movabs rax,0x4be00200", "jmp rax",
        // mismatch: the message, then the resets.
        "movabs rsi,", "call",
        "mov edx,0xcf9", "mov eax,0x2", "out dx,al", "mov ecx,0x10000", "pause", "sub ecx,0x1", "jne",
        "mov edx,0xcf9", "mov eax,0x6", "out dx,al", "mov edx,0x64", "mov eax,0xfe", "out dx,al",
        "movabs rax,", "lidt [rax]", "int3", "hlt", "jmp",
        // puts: poll LSR (0x3fd) for THRE, write THR (0x3f8).
        "movzx eax,BYTE PTR [rsi]", "test eax,eax", "je", "mov ecx,0x10000", "mov edx,0x3fd", "in al,dx", "test al,0x20",
        "jne", "pause", "sub ecx,0x1", "jne", "movzx eax,BYTE PTR [rsi]", "mov edx,0x3f8", "out dx,al", "add rsi,0x1", "jmp", "ret",
    ]
    #expect(lines.count >= expected.count)
    for (i, e) in expected.enumerated() where i < lines.count {
        #expect(lines[i].hasPrefix(e) || (e == "rex.W retf" && lines[i].hasPrefix("retfq")), "instruction \(i): \(lines[i]) vs \(e)")
    }
}

/// The SHA-256 routines decode as intended: the one-shot entry's context on the stack, the
/// saved registers, the schedule's rotations, a round's Σ1 and the big-endian output; objdump finds no undecodable byte in it.
@Test func sha256RoutineDisassemblesAsIntended() throws {
    let r = PurgatoryRoutines.assemble()
    let lines = try disassemble(Array(r.code[r.sha256..<r.select]))  // up to the SHA-NI code
    #expect(!lines.contains { $0.contains("(bad)") })
    #expect(Array(lines.prefix(9)) == ["push r13", "push r14", "push r15", "sub rsp,0x2c0", "mov r13,rdi", "mov r14,rsi", "mov r15,rdx", "mov rdi,rsp", "mov rsi,rcx"])
    let text = lines.joined(separator: "\n")
    for fragment in [
        "mov edi,r14d\nror edi,0xb\nxor edi,r14d\nror edi,0x7\nshr r14d,0x3", "shr edi,0xa", "bswap rax",
        "mov DWORD PTR [rsi],r14d\nadd r10d,r14d\nadd r10d,DWORD PTR [rsi+0x100]",  // W[t] computed in round t ≥ 16
        // Round 0: h += W + K, Ch(e, f, g), then Σ1(e), then d += T1.
        "add r10d,DWORD PTR [rsi]\nadd r10d,DWORD PTR [rsi+0x100]\nmov edi,r8d\nxor edi,r9d\nand edi,ebp\nxor edi,r9d\nadd r10d,edi\nmov edi,ebp\nror edi,0x6\nmov r11d,ebp\nror r11d,0xb\nxor edi,r11d\nror r11d,0xe\nxor edi,r11d\nadd r10d,edi\nadd edx,r10d",
        "mov r13d,eax\nxor r13d,ebx\nand r15d,r13d\nxor r15d,ebx",  // Maj with the carried b ^ c
        "pop r15\npop r14\npop r13\npop r12\npop rbp\npop rbx\nret",
    ] {
        #expect(text.contains(fragment), "\(fragment)")
    }
    // Two loops of 8 unrolled rounds × 6, and 4 more in each round of the second (its W[t]).
    #expect(lines.filter { $0.hasPrefix("ror") }.count == 2 * 8 * 6 + 8 * 4)
}

/// The SHA-NI code decodes as intended: `sha256.select` asks CPUID leaves 0, 1 and 7 and
/// tests SSSE3, SSE4.1 and SHA; the block loop has 32 SHA256RNDS2 (64 rounds), 12 SHA256MSG1,
/// 12 SHA256MSG2, and byte-swaps the 4 × 4 message words with PSHUFB; objdump finds no undecodable byte.
@Test func shaNIRoutineDisassemblesAsIntended() throws {
    let r = PurgatoryRoutines.assemble()
    let all = try disassemble(Array(r.code[r.select...]))
    let lines = Array(all[...(try #require(all.lastIndex(of: "ret")))])  // the code, not the constants after it
    #expect(!lines.contains { $0.contains("(bad)") })
    let text = lines.joined(separator: "\n")
    #expect(text.hasPrefix("push rbx\nxor eax,eax\ncpuid\ncmp eax,0x7"))
    for fragment in ["test ecx,0x200", "test ecx,0x80000", "mov eax,0x7\nxor ecx,ecx\ncpuid\ntest ebx,0x20000000"] {
        #expect(text.contains(fragment), "\(fragment)")
    }
    func count(_ mnemonic: String) -> Int { lines.filter { $0.hasPrefix(mnemonic + " ") }.count }
    #expect(count("sha256rnds2") == 32)
    #expect(count("sha256msg1") == 12)
    #expect(count("sha256msg2") == 12)
    #expect(count("pshufb") == 4)
}

@Test(arguments: [
    ("console=ttyS0,115200 panic=-1", PurgatoryConsole(port: 0x3f8, baud: 115_200)),
    ("root=/dev/sda", PurgatoryConsole(port: 0x3f8, baud: nil)),
    ("console=tty0 console=ttyS1", PurgatoryConsole(port: 0x2f8, baud: nil)),
    ("console=ttyS1,9600n8 console=tty0", PurgatoryConsole(port: 0x2f8, baud: 9600)),
    ("console=uart8250,io,0x2e8,57600", PurgatoryConsole(port: 0x2e8, baud: 57_600)),
    ("console=uart,io,0x3e8", PurgatoryConsole(port: 0x3e8, baud: nil)),
    ("console=uart8250,mmio,0xfe000000,115200", PurgatoryConsole(port: nil, baud: nil)),
    ("console=ttyS9", PurgatoryConsole(port: 0x3f8, baud: nil)),
])
func purgatoryConsoleFollowsTheCommandLine(_ line: String, _ expected: PurgatoryConsole) {
    #expect(PurgatoryConsole.from(commandLine: line) == expected)
}

/// A UART named with a baud rate is programmed (8n1, divisor 115200/baud) before the first line.
@Test func purgatoryProgramsTheNamedUART() throws {
    var p = purgatoryParams
    p.console = PurgatoryConsole(port: 0x2f8, baud: 9600)
    let b = try Purgatory.build(p).bytes
    let lines = try disassemble(Array(b[purgatoryStart(b)...]))
    let setup = lines[3..<32].joined(separator: "\n")
    #expect(setup.hasPrefix("mov ecx,0x10000\nmov edx,0x2fd\nin al,dx\ntest al,0x40\njne"))  // wait for TEMT
    #expect(setup.contains("mov edx,0x2fb\nmov eax,0x80\nout dx,al\nmov edx,0x2f8\nmov eax,0xc\nout dx,al\nmov edx,0x2f9\nmov eax,0x0"))
}

