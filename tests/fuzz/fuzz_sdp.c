/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sdp.c — libFuzzer target: hostile text into the SDP parser.  The input is
 * copied to a buffer of exactly its size (no terminator), so a read past the length
 * is an ASan report.  A description that parses must describe a stream we accept
 * (lc_rtp_format_check) with NUL-terminated strings, and must write back out.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lc_sdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	struct lc_sdp_stream s;
	struct lc_sdp_error e;
	char buf[2048];

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	if (lc_sdp_parse(text, size, &s, &e) == 0) {
		if (lc_rtp_format_check(&s.fmt) != 0 || s.port == 0 || s.port > 65535 ||
		    memchr(s.address, '\0', sizeof s.address) == NULL ||
		    memchr(s.name, '\0', sizeof s.name) == NULL)
			abort();
		/* A multicast IPv4 address may come without a TTL; ours always has one. */
		if (s.ttl == 0)
			s.ttl = 1;
		(void)lc_sdp_write(&s, buf, sizeof buf);
	}
	free(text);
	return 0;
}
