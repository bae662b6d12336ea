package org.jbitcoind.protocol.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A network address without port: IPv4, IPv6, Tor v3, I2P or CJDNS (BIP155). Text forms follow
 * Bitcoin Core: dotted IPv4, RFC 5952 IPv6, {@code <base32>.onion}, {@code <base32>.b32.i2p}.
 */
public record NetAddress(NetworkId network, byte[] bytes) {
    /** Legacy (pre-BIP155) addresses are IPv6; IPv4 is carried as ::ffff:a.b.c.d. */
    private static final byte[] IPV4_IN_IPV6_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};
    private static final int TORV3_VERSION = 3;

    public NetAddress {
        if (bytes.length != network.addressLength()) {
            throw new IllegalArgumentException(network + " address must be " + network.addressLength() + " bytes");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public static NetAddress ipv4(int a, int b, int c, int d) {
        return new NetAddress(NetworkId.IPV4, new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }

    /** From the 16-byte field of a legacy addr/version entry. */
    public static NetAddress fromLegacy(byte[] sixteen) {
        if (sixteen.length != 16) {
            throw new IllegalArgumentException("legacy address must be 16 bytes");
        }
        if (Arrays.equals(sixteen, 0, 12, IPV4_IN_IPV6_PREFIX, 0, 12)) {
            return new NetAddress(NetworkId.IPV4, Arrays.copyOfRange(sixteen, 12, 16));
        }
        return new NetAddress(NetworkId.IPV6, sixteen);
    }

    /** Whether the address fits the legacy 16-byte form (IPv4 or IPv6 only). */
    public boolean isAddrV1Compatible() {
        return network == NetworkId.IPV4 || network == NetworkId.IPV6;
    }

    /** The 16-byte legacy form; networks that do not fit it map to the unspecified address ::. */
    public byte[] toLegacy() {
        byte[] out = new byte[16];
        if (network == NetworkId.IPV4) {
            System.arraycopy(IPV4_IN_IPV6_PREFIX, 0, out, 0, 12);
            System.arraycopy(bytes, 0, out, 12, 4);
        } else if (network == NetworkId.IPV6) {
            System.arraycopy(bytes, 0, out, 0, 16);
        }
        return out;
    }

    public boolean isLoopback() {
        if (network == NetworkId.IPV4) {
            return (bytes[0] & 0xff) == 127;
        }
        if (network == NetworkId.IPV6) {
            byte[] one = new byte[16];
            one[15] = 1;
            return Arrays.equals(bytes, one);
        }
        return false;
    }

    /**
     * Parses a host as written in seeds files and -connect values (no port, no brackets). Only
     * ASCII is accepted: lower-casing and digit parsing would otherwise map look-alikes (the
     * Kelvin sign, Arabic-Indic digits) onto address characters.
     *
     * @throws IllegalArgumentException when the text is not an IPv4, IPv6, Tor v3, I2P or CJDNS address
     */
    public static NetAddress parseHost(String host) {
        if (!host.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("address must be printable ASCII: " + host);
        }
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (h.endsWith(".onion")) {
            return parseOnion(h.substring(0, h.length() - ".onion".length()));
        }
        if (h.endsWith(".b32.i2p")) {
            byte[] b = Base32.decode(h.substring(0, h.length() - ".b32.i2p".length()));
            return new NetAddress(NetworkId.I2P, b);
        }
        if (h.indexOf(':') >= 0) {
            byte[] v6 = Ipv6Text.parse(h);
            // Core treats fc00::/8 as CJDNS only when told so; in seed lists they are CJDNS.
            return (v6[0] & 0xff) == 0xfc ? new NetAddress(NetworkId.CJDNS, v6) : new NetAddress(NetworkId.IPV6, v6);
        }
        return new NetAddress(NetworkId.IPV4, parseIpv4(h));
    }

    private static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + s);
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            // No leading zeros: other parsers read "010" as octal 8.
            if (parts[i].isEmpty() || parts[i].length() > 3 || !isAsciiDigits(parts[i])
                    || (parts[i].length() > 1 && parts[i].charAt(0) == '0')) {
                throw new IllegalArgumentException("not an IPv4 address: " + s);
            }
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + s);
            }
            out[i] = (byte) v;
        }
        return out;
    }

    static boolean isAsciiDigits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static NetAddress parseOnion(String label) {
        byte[] raw = Base32.decode(label);
        // Tor rend-spec-v3: pubkey(32) || checksum(2) || version(1).
        if (raw.length != 35 || raw[34] != TORV3_VERSION) {
            throw new IllegalArgumentException("not a Tor v3 address: " + label + ".onion");
        }
        byte[] pubkey = Arrays.copyOf(raw, 32);
        byte[] checksum = torChecksum(pubkey);
        if (raw[32] != checksum[0] || raw[33] != checksum[1]) {
            throw new IllegalArgumentException("bad Tor v3 address checksum: " + label + ".onion");
        }
        return new NetAddress(NetworkId.TORV3, pubkey);
    }

    private static byte[] torChecksum(byte[] pubkey) {
        try {
            MessageDigest sha3 = MessageDigest.getInstance("SHA3-256");
            sha3.update(".onion checksum".getBytes(StandardCharsets.US_ASCII));
            sha3.update(pubkey);
            sha3.update((byte) TORV3_VERSION);
            return sha3.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA3-256", e);
        }
    }

    /** Host text without port; IPv6 and CJDNS without brackets. */
    public String toHostString() {
        switch (network) {
            case IPV4:
                return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
            case IPV6:
            case CJDNS:
                return Ipv6Text.format(bytes);
            case TORV3: {
                byte[] raw = new byte[35];
                System.arraycopy(bytes, 0, raw, 0, 32);
                byte[] checksum = torChecksum(bytes);
                raw[32] = checksum[0];
                raw[33] = checksum[1];
                raw[34] = TORV3_VERSION;
                return Base32.encode(raw) + ".onion";
            }
            case I2P:
                return Base32.encode(bytes) + ".b32.i2p";
            default:
                return Base32.encode(bytes) + ".onion";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetAddress a && a.network == network && Arrays.equals(a.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return network.hashCode() * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHostString();
    }
}
