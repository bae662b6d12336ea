package org.jbitcoind.node.rpc;

/**
 * A JSON-RPC error a method handler reports: the code and message end up in the reply's "error" object,
 * exactly as Bitcoin Core's {@code JSONRPCError(code, message)}.
 */
public final class RpcException extends Exception {
    private final int code;

    public RpcException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
