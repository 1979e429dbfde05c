/* SPDX-License-Identifier: MIT */
/*
 * lc_rtp.c — RTP header, L16/L24 payload, packet time, wrap helpers and the packetizer
 * (the contract and the header's layout are in lc_rtp.h).
 */
#include "lc_rtp.h"

#include <string.h>

#include "lc_fmt.h"
#include "lc_result.h"

const char *
lc_rtp_fault_str(uint32_t fault)
{
	switch ((enum lc_rtp_fault)fault) {
	case LC_RTP_FAULT_NONE: return "none";
	case LC_RTP_FAULT_SHORT: return "shorter than the fixed header";
	case LC_RTP_FAULT_VERSION: return "version is not 2";
	case LC_RTP_FAULT_CSRC: return "CSRC list past the end";
	case LC_RTP_FAULT_EXTENSION: return "header extension past the end";
	case LC_RTP_FAULT_PADDING: return "bad padding count";
	case LC_RTP_FAULT_PAYLOAD: return "payload is not whole frames";
	}
	return "unknown fault";
}

uint32_t
lc_rtp_sample_bytes(uint32_t encoding)
{
	return encoding == LC_RTP_L16 ? 2u : encoding == LC_RTP_L24 ? 3u : 0u;
}

int
lc_rtp_format_check(const struct lc_rtp_format *f)
{
	if (f == NULL)
		return LC_E_INVALID;
	if (lc_rtp_sample_bytes(f->encoding) == 0 || f->channels == 0 ||
	    f->channels > LC_RTP_MAX_CHANNELS || f->rate_hz < LC_FMT_MIN_RATE_HZ ||
	    f->rate_hz > LC_FMT_MAX_RATE_HZ)
		return LC_E_FORMAT;
	if (f->payload_type > 127 || f->ptime_us < LC_RTP_PTIME_MIN_US ||
	    f->ptime_us > LC_RTP_PTIME_MAX_US ||
	    lc_rtp_ptime_frames(f->rate_hz, f->ptime_us) > LC_RTP_MAX_PACKET_FRAMES)
		return LC_E_INVALID;
	return 0;
}

uint32_t
lc_rtp_ptime_frames(uint32_t rate_hz, uint32_t ptime_us)
{
	uint64_t n = ((uint64_t)rate_hz * ptime_us + 500000u) / 1000000u;

	return n < 1 ? 1u : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

uint32_t
lc_rtp_payload_bytes(const struct lc_rtp_format *f, uint32_t frames)
{
	return frames * f->channels * lc_rtp_sample_bytes(f->encoding);
}

static uint32_t
be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int
fault(struct lc_rtp_header *h, enum lc_rtp_fault f)
{
	h->fault = f;
	return LC_E_CORRUPT;
}

int
lc_rtp_parse(const uint8_t *pkt, size_t len, struct lc_rtp_header *h)
{
	size_t off, end = len;

	if (h == NULL)
		return LC_E_INVALID;
	memset(h, 0, sizeof(*h));
	if (pkt == NULL && len > 0)
		return LC_E_INVALID;
	if (len < LC_RTP_HEADER_BYTES)
		return fault(h, LC_RTP_FAULT_SHORT);
	if (pkt[0] >> 6 != LC_RTP_VERSION)
		return fault(h, LC_RTP_FAULT_VERSION);
	h->n_csrc = pkt[0] & 0x0fu;
	h->marker = pkt[1] >> 7;
	h->payload_type = pkt[1] & 0x7fu;
	h->seq = (uint16_t)be16(pkt + 2);
	h->timestamp = be32(pkt + 4);
	h->ssrc = be32(pkt + 8);
	off = LC_RTP_HEADER_BYTES + 4u * h->n_csrc;
	if (off > len)
		return fault(h, LC_RTP_FAULT_CSRC);
	if (pkt[0] & 0x10u) {
		/* 4 bytes of profile and length, then length 32-bit words. */
		if (off + 4 > len)
			return fault(h, LC_RTP_FAULT_EXTENSION);
		off += 4 + 4u * be16(pkt + off + 2);
		if (off > len)
			return fault(h, LC_RTP_FAULT_EXTENSION);
		h->extension = 1;
	}
	if (pkt[0] & 0x20u) {
		/* The last byte counts the padding, itself included (RFC 3550 5.1). */
		uint32_t pad = pkt[len - 1];

		if (pad == 0 || pad > len - off)
			return fault(h, LC_RTP_FAULT_PADDING);
		end = len - pad;
	}
	h->payload_offset = (uint32_t)off;
	h->payload_bytes = (uint32_t)(end - off);
	return 0;
}

int
lc_rtp_check_payload(struct lc_rtp_header *h, const struct lc_rtp_format *f)
{
	uint32_t frame_bytes = f->channels * lc_rtp_sample_bytes(f->encoding);
	uint32_t frames;

	if (frame_bytes == 0 || h->payload_bytes == 0 || h->payload_bytes % frame_bytes != 0)
		return fault(h, LC_RTP_FAULT_PAYLOAD);
	frames = h->payload_bytes / frame_bytes;
	if (frames > LC_RTP_MAX_PACKET_FRAMES)
		return fault(h, LC_RTP_FAULT_PAYLOAD);
	return (int)frames;
}

int
lc_rtp_write_header(uint8_t *out, size_t cap, const struct lc_rtp_header *h)
{
	if (out == NULL || h == NULL || h->payload_type > 127)
		return LC_E_INVALID;
	if (cap < LC_RTP_HEADER_BYTES)
		return LC_E_TOO_SMALL;
	out[0] = LC_RTP_VERSION << 6;
	out[1] = (uint8_t)((h->marker ? 0x80u : 0u) | h->payload_type);
	out[2] = (uint8_t)(h->seq >> 8);
	out[3] = (uint8_t)h->seq;
	for (int i = 0; i < 4; i++) {
		out[4 + i] = (uint8_t)(h->timestamp >> (24 - 8 * i));
		out[8 + i] = (uint8_t)(h->ssrc >> (24 - 8 * i));
	}
	return (int)LC_RTP_HEADER_BYTES;
}

/* Clamps to the integer range and rounds to nearest (half away from zero), in double
 * so that every step is exact for 24-bit values. */
static int32_t
quantize(float x, double scale)
{
	double v;

	if (x != x)
		return 0;
	v = (double)x * scale;
	if (v >= scale - 0.5)
		return (int32_t)scale - 1;
	if (v <= -scale)
		return -(int32_t)scale;
	return (int32_t)(v < 0 ? v - 0.5 : v + 0.5);
}

void
lc_rtp_encode(uint32_t encoding, uint32_t channels, const float *in, uint32_t frames,
	      uint8_t *out)
{
	size_t n = (size_t)frames * channels;

	if (encoding == LC_RTP_L24) {
		for (size_t i = 0; i < n; i++, out += 3) {
			uint32_t v = (uint32_t)quantize(in[i], 8388608.0);

			out[0] = (uint8_t)(v >> 16);
			out[1] = (uint8_t)(v >> 8);
			out[2] = (uint8_t)v;
		}
	} else if (encoding == LC_RTP_L16) {
		for (size_t i = 0; i < n; i++, out += 2) {
			uint32_t v = (uint32_t)quantize(in[i], 32768.0);

			out[0] = (uint8_t)(v >> 8);
			out[1] = (uint8_t)v;
		}
	}
}

void
lc_rtp_decode(uint32_t encoding, uint32_t channels, const uint8_t *in, uint32_t frames,
	      float *out)
{
	size_t n = (size_t)frames * channels;

	if (encoding == LC_RTP_L24) {
		for (size_t i = 0; i < n; i++, in += 3) {
			/* Sign-extend 24 bits without shifting a negative value. */
			int32_t v = (int32_t)((uint32_t)in[0] << 16 | (uint32_t)in[1] << 8 | in[2]);

			if (v & 0x800000)
				v -= 0x1000000;
			out[i] = (float)v * (1.0f / 8388608.0f);
		}
	} else if (encoding == LC_RTP_L16) {
		for (size_t i = 0; i < n; i++, in += 2) {
			int32_t v = (int32_t)((uint32_t)in[0] << 8 | in[1]);

			if (v & 0x8000)
				v -= 0x10000;
			out[i] = (float)v * (1.0f / 32768.0f);
		}
	}
}

int32_t
lc_rtp_seq_diff(uint16_t a, uint16_t b)
{
	uint32_t d = (uint16_t)(a - b);

	return d < 0x8000u ? (int32_t)d : (int32_t)d - 0x10000;
}

int64_t
lc_rtp_ts_diff(uint32_t a, uint32_t b)
{
	uint32_t d = a - b;

	return d < 0x80000000u ? (int64_t)d : (int64_t)d - INT64_C(0x100000000);
}

int64_t
lc_rtp_seq_extend(int64_t ref, uint16_t seq)
{
	return ref + lc_rtp_seq_diff(seq, (uint16_t)ref);
}

int64_t
lc_rtp_ts_extend(int64_t ref, uint32_t ts)
{
	return ref + lc_rtp_ts_diff(ts, (uint32_t)ref);
}

int
lc_rtp_packetizer_init(struct lc_rtp_packetizer *p, const struct lc_rtp_format *fmt,
		       uint32_t ssrc, uint16_t first_seq, uint32_t first_ts)
{
	int err = lc_rtp_format_check(fmt);

	if (p == NULL)
		return LC_E_INVALID;
	if (err != 0)
		return err;
	memset(p, 0, offsetof(struct lc_rtp_packetizer, buf));
	p->fmt = *fmt;
	p->ssrc = ssrc;
	p->seq = first_seq;
	p->timestamp = first_ts;
	p->frames_per_packet = lc_rtp_ptime_frames(fmt->rate_hz, fmt->ptime_us);
	p->frame_bytes = lc_rtp_payload_bytes(fmt, 1);
	p->marker = 1;
	return 0;
}

uint32_t
lc_rtp_packetizer_packet_bytes(const struct lc_rtp_packetizer *p)
{
	return LC_RTP_HEADER_BYTES + p->frames_per_packet * p->frame_bytes;
}

int
lc_rtp_packetizer_put(struct lc_rtp_packetizer *p, const float *frames, uint32_t n,
		      uint32_t *used, uint8_t *pkt, size_t cap)
{
	uint32_t take = p->frames_per_packet - p->pending;
	struct lc_rtp_header h;
	uint32_t payload = p->frames_per_packet * p->frame_bytes;

	*used = 0;
	if (cap < LC_RTP_HEADER_BYTES + payload)
		return LC_E_TOO_SMALL;
	if (take > n)
		take = n;
	lc_rtp_encode(p->fmt.encoding, p->fmt.channels, frames, take,
		      p->buf + (size_t)p->pending * p->frame_bytes);
	p->pending += take;
	*used = take;
	if (p->pending < p->frames_per_packet)
		return 0;

	memset(&h, 0, sizeof h);
	h.marker = p->marker;
	h.payload_type = p->fmt.payload_type;
	h.seq = p->seq;
	h.timestamp = p->timestamp;
	h.ssrc = p->ssrc;
	(void)lc_rtp_write_header(pkt, cap, &h);
	memcpy(pkt + LC_RTP_HEADER_BYTES, p->buf, payload);
	p->seq++;
	p->timestamp += p->frames_per_packet;
	p->pending = 0;
	p->marker = 0;
	p->n_packets++;
	p->n_frames += p->frames_per_packet;
	return (int)(LC_RTP_HEADER_BYTES + payload);
}

void
lc_rtp_packetizer_skip(struct lc_rtp_packetizer *p, uint32_t frames)
{
	p->timestamp += p->pending + frames;
	p->pending = 0;
	p->marker = 1;
}
