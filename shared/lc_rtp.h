/* SPDX-License-Identifier: MIT */
/*
 * lc_rtp.h — RTP (RFC 3550) packets of linear PCM (L16/L24, RFC 3551 and RFC 3190): the
 * fixed header built and parsed, payload <-> float32 frames, packet-time arithmetic,
 * sequence and timestamp wrap helpers, and the sender's packetizer.
 *
 * Owns: the bytes of one packet and the sender's numbering.  Does not own: sockets,
 * clocks or threads (the router's), the receive side's reordering and timing
 * (lc_jitter.h), the session description (lc_sdp.h).  docs/network.md has the design.
 *
 * Everything here is pure arithmetic on caller memory: no allocation, no OS call, any
 * thread (a packetizer is used by one thread at a time).
 *
 * The fixed header (RFC 3550 section 5.1), network byte order:
 *
 *    0                   1                   2                   3
 *   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *   |                           timestamp                           |
 *   |                             SSRC                              |
 *   |            CSRC list: CC x 32 bits (parsed over, not kept)    |
 *   | extension: 16-bit profile, 16-bit length in words, words (X)  |
 *   | payload ...                          | padding, last byte = count (P) |
 *
 * Payload: interleaved frames, each sample a big-endian two's complement integer of 2
 * (L16) or 3 (L24) bytes.  The RTP timestamp counts frames at the sample rate.
 */
#ifndef LC_RTP_H
#define LC_RTP_H

#include <stddef.h>
#include <stdint.h>

#define LC_RTP_VERSION 2
#define LC_RTP_HEADER_BYTES 12u
#define LC_RTP_MAX_CHANNELS 8u
#define LC_RTP_PTIME_MIN_US 125u  /* 1/8 ms: AES67's shortest packet time */
#define LC_RTP_PTIME_MAX_US 4000u /* AES67's longest */
#define LC_RTP_PTIME_DEFAULT_US 1000u
/* Largest payload a packet of ours carries: 4 ms at 96 kHz, 8 channels of L24. */
#define LC_RTP_MAX_PACKET_FRAMES 384u
#define LC_RTP_MAX_PAYLOAD_BYTES (LC_RTP_MAX_PACKET_FRAMES * LC_RTP_MAX_CHANNELS * 3u)
#define LC_RTP_MAX_PACKET_BYTES (LC_RTP_HEADER_BYTES + LC_RTP_MAX_PAYLOAD_BYTES)
/* First dynamic payload type (RFC 3551 section 3); AES67 streams use 96..127. */
#define LC_RTP_PT_DYNAMIC_MIN 96u
#define LC_RTP_PT_DEFAULT 96u

enum lc_rtp_encoding {
	LC_RTP_L16 = 16, /* 2 bytes per sample */
	LC_RTP_L24 = 24  /* 3 bytes per sample, AES67's default */
};

/* What a packet's bytes failed on (lc_rtp_parse() returns LC_E_CORRUPT with one). */
enum lc_rtp_fault {
	LC_RTP_FAULT_NONE = 0,
	LC_RTP_FAULT_SHORT,     /* fewer than 12 bytes */
	LC_RTP_FAULT_VERSION,   /* V != 2 */
	LC_RTP_FAULT_CSRC,      /* the CSRC list runs past the end */
	LC_RTP_FAULT_EXTENSION, /* the header extension runs past the end */
	LC_RTP_FAULT_PADDING,   /* padding count 0 or beyond the payload */
	LC_RTP_FAULT_PAYLOAD    /* (lc_rtp_check_payload) not whole frames, or empty */
};

/* A stream's format: what the SDP describes and both ends must agree on. */
struct lc_rtp_format {
	uint32_t encoding;     /* enum lc_rtp_encoding */
	uint32_t rate_hz;      /* also the RTP clock rate; 44100, 48000, 96000 are announced
	                          and tested, any LC_FMT rate is accepted */
	uint32_t channels;     /* 1 .. LC_RTP_MAX_CHANNELS */
	uint32_t payload_type; /* 0 .. 127; LC_RTP_PT_DEFAULT for ours */
	uint32_t ptime_us;     /* LC_RTP_PTIME_MIN_US .. LC_RTP_PTIME_MAX_US */
};

/* A parsed header; the payload is pkt[payload_offset .. payload_offset + payload_bytes). */
struct lc_rtp_header {
	uint32_t marker;       /* 0 or 1 */
	uint32_t payload_type; /* 0 .. 127 */
	uint16_t seq;
	uint32_t timestamp;
	uint32_t ssrc;
	uint32_t n_csrc;       /* 0 .. 15 (skipped over) */
	uint32_t extension;    /* 1 when a header extension was skipped over */
	uint32_t payload_offset;
	uint32_t payload_bytes; /* padding removed */
	uint32_t fault;         /* enum lc_rtp_fault */
};

/* A stable name for every fault, for logs and test messages. */
const char *
lc_rtp_fault_str(uint32_t fault);

/* Bytes per sample of an encoding: 2, 3, or 0 for an unknown one. */
uint32_t
lc_rtp_sample_bytes(uint32_t encoding);

/* @return 0, LC_E_FORMAT (encoding, rate or channels) or LC_E_INVALID (payload type,
 *         packet time or NULL). */
int
lc_rtp_format_check(const struct lc_rtp_format *f);

/* Frames in one packet of ptime_us at rate_hz: the nearest whole number, at least 1
 * (48 at 48 kHz / 1 ms; 44 at 44.1 kHz / 1 ms, 0.998 ms — an RTP timestamp counts whole
 * frames, so 44.1 kHz packet times are whole frames near the asked time). */
uint32_t
lc_rtp_ptime_frames(uint32_t rate_hz, uint32_t ptime_us);

/* Payload bytes of n frames in format f. */
uint32_t
lc_rtp_payload_bytes(const struct lc_rtp_format *f, uint32_t frames);

/*
 * Parses and validates a packet: version 2, the CSRC list, the extension and the padding
 * all within len.  Never reads outside pkt[0 .. len).  The payload may be empty.
 * @return 0, LC_E_INVALID (NULL arguments) or LC_E_CORRUPT with h->fault saying why.
 */
int
lc_rtp_parse(const uint8_t *pkt, size_t len, struct lc_rtp_header *h);

/* Checks that a parsed payload holds whole frames of f, at least one, at most
 * LC_RTP_MAX_PACKET_FRAMES.  @return frames, or LC_E_CORRUPT (h->fault = PAYLOAD). */
int
lc_rtp_check_payload(struct lc_rtp_header *h, const struct lc_rtp_format *f);

/* Writes the 12-byte fixed header (no CSRC, no extension, no padding) from h's
 * marker, payload_type, seq, timestamp and ssrc.
 * @return 12, LC_E_TOO_SMALL (cap < 12) or LC_E_INVALID (payload_type > 127). */
int
lc_rtp_write_header(uint8_t *out, size_t cap, const struct lc_rtp_header *h);

/* float32 interleaved -> network-order integers: clamped to [-1, 1), rounded to
 * nearest; NaN gives 0.  out holds frames * channels * lc_rtp_sample_bytes(encoding). */
void
lc_rtp_encode(uint32_t encoding, uint32_t channels, const float *in, uint32_t frames,
	      uint8_t *out);

/* Network-order integers -> float32 interleaved, x / 2^(bits-1): exact, so decode after
 * encode gives the same integers back. */
void
lc_rtp_decode(uint32_t encoding, uint32_t channels, const uint8_t *in, uint32_t frames,
	      float *out);

/* Wrap-aware differences: a - b as the nearest signed value modulo 2^16 / 2^32
 * (a is "after" b when the result is > 0). */
int32_t
lc_rtp_seq_diff(uint16_t a, uint16_t b);
int64_t
lc_rtp_ts_diff(uint32_t a, uint32_t b);

/* Extends a 16-bit sequence number / 32-bit timestamp to the 64-bit count nearest a
 * reference already extended (the highest seen): the receiver's unwrapped counters. */
int64_t
lc_rtp_seq_extend(int64_t ref, uint16_t seq);
int64_t
lc_rtp_ts_extend(int64_t ref, uint32_t ts);

/*
 * The sender: frames in, packets of exactly lc_rtp_ptime_frames() frames out.  Embedded
 * by the caller (no allocation); one thread at a time.  seq and timestamp start where
 * the caller says (RFC 3550 asks for random starts: the router draws them) and wrap.
 */
struct lc_rtp_packetizer {
	struct lc_rtp_format fmt;
	uint32_t ssrc;
	uint16_t seq;       /* of the next packet */
	uint32_t timestamp; /* of the next packet's first frame */
	uint32_t frames_per_packet, frame_bytes;
	uint32_t pending;   /* frames encoded into buf, not yet sent */
	uint32_t marker;    /* set on the next packet (the first, and after a skip) */
	uint64_t n_packets, n_frames;
	uint8_t buf[LC_RTP_MAX_PAYLOAD_BYTES];
};

/* @return 0, or lc_rtp_format_check()'s error. */
int
lc_rtp_packetizer_init(struct lc_rtp_packetizer *p, const struct lc_rtp_format *fmt,
		       uint32_t ssrc, uint16_t first_seq, uint32_t first_ts);

/*
 * Takes up to n frames (interleaved float32); when a packet is complete, writes it to
 * pkt and stops there.  Call again with the rest until *used covers n.
 * @param used  receives the frames taken
 * @return the packet's length in bytes (> 0), 0 when all n frames went into the pending
 *         packet, LC_E_TOO_SMALL if cap cannot hold a packet (nothing taken).
 */
int
lc_rtp_packetizer_put(struct lc_rtp_packetizer *p, const float *frames, uint32_t n,
		      uint32_t *used, uint8_t *pkt, size_t cap);

/* The sender skipped frames (its source stalled): the pending partial packet is
 * dropped, the timestamp moves on by its frames plus `frames`, and the next packet
 * carries the marker bit (RFC 3551 section 4.1: the first packet after silence). */
void
lc_rtp_packetizer_skip(struct lc_rtp_packetizer *p, uint32_t frames);

/* Packet size in bytes for this packetizer. */
uint32_t
lc_rtp_packetizer_packet_bytes(const struct lc_rtp_packetizer *p);

#endif /* LC_RTP_H */
