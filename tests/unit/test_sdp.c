/* SPDX-License-Identifier: MIT */
/*
 * test_sdp.c — session descriptions: what we write (exact text, AES67 attributes,
 * multicast TTL, IPv6) parses back to the same stream; GStreamer- and AES67-style
 * descriptions written by hand parse; every malformed or unplayable one is refused
 * with its fault and line.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_result.h"
#include "lc_sdp.h"

static struct lc_sdp_stream
ours(void)
{
	struct lc_sdp_stream s;

	memset(&s, 0, sizeof s);
	s.fmt = (struct lc_rtp_format){ LC_RTP_L24, 48000, 2, 96, 1000 };
	strcpy(s.address, "127.0.0.1");
	s.port = 5004;
	strcpy(s.origin, "127.0.0.1");
	strcpy(s.name, "LoopCable 1");
	s.session_id = 1234567890123ull;
	s.session_version = 1;
	s.rtp_offset = 2857740421u;
	return s;
}

static struct lc_sdp_stream
parse_ok(const char *text)
{
	struct lc_sdp_stream s;
	struct lc_sdp_error e;
	int r = lc_sdp_parse(text, strlen(text), &s, &e);

	cr_assert_eq(r, 0, "%s (%s) at line %u", lc_result_str(r), lc_sdp_fault_str(e.fault),
		     e.line);
	return s;
}

Test(sdp, written_text_is_exact)
{
	struct lc_sdp_stream s = ours();
	char buf[1024];
	const char *want = "v=0\r\n"
			   "o=- 1234567890123 1 IN IP4 127.0.0.1\r\n"
			   "s=LoopCable 1\r\n"
			   "c=IN IP4 127.0.0.1\r\n"
			   "t=0 0\r\n"
			   "a=recvonly\r\n"
			   "m=audio 5004 RTP/AVP 96\r\n"
			   "a=rtpmap:96 L24/48000/2\r\n"
			   "a=ptime:1\r\n"
			   "a=ts-refclk:local\r\n"
			   "a=mediaclk:direct=2857740421\r\n";
	int n = lc_sdp_write(&s, buf, sizeof buf);

	cr_assert_eq(n, (int)strlen(want), "%d: %s", n, buf);
	cr_expect_str_eq(buf, want);
	cr_expect_eq(lc_sdp_write(&s, buf, (size_t)n), LC_E_TOO_SMALL);
	cr_expect_eq(lc_sdp_write(&s, buf, (size_t)n + 1), n);
}

Test(sdp, written_parses_back)
{
	static const struct {
		uint32_t enc, rate, ch, pt, ptime_us;
		const char *addr;
		uint32_t ttl;
		const char *ptime_text;
	} cases[] = {
		{ LC_RTP_L24, 48000, 2, 96, 1000, "127.0.0.1", 0, "a=ptime:1\r\n" },
		{ LC_RTP_L16, 44100, 1, 97, 1000, "239.69.1.2", 32, "a=ptime:0.998\r\n" },
		{ LC_RTP_L24, 96000, 8, 127, 125, "192.168.1.20", 0, "a=ptime:0.125\r\n" },
		{ LC_RTP_L24, 48000, 6, 98, 4000, "ff05::1:3", 0, "a=ptime:4\r\n" },
		{ LC_RTP_L16, 48000, 2, 96, 250, "::1", 0, "a=ptime:0.25\r\n" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct lc_sdp_stream s = ours(), t;
		char buf[1024];

		s.fmt = (struct lc_rtp_format){ cases[i].enc, cases[i].rate, cases[i].ch,
						cases[i].pt, cases[i].ptime_us };
		strcpy(s.address, cases[i].addr);
		s.ttl = cases[i].ttl;
		cr_assert_gt(lc_sdp_write(&s, buf, sizeof buf), 0, "case %zu", i);
		cr_expect_not_null(strstr(buf, cases[i].ptime_text), "case %zu: %s", i, buf);
		t = parse_ok(buf);
		cr_expect_eq(t.fmt.encoding, s.fmt.encoding, "case %zu", i);
		cr_expect_eq(t.fmt.rate_hz, s.fmt.rate_hz, "case %zu", i);
		cr_expect_eq(t.fmt.channels, s.fmt.channels, "case %zu", i);
		cr_expect_eq(t.fmt.payload_type, s.fmt.payload_type, "case %zu", i);
		cr_expect_eq(lc_rtp_ptime_frames(t.fmt.rate_hz, t.fmt.ptime_us),
			     lc_rtp_ptime_frames(s.fmt.rate_hz, s.fmt.ptime_us), "case %zu", i);
		cr_expect_str_eq(t.address, s.address, "case %zu", i);
		cr_expect_eq(t.ttl, s.ttl, "case %zu", i);
		cr_expect_eq(t.ipv6, strchr(s.address, ':') != NULL, "case %zu", i);
		cr_expect_eq(t.port, 5004);
		cr_expect_str_eq(t.name, "LoopCable 1");
	}
}

Test(sdp, write_refuses_bad_fields)
{
	struct lc_sdp_stream s = ours();
	char buf[1024];

	strcpy(s.address, "239.1.1.1"); /* multicast IPv4 needs a TTL */
	cr_expect_eq(lc_sdp_write(&s, buf, sizeof buf), LC_E_INVALID);
	s.ttl = 256;
	cr_expect_eq(lc_sdp_write(&s, buf, sizeof buf), LC_E_INVALID);
	s = ours();
	strcpy(s.address, "300.1.1.1");
	cr_expect_eq(lc_sdp_write(&s, buf, sizeof buf), LC_E_INVALID);
	s = ours();
	strcpy(s.name, "two\r\nlines");
	cr_expect_eq(lc_sdp_write(&s, buf, sizeof buf), LC_E_INVALID);
	s = ours();
	strcpy(s.origin, "my-laptop");
	cr_expect_eq(lc_sdp_write(&s, buf, sizeof buf), LC_E_INVALID);
	s = ours();
	s.port = 0;
	cr_expect_eq(lc_sdp_write(&s, buf, sizeof buf), LC_E_INVALID);
	s = ours();
	s.fmt.channels = 9;
	cr_expect_eq(lc_sdp_write(&s, buf, sizeof buf), LC_E_FORMAT);
	cr_expect_eq(lc_sdp_is_multicast("239.255.255.255"), 1);
	cr_expect_eq(lc_sdp_is_multicast("224.0.0.1"), 1);
	cr_expect_eq(lc_sdp_is_multicast("240.0.0.1"), 0);
	cr_expect_eq(lc_sdp_is_multicast("ff02::1"), 1);
	cr_expect_eq(lc_sdp_is_multicast("fe80::1"), 0);
}

/* What GStreamer's rtpL24pay caps turn into (as gst-rtsp or a hand-written file give):
 * LF line ends, session-level c=, extra attributes, several payload types. */
Test(sdp, gstreamer_style_parses)
{
	struct lc_sdp_stream s = parse_ok("v=0\n"
					  "o=- 1188340656180883 1 IN IP4 127.0.0.1\n"
					  "s=Session streamed with GStreamer\n"
					  "i=rtpL24pay\n"
					  "c=IN IP4 127.0.0.1\n"
					  "t=0 0\n"
					  "a=tool:GStreamer\n"
					  "a=type:broadcast\n"
					  "m=audio 5004 RTP/AVP 96\n"
					  "a=rtpmap:96 L24/48000/2\n"
					  "a=framerate:0\n");

	cr_expect_eq(s.fmt.encoding, LC_RTP_L24);
	cr_expect_eq(s.fmt.rate_hz, 48000);
	cr_expect_eq(s.fmt.channels, 2);
	cr_expect_eq(s.fmt.payload_type, 96);
	cr_expect_eq(s.fmt.ptime_us, LC_RTP_PTIME_DEFAULT_US, "no a=ptime: the default");
	cr_expect_str_eq(s.address, "127.0.0.1");
	cr_expect_eq(s.port, 5004);
	cr_expect_eq(s.ttl, 0);
}

/* An AES67 device's announcement: multicast with TTL at media level, PTP reference,
 * video before audio, an unplayable type listed first. */
Test(sdp, aes67_style_parses)
{
	struct lc_sdp_stream s = parse_ok("v=0\r\n"
					  "o=- 1311738121 1311738121 IN IP4 192.168.1.1\r\n"
					  "s=Stage box 1\r\n"
					  "c=IN IP4 192.168.1.1\r\n"
					  "t=0 0\r\n"
					  "m=video 5000 RTP/AVP 31\r\n"
					  "a=rtpmap:31 H261/90000\r\n"
					  "a=ptime:20\r\n"
					  "m=audio 5004/1 RTP/AVP 98 97\r\n"
					  "c=IN IP4 239.69.83.133/32\r\n"
					  "a=rtpmap:98 opus/48000/2\r\n"
					  "a=rtpmap:97 l16/48000/8\r\n"
					  "a=ptime:0.125\r\n"
					  "a=ts-refclk:ptp=IEEE1588-2008:"
					  "00-1D-C1-FF-FE-12-00-A4:0\r\n"
					  "a=mediaclk:direct=0\r\n");

	cr_expect_eq(s.fmt.encoding, LC_RTP_L16);
	cr_expect_eq(s.fmt.channels, 8);
	cr_expect_eq(s.fmt.payload_type, 97);
	cr_expect_eq(s.fmt.ptime_us, 125);
	cr_expect_str_eq(s.address, "239.69.83.133");
	cr_expect_eq(s.ttl, 32);
	cr_expect_eq(s.port, 5004);
	cr_expect_str_eq(s.name, "Stage box 1");
}

Test(sdp, static_payload_type_10)
{
	struct lc_sdp_stream s = parse_ok("v=0\nc=IN IP4 10.0.0.2\nm=audio 6000 RTP/AVP 10\n");

	cr_expect_eq(s.fmt.encoding, LC_RTP_L16);
	cr_expect_eq(s.fmt.rate_hz, 44100);
	cr_expect_eq(s.fmt.channels, 2);
	cr_expect_eq(s.fmt.payload_type, 10);
}

static void
refused(const char *text, int result, enum lc_sdp_fault fault, uint32_t line)
{
	struct lc_sdp_stream s;
	struct lc_sdp_error e;
	int r = lc_sdp_parse(text, strlen(text), &s, &e);

	cr_expect_eq(r, result, "%s: got %s", text, lc_result_str(r));
	cr_expect_eq(e.fault, (uint32_t)fault, "%s: got '%s'", text, lc_sdp_fault_str(e.fault));
	cr_expect_eq(e.line, line, "%s: line %u", text, e.line);
}

Test(sdp, bad_sdp_refused)
{
	const char *m = "m=audio 5004 RTP/AVP 96\na=rtpmap:96 L24/48000/2\n";
	char buf[512];

	refused("", LC_E_CORRUPT, LC_SDP_FAULT_VERSION, 0);
	refused("v=1\n", LC_E_CORRUPT, LC_SDP_FAULT_VERSION, 1);
	refused("o=- 1 1 IN IP4 1.2.3.4\nv=0\n", LC_E_CORRUPT, LC_SDP_FAULT_VERSION, 1);
	refused("v=0\nnonsense\n", LC_E_CORRUPT, LC_SDP_FAULT_SYNTAX, 2);
	refused("v=0\nX=1\n", LC_E_CORRUPT, LC_SDP_FAULT_SYNTAX, 2);
	refused("v=0\nc=IN IP4 1.2.3.4\n", LC_E_CORRUPT, LC_SDP_FAULT_NO_AUDIO, 0);
	refused("v=0\nc=IN IP4 1.2.3.4\nm=audio 5004 RTP/SAVP 96\n", LC_E_CORRUPT,
		LC_SDP_FAULT_NO_AUDIO, 0);
	snprintf(buf, sizeof buf, "v=0\n%s", m);
	refused(buf, LC_E_CORRUPT, LC_SDP_FAULT_NO_ADDRESS, 0);
	snprintf(buf, sizeof buf, "v=0\nc=IN IP4 1.2.3\n%s", m);
	refused(buf, LC_E_CORRUPT, LC_SDP_FAULT_ADDRESS, 2);
	snprintf(buf, sizeof buf, "v=0\nc=IN IP4 256.1.1.1\n%s", m);
	refused(buf, LC_E_CORRUPT, LC_SDP_FAULT_ADDRESS, 2);
	snprintf(buf, sizeof buf, "v=0\nc=IN IPX 1.1.1.1\n%s", m);
	refused(buf, LC_E_CORRUPT, LC_SDP_FAULT_ADDRESS, 2);
	snprintf(buf, sizeof buf, "v=0\nc=IN IP4 239.1.1.1/300\n%s", m);
	refused(buf, LC_E_CORRUPT, LC_SDP_FAULT_ADDRESS, 2);
	refused("v=0\nc=IN IP4 1.1.1.1\nm=audio 0 RTP/AVP 96\n", LC_E_CORRUPT,
		LC_SDP_FAULT_PORT, 3);
	refused("v=0\nc=IN IP4 1.1.1.1\nm=audio 70000 RTP/AVP 96\n", LC_E_CORRUPT,
		LC_SDP_FAULT_PORT, 3);
	refused("v=0\nc=IN IP4 1.1.1.1\nm=audio 5004 RTP/AVP 200\n", LC_E_CORRUPT,
		LC_SDP_FAULT_SYNTAX, 3);
	refused("v=0\nc=IN IP4 1.1.1.1\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 L24\n",
		LC_E_CORRUPT, LC_SDP_FAULT_SYNTAX, 4);
	refused("v=0\nc=IN IP4 1.1.1.1\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 opus/48000/2\n",
		LC_E_FORMAT, LC_SDP_FAULT_ENCODING, 0);
	refused("v=0\nc=IN IP4 1.1.1.1\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 L24/48000/9\n",
		LC_E_FORMAT, LC_SDP_FAULT_FORMAT, 0);
	refused("v=0\nc=IN IP4 1.1.1.1\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 L24/48000/2\n"
		"a=ptime:20\n",
		LC_E_FORMAT, LC_SDP_FAULT_FORMAT, 0);
	refused("v=0\nc=IN IP4 1.1.1.1\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 L24/48000/2\n"
		"a=ptime:1,5\n",
		LC_E_CORRUPT, LC_SDP_FAULT_SYNTAX, 5);
	memset(buf, 'x', sizeof buf);
	memcpy(buf, "v=0\nc=IN IP4 ", 13);
	buf[sizeof buf - 1] = '\0';
	refused(buf, LC_E_CORRUPT, LC_SDP_FAULT_TOO_LONG, 2);
	cr_expect_eq(lc_sdp_parse(NULL, 0, &(struct lc_sdp_stream){ 0 }, NULL), LC_E_INVALID);
}

/* Never past len: the text is cut before its last line's end, without a NUL. */
Test(sdp, length_bounds_the_text)
{
	const char *t = "v=0\nc=IN IP4 10.0.0.1\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 L24/48000/2";
	size_t n = strlen(t);
	char *copy = malloc(n);
	struct lc_sdp_stream s;

	memcpy(copy, t, n); /* no terminator: ASan sees a read past it */
	cr_expect_eq(lc_sdp_parse(copy, n, &s, NULL), 0);
	cr_expect_eq(s.fmt.channels, 2);
	cr_expect_eq(lc_sdp_parse(copy, n - 2, &s, NULL), 0);
	cr_expect_eq(s.fmt.channels, 1, "'L24/48000/2' cut to 'L24/48000': one channel");
	free(copy);
}
