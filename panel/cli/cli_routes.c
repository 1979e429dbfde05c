/* SPDX-License-Identifier: MIT */
/*
 * cli_routes.c — lc_cli devices | routes [--json] | route add|remove|enable|disable.
 *
 * Routes are written to the registry (lc_routes_reg.h); a running router picks them up
 * by itself.  A route is checked before anything is written: the cable must be
 * configured, the latency in range, and the device must exist now and must not be one
 * of LoopCable's own (forwarding a cable into itself).
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
		       "\"overruns\": %llu, \"restarts\": %llu}",
		       st->device_rate_hz, st->device_channels, st->fill_us / 1000.0,
		       st->target_us / 1000.0, st->ratio_ppb / 1000.0, (unsigned long long)st->frames,
		       (unsigned long long)st->underruns, (unsigned long long)st->overruns,
		       (unsigned long long)st->restarts);
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
		printf("no routes (add one with: lc_cli route add --cable N --to DEVICE)\n");
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

static int route_add(int argc, char **argv)
{
	struct lc_route r;
	struct drv_config config;
	const char *spec = NULL, *why = NULL;
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
		} else if (strcmp(opt, "--to") == 0 || strcmp(opt, "--from") == 0) {
			if (spec) {
				fprintf(stderr, "lc_cli: give one of --to and --from\n");
				return CLI_USAGE;
			}
			spec = value;
			r.dir = opt[2] == 't' ? LC_ROUTE_TO_DEVICE : LC_ROUTE_FROM_DEVICE;
			if (lc_route_parse_device(value, r.host_api, r.device) != 0) {
				fprintf(stderr, "lc_cli: \"%s\" is not a device (too long?)\n", value);
				return CLI_USAGE;
			}
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
		fprintf(stderr, "usage: lc_cli route add --cable N --to DEVICE|--from DEVICE "
				"[--latency MS] [--disabled]\n");
		return CLI_USAGE;
	}
	drv_config_read(&config);
	if (lc_route_check(&r, config.n_cables, &why) != 0) {
		fprintf(stderr, "lc_cli: %s (cables: 1 to %u; latency: %u to %u ms)\n", why,
			config.n_cables, LC_ROUTE_LATENCY_MIN_MS, LC_ROUTE_LATENCY_MAX_MS);
		return CLI_USAGE;
	}
	int rc = check_device(&r, spec);
	if (rc != CLI_OK)
		return rc;
	rc = lc_routes_save(&r, config.n_cables, &why);
	if (rc != 0) {
		fprintf(stderr, "lc_cli: %s\n", why ? why : lc_result_str(rc));
		return rc == LC_E_STATE ? CLI_REFUSED : CLI_USAGE;
	}
	printf("route %u added: %s cable %u %s %s, %u ms%s\n", r.id, lc_route_dir_name(r.dir),
	       r.cable, r.dir == LC_ROUTE_TO_DEVICE ? "->" : "<-", spec, r.latency_ms,
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
	fprintf(stderr, "usage: lc_cli route add --cable N --to DEVICE|--from DEVICE [--latency MS]\n"
			"       lc_cli route remove|enable|disable ID\n");
	return CLI_USAGE;
}
