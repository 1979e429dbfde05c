/* SPDX-License-Identifier: MIT */
/*
 * lc_cli.h — the commands of lc_cli.exe, one file each group:
 *   lc_cli.c       status, usage, dispatch
 *   cli_routes.c   devices, routes, route add|remove|enable|disable
 *   cli_settings.c set KEY=VALUE …
 * Exit codes (all commands): 0 done; 1 nothing to show; 2 bad usage or input (nothing
 * changed); 3 the shared section is unusable; 4 Windows refused (registry, driver).
 */
#ifndef LC_CLI_H
#define LC_CLI_H

#include <stdio.h>

#define CLI_OK 0
#define CLI_NOTHING 1
#define CLI_USAGE 2
#define CLI_CORRUPT 3
#define CLI_REFUSED 4

int cli_devices(int argc, char **argv);
int cli_routes(int argc, char **argv);
int cli_route(int argc, char **argv);
int cli_set(int argc, char **argv);

/* The routes and the router's state as a JSON member ("router": …, "routes": [...]),
 * for `routes --json` and `status --json`. */
void cli_print_routes_json(void);

/* A JSON string with quotes, backslashes and control characters escaped. */
void cli_print_json_string(const char *text);

#endif /* LC_CLI_H */
