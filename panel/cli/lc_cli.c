/* SPDX-License-Identifier: MIT */
/*
 * lc_cli.exe — LoopCable from the command line.
 *
 *   lc_cli status [--json]   every cable and who uses it: players (writers) and
 *                            recorders (readers) with process id, format, frames,
 *                            underflows/overflows, clipped samples and peak levels;
 *                            with --json also the routes and the router
 *   lc_cli devices           the sound devices routes can use (cli_routes.c)
 *   lc_cli routes [--json]   the forwarding routes and their live state
 *   lc_cli route add --cable N --to DEVICE|--from DEVICE [--latency MS] [--disabled]
 *   lc_cli route add --cable N --to rtp://HOST:PORT[?…]|--from rtp://…
 *                    [--format L16|L24] [--ptime MS]      a network route (send / receive)
 *   lc_cli route add --cable N --from-sdp FILE           receive the stream a file announces
 *   lc_cli route remove|enable|disable ID
 *   lc_cli set KEY=VALUE …   the cables' settings (cli_settings.c)
 *
 * status reads the shared section the driver maps (lc_status.h); when no process has
 * the driver loaded there is no section, and it says so.  Exit codes: lc_cli.h.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lc_cli.h"
#include "lc_result.h"
#include "lc_status.h"

static const char *kind_name(uint32_t kind)
{
	return kind == LC_SLOT_WRITER ? "writer" : "reader";
}

/* A JSON string: names come from the registry and process names from the OS, so
 * quotes, backslashes and control characters must be escaped. */
void cli_print_json_string(const char *text)
{
	putchar('"');
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c < 0x20)
			printf("\\u%04x", *c);
		else
			putchar(*c);
	}
	putchar('"');
}

static void print_json(const struct lc_status *st)
{
	printf("{\"running\": %s, \"generation\": %u, \"detached_clients\": %u, \"cables\": [",
	       st->running ? "true" : "false", st->config_generation, st->n_detached);
	for (uint32_t c = 0; c < st->n_cables; c++) {
		const struct lc_status_cable *cable = &st->cables[c];
		printf("%s\n    {\"index\": %u, \"name\": ", c ? "," : "", c + 1);
		cli_print_json_string(cable->name);
		printf(", \"rate_hz\": %u, \"channels\": %u, \"ring_frames\": %u, \"clients\": [",
		       cable->rate_hz, cable->n_channels, cable->ring_frames);
		for (uint32_t i = 0; i < cable->n_clients; i++) {
			const struct lc_status_client *cl = &cable->clients[i];
			char fmt[64];
			lc_status_format_name(&cl->fmt, fmt, sizeof(fmt));
			printf("%s\n        {\"kind\": \"%s\", \"slot\": %u, \"generation\": %u, "
			       "\"pid\": %u, \"process\": ",
			       i ? "," : "", kind_name(cl->kind), cl->slot, cl->generation, cl->pid);
			cli_print_json_string(cl->process);
			printf(", \"format\": \"%s\", \"buffer_bytes\": %u, \"ahead_ms\": %.2f, "
			       "\"volume\": %.3f, \"mute\": %u, \"frames\": %llu, \"underflows\": %llu, "
			       "\"overflows\": %llu, \"clipped\": %llu, \"peaks\": [",
			       fmt, cl->buffer_bytes, cl->ahead_ms, cl->volume,
			       cl->mute, (unsigned long long)cl->counts.frames,
			       (unsigned long long)cl->counts.underflows,
			       (unsigned long long)cl->counts.overflows,
			       (unsigned long long)cl->counts.clipped);
			for (uint32_t ch = 0; ch < cable->n_channels; ch++)
				printf("%s%.4f", ch ? ", " : "", cl->peak[ch]);
			printf("]}");
		}
		printf("%s]}", cable->n_clients ? "\n    " : "");
	}
	printf("\n], ");
	cli_print_routes_json();
	printf("}\n");
}

static void print_text(const struct lc_status *st)
{
	if (!st->running) {
		printf("LoopCable: no cable is in use (no process has the driver loaded)\n");
		return;
	}
	for (uint32_t c = 0; c < st->n_cables; c++) {
		const struct lc_status_cable *cable = &st->cables[c];
		printf("%s: %u Hz, %u channels\n", cable->name, cable->rate_hz, cable->n_channels);
		for (uint32_t i = 0; i < cable->n_clients; i++) {
			const struct lc_status_client *cl = &cable->clients[i];
			char fmt[64];
			lc_status_format_name(&cl->fmt, fmt, sizeof(fmt));
			printf("    %s %2u  %s (pid %u)  %s  buffer %u bytes  frames %llu  "
			       "underflows %llu  overflows %llu  clipped %llu%s\n",
			       kind_name(cl->kind), cl->slot, cl->process[0] ? cl->process : "?",
			       cl->pid, fmt, cl->buffer_bytes,
			       (unsigned long long)cl->counts.frames,
			       (unsigned long long)cl->counts.underflows,
			       (unsigned long long)cl->counts.overflows,
			       (unsigned long long)cl->counts.clipped,
			       cl->generation != st->config_generation ? "  (opened before the last settings change)" : "");
		}
		if (!cable->n_clients)
			printf("    (no clients)\n");
	}
	if (st->n_detached)
		printf("%u clients opened before the last settings change are on cables that are "
		       "gone or changed; they stay there until they close\n", st->n_detached);
}

static const char usage[] =
	"usage: lc_cli status [--json]\n"
	"       lc_cli devices\n"
	"       lc_cli routes [--json]\n"
	"       lc_cli route add --cable N --to DEVICE|--from DEVICE [--latency MS] [--disabled]\n"
	"       lc_cli route add --cable N --to rtp://HOST:PORT[?KEY=VALUE&...]|--from rtp://...\n"
	"                        [--format L16|L24] [--ptime MS] [--latency MS] [--disabled]\n"
	"       lc_cli route add --cable N --from-sdp FILE [--latency MS] [--disabled]\n"
	"       lc_cli route remove|enable|disable ID\n"
	"       lc_cli set KEY=VALUE ...   (cables=N ring_ms=MS logging=0|1 nameK=TEXT rateK=HZ\n"
	"                                  channelsK=N; K is a cable number)\n"
	"DEVICE: default, NAME, or HOSTAPI:NAME (HOSTAPI: WASAPI, DirectSound, MME)\n"
	"rtp:// KEYs: format=L24|L16 rate=44100|48000|96000 channels=1..8 ptime=0.125..4\n"
	"             pt=96..127 ttl=1..255 dscp=0..63 iface=ADDRESS conceal=fade|silence\n";

static int status(int argc, char **argv)
{
	bool json = argc == 3 && strcmp(argv[2], "--json") == 0;
	if ((argc == 3 && !json) || argc > 3) {
		fputs(usage, stderr);
		return CLI_USAGE;
	}
	static struct lc_status st;
	int result = lc_status_read(&st);
	if (result != 0) {
		fprintf(stderr, "lc_cli: the LoopCable section is unusable: %s\n", lc_result_str(result));
		return CLI_CORRUPT;
	}
	if (json)
		print_json(&st);
	else
		print_text(&st);
	return st.running ? CLI_OK : CLI_NOTHING;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} commands[] = {
		{"status", status}, {"devices", cli_devices}, {"routes", cli_routes},
		{"route", cli_route}, {"set", cli_set},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return CLI_OK;
	}
	for (size_t i = 0; argc >= 2 && i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc, argv);
	fputs(usage, stderr);
	return CLI_USAGE;
}
