package org.jbitcoind.node.rpc.methods;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.state.ChainView;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.rpc.RpcCall;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.CompactTarget;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.storage.BlockUndo;
import org.jbitcoind.storage.Coin;

/** Block headers and blocks as Core's RPCs print them (blockheaderToJSON, blockToJSON). */
public final class BlockJson {
    private BlockJson() {
    }

    /** Core's GetDifficulty: the powLimit of mainnet's genesis divided by the block's target, as a double. */
    public static double difficulty(long bits) {
        int shift = (int) ((bits >> 24) & 0xff);
        double diff = (double) 0x0000ffff / (double) (bits & 0x00ffffff);
        while (shift < 29) {
            diff *= 256.0;
            shift++;
        }
        while (shift > 29) {
            diff /= 256.0;
            shift--;
        }
        return diff;
    }

    public static String hex64(BigInteger value) {
        String hex = value.toString(16);
        return "0".repeat(Math.max(0, 64 - hex.length())) + hex;
    }

    public static String target(long bits) {
        return hex64(CompactTarget.decode(bits).orElse(BigInteger.ZERO));
    }

    public static ObjectNode header(BlockIndex index, ChainView active) {
        ObjectNode o = RpcCall.json().objectNode();
        o.put("hash", index.hash().toString());
        o.put("confirmations", active.contains(index) ? active.height() - index.height() + 1 : -1);
        o.put("height", index.height());
        o.put("version", index.version());
        o.put("versionHex", String.format("%08x", index.version()));
        o.put("merkleroot", index.header().merkleRoot().toString());
        o.put("time", index.time());
        o.put("mediantime", index.medianTimePast());
        o.put("nonce", index.header().nonce());
        o.put("bits", String.format("%08x", index.bits()));
        o.put("target", target(index.bits()));
        o.put("difficulty", difficulty(index.bits()));
        o.put("chainwork", hex64(index.chainWork()));
        o.put("nTx", index.txCount());
        if (index.prev() != null) {
            o.put("previousblockhash", index.prev().hash().toString());
        }
        BlockIndex next = active.next(index);
        if (next != null) {
            o.put("nextblockhash", next.hash().toString());
        }
        return o;
    }

    /**
     * @param verbosity 1: txids; 2: transactions (with fees when undo data exists); 3: also each input's prevout
     * @param undo      the block's undo data, or null
     */
    public static ObjectNode block(Block block, BlockIndex index, ChainView active, int verbosity, BlockUndo undo,
            Network network) {
        ObjectNode o = header(index, active);
        o.put("strippedsize", block.baseSize());
        o.put("size", block.totalSize());
        o.put("weight", block.weight());
        ArrayNode txs = o.putArray("tx");
        List<Transaction> list = block.transactions();
        for (int i = 0; i < list.size(); i++) {
            Transaction tx = list.get(i);
            if (verbosity <= 1) {
                txs.add(tx.txid().toString());
            } else {
                List<Coin> spent = undo == null || i == 0 ? null : spentCoins(undo, i);
                txs.add(TxJson.toJson(tx, network, spent, verbosity >= 3, true));
            }
        }
        return o;
    }

    private static List<Coin> spentCoins(BlockUndo undo, int txIndex) {
        return new ArrayList<>(undo.txUndos().get(txIndex - 1).spent());
    }

    public static String hex(byte[] raw) {
        return Hex.encode(raw);
    }
}
