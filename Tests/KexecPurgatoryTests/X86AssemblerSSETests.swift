import Testing
@testable import KexecPurgatory

/// The encodings the SHA-NI path and its set-up add to the assembler, against byte sequences
/// worked out from the Intel SDM vol. 2 opcode tables (mandatory prefix, REX for xmm8–15,
/// 0F / 0F 38 / 0F 3A map, ModRM), and the same bytes decoded by binutils' objdump.
@Suite struct X86AssemblerSSETests {
    typealias X = X86Assembler.Xmm
    static let cases: [(String, @Sendable (inout X86Assembler) -> Void, [UInt8])] = [
        ("sha256rnds2 xmm2,xmm1,xmm0", { $0.sha256rnds2(.xmm2, .xmm1) }, [0x0F, 0x38, 0xCB, 0xD1]),
        ("sha256rnds2 xmm1,xmm2,xmm0", { $0.sha256rnds2(.xmm1, .xmm2) }, [0x0F, 0x38, 0xCB, 0xCA]),
        ("sha256msg1 xmm3,xmm4", { $0.sha256msg1(.xmm3, .xmm4) }, [0x0F, 0x38, 0xCC, 0xDC]),
        ("sha256msg2 xmm4,xmm3", { $0.sha256msg2(.xmm4, .xmm3) }, [0x0F, 0x38, 0xCD, 0xE3]),
        ("sha256msg1 xmm9,xmm12", { $0.sha256msg1(.xmm9, .xmm12) }, [0x45, 0x0F, 0x38, 0xCC, 0xCC]),
        ("pshufb xmm3,xmm8", { $0.pshufb(.xmm3, .xmm8) }, [0x66, 0x41, 0x0F, 0x38, 0x00, 0xD8]),
        ("palignr xmm1,xmm2,0x8", { $0.palignr(.xmm1, .xmm2, 8) }, [0x66, 0x0F, 0x3A, 0x0F, 0xCA, 0x08]),
        ("pblendw xmm2,xmm7,0xf0", { $0.pblendw(.xmm2, .xmm7, 0xF0) }, [0x66, 0x0F, 0x3A, 0x0E, 0xD7, 0xF0]),
        ("pshufd xmm1,xmm1,0xb1", { $0.pshufd(.xmm1, .xmm1, 0xB1) }, [0x66, 0x0F, 0x70, 0xC9, 0xB1]),
        ("paddd xmm0,xmm3", { $0.paddd(.xmm0, .xmm3) }, [0x66, 0x0F, 0xFE, 0xC3]),
        ("paddd xmm1,xmm9", { $0.paddd(.xmm1, .xmm9) }, [0x66, 0x41, 0x0F, 0xFE, 0xC9]),
        ("movdqa xmm9,xmm1", { $0.movdqa(.xmm9, .xmm1) }, [0x66, 0x44, 0x0F, 0x6F, 0xC9]),
        ("movdqu xmm8,XMMWORD PTR [rax]", { $0.movdqu(.xmm8, Mem(.rax)) }, [0xF3, 0x44, 0x0F, 0x6F, 0x00]),
        ("movdqu xmm0,XMMWORD PTR [rax+0xc0]", { $0.movdqu(.xmm0, Mem(.rax, 0xC0)) }, [0xF3, 0x0F, 0x6F, 0x80, 0xC0, 0x00, 0x00, 0x00]),
        ("movdqu xmm3,XMMWORD PTR [rsi+0x10]", { $0.movdqu(.xmm3, Mem(.rsi, 16)) }, [0xF3, 0x0F, 0x6F, 0x5E, 0x10]),
        ("movdqu XMMWORD PTR [rdi+0x10],xmm2", { $0.movdqu(Mem(.rdi, 16), .xmm2) }, [0xF3, 0x0F, 0x7F, 0x57, 0x10]),
        ("cpuid", { $0.cpuid() }, [0x0F, 0xA2]),
        ("mov rax,cr4", { $0.movFromCR(.rax, cr: 4) }, [0x0F, 0x20, 0xE0]),
        ("mov cr4,r15", { $0.movToCR(cr: 4, .r15) }, [0x41, 0x0F, 0x22, 0xE7]),
        ("mov cr0,r14", { $0.movToCR(cr: 0, .r14) }, [0x41, 0x0F, 0x22, 0xC6]),
        ("test ecx,0x80000", { $0.test(.d, .rcx, imm: 1 << 19) }, [0xF7, 0xC1, 0x00, 0x00, 0x08, 0x00]),
        ("test ebx,0x20000000", { $0.test(.d, .rbx, imm: 1 << 29) }, [0xF7, 0xC3, 0x00, 0x00, 0x00, 0x20]),
    ]

    @Test func encodingsAreTheSDMBytes() {
        for (text, emit, bytes) in Self.cases {
            var a = X86Assembler()
            emit(&a)
            #expect(a.bytes == bytes, "\(text)")
        }
    }

    @Test func objdumpDecodesEachEncodingAsIntended() throws {
        var a = X86Assembler()
        for (_, emit, _) in Self.cases { emit(&a) }
        let lines = try disassemble(a.bytes)
        #expect(lines == Self.cases.map { $0.0 })
    }
}
