/* SPDX-License-Identifier: MIT */
/*
 * rt_net.c — a network route's sockets and threads (rt_net.h).
 */
#define _CRT_RAND_S /* rand_s: RFC 3550 wants unpredictable SSRC, seq and timestamp */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <mmsystem.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_chmap.h"
#include "lc_jitter.h"
#include "lc_result.h"
#include "lc_rtp.h"
#include "lc_sdp.h"
#include "rt_log.h"
#include "rt_net.h"

/* A sender that fell further behind its packet clock than this (its thread starved)
 * does not send the backlog in a burst a receiver could not take: it skips the time
 * (the timestamp moves on, the next packet is marked) and goes on from now. */
#define SEND_BEHIND_MAX_MS 100u
/* The receive thread wakes at least this often to see whether it should stop. */
#define RECV_TIMEOUT_MS 100
/* Room for any datagram we could accept (the largest packet plus CSRCs and an
 * extension header); a longer one is refused by the size alone. */
#define RECV_BYTES (LC_RTP_MAX_PACKET_BYTES + 2048)
/* The cable player asks for a buffer at a time (at most a few ms); pulled in pieces. */
#define PULL_FRAMES 1024u
/* Our socket buffers: a second of the largest stream, so that a thread that is late
 * does not lose packets in the kernel. */
#define SOCKET_BUFFER_BYTES (1 << 20)

struct rt_net {
	bool sender;
	SOCKET sock;
	HANDLE thread;
	atomic_bool stop;
	atomic_bool failed;
	_Atomic uint64_t progress;
	struct lc_rtp_endpoint ep;
	uint32_t cable_channels;
	struct lc_chmap map; /* send: cable -> stream channels; receive: stream -> cable */
	LARGE_INTEGER qpc_hz;

	/* Send. */
	struct lc_bridge *bridge;
	struct lc_rtp_packetizer pz;
	struct sockaddr_storage to;
	int to_len;
	float *cable_frames;  /* one packet at the cable's channel count */
	float *stream_frames; /* one packet at the stream's */
	_Atomic uint64_t sent, send_failures, skips;

	/* Receive: the lock serialises every jitter-buffer call (lc_jitter.h). */
	CRITICAL_SECTION lock;
	bool have_lock;
	struct lc_jitter *jitter;
	float *pulled;        /* PULL_FRAMES at the stream's channel count */
	_Atomic uint64_t oversized;
};

int rt_net_startup(void)
{
	WSADATA data;
	return WSAStartup(MAKEWORD(2, 2), &data) == 0 ? 0 : LC_E_STATE;
}

void rt_net_cleanup(void)
{
	WSACleanup();
}

static uint64_t now_ticks(void)
{
	LARGE_INTEGER t;
	QueryPerformanceCounter(&t);
	return (uint64_t)t.QuadPart;
}

/* Counter ticks of `frames` at `rate`, without overflow for years of frames. */
static uint64_t frames_to_ticks(uint64_t frames, uint32_t rate, uint64_t hz)
{
	return frames / rate * hz + frames % rate * hz / rate;
}

static uint32_t random32(void)
{
	unsigned int v = 0;
	if (rand_s(&v) != 0) /* no system generator: still differs per start */
		v = (unsigned int)(now_ticks() * 2654435761u) ^ GetCurrentProcessId();
	return v;
}

static void say(char *why, size_t bytes, const char *what, int wsa)
{
	if (wsa)
		snprintf(why, bytes, "%s (Winsock error %d)", what, wsa);
	else
		snprintf(why, bytes, "%s", what);
}

/* The host's address: numeric or resolved.  `passive`: for binding. */
static int resolve(const struct lc_rtp_endpoint *ep, const char *host, bool passive,
		   struct sockaddr_storage *addr, int *len)
{
	struct addrinfo hints = {0}, *res = NULL;
	char port[8];
	snprintf(port, sizeof(port), "%u", ep->port);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_protocol = IPPROTO_UDP;
	hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
	int rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0 || !res)
		return rc ? rc : WSAHOST_NOT_FOUND;
	memcpy(addr, res->ai_addr, res->ai_addrlen);
	*len = (int)res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static bool is_multicast(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >> 28) == 0xE;
	return ((const struct sockaddr_in6 *)a)->sin6_addr.s6_addr[0] == 0xFF;
}

static struct rt_net *new_net(const struct lc_rtp_endpoint *ep, bool sender, uint32_t cable_channels)
{
	struct rt_net *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->sender = sender;
	n->sock = INVALID_SOCKET;
	n->ep = *ep;
	n->cable_channels = cable_channels;
	QueryPerformanceFrequency(&n->qpc_hz);
	return n;
}

/* ---- send ---------------------------------------------------------------------- */

static void send_one(struct rt_net *n, uint8_t *pkt, size_t cap)
{
	uint32_t frames = n->pz.frames_per_packet, done = 0;
	lc_bridge_pull(n->bridge, n->cable_frames, frames);
	lc_chmap_process(&n->map, n->stream_frames, n->cable_frames, frames);
	while (done < frames) {
		uint32_t used = 0;
		int len = lc_rtp_packetizer_put(&n->pz, n->stream_frames + (size_t)done * n->ep.fmt.channels,
						frames - done, &used, pkt, cap);
		if (len < 0 || used == 0)
			break;
		done += used;
		if (len > 0) {
			/* A refusal (no route to the host, a full queue) loses this packet only;
			 * counted, and the stream goes on — a receiver may come and go. */
			if (sendto(n->sock, (const char *)pkt, len, 0, (const struct sockaddr *)&n->to,
				   n->to_len) == len)
				atomic_fetch_add(&n->sent, 1);
			else
				atomic_fetch_add(&n->send_failures, 1);
		}
	}
	atomic_fetch_add(&n->progress, frames);
}

/*
 * Packet k holds the stream's frames [k·F, (k+1)·F) and leaves once the last of them is
 * due by the counter.  The thread sleeps a timer tick (1 ms with timeBeginPeriod) between
 * packets, so a 1 ms stream goes out one packet or two at a time.
 */
static DWORD WINAPI send_loop(void *arg)
{
	struct rt_net *n = arg;
	uint8_t *pkt = malloc(LC_RTP_MAX_PACKET_BYTES);
	uint64_t hz = (uint64_t)n->qpc_hz.QuadPart;
	uint32_t rate = n->ep.fmt.rate_hz, per_packet = n->pz.frames_per_packet;
	uint64_t behind_max = frames_to_ticks((uint64_t)rate * SEND_BEHIND_MAX_MS / 1000, rate, hz);
	uint64_t start = now_ticks(), packets = 0;

	if (!pkt) {
		atomic_store(&n->failed, true);
		return 1;
	}
	timeBeginPeriod(1);
	SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_TIME_CRITICAL);
	while (!atomic_load(&n->stop)) {
		uint64_t now = now_ticks();
		uint64_t due = start + frames_to_ticks((packets + 1) * per_packet, rate, hz);
		if (now > due && now - due > behind_max) {
			uint64_t missed = (now - due) * rate / hz / per_packet;
			lc_rtp_packetizer_skip(&n->pz, (uint32_t)(missed * per_packet));
			packets += missed;
			atomic_fetch_add(&n->skips, 1);
			continue;
		}
		while (now >= due && !atomic_load(&n->stop)) {
			send_one(n, pkt, LC_RTP_MAX_PACKET_BYTES);
			packets++;
			due = start + frames_to_ticks((packets + 1) * per_packet, rate, hz);
		}
		Sleep(1);
	}
	timeEndPeriod(1);
	free(pkt);
	return 0;
}

/* The local address a packet to `to` leaves from: the SDP's origin. */
static void local_address_for(const struct sockaddr_storage *to, int to_len, char *out, size_t bytes)
{
	struct sockaddr_storage local;
	int len = sizeof(local);
	SOCKET s = socket(to->ss_family, SOCK_DGRAM, IPPROTO_UDP);
	out[0] = '\0';
	if (s == INVALID_SOCKET)
		return;
	if (connect(s, (const struct sockaddr *)to, to_len) == 0 &&
	    getsockname(s, (struct sockaddr *)&local, &len) == 0) {
		char text[INET6_ADDRSTRLEN];
		const void *a = local.ss_family == AF_INET
			? (const void *)&((struct sockaddr_in *)&local)->sin_addr
			: (const void *)&((struct sockaddr_in6 *)&local)->sin6_addr;
		if (inet_ntop(local.ss_family, a, text, sizeof(text)))
			snprintf(out, bytes, "%s", text);
	}
	closesocket(s);
}

static void write_sdp(struct rt_net *n, const wchar_t *path, const char *name)
{
	struct lc_sdp_stream s = {0};
	char text[2048];
	char address[INET6_ADDRSTRLEN];
	const void *a = n->to.ss_family == AF_INET
		? (const void *)&((struct sockaddr_in *)&n->to)->sin_addr
		: (const void *)&((struct sockaddr_in6 *)&n->to)->sin6_addr;

	if (!inet_ntop(n->to.ss_family, a, address, sizeof(address)))
		return;
	s.fmt = n->ep.fmt;
	snprintf(s.address, sizeof(s.address), "%s", address);
	s.ipv6 = n->to.ss_family == AF_INET6;
	s.port = n->ep.port;
	s.ttl = is_multicast(&n->to) && !s.ipv6 ? n->ep.ttl : 0;
	local_address_for(&n->to, n->to_len, s.origin, sizeof(s.origin));
	snprintf(s.name, sizeof(s.name), "%s", name);
	s.session_id = ((uint64_t)random32() << 16) ^ random32();
	s.session_version = 1;
	s.rtp_offset = n->pz.timestamp;
	int len = lc_sdp_write(&s, text, sizeof(text));
	if (len <= 0) {
		RT_LOG("no SDP written for %s: %d", address, len);
		return;
	}
	/* Written whole to a temporary name and moved over the old one: a receiver
	 * reading it never sees half a description. */
	wchar_t temp[MAX_PATH];
	if (swprintf(temp, MAX_PATH, L"%ls.new", path) < 0)
		return;
	HANDLE f = CreateFileW(temp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
	if (f == INVALID_HANDLE_VALUE) {
		RT_LOG("cannot write %ls: error %lu", temp, GetLastError());
		return;
	}
	DWORD wrote = 0;
	BOOL ok = WriteFile(f, text, (DWORD)len, &wrote, NULL) && wrote == (DWORD)len;
	CloseHandle(f);
	if (!ok || !MoveFileExW(temp, path, MOVEFILE_REPLACE_EXISTING)) {
		RT_LOG("cannot write %ls: error %lu", path, GetLastError());
		DeleteFileW(temp);
	}
}

static int set_send_options(struct rt_net *n, char *why, size_t why_bytes)
{
	bool v6 = n->to.ss_family == AF_INET6;
	int buf = SOCKET_BUFFER_BYTES;
	setsockopt(n->sock, SOL_SOCKET, SO_SNDBUF, (const char *)&buf, sizeof(buf));
	if (n->ep.dscp) {
		/* Windows applies it only where policy allows (docs/network.md); refused
		 * marking is logged, not fatal: the audio matters more than its class. */
		int tos = (int)(n->ep.dscp << 2);
		int rc = v6 ? setsockopt(n->sock, IPPROTO_IPV6, IPV6_TCLASS, (const char *)&tos, sizeof(tos))
			    : setsockopt(n->sock, IPPROTO_IP, IP_TOS, (const char *)&tos, sizeof(tos));
		if (rc != 0)
			RT_LOG("DSCP %u not set: Winsock error %d", n->ep.dscp, WSAGetLastError());
	}
	if (!is_multicast(&n->to))
		return 0;
	DWORD ttl = n->ep.ttl;
	int rc = v6 ? setsockopt(n->sock, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, (const char *)&ttl, sizeof(ttl))
		    : setsockopt(n->sock, IPPROTO_IP, IP_MULTICAST_TTL, (const char *)&ttl, sizeof(ttl));
	if (rc != 0) {
		say(why, why_bytes, "the multicast TTL was refused", WSAGetLastError());
		return LC_E_STATE;
	}
	if (n->ep.iface[0] && !v6) {
		struct in_addr iface;
		if (inet_pton(AF_INET, n->ep.iface, &iface) != 1 ||
		    setsockopt(n->sock, IPPROTO_IP, IP_MULTICAST_IF, (const char *)&iface, sizeof(iface)) != 0) {
			say(why, why_bytes, "the multicast interface was refused", WSAGetLastError());
			return LC_E_STATE;
		}
	}
	return 0;
}

int rt_net_open_sender(struct rt_net **out, const struct lc_rtp_endpoint *ep, uint32_t cable_channels,
		       struct lc_bridge *bridge, const wchar_t *sdp_path, const char *name, char *why,
		       size_t why_bytes)
{
	struct rt_net *n;
	int rc;

	*out = NULL;
	n = new_net(ep, true, cable_channels);
	if (!n) {
		say(why, why_bytes, "out of memory", 0);
		return LC_E_NO_MEMORY;
	}
	n->bridge = bridge;
	rc = resolve(ep, ep->host, false, &n->to, &n->to_len);
	if (rc != 0) {
		say(why, why_bytes, "the destination's name does not resolve", rc);
		rt_net_close(n);
		return LC_E_INVALID;
	}
	rc = lc_rtp_packetizer_init(&n->pz, &ep->fmt, random32(), (uint16_t)random32(), random32());
	n->cable_frames = calloc((size_t)n->pz.frames_per_packet * cable_channels, sizeof(float));
	n->stream_frames = calloc((size_t)n->pz.frames_per_packet * ep->fmt.channels, sizeof(float));
	if (rc != 0 || !n->cable_frames || !n->stream_frames) {
		say(why, why_bytes, rc ? "the stream's format is not one we send" : "out of memory", 0);
		rt_net_close(n);
		return rc ? rc : LC_E_NO_MEMORY;
	}
	lc_chmap_init(&n->map, cable_channels, 0, ep->fmt.channels, 0);
	n->sock = socket(n->to.ss_family, SOCK_DGRAM, IPPROTO_UDP);
	if (n->sock == INVALID_SOCKET) {
		say(why, why_bytes, "no socket", WSAGetLastError());
		rt_net_close(n);
		return LC_E_STATE;
	}
	rc = set_send_options(n, why, why_bytes);
	if (rc != 0) {
		rt_net_close(n);
		return rc;
	}
	if (sdp_path)
		write_sdp(n, sdp_path, name);
	n->thread = CreateThread(NULL, 0, send_loop, n, 0, NULL);
	if (!n->thread) {
		say(why, why_bytes, "no thread", 0);
		rt_net_close(n);
		return LC_E_NO_MEMORY;
	}
	*out = n;
	return 0;
}

/* ---- receive ------------------------------------------------------------------- */

static uint64_t ticks_to_us(uint64_t t, uint64_t hz)
{
	return t / hz * 1000000u + t % hz * 1000000u / hz;
}

static DWORD WINAPI receive_loop(void *arg)
{
	struct rt_net *n = arg;
	uint8_t *pkt = malloc(RECV_BYTES);
	uint64_t hz = (uint64_t)n->qpc_hz.QuadPart;
	if (!pkt) {
		atomic_store(&n->failed, true);
		return 1;
	}
	SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_TIME_CRITICAL);
	while (!atomic_load(&n->stop)) {
		int len = recv(n->sock, (char *)pkt, RECV_BYTES, 0);
		uint64_t arrival_us = ticks_to_us(now_ticks(), hz);
		atomic_fetch_add(&n->progress, 1);
		if (len > 0) {
			EnterCriticalSection(&n->lock);
			lc_jitter_push(n->jitter, pkt, (size_t)len, arrival_us);
			LeaveCriticalSection(&n->lock);
			continue;
		}
		int err = len < 0 ? WSAGetLastError() : 0;
		if (len == 0 || err == WSAETIMEDOUT)
			continue;
		if (err == WSAEMSGSIZE) { /* longer than any packet we could play */
			atomic_fetch_add(&n->oversized, 1);
			continue;
		}
		/* A port-unreachable report of an earlier send (there are none here) or a
		 * reset: the socket still works. */
		if (err == WSAECONNRESET || err == WSAENETRESET)
			continue;
		RT_LOG("receive on port %u failed: Winsock error %d", n->ep.port, err);
		atomic_store(&n->failed, true);
		break;
	}
	free(pkt);
	return 0;
}

static int bind_receiver(struct rt_net *n, char *why, size_t why_bytes)
{
	struct sockaddr_storage addr;
	int len = 0, rc = resolve(&n->ep, n->ep.host, true, &addr, &len);
	if (rc != 0) {
		say(why, why_bytes, "the address to receive on does not resolve", rc);
		return LC_E_INVALID;
	}
	n->sock = socket(addr.ss_family, SOCK_DGRAM, IPPROTO_UDP);
	if (n->sock == INVALID_SOCKET) {
		say(why, why_bytes, "no socket", WSAGetLastError());
		return LC_E_STATE;
	}
	/* Exclusive: a second receiver on the same port is refused, not handed half the
	 * packets. */
	BOOL exclusive = TRUE;
	setsockopt(n->sock, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&exclusive, sizeof(exclusive));
	int buf = SOCKET_BUFFER_BYTES;
	setsockopt(n->sock, SOL_SOCKET, SO_RCVBUF, (const char *)&buf, sizeof(buf));
	DWORD timeout = RECV_TIMEOUT_MS;
	setsockopt(n->sock, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof(timeout));

	bool group = is_multicast(&addr);
	struct sockaddr_storage local = addr;
	if (group) {
		/* Windows binds a group's socket to an interface address or to any, never
		 * to the group: the interface asked for, else any (docs/network.md). */
		if (local.ss_family == AF_INET) {
			struct sockaddr_in *in = (struct sockaddr_in *)&local;
			in->sin_addr.s_addr = htonl(INADDR_ANY);
			if (n->ep.iface[0] && inet_pton(AF_INET, n->ep.iface, &in->sin_addr) != 1) {
				say(why, why_bytes, "the multicast interface is not an IPv4 address", 0);
				return LC_E_INVALID;
			}
		} else {
			((struct sockaddr_in6 *)&local)->sin6_addr = in6addr_any;
		}
	}
	if (bind(n->sock, (const struct sockaddr *)&local, len) != 0) {
		int err = WSAGetLastError();
		say(why, why_bytes, err == WSAEADDRINUSE ? "the port is in use by another program"
			: err == WSAEADDRNOTAVAIL ? "the address is not one of this machine's"
			: "the address and port cannot be bound", err);
		return LC_E_STATE;
	}
	if (!group)
		return 0;
	if (addr.ss_family == AF_INET) {
		struct ip_mreq m = {0};
		m.imr_multiaddr = ((struct sockaddr_in *)&addr)->sin_addr;
		m.imr_interface = ((struct sockaddr_in *)&local)->sin_addr;
		rc = setsockopt(n->sock, IPPROTO_IP, IP_ADD_MEMBERSHIP, (const char *)&m, sizeof(m));
	} else {
		struct ipv6_mreq m = {0};
		m.ipv6mr_multiaddr = ((struct sockaddr_in6 *)&addr)->sin6_addr;
		rc = setsockopt(n->sock, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, (const char *)&m, sizeof(m));
	}
	if (rc != 0) {
		say(why, why_bytes, "the multicast group cannot be joined", WSAGetLastError());
		return LC_E_STATE;
	}
	return 0;
}

int rt_net_open_receiver(struct rt_net **out, const struct lc_rtp_endpoint *ep, uint32_t cable_rate_hz,
			 uint32_t cable_channels, uint32_t target_ms, char *why, size_t why_bytes)
{
	struct lc_jitter_config jc = {0};
	struct rt_net *n;
	int rc;

	*out = NULL;
	n = new_net(ep, false, cable_channels);
	if (!n) {
		say(why, why_bytes, "out of memory", 0);
		return LC_E_NO_MEMORY;
	}
	InitializeCriticalSection(&n->lock);
	n->have_lock = true;
	jc.fmt = ep->fmt;
	jc.out_hz = cable_rate_hz;
	jc.target_ms = target_ms < LC_JITTER_TARGET_MIN_MS ? LC_JITTER_TARGET_MIN_MS
		     : target_ms > LC_JITTER_TARGET_MAX_MS ? LC_JITTER_TARGET_MAX_MS : target_ms;
	jc.conceal = ep->conceal;
	jc.quality = LC_BRIDGE_QUALITY_DEFAULT;
	rc = lc_jitter_create(&n->jitter, &jc);
	n->pulled = calloc((size_t)PULL_FRAMES * ep->fmt.channels, sizeof(float));
	if (rc != 0 || !n->pulled) {
		say(why, why_bytes, rc ? "the stream's format is not one we receive" : "out of memory", 0);
		rt_net_close(n);
		return rc ? rc : LC_E_NO_MEMORY;
	}
	lc_chmap_init(&n->map, ep->fmt.channels, 0, cable_channels, 0);
	rc = bind_receiver(n, why, why_bytes);
	if (rc != 0) {
		rt_net_close(n);
		return rc;
	}
	n->thread = CreateThread(NULL, 0, receive_loop, n, 0, NULL);
	if (!n->thread) {
		say(why, why_bytes, "no thread", 0);
		rt_net_close(n);
		return LC_E_NO_MEMORY;
	}
	*out = n;
	return 0;
}

void rt_net_pull(void *net, float *out, uint32_t n_frames)
{
	struct rt_net *n = net;
	for (uint32_t done = 0; done < n_frames;) {
		uint32_t k = n_frames - done < PULL_FRAMES ? n_frames - done : PULL_FRAMES;
		EnterCriticalSection(&n->lock);
		lc_jitter_pull(n->jitter, n->pulled, k);
		LeaveCriticalSection(&n->lock);
		lc_chmap_process(&n->map, out + (size_t)done * n->cable_channels, n->pulled, k);
		done += k;
	}
}

/* ---- both ---------------------------------------------------------------------- */

void rt_net_close(struct rt_net *n)
{
	if (!n)
		return;
	atomic_store(&n->stop, true);
	if (n->thread) {
		/* The receive thread wakes within RECV_TIMEOUT_MS, the sender within a tick. */
		WaitForSingleObject(n->thread, INFINITE);
		CloseHandle(n->thread);
	}
	if (n->sock != INVALID_SOCKET)
		closesocket(n->sock);
	lc_jitter_destroy(n->jitter);
	if (n->have_lock)
		DeleteCriticalSection(&n->lock);
	free(n->pulled);
	free(n->cable_frames);
	free(n->stream_frames);
	free(n);
}

bool rt_net_failed(const struct rt_net *n)
{
	return atomic_load(&n->failed);
}

uint64_t rt_net_progress(const struct rt_net *n)
{
	return atomic_load(&n->progress);
}

bool rt_net_playing(struct rt_net *n)
{
	struct lc_jitter_stats js;
	if (n->sender)
		return true;
	EnterCriticalSection(&n->lock);
	lc_jitter_stats(n->jitter, &js);
	LeaveCriticalSection(&n->lock);
	return js.state == LC_JITTER_RUNNING;
}

void rt_net_format(const struct rt_net *n, uint32_t *rate_hz, uint32_t *channels)
{
	*rate_hz = n->ep.fmt.rate_hz;
	*channels = n->ep.fmt.channels;
}

static int32_t clamp32(double v)
{
	return v > 2e9 ? 2000000000 : v < -2e9 ? -2000000000 : (int32_t)v;
}

void rt_net_status(struct rt_net *n, struct lc_route_status *st)
{
	if (n->sender) {
		st->packets = atomic_load(&n->sent);
		st->packets_lost = atomic_load(&n->send_failures);
		st->ssrc = n->pz.ssrc;
		return;
	}
	struct lc_jitter_stats js;
	EnterCriticalSection(&n->lock);
	lc_jitter_stats(n->jitter, &js);
	LeaveCriticalSection(&n->lock);
	double rate = n->ep.fmt.rate_hz;
	st->packets = js.packets_received;
	st->packets_lost = js.packets_lost;
	st->packets_late = js.packets_late;
	st->packets_dropped = js.packets_duplicate + js.packets_malformed + js.packets_foreign +
			      atomic_load(&n->oversized);
	st->frames_concealed = js.frames_concealed;
	st->jitter_us = (uint32_t)clamp32(js.jitter_frames * 1e6 / rate);
	st->ssrc = js.ssrc;
	st->fill_us = clamp32(js.fill_frames * 1e6 / rate);
	st->target_us = clamp32(js.target_frames * 1e6 / rate);
	st->ratio_ppb = clamp32(js.ratio_ppm * 1000.0);
	st->underruns += js.underruns;
	st->frames += js.frames_out;
}
