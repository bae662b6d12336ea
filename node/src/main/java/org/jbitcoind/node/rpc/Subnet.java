package org.jbitcoind.node.rpc;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An address range as {@code -rpcallowip} takes it: a single IP, network/CIDR ({@code 10.0.0.0/8},
 * {@code fd00::/8}) or network/netmask ({@code 10.0.0.0/255.0.0.0}). Only numeric addresses are accepted, so
 * parsing never resolves a name.
 */
public record Subnet(byte[] network, int prefixLength) {

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    public Subnet {
        network = network.clone();
        if (prefixLength < 0 || prefixLength > network.length * 8) {
            throw new IllegalArgumentException("prefix length out of range");
        }
        mask(network, prefixLength);
    }

    /** Core's always-allowed local ranges (127.0.0.0/8 and ::1) followed by the configured ones. */
    public static List<Subnet> withLocalhost(List<Subnet> configured) {
        List<Subnet> all = new ArrayList<>();
        all.add(new Subnet(new byte[] {127, 0, 0, 0}, 8));
        byte[] loopback6 = new byte[16];
        loopback6[15] = 1;
        all.add(new Subnet(loopback6, 128));
        all.addAll(configured);
        return all;
    }

    public static Subnet parse(String text) throws RpcConfigException {
        String spec = text.strip();
        int slash = spec.indexOf('/');
        byte[] address = literal(slash < 0 ? spec : spec.substring(0, slash), text);
        int bits = address.length * 8;
        if (slash >= 0) {
            String suffix = spec.substring(slash + 1);
            if (suffix.matches("\\d{1,3}")) {
                bits = Integer.parseInt(suffix);
                if (bits > address.length * 8) {
                    throw invalid(text);
                }
            } else {
                byte[] mask = literal(suffix, text);
                if (mask.length != address.length) {
                    throw invalid(text);
                }
                bits = prefixOfNetmask(mask, text);
            }
        }
        return new Subnet(address, bits);
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = unmapIpv4(address.getAddress());
        if (candidate.length != network.length) {
            return false;
        }
        mask(candidate, prefixLength);
        return java.util.Arrays.equals(candidate, network);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Subnet s && s.prefixLength == prefixLength && java.util.Arrays.equals(s.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] literal(String text, String whole) throws RpcConfigException {
        boolean v4 = IPV4.matcher(text).matches();
        boolean v6 = !v4 && text.indexOf(':') >= 0 && IPV6.matcher(text).matches();
        if (!v4 && !v6) {
            throw invalid(whole);
        }
        try {
            // A numeric literal: getByName parses it without any lookup.
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw invalid(whole);
        }
    }

    /** An IPv4 client seen through a dual-stack socket (::ffff:a.b.c.d) is matched as the IPv4 address. */
    private static byte[] unmapIpv4(byte[] address) {
        if (address.length != 16) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return address;
            }
        }
        if (address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
            return address;
        }
        return java.util.Arrays.copyOfRange(address, 12, 16);
    }

    private static int prefixOfNetmask(byte[] mask, String whole) throws RpcConfigException {
        int bits = 0;
        boolean ended = false;
        for (byte b : mask) {
            for (int i = 7; i >= 0; i--) {
                boolean one = ((b >> i) & 1) == 1;
                if (one && ended) {
                    throw invalid(whole); // non-contiguous netmask
                }
                if (one) {
                    bits++;
                } else {
                    ended = true;
                }
            }
        }
        return bits;
    }

    private static void mask(byte[] bytes, int prefix) {
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
    }

    private static RpcConfigException invalid(String text) {
        return new RpcConfigException("Invalid -rpcallowip subnet specification: " + text
                + ". Valid values are a single IP (e.g. 1.2.3.4), a network/netmask (e.g. 1.2.3.4/255.255.255.0),"
                + " or a network/CIDR (e.g. 1.2.3.4/24).");
    }
}
