#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# tests/bench/rtp_click.py PORT SECONDS — when a click arrives on the wire: listens on
# 127.0.0.1:PORT for an L24 RTP stream (any channel count given by --channels), finds the
# first sample above -20 dBFS after at least 100 ms of silence, and prints
#
#   onset_us=<CLOCK_MONOTONIC_RAW microseconds at which that sample was due>
#
# The sample's packet is stamped when it arrives; a packet leaves when its last frame is
# due (docs/network.md), so the sample was due (frames after it) / rate earlier.  Under
# Wine, QueryPerformanceCounter counts CLOCK_MONOTONIC_RAW in 100 ns units
# (docs/wine.md), so this time compares with lc_play's first_write_us.
import argparse
import socket
import struct
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("port", type=int)
parser.add_argument("seconds", type=float)
parser.add_argument("--channels", type=int, default=2)
parser.add_argument("--rate", type=int, default=48000)
args = parser.parse_args()

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", args.port))
sock.settimeout(0.1)
threshold = int(0.1 * (1 << 23))
quiet_needed = args.rate // 10
quiet = 0
end = time.monotonic() + args.seconds
print("listening", file=sys.stderr, flush=True)
while time.monotonic() < end:
    try:
        pkt = sock.recv(65536)
    except socket.timeout:
        continue
    arrival_us = time.clock_gettime_ns(time.CLOCK_MONOTONIC_RAW) // 1000
    if len(pkt) < 12 or pkt[0] >> 6 != 2:
        continue
    offset = 12 + 4 * (pkt[0] & 0x0F)
    if pkt[0] & 0x10:
        if len(pkt) < offset + 4:
            continue
        offset += 4 + 4 * struct.unpack_from(">H", pkt, offset + 2)[0]
    payload = pkt[offset:]
    frame_bytes = 3 * args.channels
    frames = len(payload) // frame_bytes
    for f in range(frames):
        b = payload[f * frame_bytes:f * frame_bytes + 3]
        v = int.from_bytes(b, "big", signed=True)
        if abs(v) > threshold and quiet >= quiet_needed:
            due_us = arrival_us - (frames - 1 - f) * 1000000 // args.rate
            print(f"onset_us={due_us}")
            sys.exit(0)
        quiet = 0 if abs(v) > threshold else quiet + 1
print("no click", file=sys.stderr)
sys.exit(1)
