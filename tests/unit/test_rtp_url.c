/* SPDX-License-Identifier: MIT */
/*
 * test_rtp_url.c — the rtp:// endpoint text: the defaults, every key with its range
 * edges, IPv6 and host names, malformed text refused with a reason, and the canonical
 * form (parse -> format -> parse gives the same endpoint; defaults are left out).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lc_jitter.h"
#include "lc_result.h"
#include "lc_rtp_url.h"

static struct lc_rtp_endpoint
parse_ok(const char *text)
{
	struct lc_rtp_endpoint ep;
	const char *why = "unset";
	int r;

	memset(&ep, 0xa5, sizeof ep);
	r = lc_rtp_url_parse(text, &ep, &why);
	cr_assert_eq(r, 0, "%s refused: %s", text, why ? why : "(no reason)");
	cr_expect_null(why, "%s: a reason on success", text);
	return ep;
}

static void
refused(const char *text)
{
	struct lc_rtp_endpoint ep;
	const char *why = NULL;

	lc_rtp_endpoint_default(&ep);
	strcpy(ep.host, "untouched");
	cr_expect_eq(lc_rtp_url_parse(text, &ep, &why), LC_E_INVALID, "%s accepted", text);
	cr_expect_not_null(why, "%s: no reason", text);
	cr_expect_str_eq(ep.host, "untouched", "%s: endpoint written on failure", text);
}

static void
canonical(const char *text, const char *want)
{
	struct lc_rtp_endpoint a = parse_ok(text), b;
	char buf[256];

	cr_assert_eq(lc_rtp_url_format(&a, buf, sizeof buf), (int)strlen(want), "%s", text);
	cr_expect_str_eq(buf, want, "%s", text);
	b = parse_ok(buf);
	cr_expect_eq(memcmp(&a, &b, sizeof a), 0, "%s -> %s does not parse back equal", text,
		     buf);
}

Test(rtp_url, defaults)
{
	struct lc_rtp_endpoint ep = parse_ok("rtp://192.0.2.10:5004");

	cr_expect_str_eq(ep.host, "192.0.2.10");
	cr_expect_eq(ep.ipv6_literal, 0);
	cr_expect_eq(ep.port, 5004);
	cr_expect_eq(ep.fmt.encoding, LC_RTP_L24);
	cr_expect_eq(ep.fmt.rate_hz, 48000);
	cr_expect_eq(ep.fmt.channels, 2);
	cr_expect_eq(ep.fmt.ptime_us, 1000);
	cr_expect_eq(ep.fmt.payload_type, 96);
	cr_expect_eq(ep.ttl, 16);
	cr_expect_eq(ep.dscp, 0);
	cr_expect_str_empty(ep.iface);
	cr_expect_eq(ep.conceal, LC_JITTER_CONCEAL_REPEAT_FADE);
}

Test(rtp_url, default_endpoint_has_no_host_and_port_0)
{
	struct lc_rtp_endpoint ep;

	memset(&ep, 0xa5, sizeof ep);
	lc_rtp_endpoint_default(&ep);
	cr_expect_str_empty(ep.host);
	cr_expect_eq(ep.port, 0);
	cr_expect_eq(ep.ipv6_literal, 0);
	cr_expect_eq(lc_rtp_format_check(&ep.fmt), 0);
}

Test(rtp_url, every_key)
{
	struct lc_rtp_endpoint ep = parse_ok(
		"rtp://239.69.1.2:5006?format=L16&rate=96000&channels=8&ptime=0.25&pt=127"
		"&ttl=1&dscp=34&iface=192.168.1.5&conceal=silence");

	cr_expect_str_eq(ep.host, "239.69.1.2");
	cr_expect_eq(ep.port, 5006);
	cr_expect_eq(ep.fmt.encoding, LC_RTP_L16);
	cr_expect_eq(ep.fmt.rate_hz, 96000);
	cr_expect_eq(ep.fmt.channels, 8);
	cr_expect_eq(ep.fmt.ptime_us, 250);
	cr_expect_eq(ep.fmt.payload_type, 127);
	cr_expect_eq(ep.ttl, 1);
	cr_expect_eq(ep.dscp, 34);
	cr_expect_str_eq(ep.iface, "192.168.1.5");
	cr_expect_eq(ep.conceal, LC_JITTER_CONCEAL_SILENCE);
}

Test(rtp_url, scheme_keys_and_words_ignore_case)
{
	struct lc_rtp_endpoint ep = parse_ok("RTP://h:5004?FORMAT=l16&Conceal=FADE&Rate=44100");

	cr_expect_eq(ep.fmt.encoding, LC_RTP_L16);
	cr_expect_eq(ep.conceal, LC_JITTER_CONCEAL_REPEAT_FADE);
	cr_expect_eq(ep.fmt.rate_hz, 44100);
	cr_expect_eq(lc_rtp_url_is("Rtp://x"), 1);
	cr_expect_eq(lc_rtp_url_is("rtp:/x"), 0);
	cr_expect_eq(lc_rtp_url_is("rtp:"), 0);
	cr_expect_eq(lc_rtp_url_is("WASAPI:Speakers"), 0);
	cr_expect_eq(lc_rtp_url_is(NULL), 0);
}

Test(rtp_url, range_edges_accepted)
{
	cr_expect_eq(parse_ok("rtp://h:1").port, 1);
	cr_expect_eq(parse_ok("rtp://h:65535").port, 65535);
	cr_expect_eq(parse_ok("rtp://h:5004?channels=1").fmt.channels, 1);
	cr_expect_eq(parse_ok("rtp://h:5004?channels=8").fmt.channels, 8);
	cr_expect_eq(parse_ok("rtp://h:5004?ptime=0.125").fmt.ptime_us, 125);
	cr_expect_eq(parse_ok("rtp://h:5004?ptime=4").fmt.ptime_us, 4000);
	cr_expect_eq(parse_ok("rtp://h:5004?ptime=4.000").fmt.ptime_us, 4000);
	cr_expect_eq(parse_ok("rtp://h:5004?ptime=1.5").fmt.ptime_us, 1500);
	cr_expect_eq(parse_ok("rtp://h:5004?ptime=0.333").fmt.ptime_us, 333);
	cr_expect_eq(parse_ok("rtp://h:5004?pt=96").fmt.payload_type, 96);
	cr_expect_eq(parse_ok("rtp://h:5004?pt=127").fmt.payload_type, 127);
	cr_expect_eq(parse_ok("rtp://h:5004?ttl=1").ttl, 1);
	cr_expect_eq(parse_ok("rtp://h:5004?ttl=255").ttl, 255);
	cr_expect_eq(parse_ok("rtp://h:5004?dscp=0").dscp, 0);
	cr_expect_eq(parse_ok("rtp://h:5004?dscp=63").dscp, 63);
	cr_expect_eq(parse_ok("rtp://h:5004?rate=44100").fmt.rate_hz, 44100);
	cr_expect_eq(parse_ok("rtp://h:5004?rate=48000").fmt.rate_hz, 48000);
	cr_expect_eq(parse_ok("rtp://h:5004?rate=96000").fmt.rate_hz, 96000);
	cr_expect_eq(parse_ok("rtp://h:5004?format=L24").fmt.encoding, LC_RTP_L24);
	/* the largest packet: 4 ms of 96 kHz, 8 channels */
	cr_expect_eq(parse_ok("rtp://h:5004?rate=96000&channels=8&ptime=4").fmt.ptime_us, 4000);
}

Test(rtp_url, range_edges_refused)
{
	refused("rtp://h:0");
	refused("rtp://h:65536");
	refused("rtp://h:99999999999");
	refused("rtp://h:5004?channels=0");
	refused("rtp://h:5004?channels=9");
	refused("rtp://h:5004?ptime=0.124");
	refused("rtp://h:5004?ptime=4.001");
	refused("rtp://h:5004?ptime=0");
	refused("rtp://h:5004?ptime=0.1255");
	refused("rtp://h:5004?ptime=1.");
	refused("rtp://h:5004?ptime=.5");
	refused("rtp://h:5004?ptime=1,5");
	refused("rtp://h:5004?ptime=4294967.296");
	refused("rtp://h:5004?pt=95");
	refused("rtp://h:5004?pt=128");
	refused("rtp://h:5004?ttl=0");
	refused("rtp://h:5004?ttl=256");
	refused("rtp://h:5004?dscp=64");
	refused("rtp://h:5004?rate=32000");
	refused("rtp://h:5004?rate=4294967344");
	refused("rtp://h:5004?format=L20");
	refused("rtp://h:5004?format=L2");
	refused("rtp://h:5004?format=L240");
	refused("rtp://h:5004?conceal=repeat");
	refused("rtp://h:5004?iface=eth0");
	refused("rtp://h:5004?iface=[::1]");
}

Test(rtp_url, numbers_are_plain_digits)
{
	refused("rtp://h:+5004");
	refused("rtp://h:-5004");
	refused("rtp://h:5004x");
	refused("rtp://h:0x13");
	refused("rtp://h:5004?pt=+96");
	refused("rtp://h:5004?pt=-96");
	refused("rtp://h:5004?pt=96x");
	refused("rtp://h:5004?ttl=1e2");
	refused("rtp://h:5004?ptime=+1");
	refused("rtp://h:5004?ptime=-1");
	refused("rtp://h:5004?ptime=1ms");
	refused("rtp://h:5004?dscp=000000000000034");
}

Test(rtp_url, ipv6)
{
	struct lc_rtp_endpoint ep = parse_ok("rtp://[FD00::20]:5004");

	cr_expect_str_eq(ep.host, "fd00::20");
	cr_expect_eq(ep.ipv6_literal, 1);
	cr_expect_eq(ep.port, 5004);
	cr_expect_str_eq(parse_ok("rtp://[::]:5004").host, "::");
	cr_expect_str_eq(parse_ok("rtp://[ff02::1%eth0]:5004").host, "ff02::1%eth0");
	cr_expect_str_eq(parse_ok("rtp://[fe80::1%12]:5004").host, "fe80::1%12");
	cr_expect_str_eq(parse_ok("rtp://[::ffff:192.0.2.1]:5004").host, "::ffff:192.0.2.1");
	cr_expect_str_eq(parse_ok("rtp://h:5004?iface=fe80::2%3").iface, "fe80::2%3");
	refused("rtp://[]:5004");
	refused("rtp://[fd00::20:5004");
	refused("rtp://[fd00::20]5004");
	refused("rtp://[fd00::20]");
	refused("rtp://fd00::20:5004");
	refused("rtp://[fd00::g]:5004");
	refused("rtp://[fd00]:5004");
	refused("rtp://[fd00::1%]:5004");
	refused("rtp://[fd00::1%et-h0]:5004");
	refused("rtp://[192.0.2.1]:5004");
}

Test(rtp_url, ipv4_and_host_names)
{
	cr_expect_str_eq(parse_ok("rtp://0.0.0.0:5004").host, "0.0.0.0");
	cr_expect_str_eq(parse_ok("rtp://255.255.255.255:5004").host, "255.255.255.255");
	cr_expect_str_eq(parse_ok("rtp://Studio-PC:5004").host, "studio-pc");
	cr_expect_str_eq(parse_ok("rtp://a.b-c.example:5004").host, "a.b-c.example");
	cr_expect_str_eq(parse_ok("rtp://1host:5004").host, "1host");
	cr_expect_str_eq(parse_ok("rtp://localhost:5004").host, "localhost");
	refused("rtp://256.1.1.1:5004");
	refused("rtp://1.2.3:5004");
	refused("rtp://1.2.3.4.5:5004");
	refused("rtp://01.2.3.4:5004");
	refused("rtp://1234:5004");
	refused("rtp://-host:5004");
	refused("rtp://host-:5004");
	refused("rtp://a..b:5004");
	refused("rtp://.a:5004");
	refused("rtp://a.:5004");
	refused("rtp://under_score:5004");
	refused("rtp://user@host:5004");
	refused("rtp://h\xc3\xa9:5004");
}

Test(rtp_url, garbage_is_refused)
{
	refused("");
	refused("rtp://");
	refused("rtp://:5004");
	refused("rtp://h");
	refused("rtp://h:");
	refused("rtp://h:5004/");
	refused("rtp://h:5004#x");
	refused("udp://h:5004");
	refused("rtp:/h:5004");
	refused(" rtp://h:5004");
	refused("rtp://h:5004 ");
	refused("rtp://h:5004?");
	refused("rtp://h:5004?ptime=");
	refused("rtp://h:5004?ptime");
	refused("rtp://h:5004?=1");
	refused("rtp://h:5004?ptime=1&");
	refused("rtp://h:5004?ptime=1&&pt=97");
	refused("rtp://h:5004?ptime=1&ptime=1");
	refused("rtp://h:5004?ptime=1&PTIME=2");
	refused("rtp://h:5004?bitrate=1");
	refused("rtp://h:5004?pt=97?ttl=2");
	refused("rtp://h:5004?pt=97;ttl=2");
	refused("rtp://h\t:5004");
	refused("rtp://h:5004?conceal=fade\n");
	refused("rtp://h:5004\x7f");
}

Test(rtp_url, too_long)
{
	char text[256], label[70];

	/* 63 characters of host fit the 64-byte field; 64 do not */
	memset(label, 'a', 63);
	label[63] = '\0';
	snprintf(text, sizeof text, "rtp://%s:5004", label);
	cr_expect_str_eq(parse_ok(text).host, label);
	snprintf(text, sizeof text, "rtp://a.%s:5004", label);
	refused(text);
	memset(label, 'a', 64);
	label[64] = '\0';
	snprintf(text, sizeof text, "rtp://%s:5004", label); /* a label over 63 as well */
	refused(text);
}

Test(rtp_url, null_arguments)
{
	struct lc_rtp_endpoint ep;
	const char *why = NULL;
	char buf[8] = "x";

	cr_expect_eq(lc_rtp_url_parse(NULL, &ep, &why), LC_E_INVALID);
	cr_expect_not_null(why);
	cr_expect_eq(lc_rtp_url_parse("rtp://h:1", NULL, &why), LC_E_INVALID);
	cr_expect_eq(lc_rtp_url_parse("rtp://h:1", &ep, NULL), 0);
	cr_expect_eq(lc_rtp_url_parse("rtp://h:0", &ep, NULL), LC_E_INVALID);
	cr_expect_eq(lc_rtp_url_format(NULL, buf, sizeof buf), -1);
	cr_expect_str_empty(buf);
}

Test(rtp_url, canonical_form_leaves_out_defaults)
{
	canonical("rtp://192.0.2.10:5004", "rtp://192.0.2.10:5004");
	canonical("rtp://192.0.2.10:5004?format=L24&rate=48000&channels=2&ptime=1&pt=96&ttl=16"
		  "&dscp=0&conceal=fade",
		  "rtp://192.0.2.10:5004");
	canonical("rtp://[::1]:5004", "rtp://[::1]:5004");
	canonical("RTP://Studio:5004?PTIME=1.000", "rtp://studio:5004");
}

Test(rtp_url, canonical_form_orders_keys_as_the_header_lists_them)
{
	canonical("rtp://h:5004?conceal=SILENCE&iface=10.0.0.1&dscp=34&ttl=32&pt=97&ptime=0.250"
		  "&channels=1&rate=96000&format=l16",
		  "rtp://h:5004?format=L16&rate=96000&channels=1&ptime=0.25&pt=97&ttl=32&dscp=34"
		  "&iface=10.0.0.1&conceal=silence");
	canonical("rtp://h:5004?ptime=0.125", "rtp://h:5004?ptime=0.125");
	canonical("rtp://h:5004?ptime=4", "rtp://h:5004?ptime=4");
	canonical("rtp://h:5004?ptime=2.5", "rtp://h:5004?ptime=2.5");
	canonical("rtp://[FF3E::1%Eth0]:5004?iface=FE80::1",
		  "rtp://[ff3e::1%Eth0]:5004?iface=fe80::1");
}

Test(rtp_url, format_of_a_default_endpoint_is_host_and_port)
{
	struct lc_rtp_endpoint ep;
	char buf[64];

	lc_rtp_endpoint_default(&ep);
	strcpy(ep.host, "192.0.2.10");
	ep.port = 5004;
	cr_expect_eq(lc_rtp_url_format(&ep, buf, sizeof buf), 21);
	cr_expect_str_eq(buf, "rtp://192.0.2.10:5004");
	ep.ipv6_literal = 1;
	strcpy(ep.host, "fd00::20");
	cr_expect_eq(lc_rtp_url_format(&ep, buf, sizeof buf), 21);
	cr_expect_str_eq(buf, "rtp://[fd00::20]:5004");
}

Test(rtp_url, format_into_a_small_buffer_fails_with_an_empty_string)
{
	struct lc_rtp_endpoint ep = parse_ok("rtp://192.0.2.10:5004?pt=97");
	char buf[64];

	/* 27 characters: 28 bytes fit exactly, 27 do not */
	cr_expect_eq(lc_rtp_url_format(&ep, buf, 28), 27);
	cr_expect_str_eq(buf, "rtp://192.0.2.10:5004?pt=97");
	memset(buf, 'x', sizeof buf);
	cr_expect_eq(lc_rtp_url_format(&ep, buf, 27), -1);
	cr_expect_str_empty(buf);
	memset(buf, 'x', sizeof buf);
	cr_expect_eq(lc_rtp_url_format(&ep, buf, 1), -1);
	cr_expect_str_empty(buf);
	cr_expect_eq(lc_rtp_url_format(&ep, buf, 0), -1);
}

Test(rtp_url, every_valid_ptime_of_a_millisecond_grid_round_trips)
{
	char text[64], buf[64];

	for (unsigned us = LC_RTP_PTIME_MIN_US; us <= LC_RTP_PTIME_MAX_US; us++) {
		struct lc_rtp_endpoint ep;

		snprintf(text, sizeof text, "rtp://h:5004?ptime=%u.%03u", us / 1000, us % 1000);
		cr_assert_eq(lc_rtp_url_parse(text, &ep, NULL), 0, "%s", text);
		cr_assert_eq(ep.fmt.ptime_us, us, "%s", text);
		cr_assert_gt(lc_rtp_url_format(&ep, buf, sizeof buf), 0);
		memset(&ep, 0, sizeof ep);
		cr_assert_eq(lc_rtp_url_parse(buf, &ep, NULL), 0, "%s", buf);
		cr_assert_eq(ep.fmt.ptime_us, us, "%s -> %s", text, buf);
	}
}
