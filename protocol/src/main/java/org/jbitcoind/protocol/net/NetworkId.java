package org.jbitcoind.protocol.net;

import java.util.Optional;

/** BIP155 network identifiers and the address length each requires. */
public enum NetworkId {
    IPV4(1, 4),
    IPV6(2, 16),
    /** Retired Tor v2 (10 bytes): still decodable so that addrv2 from old peers parses, never used. */
    TORV2(3, 10),
    TORV3(4, 32),
    I2P(5, 32),
    CJDNS(6, 16);

    private final int id;
    private final int length;

    NetworkId(int id, int length) {
        this.id = id;
        this.length = length;
    }

    public int id() {
        return id;
    }

    public int addressLength() {
        return length;
    }

    public static Optional<NetworkId> fromId(int id) {
        for (NetworkId n : values()) {
            if (n.id == id) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }
}
