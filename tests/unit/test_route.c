/* SPDX-License-Identifier: MIT */
/* test_route.c — route validation and the device specification text. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lc_result.h"
#include "lc_route.h"

static struct lc_route route;

static void
setup(void)
{
	memset(&route, 0xa5, sizeof route);
	lc_route_default(&route);
}

TestSuite(route, .init = setup);

Test(route, the_defaults_are_a_valid_listen_route_to_the_default_device_at_20_ms)
{
	const char *why = "unset";
	cr_expect_eq(lc_route_check(&route, 2, &why), 0);
	cr_expect_null(why);
	cr_expect_eq(route.dir, LC_ROUTE_TO_DEVICE);
	cr_expect_eq(route.latency_ms, 20);
	cr_expect_eq(route.enabled, 1);
	cr_expect_str_empty(route.device);
	cr_expect_str_empty(route.host_api);
}

static void
expect_invalid(const char *what)
{
	const char *why = NULL;
	cr_expect_eq(lc_route_check(&route, 2, &why), LC_E_INVALID, "%s accepted", what);
	cr_expect_not_null(why, "%s: no reason given", what);
	setup();
}

Test(route, each_field_out_of_range_is_refused_with_a_reason)
{
	route.cable = 0;
	expect_invalid("cable 0");
	route.cable = 3;
	expect_invalid("cable 3 of 2");
	route.cable = 99;
	expect_invalid("cable 99");
	route.dir = 0;
	expect_invalid("direction 0");
	route.dir = 3;
	expect_invalid("direction 3");
	route.latency_ms = 0;
	expect_invalid("latency 0");
	route.latency_ms = 2;
	expect_invalid("latency 2");
	route.latency_ms = 501;
	expect_invalid("latency 501");
	route.enabled = 2;
	expect_invalid("enabled 2");
	route.id = LC_ROUTE_ID_MAX + 1;
	expect_invalid("id beyond the maximum");
	strcpy(route.host_api, "CoreAudio");
	expect_invalid("an unknown host API");
	memset(route.device, 'x', sizeof route.device);
	expect_invalid("an unterminated device name");
	strcpy(route.device, "bad\nname");
	expect_invalid("a control character");
}

Test(route, the_range_ends_are_valid)
{
	route.latency_ms = 3;
	cr_expect_eq(lc_route_check(&route, 32, NULL), 0);
	route.latency_ms = 500;
	route.cable = 32;
	route.dir = LC_ROUTE_FROM_DEVICE;
	cr_expect_eq(lc_route_check(&route, 32, NULL), 0);
}

static void
expect_parse(const char *text, const char *host_api, const char *device)
{
	char h[LC_ROUTE_HOST_API_BYTES] = "junk", d[LC_ROUTE_DEVICE_BYTES] = "junk";
	cr_assert_eq(lc_route_parse_device(text, h, d), 0, "\"%s\" refused", text);
	cr_expect_str_eq(h, host_api, "\"%s\": host API", text);
	cr_expect_str_eq(d, device, "\"%s\": device", text);
}

Test(route, device_specifications_parse_into_host_api_and_name)
{
	expect_parse("default", "", "");
	expect_parse("DEFAULT", "", "");
	expect_parse("", "", "");
	expect_parse("Speakers", "", "Speakers");
	expect_parse("wasapi:Speakers (Null Output)", "Windows WASAPI", "Speakers (Null Output)");
	expect_parse("Windows DirectSound:Mic", "Windows DirectSound", "Mic");
	expect_parse("MME:Line 1", "MME", "Line 1");
	/* An unknown prefix is part of the name: Windows names contain colons. */
	expect_parse("Line: Front", "", "Line: Front");
}

Test(route, bad_device_specifications_are_refused)
{
	char h[LC_ROUTE_HOST_API_BYTES], d[LC_ROUTE_DEVICE_BYTES];
	char long_name[LC_ROUTE_DEVICE_BYTES + 8];
	memset(long_name, 'n', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	cr_expect_eq(lc_route_parse_device(long_name, h, d), LC_E_INVALID);
	cr_expect_eq(lc_route_parse_device("WASAPI:", h, d), LC_E_INVALID);
	cr_expect_eq(lc_route_parse_device("tab\there", h, d), LC_E_INVALID);
	cr_expect_eq(lc_route_parse_device(NULL, h, d), LC_E_INVALID);
}

Test(route, formatting_gives_back_what_parses_to_the_same_fields)
{
	static const char *const specs[] = {"default", "Speakers", "WASAPI:Speakers (Null Output)",
					     "DirectSound:Mic", "MME:Line 1"};
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
		char h[LC_ROUTE_HOST_API_BYTES], d[LC_ROUTE_DEVICE_BYTES], text[200];
		cr_assert_eq(lc_route_parse_device(specs[i], h, d), 0);
		lc_route_format_device(h, d, text, sizeof text);
		cr_expect_str_eq(text, specs[i]);
	}
	char small[8];
	lc_route_format_device("Windows WASAPI", "Speakers", small, sizeof small);
	cr_expect_str_eq(small, "WASAPI:");
}

Test(route, names_for_people)
{
	cr_expect_str_eq(lc_route_dir_name(LC_ROUTE_TO_DEVICE), "listen");
	cr_expect_str_eq(lc_route_dir_name(LC_ROUTE_FROM_DEVICE), "feed");
	cr_expect_str_eq(lc_route_dir_name(7), "?");
	cr_expect_str_eq(lc_route_host_api_full("wasapi"), "Windows WASAPI");
	cr_expect_null(lc_route_host_api_full("Jack"));
}

Test(route, rtp_endpoints_parse_into_host_api_rtp_and_the_canonical_url)
{
	expect_parse("rtp://192.0.2.10:5004", "RTP", "rtp://192.0.2.10:5004");
	expect_parse("RTP://[FD00::20]:5004?ptime=1.000&format=l16", "RTP",
		     "rtp://[fd00::20]:5004?format=L16");
	expect_parse("rtp://239.69.1.2:5004?ttl=16&pt=97", "RTP", "rtp://239.69.1.2:5004?pt=97");
}

Test(route, invalid_rtp_endpoints_are_refused)
{
	static const char *const bad[] = {"rtp://", "rtp://h:0", "rtp://h:5004x",
					  "rtp://h:5004?ptime=", "rtp://h:5004?pt=96&pt=96"};
	char long_url[LC_ROUTE_DEVICE_BYTES + 64], label[64];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char h[LC_ROUTE_HOST_API_BYTES] = "junk", d[LC_ROUTE_DEVICE_BYTES] = "junk";
		cr_expect_eq(lc_route_parse_device(bad[i], h, d), LC_E_INVALID, "%s", bad[i]);
		cr_expect_str_neq(h, "RTP", "%s", bad[i]);
	}
	/* a valid endpoint whose canonical text (> 127 bytes) does not fit the device field */
	memset(label, 'a', 63);
	label[63] = '\0';
	snprintf(long_url, sizeof long_url, "rtp://%s:5004?iface=fd00:1111:2222:3333:4444:5555:"
		 "6666:7777&conceal=silence", label);
	char h[LC_ROUTE_HOST_API_BYTES], d[LC_ROUTE_DEVICE_BYTES];
	cr_expect_eq(lc_route_parse_device(long_url, h, d), LC_E_INVALID);
}

Test(route, rtp_endpoints_are_shown_as_they_are)
{
	char h[LC_ROUTE_HOST_API_BYTES], d[LC_ROUTE_DEVICE_BYTES], text[200];

	cr_assert_eq(lc_route_parse_device("rtp://[::1]:5004?rate=96000", h, d), 0);
	lc_route_format_device(h, d, text, sizeof text);
	cr_expect_str_eq(text, "rtp://[::1]:5004?rate=96000");
}

Test(route, a_network_route_is_checked_by_its_endpoint)
{
	const char *why = "unset";

	strcpy(route.host_api, "RTP");
	strcpy(route.device, "rtp://192.0.2.10:5004?ptime=0.25");
	cr_expect_eq(lc_route_check(&route, 2, &why), 0);
	cr_expect_null(why);
	route.dir = LC_ROUTE_FROM_DEVICE;
	strcpy(route.device, "rtp://0.0.0.0:5004");
	cr_expect_eq(lc_route_check(&route, 2, &why), 0);

	strcpy(route.host_api, "RTP");
	strcpy(route.device, "rtp://192.0.2.10:5004?ptime=5");
	expect_invalid("an endpoint with ptime 5 ms");
	strcpy(route.host_api, "RTP");
	strcpy(route.device, "Speakers");
	expect_invalid("host API RTP with a device name");
	strcpy(route.host_api, "RTP");
	expect_invalid("host API RTP with no endpoint");
	strcpy(route.host_api, "RTP");
	memset(route.device, 'x', sizeof route.device);
	expect_invalid("host API RTP with an unterminated device");
	/* only the host API "RTP" makes a device an endpoint */
	strcpy(route.host_api, "rtp");
	strcpy(route.device, "rtp://192.0.2.10:5004");
	expect_invalid("host API rtp in lower case");
}

Test(route, the_endpoint_parsers_reason_reaches_the_user)
{
	const char *why = NULL;

	strcpy(route.host_api, "RTP");
	strcpy(route.device, "rtp://192.0.2.10:0");
	cr_expect_eq(lc_route_check(&route, 2, &why), LC_E_INVALID);
	cr_assert_not_null(why);
	cr_expect(strstr(why, "port") != NULL, "reason: %s", why);
}
