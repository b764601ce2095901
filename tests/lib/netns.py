# SPDX-License-Identifier: GPL-2.0-only
"""Enter a network namespace made by `ip netns add` from inside python, so
that one process can drive sockets in several namespaces (the VM scenarios'
tools: callplay.py, rtpstream.py, perfkit.py)."""
import ctypes
import os

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def enter(ns):
    """Move the calling thread into /run/netns/NS."""
    fd = os.open(f'/run/netns/{ns}', os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f'setns {ns}')
    finally:
        os.close(fd)
