package org.jbitcoind.protocol.message;

/** Protocol versions and service bits this node speaks and advertises. */
public final class ProtocolVersions {
    /** The version this node announces (Core 0.21+: BIP155 addrv2 era). */
    public static final int PROTOCOL_VERSION = 70016;
    /** Peers below this are disconnected (Core's MIN_PEER_PROTO_VERSION). */
    public static final int MIN_PEER_PROTO_VERSION = 31800;
    /** BIP130 sendheaders. */
    public static final int SENDHEADERS_VERSION = 70012;
    /** BIP133 feefilter. */
    public static final int FEEFILTER_VERSION = 70013;
    /** BIP152 compact blocks. */
    public static final int SHORT_IDS_BLOCKS_VERSION = 70014;
    /** BIP339 wtxidrelay. */
    public static final int WTXID_RELAY_VERSION = 70016;

    public static final long NODE_NETWORK = 1;
    /** BIP111. */
    public static final long NODE_BLOOM = 1 << 2;
    /** BIP144. */
    public static final long NODE_WITNESS = 1 << 3;
    /** BIP157. */
    public static final long NODE_COMPACT_FILTERS = 1 << 6;
    /** BIP159: serves the last 288 blocks only. */
    public static final long NODE_NETWORK_LIMITED = 1 << 10;
    /** BIP324. */
    public static final long NODE_P2P_V2 = 1 << 11;

    private ProtocolVersions() {
    }
}
