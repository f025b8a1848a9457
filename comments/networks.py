"""How a commenter's address is judged: an IPv4 address by itself, an IPv6
address by its /64 network.

One IPv6 subscriber (a home, a phone) is given a whole /64 and may pick any
address in it for every request, so counting or banning single IPv6
addresses would let one person look like millions. Bans, flood control, the
rate limit and the commenter history all use :func:`network_key`.
"""

from __future__ import annotations

import ipaddress

IPV6_PREFIX = 64


def network_key(address: str | None) -> str:
    """``"203.0.113.5"`` for IPv4, ``"2001:db8:1:2::/64"`` for IPv6, ``""`` for nothing."""
    if not address:
        return ""
    try:
        ip = ipaddress.ip_address(str(address).strip())
    except ValueError:
        return ""
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
