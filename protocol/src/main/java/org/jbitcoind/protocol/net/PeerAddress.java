package org.jbitcoind.protocol.net;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;

/**
 * A reachable peer: address, port, advertised services and the time it was last seen, as addr
 * (legacy) and addrv2 (BIP155) messages carry it.
 */
public record PeerAddress(long time, long services, NetAddress address, int port) {
    /** BIP155: longer addresses are rejected even for unknown networks. */
    public static final int MAX_ADDRV2_SIZE = 512;

    /**
     * Parses {@code host:port} or {@code [v6]:port} (a trailing {@code # comment} is ignored).
     *
     * @throws IllegalArgumentException when the text is not an address this node can use
     */
    public static PeerAddress parse(String text, int defaultPort) {
        String s = text;
        int hash = s.indexOf('#');
        if (hash >= 0) {
            s = s.substring(0, hash);
        }
        s = s.strip();
        String host;
        int port = defaultPort;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in " + text);
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.startsWith(":")) {
                port = parsePort(rest.substring(1), text);
            } else if (!rest.isEmpty()) {
                throw new IllegalArgumentException("bad address " + text);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') == colon) {
                host = s.substring(0, colon);
                port = parsePort(s.substring(colon + 1), text);
            } else {
                host = s;
            }
        }
        return new PeerAddress(0, 0, NetAddress.parseHost(host), port);
    }

    /** 1 to 5 ASCII digits: no sign, no Unicode digits (Integer.parseInt would take both). */
    private static int parsePort(String p, String whole) {
        if (p.isEmpty() || p.length() > 5 || !NetAddress.isAsciiDigits(p)) {
            throw new IllegalArgumentException("bad port in " + whole);
        }
        int v = Integer.parseInt(p);
        if (v > 65535) {
            throw new IllegalArgumentException("port out of range in " + whole);
        }
        return v;
    }

    /** {@code host:port}, with brackets around IPv6 and CJDNS hosts, as Core prints addresses. */
    public String toHostPort() {
        String h = address.toHostString();
        boolean v6 = address.network() == NetworkId.IPV6 || address.network() == NetworkId.CJDNS;
        return (v6 ? "[" + h + "]" : h) + ":" + port;
    }

    /** Legacy network address without time (as inside the version message). */
    public static PeerAddress readLegacyNoTime(ByteReader r) throws DecodeException {
        long services = r.readI64LE();
        NetAddress a = NetAddress.fromLegacy(r.readBytes(16));
        int port = r.readU16BE();
        return new PeerAddress(0, services, a, port);
    }

    public void writeLegacyNoTime(ByteWriter w) {
        w.writeI64LE(services).writeBytes(address.toLegacy()).writeU16BE(port);
    }

    public static PeerAddress readLegacy(ByteReader r) throws DecodeException {
        long time = r.readU32LE();
        PeerAddress p = readLegacyNoTime(r);
        return new PeerAddress(time, p.services, p.address, p.port);
    }

    public void writeLegacy(ByteWriter w) {
        w.writeU32LE(time);
        writeLegacyNoTime(w);
    }

    /**
     * One BIP155 entry; returns null for an entry of a network this node does not know (Core skips
     * those rather than treating the message as malformed).
     */
    public static PeerAddress readV2(ByteReader r) throws DecodeException {
        long time = r.readU32LE();
        long services = r.readCompactSize();
        int netId = r.readU8();
        byte[] addr = r.readVarBytes(MAX_ADDRV2_SIZE, "addrv2 address");
        int port = r.readU16BE();
        var known = NetworkId.fromId(netId);
        if (known.isEmpty()) {
            return null;
        }
        if (addr.length != known.get().addressLength()) {
            throw new DecodeException("addrv2 " + known.get() + " address has length " + addr.length);
        }
        return new PeerAddress(time, services, new NetAddress(known.get(), addr), port);
    }

    public void writeV2(ByteWriter w) {
        w.writeU32LE(time).writeCompactSize(services).writeU8(address.network().id())
                .writeVarBytes(address.bytes()).writeU16BE(port);
    }
}
