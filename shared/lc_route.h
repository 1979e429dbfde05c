/* SPDX-License-Identifier: MIT */
/*
 * lc_route.h — a forwarding route as the user configures it, and its text forms.
 *
 * A route joins one cable and one real device (docs/forwarding.md):
 *   LC_ROUTE_TO_DEVICE   "listen": the cable's whole mix, read like any recorder, played
 *                        to an output device;
 *   LC_ROUTE_FROM_DEVICE "feed": an input device written into the cable like a player,
 *                        mixed with the cable's other players.
 * A network route (docs/network.md) has host_api LC_RTP_URL_HOST_API ("RTP") and its
 * rtp:// endpoint in canonical form as device (lc_rtp_url.h): listen sends the cable's
 * mix as an RTP stream, feed receives one into the cable.
 * Owns: the fields, their ranges and validation, and the device specification text
 * ("default", "WASAPI:Speakers (Null Output)", "Speakers").  Does not own: where routes
 * are stored (the registry, panel/lc_routes_reg.h), running them (the router,
 * panel/router/), or their live state (lc_router_status.h).
 */
#ifndef LC_ROUTE_H
#define LC_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#define LC_ROUTE_MAX 32 /* routes a user can have; also the router's status slots */

#define LC_ROUTE_LATENCY_MIN_MS 3u
#define LC_ROUTE_LATENCY_MAX_MS 500u
#define LC_ROUTE_LATENCY_DEFAULT_MS 20u

/* UTF-8 with the terminating NUL.  PortAudio host API names are short ("Windows WASAPI");
 * device names are Windows endpoint names (MME truncates them to 31 characters). */
#define LC_ROUTE_HOST_API_BYTES 32
#define LC_ROUTE_DEVICE_BYTES 128

enum lc_route_dir {
	LC_ROUTE_TO_DEVICE = 1,   /* cable -> output device */
	LC_ROUTE_FROM_DEVICE = 2, /* input device -> cable */
};

struct lc_route {
	uint32_t id;          /* 1 .. LC_ROUTE_ID_MAX, stable: the registry key's name */
	uint32_t cable;       /* 1-based cable number */
	uint32_t dir;         /* enum lc_route_dir */
	/* Host API name ("" = any; the first match wins, WASAPI tried first) and device
	 * name ("" = the system's default device of the direction, followed when the user
	 * changes it). */
	char host_api[LC_ROUTE_HOST_API_BYTES];
	char device[LC_ROUTE_DEVICE_BYTES];
	uint32_t latency_ms;  /* fill target of the route's FIFO */
	uint32_t enabled;     /* 0 or 1 */
};

#define LC_ROUTE_ID_MAX 9999u

/* Fills the defaults: id 0 (unassigned), cable 1, listen, default device, 20 ms, on. */
void
lc_route_default(struct lc_route *r);

/*
 * @param n_cables the cables configured now (a route to a cable beyond them is kept,
 *                 like the driver keeps Cable<k> settings, but not valid to add).
 * A route with host_api "RTP" is valid when its device parses as an rtp:// endpoint
 * (*why is then the endpoint parser's reason).
 * @return 0, or LC_E_INVALID with a reason for the user in *why (static text).
 */
int
lc_route_check(const struct lc_route *r, uint32_t n_cables, const char **why);

/*
 * Parses a device specification into host_api and device:
 *   "default" or ""        -> "", ""
 *   "rtp://HOST:PORT[?…]"  -> "RTP" and the endpoint's canonical text (lc_rtp_url.h);
 *                             an invalid endpoint, or one whose canonical text does not
 *                             fit the device field, is LC_E_INVALID
 *   "HOSTAPI:NAME"         -> when HOSTAPI is a known short name (WASAPI, MME,
 *                             DirectSound, WDM-KS, ASIO) or a full PortAudio name
 *                             ("Windows WASAPI", …), the full name and NAME
 *   "NAME"                 -> "", NAME  (NAME may itself contain ':')
 * @return 0, or LC_E_INVALID when a part does not fit its field or has control characters.
 */
int
lc_route_parse_device(const char *text, char host_api[LC_ROUTE_HOST_API_BYTES],
		      char device[LC_ROUTE_DEVICE_BYTES]);

/* The inverse, for display and for `lc_cli routes`: "default", "NAME" or
 * "SHORT:NAME" (short host API names where there is one); for host_api "RTP" the
 * device (the rtp:// URL) as it is.  Always NUL-terminated. */
void
lc_route_format_device(const char *host_api, const char *device, char *out, size_t out_bytes);

/* PortAudio's full host API name for a short one ("WASAPI" -> "Windows WASAPI"),
 * case-insensitive; the name itself when it is already a full name; NULL if unknown. */
const char *
lc_route_host_api_full(const char *name);

/* 1 if the text field `s` of `bytes` bytes (from shared memory, the registry, a user)
 * ends within them and has no control characters, else 0. */
int
lc_route_field_ok(const char *s, size_t bytes);

/* "listen" / "feed" as users call them; "?" for anything else. */
const char *
lc_route_dir_name(uint32_t dir);

#endif /* LC_ROUTE_H */
