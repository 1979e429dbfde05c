/* SPDX-License-Identifier: MIT */
/*
 * test_rtp.c — RTP packets: the header built and parsed back, every malformed header
 * refused with its fault, L16/L24 payloads bit-exact through encode/decode, clamping,
 * packet-time arithmetic, sequence and timestamp wrap, and the packetizer's packets
 * (size, numbering across the wrap, marker, content).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lc_result.h"
#include "lc_rtp.h"

static const struct lc_rtp_format l24_48k_2ch = { LC_RTP_L24, 48000, 2, 96, 1000 };

Test(rtp, header_round_trip)
{
	struct lc_rtp_header h = { .marker = 1, .payload_type = 97, .seq = 0xfffe,
				   .timestamp = 0xdeadbeef, .ssrc = 0x01020304 };
	struct lc_rtp_header g;
	uint8_t pkt[12 + 6] = { 0 };

	cr_assert_eq(lc_rtp_write_header(pkt, sizeof pkt, &h), 12);
	cr_expect_eq(pkt[0], 0x80);
	cr_expect_eq(pkt[1], 0x80 | 97);
	cr_expect_eq(pkt[4], 0xde);
	cr_expect_eq(pkt[11], 0x04);
	cr_assert_eq(lc_rtp_parse(pkt, sizeof pkt, &g), 0);
	cr_expect_eq(g.marker, 1);
	cr_expect_eq(g.payload_type, 97);
	cr_expect_eq(g.seq, 0xfffe);
	cr_expect_eq(g.timestamp, 0xdeadbeef);
	cr_expect_eq(g.ssrc, 0x01020304);
	cr_expect_eq(g.payload_offset, 12);
	cr_expect_eq(g.payload_bytes, 6);
	cr_expect_eq(lc_rtp_write_header(pkt, 11, &h), LC_E_TOO_SMALL);
	h.payload_type = 128;
	cr_expect_eq(lc_rtp_write_header(pkt, sizeof pkt, &h), LC_E_INVALID);
}

Test(rtp, csrc_extension_padding_skipped)
{
	/* CC = 2, X, P: 12 + 8 CSRC + 4 + 8 extension + 6 payload + 3 padding. */
	uint8_t pkt[41] = { 0 };
	struct lc_rtp_header h;

	pkt[0] = 0x80 | 0x20 | 0x10 | 2;
	pkt[1] = 96;
	pkt[20 + 3] = 2; /* extension length: 2 words */
	for (int i = 0; i < 6; i++)
		pkt[32 + i] = (uint8_t)(0xa0 + i);
	pkt[40] = 3;
	cr_assert_eq(lc_rtp_parse(pkt, sizeof pkt, &h), 0, "%s", lc_rtp_fault_str(h.fault));
	cr_expect_eq(h.n_csrc, 2);
	cr_expect_eq(h.extension, 1);
	cr_expect_eq(h.payload_offset, 32);
	cr_expect_eq(h.payload_bytes, 6);
	cr_expect_eq(pkt[h.payload_offset], 0xa0);
}

static void
expect_fault(const uint8_t *pkt, size_t len, enum lc_rtp_fault f)
{
	struct lc_rtp_header h;

	cr_expect_eq(lc_rtp_parse(pkt, len, &h), LC_E_CORRUPT, "len %zu", len);
	cr_expect_eq(h.fault, (uint32_t)f, "len %zu: got '%s', want '%s'", len,
		     lc_rtp_fault_str(h.fault), lc_rtp_fault_str(f));
}

Test(rtp, malformed_refused)
{
	uint8_t pkt[64] = { 0x80, 96 };

	for (size_t n = 0; n < 12; n++)
		expect_fault(pkt, n, LC_RTP_FAULT_SHORT);
	cr_expect_eq(lc_rtp_parse(NULL, 0, &(struct lc_rtp_header){ 0 }), LC_E_CORRUPT);
	pkt[0] = 0x40;
	expect_fault(pkt, 20, LC_RTP_FAULT_VERSION);
	pkt[0] = 0x00;
	expect_fault(pkt, 20, LC_RTP_FAULT_VERSION);
	pkt[0] = 0xc0;
	expect_fault(pkt, 20, LC_RTP_FAULT_VERSION);
	/* 15 CSRCs need 72 bytes. */
	pkt[0] = 0x8f;
	expect_fault(pkt, 64, LC_RTP_FAULT_CSRC);
	/* Extension header cut, extension words cut. */
	pkt[0] = 0x90;
	expect_fault(pkt, 14, LC_RTP_FAULT_EXTENSION);
	pkt[14] = 0;
	pkt[15] = 20; /* 80 bytes */
	expect_fault(pkt, 64, LC_RTP_FAULT_EXTENSION);
	/* Padding: count 0; count beyond the payload; count into the header. */
	memset(pkt, 0, sizeof pkt);
	pkt[0] = 0xa0;
	pkt[19] = 0;
	expect_fault(pkt, 20, LC_RTP_FAULT_PADDING);
	pkt[19] = 9;
	expect_fault(pkt, 20, LC_RTP_FAULT_PADDING);
	pkt[19] = 8; /* exactly the 8 payload bytes: an empty payload, fine */
	cr_expect_eq(lc_rtp_parse(pkt, 20, &(struct lc_rtp_header){ 0 }), 0);
	pkt[11] = 12; /* a 12-byte packet with P whose last byte (the SSRC's) counts 12 */
	expect_fault(pkt, 12, LC_RTP_FAULT_PADDING);
}

Test(rtp, payload_checked_against_format)
{
	uint8_t pkt[12 + 7] = { 0x80, 96 };
	struct lc_rtp_header h;

	cr_assert_eq(lc_rtp_parse(pkt, sizeof pkt, &h), 0);
	cr_expect_eq(lc_rtp_check_payload(&h, &l24_48k_2ch), LC_E_CORRUPT); /* 7 bytes */
	cr_expect_eq(h.fault, LC_RTP_FAULT_PAYLOAD);
	cr_assert_eq(lc_rtp_parse(pkt, 12 + 6, &h), 0);
	cr_expect_eq(lc_rtp_check_payload(&h, &l24_48k_2ch), 1);
	cr_assert_eq(lc_rtp_parse(pkt, 12, &h), 0);
	cr_expect_eq(lc_rtp_check_payload(&h, &l24_48k_2ch), LC_E_CORRUPT); /* empty */
}

Test(rtp, l24_round_trip_bit_exact)
{
	enum { N = 1 << 16 };
	static float in[N * 2], back[N * 2];
	static uint8_t wire[N * 2 * 3], wire2[N * 2 * 3];

	/* Every 24-bit value's extremes and a stride through the rest. */
	for (uint32_t i = 0; i < N * 2; i++) {
		int32_t v = (int32_t)(i * 257u % 16777216u) - 8388608;

		if (i == 0)
			v = -8388608;
		if (i == 1)
			v = 8388607;
		in[i] = (float)v / 8388608.0f;
	}
	lc_rtp_encode(LC_RTP_L24, 2, in, N, wire);
	lc_rtp_decode(LC_RTP_L24, 2, wire, N, back);
	cr_assert_eq(memcmp(in, back, sizeof in), 0, "float -> L24 -> float not exact");
	lc_rtp_encode(LC_RTP_L24, 2, back, N, wire2);
	cr_assert_eq(memcmp(wire, wire2, sizeof wire), 0, "L24 -> float -> L24 not exact");
	cr_expect_eq(wire[0], 0x80);
	cr_expect_eq(wire[1], 0x00);
	cr_expect_eq(wire[3], 0x7f);
	cr_expect_eq(wire[5], 0xff);
}

Test(rtp, l16_round_trip_bit_exact_all_values)
{
	static float f[65536];
	static uint8_t wire[65536 * 2], wire2[65536 * 2];

	for (uint32_t i = 0; i < 65536; i++) {
		wire[2 * i] = (uint8_t)(i >> 8);
		wire[2 * i + 1] = (uint8_t)i;
	}
	lc_rtp_decode(LC_RTP_L16, 1, wire, 65536, f);
	cr_expect_eq(f[0x8000], -1.0f);
	cr_expect_eq(f[0x7fff], 32767.0f / 32768.0f);
	cr_expect_eq(f[0xffff], -1.0f / 32768.0f);
	lc_rtp_encode(LC_RTP_L16, 1, f, 65536, wire2);
	cr_assert_eq(memcmp(wire, wire2, sizeof wire), 0);
}

Test(rtp, encode_clamps_and_rounds)
{
	float in[] = { 1.0f, 2.0f, -1.0f, -3.0f, NAN, 0.5f / 8388608.0f, -0.5f / 8388608.0f,
		       1.49f / 8388608.0f };
	uint8_t w[8 * 3];
	float back[8];

	lc_rtp_encode(LC_RTP_L24, 1, in, 8, w);
	lc_rtp_decode(LC_RTP_L24, 1, w, 8, back);
	cr_expect_eq(back[0], 8388607.0f / 8388608.0f);
	cr_expect_eq(back[1], 8388607.0f / 8388608.0f);
	cr_expect_eq(back[2], -1.0f);
	cr_expect_eq(back[3], -1.0f);
	cr_expect_eq(back[4], 0.0f);
	cr_expect_eq(back[5], 1.0f / 8388608.0f);  /* half away from zero */
	cr_expect_eq(back[6], -1.0f / 8388608.0f);
	cr_expect_eq(back[7], 1.0f / 8388608.0f);
}

Test(rtp, ptime_frames)
{
	cr_expect_eq(lc_rtp_ptime_frames(48000, 1000), 48);
	cr_expect_eq(lc_rtp_ptime_frames(48000, 125), 6);
	cr_expect_eq(lc_rtp_ptime_frames(48000, 4000), 192);
	cr_expect_eq(lc_rtp_ptime_frames(96000, 125), 12);
	cr_expect_eq(lc_rtp_ptime_frames(96000, 4000), 384);
	cr_expect_eq(lc_rtp_ptime_frames(44100, 1000), 44);
	cr_expect_eq(lc_rtp_ptime_frames(44100, 125), 6);
	cr_expect_eq(lc_rtp_ptime_frames(44100, 4000), 176);
	cr_expect_eq(lc_rtp_payload_bytes(&l24_48k_2ch, 48), 288);
}

Test(rtp, format_check)
{
	struct lc_rtp_format f = l24_48k_2ch;

	cr_expect_eq(lc_rtp_format_check(&f), 0);
	f.channels = 8;
	f.rate_hz = 96000;
	f.ptime_us = 4000;
	cr_expect_eq(lc_rtp_format_check(&f), 0, "8 ch, 96 kHz, 4 ms is our largest");
	f.channels = 9;
	cr_expect_eq(lc_rtp_format_check(&f), LC_E_FORMAT);
	f.channels = 0;
	cr_expect_eq(lc_rtp_format_check(&f), LC_E_FORMAT);
	f = l24_48k_2ch;
	f.encoding = 8;
	cr_expect_eq(lc_rtp_format_check(&f), LC_E_FORMAT);
	f = l24_48k_2ch;
	f.ptime_us = 124;
	cr_expect_eq(lc_rtp_format_check(&f), LC_E_INVALID);
	f.ptime_us = 4001;
	cr_expect_eq(lc_rtp_format_check(&f), LC_E_INVALID);
	f = l24_48k_2ch;
	f.payload_type = 128;
	cr_expect_eq(lc_rtp_format_check(&f), LC_E_INVALID);
	cr_expect_eq(lc_rtp_format_check(NULL), LC_E_INVALID);
}

Test(rtp, wrap_helpers)
{
	cr_expect_eq(lc_rtp_seq_diff(0, 0xffff), 1);
	cr_expect_eq(lc_rtp_seq_diff(0xffff, 0), -1);
	cr_expect_eq(lc_rtp_seq_diff(5, 0xfff0), 21);
	cr_expect_eq(lc_rtp_seq_diff(0x7fff, 0), 0x7fff);
	cr_expect_eq(lc_rtp_seq_diff(0x8000, 0), -0x8000);
	cr_expect_eq(lc_rtp_ts_diff(10, 0xfffffff0u), 26);
	cr_expect_eq(lc_rtp_ts_diff(0xfffffff0u, 10), -26);
	cr_expect_eq(lc_rtp_ts_diff(0x7fffffffu, 0), INT64_C(0x7fffffff));
	cr_expect_eq(lc_rtp_ts_diff(0x80000000u, 0), -INT64_C(0x80000000));
	/* Extending across the wrap, both ways. */
	cr_expect_eq(lc_rtp_seq_extend(0x1fffe, 1), 0x20001);
	cr_expect_eq(lc_rtp_seq_extend(0x20001, 0xfffe), 0x1fffe);
	cr_expect_eq(lc_rtp_ts_extend(INT64_C(0x1fffffff0), 0x10), INT64_C(0x200000010));
	cr_expect_eq(lc_rtp_ts_extend(INT64_C(0x200000010), 0xfffffff0u),
		     INT64_C(0x1fffffff0));
	int64_t e = 0x10000;

	for (uint32_t i = 0; i < 200000; i++)
		e = lc_rtp_seq_extend(e, (uint16_t)(i + 3));
	cr_expect_eq(e, 0x10000 + 200000 + 2);
}

Test(rtp, packetizer_packets_across_wrap)
{
	struct lc_rtp_packetizer *p = malloc(sizeof(*p));
	float frames[1000 * 2];
	uint8_t pkt[LC_RTP_MAX_PACKET_BYTES];
	uint32_t sent = 0, off = 0;
	uint16_t seq = 0xfffe;
	uint32_t ts = 0xffffffa0u;

	for (uint32_t i = 0; i < 2000; i++)
		frames[i] = (float)((int32_t)(i * 4099u % 16777216u) - 8388608) / 8388608.0f;
	cr_assert_eq(lc_rtp_packetizer_init(p, &l24_48k_2ch, 0xabcdef01u, seq, ts), 0);
	cr_expect_eq(lc_rtp_packetizer_packet_bytes(p), 12 + 48 * 6);
	cr_expect_eq(lc_rtp_packetizer_put(p, frames, 10, &(uint32_t){ 0 }, pkt, 100),
		     LC_E_TOO_SMALL);
	/* Pushed in uneven chunks: 1000 frames make 20 packets, 40 frames pending. */
	while (off < 1000) {
		uint32_t chunk = 1000 - off < 37 ? 1000 - off : 37, used;
		int len = lc_rtp_packetizer_put(p, frames + off * 2, chunk, &used, pkt, sizeof pkt);
		struct lc_rtp_header h;
		float back[48 * 2];

		cr_assert_geq(len, 0);
		cr_assert_gt(used, 0);
		off += used;
		if (len == 0)
			continue;
		cr_assert_eq(len, 12 + 288);
		cr_assert_eq(lc_rtp_parse(pkt, (size_t)len, &h), 0);
		cr_expect_eq(h.seq, seq, "packet %u", sent);
		cr_expect_eq(h.timestamp, ts, "packet %u", sent);
		cr_expect_eq(h.ssrc, 0xabcdef01u);
		cr_expect_eq(h.payload_type, 96);
		cr_expect_eq(h.marker, sent == 0 ? 1u : 0u);
		lc_rtp_decode(LC_RTP_L24, 2, pkt + h.payload_offset, 48, back);
		cr_expect_eq(memcmp(back, frames + sent * 96, sizeof back), 0, "packet %u", sent);
		seq++;
		ts += 48;
		sent++;
	}
	cr_expect_eq(sent, 20);
	cr_expect_eq(p->pending, 40);
	cr_expect_eq(p->n_packets, 20);
	/* A skip drops the pending frames, moves the timestamp on, sets the marker. */
	lc_rtp_packetizer_skip(p, 100);
	uint32_t used;
	int len = lc_rtp_packetizer_put(p, frames, 48, &used, pkt, sizeof pkt);
	struct lc_rtp_header h;

	cr_assert_eq(len, 300);
	cr_assert_eq(lc_rtp_parse(pkt, (size_t)len, &h), 0);
	cr_expect_eq(h.marker, 1);
	cr_expect_eq(h.timestamp, ts + 40 + 100);
	cr_expect_eq(h.seq, seq);
	free(p);
}
