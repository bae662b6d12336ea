package org.jbitcoind.node.rpc;

/** Bitcoin Core's JSON-RPC error codes (its rpc/protocol.h), so clients written for Core see the same numbers. */
public final class RpcErrorCode {
    // Standard JSON-RPC 2.0 errors.
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    public static final int PARSE_ERROR = -32700;

    // General application-defined errors.
    public static final int MISC_ERROR = -1;
    public static final int TYPE_ERROR = -3;
    public static final int INVALID_ADDRESS_OR_KEY = -5;
    public static final int OUT_OF_MEMORY = -7;
    public static final int INVALID_PARAMETER = -8;
    public static final int DATABASE_ERROR = -20;
    public static final int DESERIALIZATION_ERROR = -22;
    public static final int VERIFY_ERROR = -25;
    public static final int VERIFY_REJECTED = -26;
    public static final int VERIFY_ALREADY_IN_CHAIN = -27;
    public static final int IN_WARMUP = -28;
    public static final int METHOD_DEPRECATED = -32;

    // P2P client errors.
    public static final int CLIENT_NOT_CONNECTED = -9;
    public static final int CLIENT_IN_INITIAL_DOWNLOAD = -10;
    public static final int CLIENT_NODE_ALREADY_ADDED = -23;
    public static final int CLIENT_NODE_NOT_ADDED = -24;
    public static final int CLIENT_NODE_NOT_CONNECTED = -29;
    public static final int CLIENT_INVALID_IP_OR_SUBNET = -30;
    public static final int CLIENT_P2P_DISABLED = -31;
    public static final int CLIENT_MEMPOOL_DISABLED = -33;
    public static final int CLIENT_NODE_CAPACITY_REACHED = -34;

    // Wallet errors a wallet-less node still names, because clients branch on them.
    public static final int WALLET_NOT_FOUND = -18;
    public static final int WALLET_NOT_SPECIFIED = -19;

    private RpcErrorCode() {
    }
}
