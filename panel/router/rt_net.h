/* SPDX-License-Identifier: MIT */
/*
 * rt_net.h — a network route's network side: the Winsock socket and the thread that
 * paces packets out (send) or takes them in (receive).  The RTP work itself is the
 * core's (lc_rtp.h, lc_jitter.h); this file is sockets, clocks and threads.
 *
 *   send:     cable recorder --push--> bridge --pull (paced by the packet clock)-->
 *             channel map --> packetizer --> sendto
 *   receive:  recvfrom --push (under the lock)--> jitter buffer --pull (under the
 *             lock)--> channel map --> cable player
 *
 * The sender's clock is the machine's performance counter: a packet leaves when the
 * last of its frames is due, so the stream's RTP clock runs at the counter's pace and
 * the bridge's controller absorbs the cable's clock against it.  The receiver's jitter
 * buffer steers the sender's clock against the cable's (docs/network.md).
 */
#ifndef RT_NET_H
#define RT_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc_bridge.h"
#include "lc_router_status.h"
#include "lc_rtp_url.h"

struct rt_net;

/*
 * Opens a sender to ep: resolves the host, opens the socket (TTL, DSCP, multicast
 * interface as asked), draws a random SSRC, sequence number and timestamp
 * (RFC 3550 5.1), writes the stream's SDP to sdp_path (NULL: none) and starts pacing
 * packets, pulling ep->fmt's packets (at the stream rate, `cable_channels` wide) from
 * `bridge`.  `name` is the SDP's session name.
 * @return 0, or an lc_result with the reason in why (why_bytes bytes).
 */
int
rt_net_open_sender(struct rt_net **out, const struct lc_rtp_endpoint *ep, uint32_t cable_channels,
		   struct lc_bridge *bridge, const wchar_t *sdp_path, const char *name, char *why,
		   size_t why_bytes);

/*
 * Opens a receiver: binds to ep's address and port only (a multicast group is joined
 * instead), and makes a jitter buffer for ep->fmt with the latency target, delivering
 * at the cable's rate and channel count.
 */
int
rt_net_open_receiver(struct rt_net **out, const struct lc_rtp_endpoint *ep, uint32_t cable_rate_hz,
		     uint32_t cable_channels, uint32_t target_ms, char *why, size_t why_bytes);

/* Receiver: n frames at the cable's rate and channel count (silence while no stream
 * plays).  The cable player's thread calls it (rt_cable's move function). */
void
rt_net_pull(void *net, float *out, uint32_t n);

/* Stops the thread, closes the socket, frees everything.  NULL: no-op. */
void
rt_net_close(struct rt_net *n);

/* true once the socket failed for good (the route restarts). */
bool
rt_net_failed(const struct rt_net *n);

/* Moves while the thread runs: frames sent, or receive passes. */
uint64_t
rt_net_progress(const struct rt_net *n);

/* Receiver: true while the jitter buffer plays a stream (not priming). */
bool
rt_net_playing(struct rt_net *n);

/* The stream's rate and channel count. */
void
rt_net_format(const struct rt_net *n, uint32_t *rate_hz, uint32_t *channels);

/* Fills the network counters of st; a receiver also fill, target, ratio, underruns
 * and frames (the jitter buffer is its FIFO). */
void
rt_net_status(struct rt_net *n, struct lc_route_status *st);

/* Winsock for the process: once at start and end (the router's main). */
int
rt_net_startup(void);

void
rt_net_cleanup(void);

#endif /* RT_NET_H */
