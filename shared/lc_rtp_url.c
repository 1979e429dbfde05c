/* SPDX-License-Identifier: MIT */
/*
 * lc_rtp_url.c — the rtp:// endpoint text: parsing with the range checks, and the
 * canonical form (lc_rtp_url.h has the grammar).
 *
 * Strict on purpose: the text is stored as a route's device and compared as text by the
 * registry and the panel, so one endpoint must have one spelling.  Numbers are plain
 * decimal digits (no sign, no spaces, no leading '+', no overflow), so "5004x" or
 * "ptime=-1" is an error the user sees when adding the route, not a surprise when the
 * router starts it.
 *
 * Over the usual 400 lines (docs/style.md, "Size and shape"): the parser and the
 * canonical writer share the key table and must agree on every key; apart, a key added
 * to one would be easy to miss in the other.
 */
#include "lc_rtp_url.h"

#include <string.h>

#include "lc_jitter.h"
#include "lc_result.h"

#define SCHEME_CHARS (sizeof(LC_RTP_URL_SCHEME) - 1)

/* The keys in canonical order (lc_rtp_url.h's list). */
enum key {
	KEY_FORMAT,
	KEY_RATE,
	KEY_CHANNELS,
	KEY_PTIME,
	KEY_PT,
	KEY_TTL,
	KEY_DSCP,
	KEY_IFACE,
	KEY_CONCEAL,
	N_KEYS
};

static const char *const key_names[N_KEYS] = {
	"format", "rate", "channels", "ptime", "pt", "ttl", "dscp", "iface", "conceal",
};

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_hex(int c)
{
	return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f');
}

static int
is_alnum(int c)
{
	return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'z');
}

/* s[0 .. n) equals the NUL-terminated word, ignoring ASCII case. */
static int
same_word(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (word[i] == '\0' || lower((unsigned char)s[i]) != lower((unsigned char)word[i]))
			return 0;
	return word[n] == '\0';
}

/* Plain decimal digits only, 1 .. 9 of them (so no overflow of uint32_t), value <= max. */
static int
parse_uint(const char *s, size_t n, uint32_t max, uint32_t *out)
{
	uint32_t v = 0;

	if (n == 0 || n > 9)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return -1;
		v = v * 10u + (uint32_t)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* Milliseconds with up to three decimals ("0.125", "4", "1.5") -> microseconds. */
static int
parse_ptime(const char *s, size_t n, uint32_t *us)
{
	const char *dot = memchr(s, '.', n);
	size_t whole_n = dot ? (size_t)(dot - s) : n;
	size_t frac_n = dot ? n - whole_n - 1 : 0;
	uint32_t whole, frac = 0;

	if (parse_uint(s, whole_n, 1000000u, &whole) != 0)
		return -1;
	if (dot) {
		/* "1." names no decimals; a fourth one is finer than a microsecond */
		if (frac_n == 0 || frac_n > 3 || parse_uint(dot + 1, frac_n, 999u, &frac) != 0)
			return -1;
		for (size_t i = frac_n; i < 3; i++)
			frac *= 10u;
	}
	*us = whole * 1000u + frac;
	return 0;
}

/* A dotted quad: four decimal parts 0 .. 255, no leading zeros (which some resolvers
 * read as octal: "010" would not be the address the user meant). */
static int
is_ipv4(const char *s, size_t n)
{
	size_t at = 0;

	for (int part = 0; part < 4; part++) {
		size_t start = at;
		uint32_t v;

		while (at < n && is_digit((unsigned char)s[at]))
			at++;
		if (at - start > 1 && s[start] == '0')
			return 0;
		if (at - start > 3 || parse_uint(s + start, at - start, 255u, &v) != 0)
			return 0;
		if (part < 3) {
			if (at >= n || s[at] != '.')
				return 0;
			at++;
		}
	}
	return at == n;
}

/* An IPv6 address as written between brackets: hex digits, ':' and '.' (an embedded
 * IPv4 tail), at least two colons, then an optional %zone of letters and digits.  The
 * router's resolver does the full check; this one keeps out what cannot be one. */
static int
is_ipv6(const char *s, size_t n)
{
	size_t at = 0, colons = 0;

	while (at < n && (is_hex((unsigned char)s[at]) || s[at] == ':' || s[at] == '.')) {
		colons += s[at] == ':';
		at++;
	}
	if (colons < 2)
		return 0;
	if (at < n) {
		if (s[at] != '%' || at + 1 == n)
			return 0;
		for (at++; at < n; at++)
			if (!is_alnum((unsigned char)s[at]))
				return 0;
	}
	return 1;
}

/* Labels of letters, digits and '-' (not at a label's ends), 1 .. 63 characters each,
 * separated by single dots; all-numeric text must be a dotted quad instead. */
static int
is_host_name(const char *s, size_t n)
{
	size_t label = 0;
	int numeric = 1;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
		} else if (is_alnum(c) || c == '-') {
			if (c == '-' && label == 0)
				return 0;
			if (!is_digit(c))
				numeric = 0;
			if (++label > 63)
				return 0;
		} else {
			return 0;
		}
	}
	if (label == 0 || s[n - 1] == '-')
		return 0; /* a trailing dot or dash */
	return numeric ? is_ipv4(s, n) : 1;
}

/* Copies n bytes into a host field, lower-casing all but an IPv6 zone (interface
 * names may be case-sensitive); host names and hex digits are not. */
static int
copy_host(char dst[LC_RTP_URL_HOST_CHARS], const char *s, size_t n)
{
	int zone = 0;

	if (n >= LC_RTP_URL_HOST_CHARS)
		return -1;
	for (size_t i = 0; i < n; i++) {
		zone |= s[i] == '%';
		dst[i] = zone ? s[i] : (char)lower((unsigned char)s[i]);
	}
	dst[n] = '\0';
	return 0;
}

static int
parse_value(enum key k, const char *v, size_t n, struct lc_rtp_endpoint *ep, const char **why)
{
	uint32_t x;

	switch (k) {
	case KEY_FORMAT:
		if (same_word(v, n, "L24"))
			ep->fmt.encoding = LC_RTP_L24;
		else if (same_word(v, n, "L16"))
			ep->fmt.encoding = LC_RTP_L16;
		else
			return *why = "format must be L24 or L16", -1;
		return 0;
	case KEY_RATE:
		if (parse_uint(v, n, UINT32_MAX, &x) != 0 ||
		    (x != 44100u && x != 48000u && x != 96000u))
			return *why = "rate must be 44100, 48000 or 96000", -1;
		ep->fmt.rate_hz = x;
		return 0;
	case KEY_CHANNELS:
		if (parse_uint(v, n, LC_RTP_MAX_CHANNELS, &x) != 0 || x < 1)
			return *why = "channels must be 1 to 8", -1;
		ep->fmt.channels = x;
		return 0;
	case KEY_PTIME:
		if (parse_ptime(v, n, &x) != 0 || x < LC_RTP_PTIME_MIN_US ||
		    x > LC_RTP_PTIME_MAX_US)
			return *why = "ptime must be 0.125 to 4 ms (at most three decimals)", -1;
		ep->fmt.ptime_us = x;
		return 0;
	case KEY_PT:
		if (parse_uint(v, n, 127u, &x) != 0 || x < LC_RTP_PT_DYNAMIC_MIN)
			return *why = "pt must be 96 to 127", -1;
		ep->fmt.payload_type = x;
		return 0;
	case KEY_TTL:
		if (parse_uint(v, n, 255u, &x) != 0 || x < 1)
			return *why = "ttl must be 1 to 255", -1;
		ep->ttl = x;
		return 0;
	case KEY_DSCP:
		if (parse_uint(v, n, 63u, &x) != 0)
			return *why = "dscp must be 0 to 63", -1;
		ep->dscp = x;
		return 0;
	case KEY_IFACE:
		if (!is_ipv4(v, n) && !is_ipv6(v, n))
			return *why = "iface must be a local IPv4 or IPv6 address, no brackets",
			       -1;
		if (copy_host(ep->iface, v, n) != 0)
			return *why = "iface too long", -1;
		return 0;
	case KEY_CONCEAL:
		if (same_word(v, n, "fade"))
			ep->conceal = LC_JITTER_CONCEAL_REPEAT_FADE;
		else if (same_word(v, n, "silence"))
			ep->conceal = LC_JITTER_CONCEAL_SILENCE;
		else
			return *why = "conceal must be fade or silence", -1;
		return 0;
	case N_KEYS:
		break;
	}
	return *why = "unknown key", -1;
}

/* "key=value&key=value…" (the text after '?'), to the end of the string. */
static int
parse_query(const char *q, struct lc_rtp_endpoint *ep, const char **why)
{
	uint32_t seen = 0;

	if (*q == '\0')
		return *why = "empty query after '?'", -1;
	while (*q) {
		size_t pair_n = strcspn(q, "&");
		const char *eq = memchr(q, '=', pair_n);
		size_t key_n, val_n;
		int k;

		if (eq == NULL)
			return *why = "a query part is not key=value", -1;
		key_n = (size_t)(eq - q);
		val_n = pair_n - key_n - 1;
		for (k = 0; k < N_KEYS; k++)
			if (same_word(q, key_n, key_names[k]))
				break;
		if (k == N_KEYS)
			return *why = "unknown key (format, rate, channels, ptime, pt, ttl, dscp, "
				      "iface, conceal)", -1;
		if (seen & (1u << k))
			return *why = "a key is given twice", -1;
		seen |= 1u << k;
		if (val_n == 0)
			return *why = "a key has no value", -1;
		if (parse_value((enum key)k, eq + 1, val_n, ep, why) != 0)
			return -1;
		q += pair_n;
		if (*q == '&') {
			q++;
			if (*q == '\0')
				return *why = "the query ends with '&'", -1;
		}
	}
	return 0;
}

static int
parse_host_port(const char *s, struct lc_rtp_endpoint *ep, const char **query,
		const char **why)
{
	const char *host = s, *end;
	size_t host_n, port_n;

	if (*s == '[') {
		host = s + 1;
		end = strchr(host, ']');
		if (end == NULL)
			return *why = "'[' without ']' around the IPv6 address", -1;
		host_n = (size_t)(end - host);
		if (!is_ipv6(host, host_n))
			return *why = "not an IPv6 address between the brackets", -1;
		ep->ipv6_literal = 1;
		end++;
	} else {
		end = s + strcspn(s, ":?");
		host_n = (size_t)(end - host);
		if (host_n == 0)
			return *why = "no host", -1;
		if (!is_host_name(host, host_n))
			return *why = "the host must be an IPv4 address, a bracketed IPv6 address "
				      "or a host name", -1;
	}
	if (copy_host(ep->host, host, host_n) != 0)
		return *why = "host too long", -1;
	if (*end != ':')
		return *why = "no port (rtp://HOST:PORT)", -1;
	end++;
	port_n = strcspn(end, "?");
	if (parse_uint(end, port_n, 65535u, &ep->port) != 0 || ep->port == 0)
		return *why = "the port must be 1 to 65535", -1;
	*query = end[port_n] == '?' ? end + port_n + 1 : NULL;
	return 0;
}

void
lc_rtp_endpoint_default(struct lc_rtp_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->fmt.encoding = LC_RTP_L24;
	ep->fmt.rate_hz = 48000u;
	ep->fmt.channels = 2u;
	ep->fmt.payload_type = LC_RTP_PT_DEFAULT;
	ep->fmt.ptime_us = LC_RTP_PTIME_DEFAULT_US;
	ep->ttl = LC_RTP_URL_TTL_DEFAULT;
	ep->dscp = 0;
	ep->conceal = LC_JITTER_CONCEAL_REPEAT_FADE;
}

int
lc_rtp_url_is(const char *text)
{
	return text != NULL && strlen(text) >= SCHEME_CHARS &&
	       same_word(text, SCHEME_CHARS, LC_RTP_URL_SCHEME);
}

int
lc_rtp_url_parse(const char *text, struct lc_rtp_endpoint *ep, const char **why)
{
	const char *reason = NULL, *query = NULL;
	struct lc_rtp_endpoint e;

	if (why == NULL)
		why = &reason;
	*why = NULL;
	if (text == NULL || ep == NULL)
		return *why = "no endpoint", LC_E_INVALID;
	for (const char *c = text; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == ' ')
			return *why = "spaces or control characters in the endpoint", LC_E_INVALID;
	if (!lc_rtp_url_is(text))
		return *why = "an endpoint starts with rtp://", LC_E_INVALID;
	lc_rtp_endpoint_default(&e);
	if (parse_host_port(text + SCHEME_CHARS, &e, &query, why) != 0)
		return LC_E_INVALID;
	if (query && parse_query(query, &e, why) != 0)
		return LC_E_INVALID;
	/* Each key was checked alone; the format's own rules have the last word. */
	if (lc_rtp_format_check(&e.fmt) != 0)
		return *why = "the stream format is not one we can send or receive", LC_E_INVALID;
	*ep = e;
	return 0;
}

/* The canonical text is built with a bounded appender: once it overflows, it stays so. */
struct out {
	char *buf;
	size_t cap, at;
	int overflow;
};

static void
put(struct out *o, const char *s)
{
	for (; *s; s++) {
		if (o->at + 1 >= o->cap) {
			o->overflow = 1;
			return;
		}
		o->buf[o->at++] = *s;
	}
}

/* A fixed-size text field: never read past its size, NUL or not. */
static void
put_field(struct out *o, const char *s, size_t bytes)
{
	char c[2] = {0, 0};

	for (size_t i = 0; i < bytes && s[i]; i++) {
		c[0] = s[i];
		put(o, c);
	}
}

static void
put_uint(struct out *o, uint32_t v)
{
	char digits[11];
	size_t n = sizeof digits - 1;

	digits[n] = '\0';
	do {
		digits[--n] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v);
	put(o, digits + n);
}

/* Microseconds as milliseconds, without trailing zeros: 125 -> "0.125", 1000 -> "1". */
static void
put_ms(struct out *o, uint32_t us)
{
	uint32_t frac = us % 1000u;
	char d[5] = {'.', 0, 0, 0, 0};

	put_uint(o, us / 1000u);
	if (frac == 0)
		return;
	d[1] = (char)('0' + frac / 100u);
	d[2] = (char)('0' + frac / 10u % 10u);
	d[3] = (char)('0' + frac % 10u);
	for (int i = 3; d[i] == '0'; i--)
		d[i] = '\0';
	put(o, d);
}

static void
put_key(struct out *o, int *n_keys, enum key k)
{
	put(o, (*n_keys)++ == 0 ? "?" : "&");
	put(o, key_names[k]);
	put(o, "=");
}

int
lc_rtp_url_format(const struct lc_rtp_endpoint *ep, char *out, size_t cap)
{
	struct out o = {out, cap, 0, 0};
	struct lc_rtp_endpoint d;
	int n_keys = 0;

	if (out == NULL || cap == 0)
		return -1;
	out[0] = '\0';
	if (ep == NULL)
		return -1;
	lc_rtp_endpoint_default(&d);
	put(&o, LC_RTP_URL_SCHEME);
	put(&o, ep->ipv6_literal ? "[" : "");
	put_field(&o, ep->host, sizeof ep->host);
	put(&o, ep->ipv6_literal ? "]:" : ":");
	put_uint(&o, ep->port);
	if (ep->fmt.encoding != d.fmt.encoding) {
		put_key(&o, &n_keys, KEY_FORMAT);
		put(&o, ep->fmt.encoding == LC_RTP_L16 ? "L16" : "L24");
	}
	if (ep->fmt.rate_hz != d.fmt.rate_hz) {
		put_key(&o, &n_keys, KEY_RATE);
		put_uint(&o, ep->fmt.rate_hz);
	}
	if (ep->fmt.channels != d.fmt.channels) {
		put_key(&o, &n_keys, KEY_CHANNELS);
		put_uint(&o, ep->fmt.channels);
	}
	if (ep->fmt.ptime_us != d.fmt.ptime_us) {
		put_key(&o, &n_keys, KEY_PTIME);
		put_ms(&o, ep->fmt.ptime_us);
	}
	if (ep->fmt.payload_type != d.fmt.payload_type) {
		put_key(&o, &n_keys, KEY_PT);
		put_uint(&o, ep->fmt.payload_type);
	}
	if (ep->ttl != d.ttl) {
		put_key(&o, &n_keys, KEY_TTL);
		put_uint(&o, ep->ttl);
	}
	if (ep->dscp != d.dscp) {
		put_key(&o, &n_keys, KEY_DSCP);
		put_uint(&o, ep->dscp);
	}
	if (ep->iface[0] != '\0') {
		put_key(&o, &n_keys, KEY_IFACE);
		put_field(&o, ep->iface, sizeof ep->iface);
	}
	if (ep->conceal != d.conceal) {
		put_key(&o, &n_keys, KEY_CONCEAL);
		put(&o, ep->conceal == LC_JITTER_CONCEAL_SILENCE ? "silence" : "fade");
	}
	if (o.overflow) {
		out[0] = '\0';
		return -1;
	}
	out[o.at] = '\0';
	return (int)o.at;
}
