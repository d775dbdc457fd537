/*
 * vmcore-check: runs inside the crash kernel and says whether /proc/vmcore is a
 * usable dump of the crashed Xen host.
 *
 *   vmcore-check [FILE]        (default /proc/vmcore)
 *
 * It reads the ELF64 header and program headers, checks that every segment lies
 * inside the file, reads the first and last page of each PT_LOAD (so the crash
 * kernel really can map the old memory), walks the PT_NOTE segments and counts
 * the notes by name. It prints one verdict line for the serial log:
 *
 *   E2E: vmcore ok: 3 PT_LOAD, 1 PT_NOTE, notes CORE=1 Xen=2 VMCOREINFO_XEN=1
 *   E2E: vmcore BAD: <reason>
 *
 * plus one "E2E: vmcore note ..." line per note. Exit status 0 = ok, 1 = bad.
 *
 * What a Xen crash dump must hold (the notes Xen writes for the loader's PT_NOTE
 * segments, see xen/include/public/elfnote.h and the e2e logs): per CPU a "CORE"
 * NT_PRSTATUS note and a "Xen" XEN_ELFNOTE_CRASH_REGS note, on the crashing CPU
 * a "Xen" XEN_ELFNOTE_CRASH_INFO note, and Xen's "VMCOREINFO_XEN" note.
 * Built static (gcc -static) because the crash initramfs has no libc.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define XEN_ELFNOTE_CRASH_INFO 0x1000001
#define XEN_ELFNOTE_CRASH_REGS 0x1000002
#define MAX_NAMES 16

struct name_count {
	char name[32];
	int count;
};

static struct name_count names[MAX_NAMES];
static int nnames;
static int prstatus, crash_info, crash_regs, vmcoreinfo;

static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad(const char *fmt, ...)
{
	va_list ap;
	printf("E2E: vmcore BAD: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return 1;
}

/* Read exactly len bytes at off; 0 on success. */
static int read_at(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, off + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static void count_name(const char *name)
{
	for (int i = 0; i < nnames; i++)
		if (strcmp(names[i].name, name) == 0) {
			names[i].count++;
			return;
		}
	if (nnames < MAX_NAMES) {
		snprintf(names[nnames].name, sizeof names[nnames].name, "%s", name);
		names[nnames++].count = 1;
	}
}

/* Walk one PT_NOTE segment's bytes; returns NULL or a reason it is malformed. */
static const char *walk_notes(const unsigned char *p, size_t size)
{
	size_t off = 0;
	/* Linux trims merged note segments to the real notes, but be lenient with
	 * trailing zero padding: a zero header ends the walk. */
	while (off + sizeof(Elf64_Nhdr) <= size) {
		Elf64_Nhdr nh;
		memcpy(&nh, p + off, sizeof nh);
		if (nh.n_namesz == 0 && nh.n_descsz == 0 && nh.n_type == 0)
			break;
		size_t name_off = off + sizeof nh;
		size_t desc_off = name_off + ((nh.n_namesz + 3u) & ~3u);
		size_t next = desc_off + ((nh.n_descsz + 3u) & ~3u);
		if (nh.n_namesz > 31 || next > size || next <= off)
			return "note runs past its PT_NOTE segment";
		char name[32] = "";
		memcpy(name, p + name_off, nh.n_namesz);
		name[nh.n_namesz ? nh.n_namesz - 1 : 0] = '\0';
		if (nh.n_namesz && p[name_off + nh.n_namesz - 1] != '\0')
			return "note name is not NUL-terminated";
		count_name(name);
		printf("E2E: vmcore note %s type 0x%x descsz %u\n", name, nh.n_type, nh.n_descsz);
		if (strcmp(name, "CORE") == 0 && nh.n_type == NT_PRSTATUS)
			prstatus++;
		if (strcmp(name, "Xen") == 0 && nh.n_type == XEN_ELFNOTE_CRASH_INFO)
			crash_info++;
		if (strcmp(name, "Xen") == 0 && nh.n_type == XEN_ELFNOTE_CRASH_REGS)
			crash_regs++;
		if (strncmp(name, "VMCOREINFO", 10) == 0) {
			/* The descriptor is text; Xen's starts with its version keys. */
			vmcoreinfo++;
			const char *d = (const char *)p + desc_off;
			int len = 0;
			while (len < 60 && (uint32_t)len < nh.n_descsz && d[len] != '\n' && d[len] != '\0')
				len++;
			printf("E2E: vmcore %s starts: %.*s\n", name, len, d);
		}
		off = next;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/proc/vmcore";
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return bad("cannot open %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0)
		return bad("cannot stat %s: %s", path, strerror(errno));
	uint64_t fsize = (uint64_t)st.st_size;

	Elf64_Ehdr eh;
	if (fsize < sizeof eh || read_at(fd, &eh, sizeof eh, 0) != 0)
		return bad("cannot read the ELF header (file size %llu)", (unsigned long long)fsize);
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return bad("no ELF magic");
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return bad("not ELF64 little-endian (class %d data %d)", eh.e_ident[EI_CLASS], eh.e_ident[EI_DATA]);
	if (eh.e_type != ET_CORE)
		return bad("e_type %u is not ET_CORE", eh.e_type);
	if (eh.e_machine != EM_X86_64)
		return bad("e_machine %u is not EM_X86_64", eh.e_machine);
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0)
		return bad("bad program header table (phentsize %u phnum %u)", eh.e_phentsize, eh.e_phnum);
	uint64_t ph_end = eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr);
	if (ph_end > fsize)
		return bad("program headers end at %llu, past the file size %llu",
			   (unsigned long long)ph_end, (unsigned long long)fsize);

	Elf64_Phdr *ph = calloc(eh.e_phnum, sizeof *ph);
	if (!ph || read_at(fd, ph, eh.e_phnum * sizeof *ph, (off_t)eh.e_phoff) != 0)
		return bad("cannot read the program headers");

	int nload = 0, nnote = 0;
	uint64_t load_bytes = 0;
	static unsigned char page[4096];
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr *p = &ph[i];
		if (p->p_offset + p->p_filesz > fsize || p->p_offset + p->p_filesz < p->p_offset)
			return bad("segment %d (type %u) at offset 0x%llx size 0x%llx runs past the file size 0x%llx", i,
				   p->p_type, (unsigned long long)p->p_offset, (unsigned long long)p->p_filesz,
				   (unsigned long long)fsize);
		if (p->p_type == PT_LOAD) {
			nload++;
			load_bytes += p->p_filesz;
			if (p->p_filesz == 0)
				continue;
			/* The first and last page prove the old memory is mapped and readable. */
			size_t n = p->p_filesz < sizeof page ? p->p_filesz : sizeof page;
			if (read_at(fd, page, n, (off_t)p->p_offset) != 0 ||
			    read_at(fd, page, n, (off_t)(p->p_offset + p->p_filesz - n)) != 0)
				return bad("cannot read PT_LOAD %d (paddr 0x%llx size 0x%llx): %s", i,
					   (unsigned long long)p->p_paddr, (unsigned long long)p->p_filesz,
					   strerror(errno));
		} else if (p->p_type == PT_NOTE) {
			nnote++;
			if (p->p_filesz > (1u << 24))
				return bad("PT_NOTE %d is implausibly large (0x%llx)", i, (unsigned long long)p->p_filesz);
			unsigned char *buf = malloc(p->p_filesz ? p->p_filesz : 1);
			if (!buf || read_at(fd, buf, p->p_filesz, (off_t)p->p_offset) != 0)
				return bad("cannot read PT_NOTE %d", i);
			const char *why = walk_notes(buf, p->p_filesz);
			free(buf);
			if (why)
				return bad("PT_NOTE %d: %s", i, why);
		}
	}
	if (nload == 0)
		return bad("no PT_LOAD segment");
	if (nnote == 0)
		return bad("no PT_NOTE segment");
	if (prstatus == 0)
		return bad("no CORE/NT_PRSTATUS note (Xen's per-CPU registers)");
	if (crash_regs == 0)
		return bad("no Xen/XEN_ELFNOTE_CRASH_REGS note");
	if (crash_info == 0)
		return bad("no Xen/XEN_ELFNOTE_CRASH_INFO note");
	if (vmcoreinfo == 0)
		return bad("no VMCOREINFO note");

	printf("E2E: vmcore ok: %d PT_LOAD, %d PT_NOTE, %llu MiB of memory, notes", nload, nnote,
	       (unsigned long long)(load_bytes >> 20));
	for (int i = 0; i < nnames; i++)
		printf(" %s=%d", names[i].name, names[i].count);
	printf("\n");
	return 0;
}
