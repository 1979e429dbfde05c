/* SPDX-License-Identifier: MIT */
/*
 * lc_route.c — route fields, validation and the device specification text.
 */
#include "lc_route.h"

#include <string.h>

#include "lc_shm_layout.h"
#include "lc_result.h"
#include "lc_rtp_url.h"

/* PortAudio's names for the Windows host APIs (pa_win_*.c) and the short forms users
 * type.  MME's full name is its short one. */
static const struct {
	const char *short_name;
	const char *full_name;
} host_apis[] = {
	{"WASAPI", "Windows WASAPI"},
	{"DirectSound", "Windows DirectSound"},
	{"MME", "MME"},
	{"WDM-KS", "Windows WDM-KS"},
	{"ASIO", "ASIO"},
};

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int
equal_nocase(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
			return 0;
		if (a[i] == '\0')
			return 1;
	}
	return 1;
}

static const char *
host_api_full_n(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(host_apis) / sizeof(host_apis[0]); i++) {
		const char *s = host_apis[i].short_name, *f = host_apis[i].full_name;
		if ((strlen(s) == n && equal_nocase(name, s, n)) ||
		    (strlen(f) == n && equal_nocase(name, f, n)))
			return f;
	}
	return NULL;
}

const char *
lc_route_host_api_full(const char *name)
{
	return name ? host_api_full_n(name, strlen(name)) : NULL;
}

static int
has_control_chars(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

int
lc_route_field_ok(const char *s, size_t bytes)
{
	size_t n = 0;
	while (n < bytes && s[n] != '\0')
		n++;
	return n < bytes && !has_control_chars(s, n);
}

void
lc_route_default(struct lc_route *r)
{
	memset(r, 0, sizeof(*r));
	r->cable = 1;
	r->dir = LC_ROUTE_TO_DEVICE;
	r->latency_ms = LC_ROUTE_LATENCY_DEFAULT_MS;
	r->enabled = 1;
}

/* A network route's device is its endpoint (lc_rtp_url.h); the parser's reason is the
 * user's. */
static void
check_network(const struct lc_route *r, const char **reason)
{
	struct lc_rtp_endpoint ep;

	if (!lc_route_field_ok(r->device, sizeof(r->device)))
		*reason = "network endpoint too long or with control characters";
	else if (lc_rtp_url_parse(r->device, &ep, reason) != 0 && *reason == NULL)
		*reason = "not a valid rtp:// endpoint";
}

int
lc_route_check(const struct lc_route *r, uint32_t n_cables, const char **why)
{
	const char *reason = NULL;

	if (r == NULL)
		reason = "no route";
	else if (r->id > LC_ROUTE_ID_MAX)
		reason = "route id out of range";
	else if (r->cable < 1 || r->cable > n_cables || r->cable > LC_MAX_CABLES)
		reason = "no such cable";
	else if (r->dir != LC_ROUTE_TO_DEVICE && r->dir != LC_ROUTE_FROM_DEVICE)
		reason = "direction must be listen (to a device) or feed (from a device)";
	else if (r->latency_ms < LC_ROUTE_LATENCY_MIN_MS || r->latency_ms > LC_ROUTE_LATENCY_MAX_MS)
		reason = "latency must be 3 to 500 ms";
	else if (r->enabled > 1)
		reason = "enabled must be 0 or 1";
	else if (strcmp(r->host_api, LC_RTP_URL_HOST_API) == 0)
		check_network(r, &reason);
	else if (!lc_route_field_ok(r->host_api, sizeof(r->host_api)) ||
		 (r->host_api[0] != '\0' && lc_route_host_api_full(r->host_api) == NULL))
		reason = "unknown host API";
	else if (!lc_route_field_ok(r->device, sizeof(r->device)))
		reason = "device name too long or with control characters";
	if (why)
		*why = reason;
	return reason ? LC_E_INVALID : 0;
}

static int
copy_field(char *dst, size_t dst_bytes, const char *src, size_t n)
{
	if (n >= dst_bytes || has_control_chars(src, n))
		return LC_E_INVALID;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

/* Stored in its canonical form, so that one endpoint has one device text (the registry
 * and the panel compare routes by it). */
static int
parse_network(const char *text, char host_api[LC_ROUTE_HOST_API_BYTES],
	      char device[LC_ROUTE_DEVICE_BYTES])
{
	struct lc_rtp_endpoint ep;

	if (lc_rtp_url_parse(text, &ep, NULL) != 0 ||
	    lc_rtp_url_format(&ep, device, LC_ROUTE_DEVICE_BYTES) < 0)
		return LC_E_INVALID;
	memcpy(host_api, LC_RTP_URL_HOST_API, sizeof(LC_RTP_URL_HOST_API));
	return 0;
}

int
lc_route_parse_device(const char *text, char host_api[LC_ROUTE_HOST_API_BYTES],
		      char device[LC_ROUTE_DEVICE_BYTES])
{
	const char *colon, *full = NULL;

	if (text == NULL)
		return LC_E_INVALID;
	host_api[0] = device[0] = '\0';
	if (text[0] == '\0' || equal_nocase(text, "default", sizeof("default")))
		return 0;
	if (lc_rtp_url_is(text))
		return parse_network(text, host_api, device);
	colon = strchr(text, ':');
	if (colon)
		full = host_api_full_n(text, (size_t)(colon - text));
	if (full == NULL)
		return copy_field(device, LC_ROUTE_DEVICE_BYTES, text, strlen(text));
	if (colon[1] == '\0')
		return LC_E_INVALID; /* "WASAPI:" names no device */
	if (copy_field(host_api, LC_ROUTE_HOST_API_BYTES, full, strlen(full)) != 0)
		return LC_E_INVALID;
	if (copy_field(device, LC_ROUTE_DEVICE_BYTES, colon + 1, strlen(colon + 1)) != 0) {
		host_api[0] = '\0';
		return LC_E_INVALID;
	}
	return 0;
}

static void
append(char *out, size_t out_bytes, size_t *at, const char *s)
{
	while (*s && *at + 1 < out_bytes)
		out[(*at)++] = *s++;
	out[*at] = '\0';
}

void
lc_route_format_device(const char *host_api, const char *device, char *out, size_t out_bytes)
{
	size_t at = 0;

	if (out_bytes == 0)
		return;
	out[0] = '\0';
	if ((device == NULL || device[0] == '\0') && (host_api == NULL || host_api[0] == '\0')) {
		append(out, out_bytes, &at, "default");
		return;
	}
	if (host_api && strcmp(host_api, LC_RTP_URL_HOST_API) == 0) {
		append(out, out_bytes, &at, device ? device : "");
		return; /* the URL says what it is */
	}
	if (host_api && host_api[0]) {
		const char *shown = host_api;
		for (size_t i = 0; i < sizeof(host_apis) / sizeof(host_apis[0]); i++)
			if (strcmp(host_apis[i].full_name, host_api) == 0)
				shown = host_apis[i].short_name;
		append(out, out_bytes, &at, shown);
		append(out, out_bytes, &at, ":");
	}
	append(out, out_bytes, &at, device ? device : "");
}

const char *
lc_route_dir_name(uint32_t dir)
{
	return dir == LC_ROUTE_TO_DEVICE ? "listen" : dir == LC_ROUTE_FROM_DEVICE ? "feed" : "?";
}
