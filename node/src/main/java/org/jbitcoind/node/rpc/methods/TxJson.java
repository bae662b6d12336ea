package org.jbitcoind.node.rpc.methods;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jbitcoind.chain.script.ScriptAsm;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.rpc.RpcCall;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.Coin;

/** Transactions as Core's RPCs print them (TxToUniv): decoderawtransaction, getrawtransaction, getblock 2/3. */
public final class TxJson {
    private TxJson() {
    }

    /**
     * @param spent     the coins the inputs spend (from undo data), or null when unknown: with them the
     *                  result has "fee", and with {@code withPrevout} each input a "prevout"
     * @param includeHex append the serialized transaction as "hex"
     */
    public static ObjectNode toJson(Transaction tx, Network network, List<Coin> spent, boolean withPrevout,
            boolean includeHex) {
        ObjectNode o = RpcCall.json().objectNode();
        o.put("txid", tx.txid().toString());
        o.put("hash", tx.wtxid().toString());
        o.put("version", tx.version());
        o.put("size", tx.totalSize());
        o.put("vsize", tx.vsize());
        o.put("weight", tx.weight());
        o.put("locktime", tx.lockTime());
        ArrayNode vin = o.putArray("vin");
        long in = 0;
        for (int i = 0; i < tx.inputs().size(); i++) {
            TxIn input = tx.inputs().get(i);
            ObjectNode v = vin.addObject();
            if (tx.isCoinbase()) {
                v.put("coinbase", Hex.encode(input.scriptSig()));
            } else {
                v.put("txid", input.prevout().txid().toString());
                v.put("vout", input.prevout().indexUnsigned());
                ObjectNode sig = v.putObject("scriptSig");
                sig.put("asm", ScriptAsm.toAsm(input.scriptSig(), true));
                sig.put("hex", Hex.encode(input.scriptSig()));
            }
            if (input.hasWitness()) {
                ArrayNode w = v.putArray("txinwitness");
                input.witness().forEach(item -> w.add(Hex.encode(item)));
            }
            if (spent != null && !tx.isCoinbase()) {
                Coin coin = spent.get(i);
                in += coin.output().value();
                if (withPrevout) {
                    ObjectNode p = v.putObject("prevout");
                    p.put("generated", coin.coinbase());
                    p.put("height", coin.height());
                    p.set("value", RpcCall.amountValue(coin.output().value()));
                    p.set("scriptPubKey", ScriptJson.scriptPubKey(coin.output().scriptPubKey(), network, true));
                }
            }
            v.put("sequence", input.sequence());
        }
        ArrayNode vout = o.putArray("vout");
        long out = 0;
        for (int n = 0; n < tx.outputs().size(); n++) {
            TxOut output = tx.outputs().get(n);
            out += output.value();
            ObjectNode v = vout.addObject();
            v.set("value", RpcCall.amountValue(output.value()));
            v.put("n", n);
            v.set("scriptPubKey", ScriptJson.scriptPubKey(output.scriptPubKey(), network, true));
        }
        if (spent != null && !tx.isCoinbase()) {
            o.set("fee", RpcCall.amountValue(in - out));
        }
        if (includeHex) {
            o.put("hex", Hex.encode(tx.serialize()));
        }
        return o;
    }
}
