package org.jbitcoind.node.addrmgr;

import java.util.Arrays;

import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.NetworkId;

/**
 * Network groups and routability, as Core's CNetAddr::GetGroup and IsRoutable define them (without
 * asmap): addresses in one group are probably run by one operator, so the address manager buckets
 * by group and the connection manager makes at most one outbound connection per group.
 */
public final class NetGroups {
    private NetGroups() {
    }

    /** IPv4 /16, IPv6 /32, overlay networks by their first 4 bits; unroutable addresses share one group per network. */
    public static byte[] group(NetAddress a) {
        byte[] b = a.bytes();
        int net = a.network().id();
        if (!isRoutable(a)) {
            return new byte[] {0, (byte) net};
        }
        switch (a.network()) {
            case IPV4:
                return new byte[] {(byte) net, b[0], b[1]};
            case IPV6:
                return new byte[] {(byte) net, b[0], b[1], b[2], b[3]};
            default:
                return new byte[] {(byte) net, (byte) (b[0] & 0xf0)};
        }
    }

    public static String groupString(NetAddress a) {
        return org.jbitcoind.protocol.codec.Hex.encode(group(a));
    }

    /** Whether the address can be reached over the public internet or an overlay network. */
    public static boolean isRoutable(NetAddress a) {
        byte[] b = a.bytes();
        switch (a.network()) {
            case IPV4:
                return isRoutableV4(b[0] & 0xff, b[1] & 0xff, b[2] & 0xff);
            case IPV6:
                return isRoutableV6(b);
            case TORV2:
                return false;
            default:
                return true;
        }
    }

    private static boolean isRoutableV4(int a, int b, int c) {
        if (a == 0 || a == 10 || a == 127 || a >= 224) {
            return false; // this-network, RFC1918, loopback, multicast and reserved
        }
        if ((a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168)) {
            return false; // RFC1918
        }
        if (a == 169 && b == 254) {
            return false; // RFC3927 link-local
        }
        if (a == 100 && b >= 64 && b <= 127) {
            return false; // RFC6598 shared address space
        }
        if (a == 198 && (b == 18 || b == 19)) {
            return false; // RFC2544 benchmarking
        }
        // RFC5737 documentation ranges
        return !((a == 192 && b == 0 && c == 2) || (a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113));
    }

    private static boolean isRoutableV6(byte[] b) {
        byte[] zero = new byte[16];
        byte[] one = new byte[16];
        one[15] = 1;
        if (Arrays.equals(b, zero) || Arrays.equals(b, one)) {
            return false;
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if ((b0 & 0xfe) == 0xfc) {
            return false; // RFC4193 unique local
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return false; // RFC4862 link-local
        }
        if (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return false; // RFC3849 documentation
        }
        return b0 != 0xff; // multicast
    }

    /** Networks this node can dial without a proxy. */
    public static boolean isDirectlyReachable(NetworkId n) {
        return n == NetworkId.IPV4 || n == NetworkId.IPV6;
    }
}
