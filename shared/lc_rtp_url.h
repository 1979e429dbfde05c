/* SPDX-License-Identifier: MIT */
/*
 * lc_rtp_url.h — a network route's endpoint as users write it:
 *
 *   rtp://HOST:PORT[?key=value&key=value…]
 *
 *   HOST     an IPv4 address (192.168.1.20), a bracketed IPv6 address ([fd00::20]) or a
 *            host name (resolved by the router when the route starts).  Send routes: the
 *            destination (unicast, or a multicast group).  Receive routes: the local
 *            address to bind — only that one; 0.0.0.0 or [::] is how a user asks for all
 *            interfaces — or the multicast group to join.
 *   PORT     1 .. 65535 (RTP uses an even port by convention; not enforced).
 *   format   L24 (default) or L16
 *   rate     44100, 48000 (default) or 96000
 *   channels 1 .. 8 (default 2)
 *   ptime    packet time in milliseconds: 0.125 .. 4 (default 1); decimals allowed
 *   pt       RTP payload type 96 .. 127 (default 96)
 *   ttl      multicast hop limit 1 .. 255 (default 16; unicast uses the system's)
 *   dscp     DiffServ code point 0 .. 63 set on sent packets (default 0: not marked;
 *            AES67 suggests 34)
 *   iface    multicast: the local interface address to send from / join on
 *   conceal  receive: silence or fade (default fade; lc_jitter.h)
 *
 * A route stores its endpoint as host_api LC_RTP_URL_HOST_API and the canonical text
 * (lc_rtp_url_format) as its device: the registry, the router's status section, the
 * panel and the CLI carry it like a device name (lc_route.h).
 * Owns: the grammar, the defaults, range checks and the canonical form.  Does not own:
 * name resolution and sockets (the router), SDP (lc_sdp.h).
 */
#ifndef LC_RTP_URL_H
#define LC_RTP_URL_H

#include <stddef.h>
#include <stdint.h>

#include "lc_rtp.h"

#define LC_RTP_URL_HOST_API "RTP"
#define LC_RTP_URL_SCHEME "rtp://"
#define LC_RTP_URL_HOST_CHARS 64 /* a host name or address, with the NUL */
#define LC_RTP_URL_TTL_DEFAULT 16u

struct lc_rtp_endpoint {
	char host[LC_RTP_URL_HOST_CHARS];  /* without brackets */
	uint32_t ipv6_literal;             /* 1: the host was written [..] */
	uint32_t port;
	struct lc_rtp_format fmt;
	uint32_t ttl;
	uint32_t dscp;
	char iface[LC_RTP_URL_HOST_CHARS]; /* "" = the system's choice */
	uint32_t conceal;                  /* enum lc_jitter_conceal */
};

/* The defaults: no host, port 0, L24 48 kHz stereo, ptime 1 ms, pt 96, ttl 16, dscp 0,
 * fade concealment. */
void
lc_rtp_endpoint_default(struct lc_rtp_endpoint *ep);

/* 1 when `text` starts with "rtp://" (case-insensitive), else 0. */
int
lc_rtp_url_is(const char *text);

/*
 * Parses an endpoint.  Unknown keys, repeated keys, values out of range, control
 * characters and anything after the port other than "?query" are refused.
 * @return 0, or LC_E_INVALID with a reason for users in *why (static text).
 */
int
lc_rtp_url_parse(const char *text, struct lc_rtp_endpoint *ep, const char **why);

/*
 * The canonical text: the scheme, host (IPv6 bracketed), port, and only the keys whose
 * value differs from the default, in the order of the list above.  Parsing it gives
 * the same endpoint.  @return the length, or -1 when it does not fit in `cap` bytes
 * (out is then "").
 */
int
lc_rtp_url_format(const struct lc_rtp_endpoint *ep, char *out, size_t cap);

#endif /* LC_RTP_URL_H */
