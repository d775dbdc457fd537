/*
 * Times kexec-tools' own SHA-256 (util_lib/sha256.c from Debian's kexec-tools source
 * package, compiled beside this file by tools/bench/purgatory-sha256-bench.sh) over one file
 * read into memory: the routine kexec-tools' purgatory runs in verify_sha256_digest
 * (purgatory/purgatory.c). Prints "kexec-tools-c BEST_SECONDS DIGEST", the best of RUNS in
 * CPU seconds of this process (other load on a shared machine does not count).
 *
 *   kexec-tools-sha256 FILE [RUNS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "sha256.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE [RUNS]\n", argv[0]);
		return 64;
	}
	int runs = argc > 2 ? atoi(argv[2]) : 3;
	FILE *f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0) {
		perror(argv[1]);
		return 66;
	}
	long size = ftell(f);
	rewind(f);
	uint8_t *buf = malloc(size > 0 ? size : 1);
	if (!buf || fread(buf, 1, size, f) != (size_t)size) {
		perror(argv[1]);
		return 66;
	}
	fclose(f);
	double best = 1e9;
	sha256_digest_t digest;
	for (int r = 0; r < runs; r++) {
		struct timespec t0, t1;
		sha256_context ctx;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
		sha256_starts(&ctx);
		sha256_update(&ctx, buf, size);
		sha256_finish(&ctx, digest);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
		double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (s < best)
			best = s;
	}
	printf("kexec-tools-c %.6f ", best);
	for (int i = 0; i < 32; i++)
		printf("%02x", digest[i]);
	printf("\n");
	return 0;
}
