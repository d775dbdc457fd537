/* guest-marker: the seeded memory pattern of the dump scenarios (docs/dumps.md).
 *
 *   guest-marker fill SEED MIB      (the domU's /init) fill MIB MiB of anonymous memory
 *                                   with the pattern (a progress line every 16 MiB), lock
 *                                   it, print its digest, sleep
 *   guest-marker find SEED MIB FILE [STEP]
 *                                   count the pattern's pages found in FILE, trying every
 *                                   STEP-th byte offset (default 1; 4096 for /proc/vmcore,
 *                                   whose PT_LOAD data is page aligned)
 *   guest-marker digest SEED MIB    print the digest only (what dom0 may know)
 *
 * The pattern is generated from SEED (16 hex digits) at run time and written nowhere:
 * page P of it is a splitmix64 stream keyed by SEED and P, and page 0 starts with a
 * 64-byte header, "XKGM" followed by 60 bytes of that stream. No file holds it, so a hit
 * in a dump can only come from the guest's memory.
 * `find` looks for every 4 KiB page of the pattern at every byte offset of FILE (a dump's
 * page data need not be page aligned in the file): a page's first 8 bytes select it,
 * the whole page must match (the page is generated again from SEED for that comparison, so
 * `find` holds 8 bytes per page of the pattern, not the pattern: the crash kernel's count of
 * a 384 MiB pattern fits in its reservation). It prints "found N of M pages" and exits 0
 * whether or not pages are found (the scenario decides), 2 on a usage or I/O error.
 * Built with gcc -static (tools/e2e/build-disk.sh).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096u

static uint64_t splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void page_of(uint64_t seed, uint64_t p, unsigned char *out) {
  uint64_t s = seed ^ (p * 0xd1b54a32d192ed03ull) ^ 0x584b474d00000000ull;
  for (unsigned i = 0; i < PAGE; i += 8) {
    uint64_t v = splitmix(&s);
    memcpy(out + i, &v, 8);
  }
  if (p == 0) memcpy(out, "XKGM", 4);
}

static uint64_t fnv(uint64_t h, const unsigned char *b, size_t n) {
  for (size_t i = 0; i < n; i++) { h ^= b[i]; h *= 0x100000001b3ull; }
  return h;
}

static int usage(void) {
  fprintf(stderr, "usage: guest-marker fill|digest SEED MIB | find SEED MIB FILE [STEP]\n");
  return 2;
}

int main(int argc, char **argv) {
  if (argc < 4) return usage();
  char *end;
  uint64_t seed = strtoull(argv[2], &end, 16);
  if (*end || !*argv[2]) return usage();
  unsigned long mib = strtoul(argv[3], &end, 10);
  if (*end || mib == 0 || mib > 4096) return usage();
  uint64_t pages = (uint64_t)mib * 256;

  if (!strcmp(argv[1], "fill") || !strcmp(argv[1], "digest")) {
    int fill = !strcmp(argv[1], "fill");
    unsigned char *m = NULL, page[PAGE];
    if (fill) {
      m = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (m == MAP_FAILED) { perror("mmap"); return 2; }
    }
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint64_t p = 0; p < pages; p++) {
      unsigned char *dst = fill ? m + p * PAGE : page;
      page_of(seed, p, dst);
      h = fnv(h, dst, PAGE);
      /* Progress on the guest's console (dump_start_guest waits while it advances). */
      if (fill && (p + 1) % (16 * 256) == 0 && p + 1 < pages) {
        printf("guest-marker: filling %llu of %lu MiB\n", (unsigned long long)(p + 1) / 256, mib);
        fflush(stdout);
      }
    }
    if (fill && mlock(m, pages * PAGE) != 0) perror("mlock (the pattern stays, unlocked)");
    printf("guest-marker: %s %lu MiB, digest %016llx\n", fill ? "filled" : "pattern of", mib,
           (unsigned long long)h);
    fflush(stdout);
    if (fill) for (;;) pause();
    return 0;
  }
  if (strcmp(argv[1], "find") || (argc != 5 && argc != 6)) return usage();
  uint64_t step = argc == 6 ? strtoull(argv[5], &end, 10) : 1;
  if (argc == 6 && (*end || step == 0)) return usage();

  /* The pattern's pages, indexed by their first word (open addressing); a page is
   * generated again only when a file page's first word is its first word. */
  unsigned char page[PAGE];
  uint64_t *first = malloc(pages * sizeof *first);
  uint64_t slots = 1;
  while (slots < pages * 4) slots <<= 1;
  int64_t *table = malloc(slots * sizeof *table);
  unsigned char *seen = calloc(pages, 1);
  uint64_t *bloom = calloc(1 << 14, sizeof(uint64_t)); /* 2^20 bits */
  if (!first || !table || !seen || !bloom) { perror("malloc"); return 2; }
  for (uint64_t i = 0; i < slots; i++) table[i] = -1;
  for (uint64_t p = 0; p < pages; p++) {
    page_of(seed, p, page);
    uint64_t w;
    memcpy(&w, page, 8);
    first[p] = w;
    uint64_t k = (w * 0x9e3779b97f4a7c15ull) >> 44;
    bloom[k >> 6] |= 1ull << (k & 63);
    uint64_t i = (w * 0xff51afd7ed558ccdull) & (slots - 1);
    while (table[i] >= 0) i = (i + 1) & (slots - 1);
    table[i] = (int64_t)p;
  }

  int fd = open(argv[4], O_RDONLY);
  if (fd < 0) { perror(argv[4]); return 2; }
  struct stat st;
  if (fstat(fd, &st) != 0) { perror("fstat"); return 2; }
  uint64_t found = 0, size = (uint64_t)st.st_size;
  if (size >= PAGE) {
    unsigned char *f = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (f == MAP_FAILED) { perror("mmap"); return 2; }
    for (uint64_t off = 0; off + PAGE <= size; off += step) {
      uint64_t w;
      memcpy(&w, f + off, 8);
      uint64_t k = (w * 0x9e3779b97f4a7c15ull) >> 44;
      if (!(bloom[k >> 6] & (1ull << (k & 63)))) continue;
      for (uint64_t i = (w * 0xff51afd7ed558ccdull) & (slots - 1); table[i] >= 0; i = (i + 1) & (slots - 1)) {
        uint64_t p = (uint64_t)table[i];
        if (seen[p] || first[p] != w) continue;
        page_of(seed, p, page);
        if (!memcmp(f + off, page, PAGE)) { seen[p] = 1; found++; }
      }
    }
  }
  printf("guest-marker: found %llu of %llu pages in %s (%llu bytes)\n", (unsigned long long)found,
         (unsigned long long)pages, argv[4], (unsigned long long)size);
  return 0;
}
