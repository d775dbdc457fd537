#!/usr/bin/env python3
"""Writes the small synthetic seed corpora of tools/fuzz/corpus/ (a few KB each).

Not whole kernels: a minimal setup header (with and without the PE/COFF header of an
EFI-stub kernel and an Authenticode certificate table), a UKI around it and an ELF
envelope around it. Run from anywhere: python3 tools/fuzz/make-seeds.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def bzimage(setup_sects=3, version=0x020F, xloadflags=0x7F, pe=True, signed=True, payload=0x200):
    kern16 = (setup_sects or 4) * 512 + 512
    b = bytearray(kern16 + payload)
    b[0x1F1] = setup_sects
    struct.pack_into('<I', b, 0x1F4, payload // 16)
    struct.pack_into('<H', b, 0x1FE, 0xAA55)
    struct.pack_into('<H', b, 0x200, 0x6AEB)  # jmp, header end 0x26C
    b[0x202:0x206] = b'HdrS'
    struct.pack_into('<H', b, 0x206, version)
    b[0x211] = 0x01  # LOADED_HIGH
    struct.pack_into('<I', b, 0x214, 0x100000)
    struct.pack_into('<I', b, 0x22C, 0x7FFFFFFF)
    struct.pack_into('<I', b, 0x230, 0x200000)
    b[0x234] = 1
    b[0x235] = 21
    struct.pack_into('<H', b, 0x236, xloadflags)
    struct.pack_into('<I', b, 0x238, 0x7FF)
    struct.pack_into('<Q', b, 0x258, 0x1000000)
    struct.pack_into('<I', b, 0x260, 0x400000)
    if not pe:
        return bytes(b)
    b[0:2] = b'MZ'
    lfanew = 0x40
    struct.pack_into('<I', b, 0x3C, lfanew)
    opt_size = 112 + 6 * 8
    b[lfanew:lfanew + 4] = b'PE\0\0'
    struct.pack_into('<HHIIIHH', b, lfanew + 4, 0x8664, 2, 0, 0, 0, opt_size, 0x206)
    opt = lfanew + 24
    struct.pack_into('<H', b, opt, 0x20B)
    struct.pack_into('<I', b, opt + 16, kern16 + 0x10)
    struct.pack_into('<I', b, opt + 56, len(b) + 0x1000)
    struct.pack_into('<I', b, opt + 60, 0x200)
    struct.pack_into('<H', b, opt + 68, 10)
    struct.pack_into('<I', b, opt + 108, 6)
    table = opt + opt_size
    sections = [(b'.setup', 0x200, kern16 - 0x200), (b'.text', kern16, payload)]
    for i, (name, ptr, size) in enumerate(sections):
        at = table + 40 * i
        b[at:at + 8] = name.ljust(8, b'\0')
        struct.pack_into('<IIII', b, at + 8, size, ptr, size, ptr)
        struct.pack_into('<I', b, at + 36, 0x60000020)
    if signed:
        cert = struct.pack('<IHH', 0x20, 0x0200, 0x0002) + bytes(range(0x30, 0x48))
        struct.pack_into('<II', b, opt + 112 + 8 * 4, len(b), len(cert))
        b += cert
    return bytes(b)


def uki(kernel, cmdline=b'console=hvc0 crashkernel=256M\n', initrd=b'070701' + bytes(58), extra=()):
    secs = [(b'.osrel', b'ID=debian\n'), (b'.cmdline', cmdline), (b'.uname', b'6.1.0-test'),
            (b'.linux', kernel), (b'.initrd', initrd)] + list(extra)
    fa, hdr = 0x200, 0x400
    lfanew = 0x80
    opt_size = 112 + 16 * 8
    b = bytearray(hdr)
    b[0:2] = b'MZ'
    struct.pack_into('<I', b, 0x3C, lfanew)
    b[lfanew:lfanew + 4] = b'PE\0\0'
    struct.pack_into('<HHIIIHH', b, lfanew + 4, 0x8664, len(secs), 0, 0, 0, opt_size, 0x22)
    opt = lfanew + 24
    struct.pack_into('<H', b, opt, 0x20B)
    struct.pack_into('<I', b, opt + 60, hdr)
    struct.pack_into('<H', b, opt + 68, 10)
    struct.pack_into('<I', b, opt + 108, 16)
    at, ptr, va = opt + opt_size, hdr, 0x1000
    body = b''
    strings = bytearray(4)  # COFF string table: u32 size, then NUL-terminated long names
    for name, data in secs:
        raw = (len(data) + fa - 1) // fa * fa
        if len(name) > 8:  # objcopy's /N form: N = offset of the name in the string table
            b[at:at + 8] = b'/%d' % len(strings) + bytes(8 - len(b'/%d' % len(strings)))
            strings += name + b'\0'
        else:
            b[at:at + 8] = name.ljust(8, b'\0')
        struct.pack_into('<IIII', b, at + 8, len(data), va, raw, ptr)
        struct.pack_into('<I', b, at + 36, 0x40000040)
        body += data.ljust(raw, b'\0')
        at, ptr, va = at + 40, ptr + raw, va + (len(data) + 0xFFF) // 0x1000 * 0x1000
    if len(strings) > 4:
        struct.pack_into('<I', strings, 0, len(strings))
        struct.pack_into('<I', b, lfanew + 12, len(b) + len(body))  # PointerToSymbolTable
        body += bytes(strings)
    return bytes(b) + body


def envelope(kernel, initrd=b'070701' + bytes(58), cmdline=b'console=ttyS0 quiet\0'):
    strtab = b'\0.kernel\0.initrd\0.cmdline\0.shstrtab\0'
    a8 = lambda x: (x + 7) & ~7
    k = 64 + 5 * 64
    i = k + len(kernel)
    c = a8(i + len(initrd))
    s = a8(c + len(cmdline))
    out = bytearray(b'\x7fELF' + bytes([2, 1, 1, 0]) + bytes(8))
    out += struct.pack('<HHIQQQIHHHHHH', 2, 62, 1, 0, 0, 64, 0, 64, 0, 0, 64, 5, 4)
    sh = lambda n, t, o, z: struct.pack('<IIQQQQIIQQ', n, t, 2 if t == 1 else 0, 0, o, z, 0, 0, 1, 0)
    out += bytes(64) + sh(1, 1, k, len(kernel)) + sh(9, 1, i, len(initrd)) + sh(17, 1, c, len(cmdline)) + sh(26, 3, s, len(strtab))
    out += kernel + initrd
    out += bytes(c - len(out)) + cmdline
    out += bytes(s - len(out)) + strtab
    return bytes(out)


def write(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


signed = bzimage()
plain = bzimage(pe=False)
old = bzimage(version=0x0201, xloadflags=0, pe=False)
i386 = bzimage(xloadflags=0x04, signed=False)
for name, data in [('signed-pe', signed), ('plain', plain), ('proto-2.01', old), ('i386-unsigned-pe', i386)]:
    write('bzimage', name, data)
    write('kernel-image', name, data)
write('pe', 'signed-pe', signed)
write('pe', 'i386-unsigned-pe', i386)
write('pe', 'uki', uki(plain))
write('kernel-image', 'uki', uki(plain))
write('kernel-image', 'uki-signed-kernel', uki(signed, cmdline=b'quiet'))
# Section names longer than 8 bytes, resolved through the COFF string table.
long_names = uki(plain, extra=[(b'.initrd-extra', b'payload'), (b'.a-much-longer-name', b'x')])
write('pe', 'uki-long-section-names', long_names)
write('kernel-image', 'uki-long-section-names', long_names)
write('elf-envelope', 'envelope', envelope(plain))
write('elf-envelope', 'envelope-empty-cmdline', envelope(plain, initrd=b'', cmdline=b'\0'))
write('kernel-image', 'envelope', envelope(signed))

# Regression seed: the shape of the crash the pe target found (a section with
# SizeOfRawData 0 and PointerToRawData past the end of the file).
broken = bytearray(uki(plain))
first_section = 0x80 + 24 + 112 + 16 * 8
struct.pack_into('<I', broken, first_section + 16, 0)
struct.pack_into('<I', broken, first_section + 20, 0x7FFF0000)
write('pe', 'regression-empty-section-past-end', bytes(broken))
write('kernel-image', 'regression-empty-section-past-end', bytes(broken))
