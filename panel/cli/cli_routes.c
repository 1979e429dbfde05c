/* SPDX-License-Identifier: MIT */
/*
 * cli_routes.c — lc_cli devices | routes [--json] | route add|remove|enable|disable.
 *
 * Routes are written to the registry (lc_routes_reg.h); a running router picks them up
 * by itself.  A route is checked before anything is written: the cable must be
 * configured, the latency in range, and the device must exist now and must not be one
 * of LoopCable's own (forwarding a cable into itself).
 *
 * A network route's device is an rtp:// endpoint (lc_rtp_url.h, docs/network.md): given
 * with --to / --from, or read from a session description with --from-sdp.  There is no
 * device to look up, so only the endpoint's text is checked; whether the host resolves
 * and the port binds is the router's to find out and report.
 */
#include <windows.h>
#include <stdlib.h>
#include <string.h>

#include "drv_config.h"
#include "lc_cli.h"
#include "lc_devices.h"
#include "lc_result.h"
#include "lc_router_view.h"
#include "lc_routes_reg.h"
#include "lc_rtp_url.h"
#include "lc_sdp.h"

/* A session description is a few hundred bytes; anything near this is not one. */
#define SDP_MAX_BYTES (64u * 1024u)

int cli_devices(int argc, char **argv)
{
	struct lc_device devices[256];
	(void)argv;
	if (argc != 2) {
		fprintf(stderr, "usage: lc_cli devices\n");
		return CLI_USAGE;
	}
	if (lc_devices_open() != 0) {
		fprintf(stderr, "lc_cli: PortAudio did not start\n");
		return CLI_REFUSED;
	}
	uint32_t n = lc_devices_list(devices, 256);
	const char *api = "";
	for (uint32_t i = 0; i < n; i++) {
		const struct lc_device *d = &devices[i];
		char spec[LC_ROUTE_HOST_API_BYTES + LC_ROUTE_DEVICE_BYTES];
		if (strcmp(api, d->host_api) != 0)
			printf("%s:\n", api = d->host_api);
		lc_route_format_device(d->host_api, d->name, spec, sizeof(spec));
		printf("  %-50s  out %2u  in %2u  %6u Hz%s%s\n", spec, d->max_outputs, d->max_inputs,
		       d->default_rate_hz, d->default_output ? "  [default output]" : "",
		       d->default_input ? "  [default input]" : "");
	}
	if (n == 0)
		printf("no sound devices to route to (LoopCable's own are never listed)\n");
	lc_devices_close();
	return n ? CLI_OK : CLI_NOTHING;
}

static void print_route_text(const struct lc_route *r, const struct drv_config *config,
			     const struct lc_router_view *view)
{
	char spec[LC_ROUTE_HOST_API_BYTES + LC_ROUTE_DEVICE_BYTES];
	const char *cable_name = r->cable <= LC_MAX_CABLES ? config->cables[r->cable - 1].name : "?";
	lc_route_format_device(r->host_api, r->device, spec, sizeof(spec));
	printf("%4u  %-6s  cable %u (%s) %s %s  %u ms  %s\n", r->id, lc_route_dir_name(r->dir),
	       r->cable, cable_name, r->dir == LC_ROUTE_TO_DEVICE ? "->" : "<-", spec,
	       r->latency_ms, r->enabled ? "enabled" : "disabled");
	const struct lc_route_status *st = view->running ? lc_router_view_find(view, r->id) : NULL;
	if (!st) {
		printf("      not running (%s)\n", view->running ? "the router has not taken it yet"
							 : "the router is not running");
		return;
	}
	const char *state = lc_route_state_name(st->state);
	/* The text adds to the state's name unless it only repeats it. */
	if (st->text[0] && strcmp(st->text, state) != 0)
		printf("      %s: %s", state, st->text);
	else
		printf("      %s", state);
	if (st->device[0])
		printf("  [%s %u Hz %u ch]", st->device, st->device_rate_hz, st->device_channels);
	printf("\n      fill %.2f / %.2f ms  ratio %+.2f ppm  frames %llu  underruns %llu  "
	       "overruns %llu  restarts %llu\n",
	       st->fill_us / 1000.0, st->target_us / 1000.0, st->ratio_ppb / 1000.0,
	       (unsigned long long)st->frames, (unsigned long long)st->underruns,
	       (unsigned long long)st->overruns, (unsigned long long)st->restarts);
	if (strcmp(r->host_api, LC_RTP_URL_HOST_API) != 0)
		return;
	if (r->dir == LC_ROUTE_TO_DEVICE) { /* a sender has only its packets to count */
		printf("      sent %llu packets  refused %llu  ssrc %08x\n",
		       (unsigned long long)st->packets, (unsigned long long)st->packets_lost, st->ssrc);
		return;
	}
	printf("      packets %llu  lost %llu  late %llu  dropped %llu  concealed ",
	       (unsigned long long)st->packets, (unsigned long long)st->packets_lost,
	       (unsigned long long)st->packets_late, (unsigned long long)st->packets_dropped);
	/* the stream's rate is the open "device" rate; before it is known, frames */
	if (st->device_rate_hz)
		printf("%.1f ms", st->frames_concealed * 1000.0 / st->device_rate_hz);
	else
		printf("%llu frames", (unsigned long long)st->frames_concealed);
	printf("  jitter %.2f ms  ssrc %08x\n", st->jitter_us / 1000.0, st->ssrc);
}

/* A network route's counters (lc_router_status.h), only on network routes: a device
 * route has none.  concealed_ms is null until the stream's rate is known. */
static void print_network_json(const struct lc_route_status *st)
{
	printf(", \"packets\": %llu, \"packets_lost\": %llu, \"packets_late\": %llu, "
	       "\"packets_dropped\": %llu, \"frames_concealed\": %llu, \"concealed_ms\": ",
	       (unsigned long long)st->packets, (unsigned long long)st->packets_lost,
	       (unsigned long long)st->packets_late, (unsigned long long)st->packets_dropped,
	       (unsigned long long)st->frames_concealed);
	if (st->device_rate_hz)
		printf("%.3f", st->frames_concealed * 1000.0 / st->device_rate_hz);
	else
		printf("null");
	printf(", \"jitter_ms\": %.3f, \"ssrc\": %u", st->jitter_us / 1000.0, st->ssrc);
}

void cli_print_routes_json(void)
{
	struct lc_route routes[LC_ROUTE_MAX];
	static struct lc_router_view view;
	uint32_t n = lc_routes_load(routes, LC_ROUTE_MAX);
	lc_router_view_read(&view);
	printf("\"router\": {\"running\": %s, \"pid\": %u}, \"routes\": [", view.running ? "true" : "false",
	       view.pid);
	for (uint32_t i = 0; i < n; i++) {
		const struct lc_route *r = &routes[i];
		const struct lc_route_status *st = lc_router_view_find(&view, r->id);
		printf("%s\n    {\"id\": %u, \"cable\": %u, \"direction\": \"%s\", \"host_api\": ",
		       i ? "," : "", r->id, r->cable, lc_route_dir_name(r->dir));
		cli_print_json_string(r->host_api);
		printf(", \"device\": ");
		cli_print_json_string(r->device);
		printf(", \"latency_ms\": %u, \"enabled\": %s, \"state\": ", r->latency_ms,
		       r->enabled ? "true" : "false");
		if (!st) {
			printf("\"not running\"}");
			continue;
		}
		cli_print_json_string(lc_route_state_name(st->state));
		printf(", \"text\": ");
		cli_print_json_string(st->text);
		printf(", \"device_in_use\": ");
		cli_print_json_string(st->device);
		printf(", \"device_rate_hz\": %u, \"device_channels\": %u, \"fill_ms\": %.3f, "
		       "\"target_ms\": %.3f, \"ratio_ppm\": %.3f, \"frames\": %llu, \"underruns\": %llu, "
		       "\"overruns\": %llu, \"restarts\": %llu",
		       st->device_rate_hz, st->device_channels, st->fill_us / 1000.0,
		       st->target_us / 1000.0, st->ratio_ppb / 1000.0, (unsigned long long)st->frames,
		       (unsigned long long)st->underruns, (unsigned long long)st->overruns,
		       (unsigned long long)st->restarts);
		if (strcmp(r->host_api, LC_RTP_URL_HOST_API) == 0)
			print_network_json(st);
		printf("}");
	}
	printf("%s]", n ? "\n  " : "");
}

int cli_routes(int argc, char **argv)
{
	bool json = argc == 3 && strcmp(argv[2], "--json") == 0;
	if (argc > 3 || (argc == 3 && !json)) {
		fprintf(stderr, "usage: lc_cli routes [--json]\n");
		return CLI_USAGE;
	}
	if (json) {
		printf("{");
		cli_print_routes_json();
		printf("}\n");
		return CLI_OK;
	}
	struct lc_route routes[LC_ROUTE_MAX];
	static struct lc_router_view view;
	struct drv_config config;
	uint32_t n = lc_routes_load(routes, LC_ROUTE_MAX);
	drv_config_read(&config);
	lc_router_view_read(&view);
	if (view.running)
		printf("router: running (pid %u)\n", view.pid);
	else
		printf("router: not running (start lc_router.exe, or the panel's Routes page)\n");
	for (uint32_t i = 0; i < n; i++)
		print_route_text(&routes[i], &config, &view);
	if (n == 0)
		printf("no routes (add one with: lc_cli route add --cable N "
		       "--to DEVICE|rtp://HOST:PORT)\n");
	return n ? CLI_OK : CLI_NOTHING;
}

/* The device must exist now and not be a cable: checked with a fresh device list. */
static int check_device(const struct lc_route *r, const char *spec)
{
	struct lc_device found;
	if (lc_devices_open() != 0) {
		fprintf(stderr, "lc_cli: PortAudio did not start; the device cannot be checked\n");
		return CLI_REFUSED;
	}
	int rc = CLI_OK;
	if (r->device[0] && lc_devices_is_loopcable(r->device)) {
		fprintf(stderr, "lc_cli: \"%s\" is one of LoopCable's own devices: a route joins a "
				"cable to a real device, never to a cable\n", spec);
		rc = CLI_USAGE;
	} else if (lc_devices_find(r->host_api, r->device, r->dir, &found) != 0) {
		fprintf(stderr, "lc_cli: no %s device \"%s\" (lc_cli devices lists them)\n",
			r->dir == LC_ROUTE_TO_DEVICE ? "output" : "input", spec);
		rc = CLI_USAGE;
	}
	lc_devices_close();
	return rc;
}

/* Why `value` (given to --to / --from) is not a device or endpoint. */
static void print_bad_device(const char *value)
{
	struct lc_rtp_endpoint ep;
	const char *why = NULL;

	if (!lc_rtp_url_is(value))
		fprintf(stderr, "lc_cli: \"%s\" is not a device (too long?)\n", value);
	else if (lc_rtp_url_parse(value, &ep, &why) != 0)
		fprintf(stderr, "lc_cli: \"%s\": %s\n", value, why);
	else
		fprintf(stderr, "lc_cli: \"%s\" is longer than a route's endpoint can be "
				"(%u bytes)\n", value, LC_ROUTE_DEVICE_BYTES - 1);
}

/* Stores ep in the route through lc_route_parse_device, which checks and canonicalises
 * it like an endpoint typed with --to. */
static int store_endpoint(struct lc_route *r, const struct lc_rtp_endpoint *ep)
{
	char url[LC_ROUTE_DEVICE_BYTES];

	if (lc_rtp_url_format(ep, url, sizeof url) < 0) {
		fprintf(stderr, "lc_cli: the endpoint is longer than a route's can be (%u bytes)\n",
			LC_ROUTE_DEVICE_BYTES - 1);
		return CLI_USAGE;
	}
	if (lc_route_parse_device(url, r->host_api, r->device) != 0) {
		print_bad_device(url);
		return CLI_USAGE;
	}
	return CLI_OK;
}

/* --from-sdp FILE: the stream a session description announces, as a receive endpoint
 * (its connection address, port, format and, multicast, its TTL). */
static int endpoint_from_sdp(const char *path, struct lc_route *r)
{
	static char text[SDP_MAX_BYTES + 1];
	struct lc_sdp_stream s;
	struct lc_sdp_error e;
	struct lc_rtp_endpoint ep;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "lc_cli: cannot open %s\n", path);
		return CLI_USAGE;
	}
	size_t n = fread(text, 1, sizeof text, f);
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		fprintf(stderr, "lc_cli: cannot read %s\n", path);
		return CLI_USAGE;
	}
	if (n > SDP_MAX_BYTES) {
		fprintf(stderr, "lc_cli: %s is larger than 64 KiB: not a session description\n",
			path);
		return CLI_USAGE;
	}
	if (lc_sdp_parse(text, n, &s, &e) != 0) {
		if (e.line)
			fprintf(stderr, "lc_cli: %s, line %u: %s\n", path, e.line,
				lc_sdp_fault_str(e.fault));
		else
			fprintf(stderr, "lc_cli: %s: %s\n", path, lc_sdp_fault_str(e.fault));
		return CLI_USAGE;
	}
	lc_rtp_endpoint_default(&ep);
	memcpy(ep.host, s.address, sizeof ep.host);
	ep.host[sizeof ep.host - 1] = '\0';
	ep.ipv6_literal = s.ipv6;
	ep.port = s.port;
	ep.fmt = s.fmt;
	if (s.ttl)
		ep.ttl = s.ttl;
	/* The SDP's own checks are not the endpoint's (static payload types 10 and 11 have
	 * no rtp:// spelling): store_endpoint says what does not fit. */
	return store_endpoint(r, &ep);
}

/* --format / --ptime: each value checked by the endpoint parser on an endpoint with only
 * that key, then set on the route's endpoint (the option wins over the URL's key). */
static int endpoint_option(struct lc_rtp_endpoint *ep, const char *key, const char *value)
{
	struct lc_rtp_endpoint one;
	char text[64];
	const char *why = "value too long";

	/* a longer value is no format or packet time, and must not be cut to one */
	if (strlen(value) <= 16) {
		snprintf(text, sizeof text, "rtp://h:1?%s=%s", key, value);
		if (lc_rtp_url_parse(text, &one, &why) == 0)
			why = NULL;
	}
	if (why) {
		fprintf(stderr, "lc_cli: --%s %s: %s\n", key, value, why);
		return CLI_USAGE;
	}
	if (key[0] == 'f')
		ep->fmt.encoding = one.fmt.encoding;
	else
		ep->fmt.ptime_us = one.fmt.ptime_us;
	return CLI_OK;
}

static int apply_endpoint_options(struct lc_route *r, const char *format, const char *ptime)
{
	struct lc_rtp_endpoint ep;

	if (!format && !ptime)
		return CLI_OK;
	if (strcmp(r->host_api, LC_RTP_URL_HOST_API) != 0 ||
	    lc_rtp_url_parse(r->device, &ep, NULL) != 0) {
		fprintf(stderr, "lc_cli: --format and --ptime are for rtp:// endpoints\n");
		return CLI_USAGE;
	}
	if ((format && endpoint_option(&ep, "format", format) != CLI_OK) ||
	    (ptime && endpoint_option(&ep, "ptime", ptime) != CLI_OK))
		return CLI_USAGE;
	return store_endpoint(r, &ep);
}

static const char route_add_usage[] =
	"usage: lc_cli route add --cable N --to DEVICE|--from DEVICE [--latency MS] [--disabled]\n"
	"       lc_cli route add --cable N --to rtp://HOST:PORT[?KEY=VALUE&...]|"
	"--from rtp://...\n"
	"                        [--format L16|L24] [--ptime MS] [--latency MS] [--disabled]\n"
	"       lc_cli route add --cable N --from-sdp FILE [--latency MS] [--disabled]\n";

static int route_add(int argc, char **argv)
{
	struct lc_route r;
	struct drv_config config;
	const char *spec = NULL, *why = NULL, *sdp = NULL, *format = NULL, *ptime = NULL;
	char shown[LC_ROUTE_HOST_API_BYTES + LC_ROUTE_DEVICE_BYTES];
	bool have_cable = false;

	lc_route_default(&r);
	for (int i = 3; i < argc; i++) {
		const char *opt = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(opt, "--disabled") == 0) {
			r.enabled = 0;
			continue;
		}
		if (!value) {
			fprintf(stderr, "lc_cli: %s needs a value\n", opt);
			return CLI_USAGE;
		}
		i++;
		if (strcmp(opt, "--cable") == 0) {
			if (!drv_parse_decimal(value, 0, UINT32_MAX, &r.cable)) {
				fprintf(stderr, "lc_cli: --cable takes a cable number, not \"%s\"\n", value);
				return CLI_USAGE;
			}
			have_cable = true;
		} else if (strcmp(opt, "--to") == 0 || strcmp(opt, "--from") == 0 ||
			   strcmp(opt, "--from-sdp") == 0) {
			if (spec) {
				fprintf(stderr, "lc_cli: give one of --to, --from and --from-sdp\n");
				return CLI_USAGE;
			}
			spec = value;
			r.dir = opt[2] == 't' ? LC_ROUTE_TO_DEVICE : LC_ROUTE_FROM_DEVICE;
			if (strcmp(opt, "--from-sdp") == 0)
				sdp = value;
			else if (lc_route_parse_device(value, r.host_api, r.device) != 0) {
				print_bad_device(value);
				return CLI_USAGE;
			}
		} else if (strcmp(opt, "--format") == 0) {
			format = value;
		} else if (strcmp(opt, "--ptime") == 0) {
			ptime = value;
		} else if (strcmp(opt, "--latency") == 0) {
			if (!drv_parse_decimal(value, 0, UINT32_MAX, &r.latency_ms)) {
				fprintf(stderr, "lc_cli: --latency takes milliseconds, not \"%s\"\n", value);
				return CLI_USAGE;
			}
		} else {
			fprintf(stderr, "lc_cli: unknown option %s\n", opt);
			return CLI_USAGE;
		}
	}
	if (!have_cable || !spec) {
		fputs(route_add_usage, stderr);
		return CLI_USAGE;
	}
	if (sdp && (format || ptime)) {
		fprintf(stderr, "lc_cli: the session description sets the format and packet time; "
				"--format and --ptime do not apply to --from-sdp\n");
		return CLI_USAGE;
	}
	int rc = sdp ? endpoint_from_sdp(sdp, &r) : apply_endpoint_options(&r, format, ptime);
	if (rc != CLI_OK)
		return rc;
	drv_config_read(&config);
	if (lc_route_check(&r, config.n_cables, &why) != 0) {
		fprintf(stderr, "lc_cli: %s (cables: 1 to %u; latency: %u to %u ms)\n", why,
			config.n_cables, LC_ROUTE_LATENCY_MIN_MS, LC_ROUTE_LATENCY_MAX_MS);
		return CLI_USAGE;
	}
	/* A network endpoint is no sound device: nothing for PortAudio to find. */
	if (strcmp(r.host_api, LC_RTP_URL_HOST_API) != 0) {
		rc = check_device(&r, spec);
		if (rc != CLI_OK)
			return rc;
	}
	rc = lc_routes_save(&r, config.n_cables, &why);
	if (rc != 0) {
		fprintf(stderr, "lc_cli: %s\n", why ? why : lc_result_str(rc));
		return rc == LC_E_STATE ? CLI_REFUSED : CLI_USAGE;
	}
	lc_route_format_device(r.host_api, r.device, shown, sizeof(shown));
	printf("route %u added: %s cable %u %s %s, %u ms%s\n", r.id, lc_route_dir_name(r.dir),
	       r.cable, r.dir == LC_ROUTE_TO_DEVICE ? "->" : "<-", shown, r.latency_ms,
	       r.enabled ? "" : " (disabled)");
	return CLI_OK;
}

static int route_by_id(const char *verb, const char *id_text)
{
	struct lc_route r;
	struct drv_config config;
	const char *why = NULL;
	uint32_t id;

	if (!drv_parse_decimal(id_text, 0, UINT32_MAX, &id) || lc_routes_get(id, &r) != 0) {
		fprintf(stderr, "lc_cli: no route %s (lc_cli routes lists them)\n", id_text);
		return CLI_USAGE;
	}
	if (strcmp(verb, "remove") == 0) {
		if (lc_routes_remove(id) != 0) {
			fprintf(stderr, "lc_cli: the registry refused to remove route %u\n", id);
			return CLI_REFUSED;
		}
		printf("route %u removed\n", id);
		return CLI_OK;
	}
	r.enabled = strcmp(verb, "enable") == 0;
	drv_config_read(&config);
	/* A route on a cable that is no longer configured can still be disabled. */
	int rc = lc_routes_save(&r, r.enabled ? config.n_cables : LC_MAX_CABLES, &why);
	if (rc != 0) {
		fprintf(stderr, "lc_cli: %s\n", why ? why : lc_result_str(rc));
		return rc == LC_E_STATE ? CLI_REFUSED : CLI_USAGE;
	}
	printf("route %u %s\n", id, r.enabled ? "enabled" : "disabled");
	return CLI_OK;
}

int cli_route(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[2], "add") == 0)
		return route_add(argc, argv);
	if (argc == 4 && (strcmp(argv[2], "remove") == 0 || strcmp(argv[2], "enable") == 0 ||
			  strcmp(argv[2], "disable") == 0))
		return route_by_id(argv[2], argv[3]);
	fputs(route_add_usage, stderr);
	fprintf(stderr, "       lc_cli route remove|enable|disable ID\n");
	return CLI_USAGE;
}
