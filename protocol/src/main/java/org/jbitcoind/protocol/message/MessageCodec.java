package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.DecodeException;

/** Decodes a payload by its command name. Every decoder must consume the payload exactly. */
public final class MessageCodec {
    private MessageCodec() {
    }

    public static Message decode(String command, byte[] payload) throws DecodeException {
        ByteReader r = new ByteReader(payload);
        Message m = decodeBody(command, r);
        if (!(m instanceof UnknownMessage)) {
            r.expectEnd(command);
        }
        return m;
    }

    private static Message decodeBody(String command, ByteReader r) throws DecodeException {
        switch (command) {
            case VersionMessage.COMMAND: return VersionMessage.read(r);
            case "verack": return EmptyMessage.VERACK;
            case "getaddr": return EmptyMessage.GETADDR;
            case "mempool": return EmptyMessage.MEMPOOL;
            case "sendheaders": return EmptyMessage.SENDHEADERS;
            case "filterclear": return EmptyMessage.FILTERCLEAR;
            case "sendaddrv2": return EmptyMessage.SENDADDRV2;
            case "wtxidrelay": return EmptyMessage.WTXIDRELAY;
            case PingMessage.COMMAND: return PingMessage.read(r);
            case PongMessage.COMMAND: return PongMessage.read(r);
            case AddrMessage.COMMAND: return AddrMessage.read(r);
            case AddrV2Message.COMMAND: return AddrV2Message.read(r);
            case "inv": return InventoryMessage.read(InventoryMessage.Kind.INV, r);
            case "getdata": return InventoryMessage.read(InventoryMessage.Kind.GETDATA, r);
            case "notfound": return InventoryMessage.read(InventoryMessage.Kind.NOTFOUND, r);
            case "getblocks": return LocatorMessage.read(LocatorMessage.Kind.GETBLOCKS, r);
            case "getheaders": return LocatorMessage.read(LocatorMessage.Kind.GETHEADERS, r);
            case HeadersMessage.COMMAND: return HeadersMessage.read(r);
            case BlockMessage.COMMAND: return BlockMessage.read(r);
            case TxMessage.COMMAND: return TxMessage.read(r);
            case FeeFilterMessage.COMMAND: return FeeFilterMessage.read(r);
            case SendCmpctMessage.COMMAND: return SendCmpctMessage.read(r);
            case CmpctBlockMessage.COMMAND: return CmpctBlockMessage.read(r);
            case GetBlockTxnMessage.COMMAND: return GetBlockTxnMessage.read(r);
            case BlockTxnMessage.COMMAND: return BlockTxnMessage.read(r);
            case FilterLoadMessage.COMMAND: return FilterLoadMessage.read(r);
            case FilterAddMessage.COMMAND: return FilterAddMessage.read(r);
            case MerkleBlockMessage.COMMAND: return MerkleBlockMessage.read(r);
            case GetCFiltersMessage.COMMAND: return GetCFiltersMessage.read(r);
            case CFilterMessage.COMMAND: return CFilterMessage.read(r);
            case GetCFHeadersMessage.COMMAND: return GetCFHeadersMessage.read(r);
            case CFHeadersMessage.COMMAND: return CFHeadersMessage.read(r);
            case GetCFCheckptMessage.COMMAND: return GetCFCheckptMessage.read(r);
            case CFCheckptMessage.COMMAND: return CFCheckptMessage.read(r);
            case RejectMessage.COMMAND: return RejectMessage.read(r);
            case AlertMessage.COMMAND: return AlertMessage.read(r);
            default: return new UnknownMessage(command, r.readBytes(r.remaining()));
        }
    }
}
