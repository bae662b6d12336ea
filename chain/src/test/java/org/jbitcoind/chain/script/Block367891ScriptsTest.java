package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Mainnet block 367,891 (2015, after BIP66): 20,817 inputs, most of them non-standard scripts. */
class Block367891ScriptsTest {
    @Test
    void everyInputVerifies() throws Exception {
        Block block = SharedData.decodeBlock(SharedData.readData("floresta/block_367891/raw.zst"));
        JsonNode utxos = new ObjectMapper().readTree(SharedData.readData("floresta/block_367891/spent_utxos.zst"));
        int flags = ScriptFlags.P2SH | ScriptFlags.DERSIG;
        ScriptVerifier verifier = new ScriptVerifier();
        Map<ScriptType, Integer> types = new TreeMap<>();
        int k = 0;
        for (Transaction tx : block.transactions()) {
            if (tx.isCoinbase()) {
                continue;
            }
            List<TxOut> spent = new ArrayList<>();
            for (int i = 0; i < tx.inputs().size(); i++) {
                JsonNode o = utxos.get(k++).get("txout");
                spent.add(new TxOut(o.get("value").asLong(), Hex.decode(o.get("script_pubkey").asText())));
            }
            PrecomputedTransactionData data = new PrecomputedTransactionData(tx, spent);
            for (int i = 0; i < tx.inputs().size(); i++) {
                types.merge(StandardScripts.classify(spent.get(i).scriptPubKey()), 1, Integer::sum);
                assertEquals(ScriptError.OK, verifier.verify(data, i, flags), tx + " input " + i);
            }
        }
        assertEquals(20_817, k);
        assertEquals(Map.of(ScriptType.NONSTANDARD, 20_000, ScriptType.PUBKEYHASH, 810, ScriptType.SCRIPTHASH, 7), types);
    }
}
