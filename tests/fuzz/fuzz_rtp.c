/* SPDX-License-Identifier: MIT */
/*
 * fuzz_rtp.c — libFuzzer target: hostile datagrams into the RTP parser and the jitter
 * buffer.
 *
 * Byte 0 picks the stream's format (channels, L16/L24, rate, concealment, whether the
 * consumer runs at another rate); the rest is a series of operations:
 *   op byte, 2 length bytes, then:
 *   op & 3 == 0: a raw datagram of `length` bytes from the input;
 *   op & 3 == 1: the same, behind a well-formed header whose seq, timestamp and SSRC
 *                move by small input-chosen steps from the previous one (so reordering,
 *                duplicates, wraps, SSRC changes and restarts are reached, not only
 *                parse failures);
 *   op & 3 == 2: a pull of `length` % 4096 frames;
 *   op & 3 == 3: stats, and now and then a reset.
 * Every datagram also goes through lc_rtp_parse alone, which must keep the payload
 * within the datagram.  Errors are fine; sanitizer reports, reads outside the input,
 * or a payload span past the end (abort) are not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lc_jitter.h"
#include "lc_rtp.h"

#include "fuzz_input.h"

#define MAX_PULL 4096

static float out[MAX_PULL * LC_RTP_MAX_CHANNELS];
static uint8_t dgram[LC_RTP_HEADER_BYTES + 65536];

static void
check_parse(const uint8_t *d, size_t len, const struct lc_rtp_format *f)
{
	struct lc_rtp_header h;

	if (lc_rtp_parse(d, len, &h) != 0)
		return;
	if ((size_t)h.payload_offset + h.payload_bytes > len)
		abort();
	(void)lc_rtp_check_payload(&h, f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t rates[] = { 44100, 48000, 96000 };
	struct input in = { data, size };
	uint32_t cfg_byte = take(&in, 1);
	struct lc_jitter_config cfg = {
		.fmt = { (cfg_byte & 8) ? LC_RTP_L16 : LC_RTP_L24, rates[(cfg_byte >> 4) % 3],
			 (cfg_byte & 7) + 1, 96, 1000 },
		.target_ms = 1 + (cfg_byte >> 6) * 7,
		.conceal = (cfg_byte >> 7) & 1,
		/* The cheapest filter: creation dominates a short input's cost. */
		.quality = 0,
	};
	struct lc_jitter *j = NULL;
	uint32_t seq = 0, ts = 0, ssrc = 1;
	int ops = 0;

	cfg.out_hz = (cfg_byte & 0x40) ? 44100 : cfg.fmt.rate_hz;
	if (lc_jitter_create(&j, &cfg) != 0)
		abort();
	while (in.n > 0 && ops++ < 256) {
		uint32_t op = take(&in, 1), len = take(&in, 2);
		struct lc_jitter_stats st;

		switch (op & 3) {
		case 0:
			len = len < in.n ? len : (uint32_t)in.n;
			memcpy(dgram, in.p, len);
			in.p += len;
			in.n -= len;
			check_parse(dgram, len, &cfg.fmt);
			(void)lc_jitter_push(j, dgram, len, (uint64_t)ops * 1000);
			break;
		case 1: {
			struct lc_rtp_header h = { 0 };
			uint32_t steps = take(&in, 2);

			seq += (steps & 15) - 4;
			ts += ((steps >> 4) & 63) * 6u - 96u;
			if ((steps >> 10) == 63)
				ssrc++;
			if ((steps >> 10) == 62)
				ts += 0x40000000u;
			h.marker = op >> 7;
			h.payload_type = (op & 0x40) ? 97 : 96;
			h.seq = (uint16_t)seq;
			h.timestamp = ts;
			h.ssrc = ssrc;
			len = len % 2048;
			len = len < in.n ? len : (uint32_t)in.n;
			(void)lc_rtp_write_header(dgram, sizeof dgram, &h);
			memcpy(dgram + LC_RTP_HEADER_BYTES, in.p, len);
			in.p += len;
			in.n -= len;
			check_parse(dgram, LC_RTP_HEADER_BYTES + len, &cfg.fmt);
			(void)lc_jitter_push(j, dgram, LC_RTP_HEADER_BYTES + len,
					     (uint64_t)ops * 1000);
			break;
		}
		case 2:
			lc_jitter_pull(j, out, len % MAX_PULL);
			break;
		default:
			lc_jitter_stats(j, &st);
			if (st.frames_out > UINT64_C(1) << 62)
				abort(); /* reads every field; never true */
			if ((op & 0xf0) == 0xf0)
				lc_jitter_reset(j);
			break;
		}
	}
	lc_jitter_destroy(j);
	return 0;
}
