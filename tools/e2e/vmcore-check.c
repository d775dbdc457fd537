/*
 * vmcore-check: runs inside the crash kernel and says whether /proc/vmcore is a
 * complete, usable dump of the crashed Xen host.
 *
 *   vmcore-check [VMCORE [CMDLINE]]     (defaults /proc/vmcore and /proc/cmdline)
 *
 * It reads the ELF64 header and program headers, checks that every segment lies
 * inside the file, walks the PT_NOTE segments and counts the notes by name, and
 * proves the dump complete:
 *
 *  - coverage: the union of the PT_LOAD segments (physical addresses) must equal the
 *    host's RAM as Xen printed it at boot ("(usable)" lines of its "Xen-e820 RAM map" or
 *    "EFI RAM map"), minus Xen's crash region ("Kdump: ... at ..."). dom0 reads both out
 *    of Xen's console ring and passes them on the crash command line as
 *      e2e_xen_ram=START-END[,START-END...]   (hex, inclusive ends, as Xen prints them)
 *      e2e_xen_crash=0xSTART+SIZEk            (Xen's "Kdump:" line: base and kB)
 *    (tools/e2e/guest/lib.sh xen_ram_words), so the expectation comes from Xen itself,
 *    never from the loader that built the ELF core header;
 *  - readability: it reads the first and last page of every PT_LOAD and up to
 *    SAMPLES pages spread evenly in between (so the crash kernel really can map the
 *    old memory everywhere, not only at the edges).
 *
 * It prints one verdict line for the serial log:
 *
 *   E2E: vmcore ok: 3 PT_LOAD, 1 PT_NOTE, 1791 MiB of memory, ... notes CORE=1 ...
 *   E2E: vmcore BAD: <reason>
 *
 * plus "E2E: vmcore note ..." and "E2E: vmcore PT_LOAD ..." lines. Exit status 0 = ok,
 * 1 = bad.
 *
 * What a Xen crash dump must hold (the notes Xen writes for the loader's PT_NOTE
 * segments, see xen/include/public/elfnote.h and the e2e logs): per CPU a "CORE"
 * NT_PRSTATUS note and a "Xen" XEN_ELFNOTE_CRASH_REGS note, on the crashing CPU
 * a "Xen" XEN_ELFNOTE_CRASH_INFO note, and Xen's "VMCOREINFO_XEN" note.
 * When the loader added dom0's own Linux "VMCOREINFO" note (what makedumpfile reads to
 * interpret dom0's memory), it also prints
 *
 *   E2E: vmcore dom0 vmcoreinfo OSRELEASE=<dom0's kernel release>
 *
 * from that note's first key (Linux kernel/crash_core.c writes OSRELEASE first).
 * Built static (gcc -static) because the crash initramfs has no libc.
 * tools/e2e/vmcore-check-test.sh runs it on crafted core files on the build host.
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

/* dom0's Linux VMCOREINFO text: print its OSRELEASE= line. */
static void print_osrelease(const char *d, uint32_t size)
{
	static const char key[] = "OSRELEASE=";
	uint32_t i = 0;
	while (i < size) {
		uint32_t end = i;
		while (end < size && d[end] != '\n' && d[end] != '\0')
			end++;
		if (end - i > sizeof key - 1 && memcmp(d + i, key, sizeof key - 1) == 0) {
			int len = (int)(end - i);
			printf("E2E: vmcore dom0 vmcoreinfo %.*s\n", len > 100 ? 100 : len, d + i);
			return;
		}
		if (end < size && d[end] == '\0')
			break;
		i = end + 1;
	}
	printf("E2E: vmcore dom0 vmcoreinfo has no OSRELEASE= line\n");
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
			if (strcmp(name, "VMCOREINFO") == 0)
				print_osrelease(d, nh.n_descsz);
		}
		off = next;
	}
	return NULL;
}

/* ---- coverage: PT_LOAD union == Xen's RAM map minus the crash region ---- */

#define MAX_RANGES 256
#define SAMPLES 64   /* pages read per PT_LOAD besides its first and last */

struct range {       /* [start, end) in physical addresses */
	uint64_t start, end;
};

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sort and merge touching ranges; returns the new count, or -1 if two overlap. */
static int normalise(struct range *r, int n)
{
	qsort(r, (size_t)n, sizeof *r, cmp_range);
	int out = 0;
	for (int i = 0; i < n; i++) {
		if (r[i].start == r[i].end)
			continue;
		if (out > 0 && r[i].start < r[out - 1].end)
			return -1;
		if (out > 0 && r[i].start == r[out - 1].end)
			r[out - 1].end = r[i].end;
		else
			r[out++] = r[i];
	}
	return out;
}

/* The value of WORD= on the command line in CMDLINE (a copy, or NULL). */
static char *cmdline_value(const char *cmdline, const char *word)
{
	size_t wl = strlen(word);
	for (const char *p = cmdline; (p = strstr(p, word)) != NULL; p += wl) {
		if (p != cmdline && p[-1] != ' ')
			continue;
		const char *v = p + wl, *e = v;
		while (*e && *e != ' ' && *e != '\n')
			e++;
		return strndup(v, (size_t)(e - v));
	}
	return NULL;
}

/* e2e_xen_ram=S-E,S-E (hex, inclusive ends) into r[]; count, or -1 if malformed. */
static int parse_ram(char *text, struct range *r)
{
	int n = 0;
	for (char *tok = strtok(text, ","); tok; tok = strtok(NULL, ",")) {
		char *dash = strchr(tok, '-'), *end1, *end2;
		if (!dash || n == MAX_RANGES)
			return -1;
		*dash = '\0';
		errno = 0;
		uint64_t s = strtoull(tok, &end1, 16), e = strtoull(dash + 1, &end2, 16);
		if (errno || *end1 || *end2 || end1 == tok || end2 == dash + 1 || e < s || e == UINT64_MAX)
			return -1;
		r[n].start = s;
		r[n++].end = e + 1;
	}
	return n;
}

/* e2e_xen_crash=0xSTART+SIZEk into c; 0 on success. */
static int parse_crash(const char *text, struct range *c)
{
	char *end;
	errno = 0;
	uint64_t base = strtoull(text, &end, 0);
	if (errno || end == text || *end != '+')
		return -1;
	const char *size_text = end + 1;
	uint64_t kb = strtoull(size_text, &end, 10);
	if (errno || end == size_text || strcmp(end, "k") != 0 || kb == 0 || kb > (UINT64_MAX - base) / 1024)
		return -1;
	c->start = base;
	c->end = base + kb * 1024;
	return 0;
}

/* ram minus crash into out[]; returns the count. */
static int subtract(const struct range *ram, int n, struct range crash, struct range *out)
{
	int m = 0;
	for (int i = 0; i < n && m < MAX_RANGES - 1; i++) {
		if (ram[i].end <= crash.start || ram[i].start >= crash.end) {
			out[m++] = ram[i];
			continue;
		}
		if (ram[i].start < crash.start)
			out[m++] = (struct range){ ram[i].start, crash.start };
		if (ram[i].end > crash.end)
			out[m++] = (struct range){ crash.end, ram[i].end };
	}
	return m;
}

static void print_ranges(const char *what, const struct range *r, int n)
{
	printf("E2E: vmcore %s (%d):", what, n);
	for (int i = 0; i < n; i++)
		printf(" [0x%llx,0x%llx)", (unsigned long long)r[i].start, (unsigned long long)r[i].end);
	printf("\n");
}

/* NULL when the PT_LOAD union `have` equals Xen's RAM minus its crash region, read from
 * the command line in the file CMDLINE_PATH; else the reason (a static string). */
static const char *check_coverage(const char *cmdline_path, struct range *have, int nhave)
{
	static char why[256];
	static char cmdline[4096];
	static struct range ram[MAX_RANGES], want[MAX_RANGES];
	FILE *f = fopen(cmdline_path, "r");
	if (!f) {
		snprintf(why, sizeof why, "cannot read %s: %s", cmdline_path, strerror(errno));
		return why;
	}
	size_t len = fread(cmdline, 1, sizeof cmdline - 1, f);
	fclose(f);
	cmdline[len] = '\0';
	char *ram_text = cmdline_value(cmdline, "e2e_xen_ram=");
	char *crash_text = cmdline_value(cmdline, "e2e_xen_crash=");
	if (!ram_text || !crash_text)
		return "no e2e_xen_ram= or e2e_xen_crash= on the command line: nothing to check the PT_LOAD coverage against";
	struct range crash;
	int nram = parse_ram(ram_text, ram);
	if (nram <= 0)
		return "e2e_xen_ram= is not a list of hex START-END ranges";
	if (parse_crash(crash_text, &crash) != 0)
		return "e2e_xen_crash= is not 0xSTART+SIZEk";
	nram = normalise(ram, nram);
	if (nram < 0)
		return "e2e_xen_ram= has overlapping ranges";
	int nwant = normalise(want, subtract(ram, nram, crash, want));
	nhave = normalise(have, nhave);
	if (nhave < 0)
		return "two PT_LOAD segments overlap";
	print_ranges("expected RAM (Xen's map minus its crash region)", want, nwant);
	print_ranges("PT_LOAD union", have, nhave);
	for (int i = 0; i < nhave; i++)
		if (have[i].start < crash.end && have[i].end > crash.start) {
			snprintf(why, sizeof why, "PT_LOAD [0x%llx,0x%llx) overlaps the crash region [0x%llx,0x%llx)",
				 (unsigned long long)have[i].start, (unsigned long long)have[i].end,
				 (unsigned long long)crash.start, (unsigned long long)crash.end);
			return why;
		}
	for (int i = 0; i < nwant || i < nhave; i++) {
		if (i < nwant && i < nhave && want[i].start == have[i].start && want[i].end == have[i].end)
			continue;
		if (i >= nhave)
			snprintf(why, sizeof why, "incomplete: Xen's RAM [0x%llx,0x%llx) is in no PT_LOAD",
				 (unsigned long long)want[i].start, (unsigned long long)want[i].end);
		else if (i >= nwant)
			snprintf(why, sizeof why, "PT_LOAD [0x%llx,0x%llx) is not RAM in Xen's map",
				 (unsigned long long)have[i].start, (unsigned long long)have[i].end);
		else
			snprintf(why, sizeof why,
				 "coverage differs: PT_LOAD union has [0x%llx,0x%llx) where Xen's RAM minus the crash region has [0x%llx,0x%llx)",
				 (unsigned long long)have[i].start, (unsigned long long)have[i].end,
				 (unsigned long long)want[i].start, (unsigned long long)want[i].end);
		return why;
	}
	return NULL;
}

/* Read the first and last page of a PT_LOAD and SAMPLES pages spread evenly in between;
 * 0 on success, else -1 with *at = the file offset that failed. Counts pages not all zero. */
static int sample_pages(int fd, const Elf64_Phdr *p, int *pages, int *nonzero, uint64_t *at)
{
	static unsigned char page[4096];
	uint64_t npages = (p->p_filesz + sizeof page - 1) / sizeof page;
	uint64_t step = npages > SAMPLES + 1 ? npages / (SAMPLES + 1) : 1;
	for (uint64_t i = 0; i < npages; i += step) {
		/* the last step lands on the last page */
		uint64_t idx = i + step >= npages ? npages - 1 : i;
		uint64_t off = idx * sizeof page;
		size_t n = p->p_filesz - off < sizeof page ? (size_t)(p->p_filesz - off) : sizeof page;
		*at = p->p_offset + off;
		if (read_at(fd, page, n, (off_t)*at) != 0)
			return -1;
		(*pages)++;
		for (size_t b = 0; b < n; b++)
			if (page[b]) {
				(*nonzero)++;
				break;
			}
		if (idx == npages - 1)
			break;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/proc/vmcore";
	const char *cmdline_path = argc > 2 ? argv[2] : "/proc/cmdline";
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

	int nload = 0, nnote = 0, pages = 0, nonzero = 0;
	uint64_t load_bytes = 0;
	static struct range have[MAX_RANGES];
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr *p = &ph[i];
		if (p->p_offset + p->p_filesz > fsize || p->p_offset + p->p_filesz < p->p_offset)
			return bad("segment %d (type %u) at offset 0x%llx size 0x%llx runs past the file size 0x%llx", i,
				   p->p_type, (unsigned long long)p->p_offset, (unsigned long long)p->p_filesz,
				   (unsigned long long)fsize);
		if (p->p_type == PT_LOAD) {
			if (nload == MAX_RANGES)
				return bad("more than %d PT_LOAD segments", MAX_RANGES);
			/* A dump of RAM has every byte in the file: memsz == filesz. */
			if (p->p_memsz != p->p_filesz || p->p_paddr + p->p_memsz < p->p_paddr)
				return bad("PT_LOAD %d (paddr 0x%llx) has filesz 0x%llx but memsz 0x%llx", i,
					   (unsigned long long)p->p_paddr, (unsigned long long)p->p_filesz,
					   (unsigned long long)p->p_memsz);
			have[nload++] = (struct range){ p->p_paddr, p->p_paddr + p->p_memsz };
			load_bytes += p->p_filesz;
			if (p->p_filesz == 0)
				continue;
			int before = pages;
			uint64_t at = 0;
			if (sample_pages(fd, p, &pages, &nonzero, &at) != 0)
				return bad("cannot read PT_LOAD %d (paddr 0x%llx size 0x%llx) at file offset 0x%llx: %s", i,
					   (unsigned long long)p->p_paddr, (unsigned long long)p->p_filesz,
					   (unsigned long long)at, strerror(errno));
			printf("E2E: vmcore PT_LOAD paddr 0x%llx size 0x%llx: read %d pages\n",
			       (unsigned long long)p->p_paddr, (unsigned long long)p->p_filesz, pages - before);
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
	const char *why = check_coverage(cmdline_path, have, nload);
	if (why)
		return bad("%s", why);

	printf("E2E: vmcore ok: %d PT_LOAD, %d PT_NOTE, %llu MiB of memory = Xen's RAM minus its crash region, "
	       "%d pages read (%d not zero), notes", nload, nnote, (unsigned long long)(load_bytes >> 20), pages, nonzero);
	for (int i = 0; i < nnames; i++)
		printf(" %s=%d", names[i].name, names[i].count);
	printf("\n");
	return 0;
}
