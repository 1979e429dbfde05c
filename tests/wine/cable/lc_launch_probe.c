/* SPDX-License-Identifier: MIT */
/* lc_launch_probe.exe — stands in for the control panel in tests: it appends a line to
 * the file named by %LC_LAUNCH_MARKER% (inherited from whoever started it) and exits. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	const char *path = getenv("LC_LAUNCH_MARKER");
	FILE *f = path ? fopen(path, "a") : NULL;
	if (!f)
		return 1;
	fputs("launched\n", f);
	return fclose(f) == 0 ? 0 : 1;
}
