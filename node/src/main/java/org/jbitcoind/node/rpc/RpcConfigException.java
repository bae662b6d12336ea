package org.jbitcoind.node.rpc;

/** An RPC setting that cannot be used (bad -rpcauth entry, bad -rpcallowip subnet, unwritable cookie...). */
public final class RpcConfigException extends Exception {
    public RpcConfigException(String message) {
        super(message);
    }

    public RpcConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
