/* SPDX-License-Identifier: MIT */
/*
 * lc_sdp.h — the session description (RFC 4566) of a network cable's stream: written
 * for a stream we send, with the AES67 attributes that apply, and parsed from a file to
 * receive one (the subset a receiver needs).
 *
 * Owns: the text.  Does not own: files or sockets (the router's and the CLI's), the
 * stream's format rules (lc_rtp.h), announcing it (SAP, not built).  docs/network.md
 * "What the SDP says" explains each line.  Pure string work on caller memory, any
 * thread, no allocation.
 *
 * Written (CRLF line ends, as RFC 4566 asks):
 *
 *   v=0
 *   o=- <session_id> <session_version> IN IP4 <origin>
 *   s=<name>
 *   c=IN IP4 <address>[/<ttl> when multicast]     (IP6 for an IPv6 address, no TTL)
 *   t=0 0
 *   a=recvonly
 *   m=audio <port> RTP/AVP <pt>
 *   a=rtpmap:<pt> L24/<rate>/<channels>
 *   a=ptime:<ms>                                  (the exact packet time, 3 decimals max)
 *   a=ts-refclk:local
 *   a=mediaclk:direct=<rtp_offset>
 *
 * a=ts-refclk:local (RFC 7273 section 4.8): our timestamps follow the sender's own
 * clock (the cable's timeline), not PTP, so we claim no traceable reference; a receiver
 * that needs PTP alignment (AES67 proper) must treat the stream as asynchronous, which
 * ours does with its drift loop.  a=mediaclk:direct=<offset> (RFC 7273 5.2): the RTP
 * timestamp is that reference clock's frame count plus <offset>.
 *
 * Parsed: v=0 first; c= at session or media level (media wins); the first m=audio
 * line with RTP/AVP and a payload type we can play (an a=rtpmap of L16 or L24, or the
 * static types 10 and 11: L16/44100/2 and /1); its a=ptime (default 1 ms).  Unknown
 * lines and attributes are skipped, as RFC 4566 5.13 asks.
 */
#ifndef LC_SDP_H
#define LC_SDP_H

#include <stddef.h>
#include <stdint.h>

#include "lc_rtp.h"

#define LC_SDP_ADDRESS_CHARS 64 /* an IPv6 address with a zone fits */
#define LC_SDP_NAME_CHARS 64

enum lc_sdp_fault {
	LC_SDP_FAULT_NONE = 0,
	LC_SDP_FAULT_VERSION,    /* no v=0 first */
	LC_SDP_FAULT_SYNTAX,     /* a line not "<letter>=<value>", or a field malformed */
	LC_SDP_FAULT_NO_AUDIO,   /* no m=audio ... RTP/AVP line */
	LC_SDP_FAULT_NO_ADDRESS, /* no c= for the stream */
	LC_SDP_FAULT_ADDRESS,    /* c= not IN IP4/IP6 with a valid address */
	LC_SDP_FAULT_PORT,       /* port 0 or > 65535 */
	LC_SDP_FAULT_ENCODING,   /* no payload type of the m= line is L16/L24 */
	LC_SDP_FAULT_FORMAT,     /* rate, channels or ptime out of our range */
	LC_SDP_FAULT_TOO_LONG    /* a field longer than our buffers */
};

struct lc_sdp_stream {
	struct lc_rtp_format fmt;
	char address[LC_SDP_ADDRESS_CHARS]; /* destination (unicast or multicast) */
	uint32_t ipv6;                      /* 1: c=IN IP6 */
	uint32_t port;                      /* 1 .. 65535 */
	uint32_t ttl;                       /* multicast IPv4: 1 .. 255; else 0 */
	/* Written only (parse fills what it finds, or leaves zeros / empty strings): */
	char origin[LC_SDP_ADDRESS_CHARS];  /* o= address: the sender's own */
	char name[LC_SDP_NAME_CHARS];       /* s= */
	uint64_t session_id, session_version;
	uint32_t rtp_offset;                /* a=mediaclk:direct= */
};

/* Where parsing stopped and why. */
struct lc_sdp_error {
	uint32_t fault; /* enum lc_sdp_fault */
	uint32_t line;  /* 1-based; 0 when the fault is about the whole text */
};

const char *
lc_sdp_fault_str(uint32_t fault);

/* 1 when the address (dotted IPv4, or IPv6 text) is a multicast one. */
int
lc_sdp_is_multicast(const char *address);

/*
 * Writes the description of a stream we send.
 * @return its length (out is NUL-terminated), LC_E_TOO_SMALL, LC_E_INVALID (a field out
 *         of range: multicast IPv4 needs ttl 1 .. 255, port 1 .. 65535, address and
 *         origin IPv4 or IPv6 text (an empty origin is written as 127.0.0.1), name free
 *         of control characters) or lc_rtp_format_check()'s error.
 */
int
lc_sdp_write(const struct lc_sdp_stream *s, char *out, size_t cap);

/*
 * Parses len bytes of SDP text (need not be NUL-terminated; never read past len).
 * @return 0; LC_E_CORRUPT (malformed: err says where) or LC_E_FORMAT (well formed but
 *         nothing we can receive: err->fault ENCODING or FORMAT); LC_E_INVALID (NULL).
 */
int
lc_sdp_parse(const char *text, size_t len, struct lc_sdp_stream *s, struct lc_sdp_error *err);

#endif /* LC_SDP_H */
