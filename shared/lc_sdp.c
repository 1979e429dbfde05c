/* SPDX-License-Identifier: MIT */
/*
 * lc_sdp.c — writing and parsing a stream's SDP (the lines and the rules are in
 * lc_sdp.h).  Parsing works on (pointer, length) spans and never reads past the text's
 * end; numbers are parsed by hand, so the C library's locale cannot change a decimal
 * point.  The writer and the parser share the address rules and stay one file
 * (past docs/style.md's 400 lines) so that what we write and what we accept cannot
 * drift apart.
 */
#include "lc_sdp.h"

#include <stdio.h>
#include <string.h>

#include "lc_result.h"

#define MAX_PTS 32

const char *
lc_sdp_fault_str(uint32_t fault)
{
	switch ((enum lc_sdp_fault)fault) {
	case LC_SDP_FAULT_NONE: return "none";
	case LC_SDP_FAULT_VERSION: return "does not start with v=0";
	case LC_SDP_FAULT_SYNTAX: return "malformed line";
	case LC_SDP_FAULT_NO_AUDIO: return "no m=audio RTP/AVP line";
	case LC_SDP_FAULT_NO_ADDRESS: return "no c= line for the stream";
	case LC_SDP_FAULT_ADDRESS: return "bad connection address";
	case LC_SDP_FAULT_PORT: return "bad port";
	case LC_SDP_FAULT_ENCODING: return "no L16 or L24 payload type";
	case LC_SDP_FAULT_FORMAT: return "rate, channels or packet time out of range";
	case LC_SDP_FAULT_TOO_LONG: return "field too long";
	}
	return "unknown fault";
}

struct span {
	const char *p;
	size_t n;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Next token separated by `sep` (or blanks when sep is ' '); 0 when none is left. */
static int
token(struct span *s, char sep, struct span *tok)
{
	while (s->n > 0 && (sep == ' ' ? is_space(*s->p) : 0)) {
		s->p++;
		s->n--;
	}
	if (s->n == 0)
		return 0;
	tok->p = s->p;
	while (s->n > 0 && (sep == ' ' ? !is_space(*s->p) : *s->p != sep)) {
		s->p++;
		s->n--;
	}
	tok->n = (size_t)(s->p - tok->p);
	if (sep != ' ' && s->n > 0) {
		s->p++; /* the separator */
		s->n--;
	}
	return 1;
}

static int
span_is(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static int
span_is_nocase(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	if (s.n != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char a = s.p[i], b = lit[i];

		if (a >= 'a' && a <= 'z')
			a = (char)(a - 'a' + 'A');
		if (a != b)
			return 0;
	}
	return 1;
}

/* Whole span a decimal number <= max. */
static int
number(struct span s, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (s.n == 0 || s.n > 19)
		return 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return 0;
		x = x * 10 + (uint64_t)(s.p[i] - '0');
	}
	if (x > max)
		return 0;
	*v = x;
	return 1;
}

/* "1", "0.125", "1.09": milliseconds to microseconds, rounded; at most 6 decimals. */
static int
millis_to_us(struct span s, uint64_t *us)
{
	struct span whole = s, frac = { s.p + s.n, 0 };
	uint64_t w, f = 0, pow10 = 1;

	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] == '.') {
			whole.n = i;
			frac.p = s.p + i + 1;
			frac.n = s.n - i - 1;
			break;
		}
	}
	if (!number(whole, 1000000, &w) || frac.n > 6 || (frac.n > 0 && !number(frac, 999999, &f)))
		return 0;
	for (size_t i = 0; i < frac.n; i++)
		pow10 *= 10;
	*us = w * 1000 + (f * 1000 + pow10 / 2) / pow10;
	return 1;
}

static int
copy_span(char *dst, size_t cap, struct span s)
{
	if (s.n >= cap)
		return 0;
	memcpy(dst, s.p, s.n);
	dst[s.n] = '\0';
	return 1;
}

static int
ipv4_ok(const char *a, uint32_t *first_octet)
{
	uint32_t parts = 0, v = 0, digits = 0;

	for (const char *p = a;; p++) {
		if (*p >= '0' && *p <= '9') {
			v = v * 10 + (uint32_t)(*p - '0');
			if (++digits > 3 || v > 255)
				return 0;
		} else if (*p == '.' || *p == '\0') {
			if (digits == 0)
				return 0;
			if (parts == 0)
				*first_octet = v;
			parts++;
			v = digits = 0;
			if (*p == '\0')
				break;
		} else {
			return 0;
		}
	}
	return parts == 4;
}

static int
ipv6_ok(const char *a)
{
	uint32_t colons = 0;

	if (*a == '\0')
		return 0;
	for (const char *p = a; *p; p++) {
		int hex = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
			  (*p >= 'A' && *p <= 'F');

		if (*p == ':')
			colons++;
		else if (!hex && *p != '.')
			return 0;
	}
	return colons >= 2;
}

int
lc_sdp_is_multicast(const char *address)
{
	uint32_t first = 0;

	if (ipv4_ok(address, &first))
		return first >= 224 && first <= 239;
	return (address[0] == 'f' || address[0] == 'F') &&
	       (address[1] == 'f' || address[1] == 'F') && ipv6_ok(address);
}

static int
text_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* "1", "0.125", "1.089": the packet time in ms with at most 3 decimals. */
static void
format_ptime(char *buf, size_t cap, const struct lc_rtp_format *f)
{
	uint32_t frames = lc_rtp_ptime_frames(f->rate_hz, f->ptime_us);
	uint64_t us = ((uint64_t)frames * 1000000u + f->rate_hz / 2) / f->rate_hz;
	uint32_t whole = (uint32_t)(us / 1000), frac = (uint32_t)(us % 1000);

	if (frac == 0) {
		snprintf(buf, cap, "%u", whole);
		return;
	}
	snprintf(buf, cap, "%u.%03u", whole, frac);
	for (size_t n = strlen(buf); buf[n - 1] == '0'; n--)
		buf[n - 1] = '\0';
}

/* Decimal text of a 64-bit value, by hand: mingw's printf and "%llu" disagree across
 * runtimes (msvcrt), and -Wformat would say so. */
static void
u64_text(char buf[24], uint64_t v)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

int
lc_sdp_write(const struct lc_sdp_stream *s, char *out, size_t cap)
{
	char ttl[16] = "", ptime[24], sid[24], sver[24];
	const char *ip;
	uint32_t first = 0;
	int err, n;

	if (s == NULL || out == NULL)
		return LC_E_INVALID;
	err = lc_rtp_format_check(&s->fmt);
	if (err != 0)
		return err;
	if (s->port == 0 || s->port > 65535 || !text_ok(s->name) || !text_ok(s->origin) ||
	    memchr(s->address, '\0', sizeof s->address) == NULL ||
	    memchr(s->origin, '\0', sizeof s->origin) == NULL ||
	    memchr(s->name, '\0', sizeof s->name) == NULL)
		return LC_E_INVALID;
	if (s->origin[0] != '\0' && !ipv4_ok(s->origin, &first) && !ipv6_ok(s->origin))
		return LC_E_INVALID;
	if (ipv4_ok(s->address, &first)) {
		ip = "IP4";
		if (first >= 224 && first <= 239) {
			if (s->ttl < 1 || s->ttl > 255)
				return LC_E_INVALID;
			snprintf(ttl, sizeof ttl, "/%u", s->ttl);
		}
	} else if (ipv6_ok(s->address)) {
		ip = "IP6";
	} else {
		return LC_E_INVALID;
	}
	format_ptime(ptime, sizeof ptime, &s->fmt);
	u64_text(sid, s->session_id);
	u64_text(sver, s->session_version);
	n = snprintf(out, cap,
		     "v=0\r\n"
		     "o=- %s %s IN %s %s\r\n"
		     "s=%s\r\n"
		     "c=IN %s %s%s\r\n"
		     "t=0 0\r\n"
		     "a=recvonly\r\n"
		     "m=audio %u RTP/AVP %u\r\n"
		     "a=rtpmap:%u L%u/%u/%u\r\n"
		     "a=ptime:%s\r\n"
		     "a=ts-refclk:local\r\n"
		     "a=mediaclk:direct=%u\r\n",
		     sid, sver,
		     ipv6_ok(s->origin) ? "IP6" : "IP4", s->origin[0] ? s->origin : "127.0.0.1",
		     s->name[0] ? s->name : "LoopCable", ip, s->address, ttl, s->port,
		     s->fmt.payload_type, s->fmt.payload_type, s->fmt.encoding, s->fmt.rate_hz,
		     s->fmt.channels, ptime, s->rtp_offset);
	if (n < 0 || (size_t)n >= cap)
		return LC_E_TOO_SMALL;
	return n;
}

/* --- parsing */

struct parse {
	struct lc_sdp_stream *s;
	struct lc_sdp_error *err;
	uint32_t line;
	int in_media;      /* inside some m= section */
	int in_ours;       /* inside the m= section we receive */
	int seen_first, have_media, have_session_c, have_media_c, have_ptime;
	uint32_t pts[MAX_PTS], n_pts;
	uint32_t best;     /* index into pts of the playable type found first, or MAX_PTS */
	struct lc_rtp_format best_fmt;
	char session_c[LC_SDP_ADDRESS_CHARS];
	uint32_t session_ipv6, session_ttl;
};

static int
fail(struct parse *ps, enum lc_sdp_fault f, int result)
{
	ps->err->fault = f;
	ps->err->line = ps->line;
	return result;
}

/* c=IN IP4 addr[/ttl[/n]] or c=IN IP6 addr[/n] */
static int
parse_c(struct parse *ps, struct span v, char *addr, uint32_t *ipv6, uint32_t *ttl)
{
	struct span nettype, addrtype, a, host, rest;
	uint64_t t = 0;
	uint32_t first = 0;

	if (!token(&v, ' ', &nettype) || !token(&v, ' ', &addrtype) || !token(&v, ' ', &a) ||
	    !span_is(nettype, "IN"))
		return fail(ps, LC_SDP_FAULT_ADDRESS, LC_E_CORRUPT);
	rest = a;
	token(&rest, '/', &host);
	if (!copy_span(addr, LC_SDP_ADDRESS_CHARS, host))
		return fail(ps, LC_SDP_FAULT_TOO_LONG, LC_E_CORRUPT);
	*ttl = 0;
	if (span_is(addrtype, "IP4")) {
		struct span ttl_s;

		*ipv6 = 0;
		if (!ipv4_ok(addr, &first))
			return fail(ps, LC_SDP_FAULT_ADDRESS, LC_E_CORRUPT);
		if (token(&rest, '/', &ttl_s)) {
			if (!number(ttl_s, 255, &t))
				return fail(ps, LC_SDP_FAULT_ADDRESS, LC_E_CORRUPT);
			*ttl = (uint32_t)t;
		}
	} else if (span_is(addrtype, "IP6")) {
		*ipv6 = 1;
		if (!ipv6_ok(addr))
			return fail(ps, LC_SDP_FAULT_ADDRESS, LC_E_CORRUPT);
	} else {
		return fail(ps, LC_SDP_FAULT_ADDRESS, LC_E_CORRUPT);
	}
	return 0;
}

/* m=audio <port>[/<n>] RTP/AVP <pt> ... ; other media and protocols are skipped. */
static int
parse_m(struct parse *ps, struct span v)
{
	struct span media, port, proto, pt, port_rest, port_n;
	uint64_t x;

	ps->in_media = 1;
	ps->in_ours = 0;
	if (!token(&v, ' ', &media) || !token(&v, ' ', &port) || !token(&v, ' ', &proto))
		return fail(ps, LC_SDP_FAULT_SYNTAX, LC_E_CORRUPT);
	if (ps->have_media || !span_is(media, "audio") || !span_is(proto, "RTP/AVP"))
		return 0;
	port_rest = port;
	token(&port_rest, '/', &port_n);
	if (!number(port_n, 65535, &x) || x == 0)
		return fail(ps, LC_SDP_FAULT_PORT, LC_E_CORRUPT);
	ps->s->port = (uint32_t)x;
	ps->n_pts = 0;
	while (token(&v, ' ', &pt)) {
		if (!number(pt, 127, &x))
			return fail(ps, LC_SDP_FAULT_SYNTAX, LC_E_CORRUPT);
		if (ps->n_pts < MAX_PTS)
			ps->pts[ps->n_pts++] = (uint32_t)x;
	}
	if (ps->n_pts == 0)
		return fail(ps, LC_SDP_FAULT_SYNTAX, LC_E_CORRUPT);
	ps->have_media = 1;
	ps->in_ours = 1;
	ps->best = MAX_PTS;
	/* Static types (RFC 3551 table 4), unless an rtpmap below says otherwise. */
	for (uint32_t i = 0; i < ps->n_pts; i++) {
		if (ps->pts[i] == 10 || ps->pts[i] == 11) {
			ps->best = i;
			ps->best_fmt.encoding = LC_RTP_L16;
			ps->best_fmt.rate_hz = 44100;
			ps->best_fmt.channels = ps->pts[i] == 10 ? 2 : 1;
			ps->best_fmt.payload_type = ps->pts[i];
			break;
		}
	}
	return 0;
}

/* a=rtpmap:<pt> <encoding>/<rate>[/<channels>] for one of our m= line's types. */
static int
parse_rtpmap(struct parse *ps, struct span v)
{
	struct span pt, enc, name, rate, chans;
	uint64_t p, r, c = 1;
	uint32_t i;

	if (!token(&v, ' ', &pt) || !number(pt, 127, &p) || !token(&v, ' ', &enc))
		return fail(ps, LC_SDP_FAULT_SYNTAX, LC_E_CORRUPT);
	for (i = 0; i < ps->n_pts && ps->pts[i] != p; i++)
		;
	if (i == ps->n_pts || i > ps->best)
		return 0;
	if (!token(&enc, '/', &name) || !token(&enc, '/', &rate) || !number(rate, 1000000, &r))
		return fail(ps, LC_SDP_FAULT_SYNTAX, LC_E_CORRUPT);
	if (token(&enc, '/', &chans) && !number(chans, 255, &c))
		return fail(ps, LC_SDP_FAULT_SYNTAX, LC_E_CORRUPT);
	if (i == ps->best)
		ps->best = MAX_PTS; /* a static type redefined: judged by its rtpmap */
	if (!span_is_nocase(name, "L16") && !span_is_nocase(name, "L24"))
		return 0;
	ps->best = i;
	ps->best_fmt.encoding = span_is_nocase(name, "L16") ? LC_RTP_L16 : LC_RTP_L24;
	ps->best_fmt.rate_hz = (uint32_t)r;
	ps->best_fmt.channels = (uint32_t)c;
	ps->best_fmt.payload_type = (uint32_t)p;
	return 0;
}

static int
parse_line(struct parse *ps, struct span l)
{
	struct span v = { l.p + 2, l.n - 2 };
	uint64_t us;
	int r;

	switch (l.p[0]) {
	case 'c':
		if (!ps->in_media) {
			r = parse_c(ps, v, ps->session_c, &ps->session_ipv6, &ps->session_ttl);
			ps->have_session_c = r == 0;
			return r;
		}
		if (!ps->in_ours)
			return 0;
		r = parse_c(ps, v, ps->s->address, &ps->s->ipv6, &ps->s->ttl);
		ps->have_media_c = r == 0;
		return r;
	case 'm':
		return parse_m(ps, v);
	case 's':
		if (!ps->in_media && !copy_span(ps->s->name, LC_SDP_NAME_CHARS, v))
			return fail(ps, LC_SDP_FAULT_TOO_LONG, LC_E_CORRUPT);
		return 0;
	case 'a':
		if (!ps->in_ours)
			return 0;
		if (v.n > 7 && memcmp(v.p, "rtpmap:", 7) == 0) {
			v.p += 7;
			v.n -= 7;
			return parse_rtpmap(ps, v);
		}
		if (v.n > 6 && memcmp(v.p, "ptime:", 6) == 0) {
			v.p += 6;
			v.n -= 6;
			if (!millis_to_us(v, &us))
				return fail(ps, LC_SDP_FAULT_SYNTAX, LC_E_CORRUPT);
			ps->s->fmt.ptime_us = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
			ps->have_ptime = 1;
		}
		return 0;
	default:
		return 0;
	}
}

int
lc_sdp_parse(const char *text, size_t len, struct lc_sdp_stream *s, struct lc_sdp_error *err)
{
	struct parse ps;
	struct lc_sdp_error dummy;
	size_t pos = 0;
	int r;

	if (err == NULL)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	if (text == NULL || s == NULL)
		return LC_E_INVALID;
	memset(s, 0, sizeof(*s));
	memset(&ps, 0, sizeof ps);
	ps.s = s;
	ps.err = err;
	ps.best = MAX_PTS;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		struct span l = { text + pos, nl ? (size_t)(nl - (text + pos)) : len - pos };

		pos += l.n + (nl ? 1 : 0);
		if (l.n > 0 && l.p[l.n - 1] == '\r')
			l.n--;
		ps.line++;
		if (l.n == 0)
			continue; /* tolerated: a blank line at the end of a hand-written file */
		if (!ps.seen_first && !span_is(l, "v=0"))
			return fail(&ps, LC_SDP_FAULT_VERSION, LC_E_CORRUPT);
		ps.seen_first = 1;
		if (l.n < 2 || l.p[1] != '=' || l.p[0] < 'a' || l.p[0] > 'z' ||
		    memchr(l.p, '\0', l.n) != NULL)
			return fail(&ps, LC_SDP_FAULT_SYNTAX, LC_E_CORRUPT);
		r = parse_line(&ps, l);
		if (r != 0)
			return r;
	}
	ps.line = 0;
	if (!ps.seen_first)
		return fail(&ps, LC_SDP_FAULT_VERSION, LC_E_CORRUPT);
	if (!ps.have_media)
		return fail(&ps, LC_SDP_FAULT_NO_AUDIO, LC_E_CORRUPT);
	if (!ps.have_media_c) {
		if (!ps.have_session_c)
			return fail(&ps, LC_SDP_FAULT_NO_ADDRESS, LC_E_CORRUPT);
		memcpy(s->address, ps.session_c, sizeof s->address);
		s->ipv6 = ps.session_ipv6;
		s->ttl = ps.session_ttl;
	}
	if (ps.best == MAX_PTS)
		return fail(&ps, LC_SDP_FAULT_ENCODING, LC_E_FORMAT);
	ps.best_fmt.ptime_us = ps.have_ptime ? s->fmt.ptime_us : LC_RTP_PTIME_DEFAULT_US;
	s->fmt = ps.best_fmt;
	if (lc_rtp_format_check(&s->fmt) != 0)
		return fail(&ps, LC_SDP_FAULT_FORMAT, LC_E_FORMAT);
	return 0;
}
