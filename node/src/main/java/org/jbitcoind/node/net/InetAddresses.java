package org.jbitcoind.node.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.NetworkId;
import org.jbitcoind.protocol.net.PeerAddress;

/** Conversions between the JDK's socket addresses and the protocol's address values. */
public final class InetAddresses {
    private InetAddresses() {
    }

    public static NetAddress fromInet(InetAddress a) {
        byte[] b = a.getAddress();
        return a instanceof Inet4Address ? new NetAddress(NetworkId.IPV4, b) : NetAddress.fromLegacy(b);
    }

    public static PeerAddress fromSocket(InetSocketAddress s, long services) {
        return new PeerAddress(0, services, fromInet(s.getAddress()), s.getPort());
    }

    /** A dialable socket address; empty for networks that need a proxy (Tor, I2P, CJDNS). */
    public static Optional<InetSocketAddress> toSocket(PeerAddress p) {
        NetAddress a = p.address();
        if (!a.isAddrV1Compatible()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(a.bytes()), p.port()));
        } catch (UnknownHostException e) {
            return Optional.empty(); // unreachable: a 4- or 16-byte array is always accepted
        }
    }
}
