#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# pcap-ref.py FILE OFFSET LINE - check that OFFSET starts a packet record of the capture FILE
# (pcap or pcapng, uncompressed) and that LINE is that packet's number (1-based), as tyto
# cites packets. Exit 0 when it does; else print why and exit 1. Used by run.sh.
import struct
import sys


def packets(data):
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    elif magic == b"\x0a\x0d\x0d\x0a":
        yield from pcapng(data)
        return
    else:
        raise ValueError("not a capture")
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        yield off
        off += 16 + incl


def pcapng(data):
    off, end = 0, "<"
    while off + 12 <= len(data):
        btype = data[off:off + 4]
        if btype == b"\x0a\x0d\x0d\x0a":
            end = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        t, length = struct.unpack(end + "II", data[off:off + 8])
        if t in (2, 3, 6):
            yield off
        if length < 12:
            return
        off += length


def main():
    path, off, line = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(path, "rb") as f:
        data = f.read()
    for n, o in enumerate(packets(data), 1):
        if o == off:
            if line in (0, n):
                return 0
            print("packet at offset %d is number %d, not %d" % (off, n, line))
            return 1
        if o > off:
            break
    print("offset %d of %s is not the start of a packet record" % (off, path))
    return 1


sys.exit(main())
