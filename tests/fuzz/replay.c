/**
 * @file replay.c  Run a fuzz driver over files, without libFuzzer
 *
 * Linked instead of libFuzzer where clang's is not used (plain gcc
 * builds): each argument is a file or a directory of files; every file is
 * fed to LLVMFuzzerTestOneInput() once. A crash or abort fails the run.
 * Prints one summary line. libFuzzer-style "-flag" arguments are ignored,
 * so the same ctest command line works for both.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fuzz.h"

enum { MAX_INPUT = 1 << 20 };

static unsigned runs;

static int run_file(const char *path)
{
	static uint8_t buf[MAX_INPUT];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	(void)fclose(f);

	(void)LLVMFuzzerTestOneInput(buf, n);
	++runs;

	return 0;
}

static int run_path(const char *path)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int err = 0;

	if (stat(path, &st)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);

	d = opendir(path);
	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while (!err && (de = readdir(d))) {
		char sub[4096];

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) >=
		    (int)sizeof(sub))
			continue;
		err = run_path(sub);
	}
	(void)closedir(d);

	return err;
}

int main(int argc, char *argv[])
{
	int err = 0;

	for (int i = 1; i < argc && !err; i++) {
		if (argv[i][0] == '-')
			continue;	/* a libFuzzer flag */
		err = run_path(argv[i]);
	}

	printf("replay: %u inputs, %s\n", runs, err ? "error" : "no crash");

	return err ? 1 : 0;
}
