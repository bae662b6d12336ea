package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteWriter;

/**
 * A P2P message payload. Each message type is a record that knows its command name, how to
 * write its payload, and (as a static {@code read}) how to decode it strictly; the limits that
 * bound decoding are declared on each record.
 */
public sealed interface Message permits VersionMessage, EmptyMessage, PingMessage, PongMessage, AddrMessage,
        AddrV2Message, InventoryMessage, LocatorMessage, HeadersMessage, BlockMessage, TxMessage,
        FeeFilterMessage, SendCmpctMessage, CmpctBlockMessage, GetBlockTxnMessage, BlockTxnMessage,
        FilterLoadMessage, FilterAddMessage, MerkleBlockMessage, GetCFiltersMessage, CFilterMessage,
        GetCFHeadersMessage, CFHeadersMessage, GetCFCheckptMessage, CFCheckptMessage, RejectMessage,
        AlertMessage, UnknownMessage {

    String command();

    void write(ByteWriter w);

    default byte[] payload() {
        ByteWriter w = new ByteWriter();
        write(w);
        return w.toByteArray();
    }
}
