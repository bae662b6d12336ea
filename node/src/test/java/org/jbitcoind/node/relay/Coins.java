package org.jbitcoind.node.relay;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.jbitcoind.chain.address.Addresses;
import org.jbitcoind.chain.address.Wif;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.testkit.RpcClient;

/** One P2WPKH key the tests mine to and spend from, with transactions built and signed over RPC. */
final class Coins {
    static final byte[] KEY = Hex.decode("0202020202020202020202020202020202020202020202020202020202020202");
    static final byte[] P2WPKH = StandardScripts.witnessProgram(0, Hashes.hash160(Signer.publicKey(KEY)));
    static final String ADDRESS = Addresses.fromScript(P2WPKH, Network.REGTEST).orElseThrow();
    static final String WIF = Wif.encode(KEY, true, Network.REGTEST);
    /** Another address (a key nobody signs with here), for outputs a bloom filter on ours must not match. */
    static final byte[] OTHER_HASH = Hashes.hash160(Signer.publicKey(Hex.decode("03".repeat(32))));
    static final String OTHER_ADDRESS = Addresses.fromScript(StandardScripts.witnessProgram(0, OTHER_HASH),
            Network.REGTEST).orElseThrow();

    private Coins() {
    }

    /** A signed transaction spending {@code txid:vout} to our address, paying {@code amount} BTC. */
    static Transaction spend(RpcClient rpc, String txid, int vout, String amount) throws Exception {
        return spend(rpc, txid, vout, amount, List.of());
    }

    /** The same with the previous output given (for spends of unconfirmed outputs the signer cannot look up). */
    static Transaction spend(RpcClient rpc, String txid, int vout, String amount, List<Map<String, Object>> prevtxs)
            throws Exception {
        return spendTo(rpc, txid, vout, ADDRESS, amount, prevtxs);
    }

    static Transaction spendTo(RpcClient rpc, String txid, int vout, String address, String amount,
            List<Map<String, Object>> prevtxs) throws Exception {
        String unsigned = rpc.call("createrawtransaction", List.of(Map.of("txid", txid, "vout", vout)),
                List.of(Map.of(address, new BigDecimal(amount)))).asText();
        String hex = prevtxs.isEmpty()
                ? rpc.call("signrawtransactionwithkey", unsigned, List.of(WIF)).get("hex").asText()
                : rpc.call("signrawtransactionwithkey", unsigned, List.of(WIF), prevtxs).get("hex").asText();
        return Transaction.deserialize(Hex.decode(hex));
    }

    /** The previous-output description signrawtransactionwithkey needs for output {@code vout} of {@code tx}. */
    static Map<String, Object> prevout(Transaction tx, int vout) {
        return Map.of("txid", tx.txid().toString(), "vout", vout,
                "scriptPubKey", Hex.encode(tx.outputs().get(vout).scriptPubKey()),
                "amount", BigDecimal.valueOf(tx.outputs().get(vout).value(), 8));
    }

    /** Coinbase txid of the block at {@code height}. */
    static String coinbase(RpcClient rpc, int height) throws Exception {
        String hash = rpc.call("getblockhash", height).asText();
        return rpc.call("getblock", hash).get("tx").get(0).asText();
    }

    static String hex(Transaction tx) {
        return Hex.encode(tx.serialize());
    }
}
