package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jbitcoind.chain.crypto.SignatureCache;

import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every input of mainnet block 866,342 (taproot era: P2TR key and script paths, P2WPKH, P2WSH,
 * P2SH, P2PKH) verifies under the consensus flags of that height, and sigop costs stay in bounds.
 */
class Block866342ScriptsTest {
    static final int MAINNET_FLAGS = ScriptFlags.P2SH | ScriptFlags.DERSIG | ScriptFlags.CHECKLOCKTIMEVERIFY
            | ScriptFlags.CHECKSEQUENCEVERIFY | ScriptFlags.WITNESS | ScriptFlags.NULLDUMMY | ScriptFlags.TAPROOT;
    private static List<PrecomputedTransactionData> txs;

    @BeforeAll
    static void load() throws Exception {
        Block block = SharedData.decodeBlock(SharedData.readData("floresta/block_866342/raw.zst"));
        JsonNode utxos = new ObjectMapper().readTree(SharedData.readData("floresta/block_866342/spent_utxos.zst"));
        txs = new ArrayList<>();
        int k = 0;
        for (Transaction tx : block.transactions()) {
            if (tx.isCoinbase()) {
                continue;
            }
            List<TxOut> spent = new ArrayList<>();
            for (TxIn ignored : tx.inputs()) {
                JsonNode o = utxos.get(k++).get("txout");
                spent.add(new TxOut(o.get("value").asLong(), Hex.decode(o.get("script_pubkey").asText())));
            }
            txs.add(new PrecomputedTransactionData(tx, spent));
        }
        assertEquals(utxos.size(), k);
    }

    @Test
    void everyInputVerifies() {
        ScriptVerifier verifier = new ScriptVerifier();
        int inputs = 0;
        for (PrecomputedTransactionData data : txs) {
            for (int i = 0; i < data.tx().inputs().size(); i++) {
                assertEquals(ScriptError.OK, verifier.verify(data, i, MAINNET_FLAGS), data.tx() + " input " + i);
                inputs++;
            }
        }
        assertEquals(7972, inputs);
    }

    /** Mempool then block: the first pass fills the signature cache from two threads, the second uses it up. */
    @Test
    void concurrentVerificationThroughTheSignatureCache() throws Exception {
        SignatureCache cache = new SignatureCache(20_000);
        runConcurrently(new ScriptVerifier(cache, true));
        int cached = cache.size();
        assertEquals(true, cached >= 7_000, "cached " + cached);
        runConcurrently(new ScriptVerifier(cache, false));
        assertEquals(true, cache.size() < cached / 10, "entries left " + cache.size());
    }

    private static void runConcurrently(ScriptVerifier verifier) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ScriptError>> results = new ArrayList<>();
            for (PrecomputedTransactionData data : txs) {
                for (int i = 0; i < data.tx().inputs().size(); i++) {
                    int index = i;
                    results.add(pool.submit(() -> verifier.verify(data, index, MAINNET_FLAGS)));
                }
            }
            for (Future<ScriptError> f : results) {
                assertEquals(ScriptError.OK, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTamperedWitnessFails() {
        for (PrecomputedTransactionData data : txs) {
            TxIn in = data.tx().inputs().get(0);
            if (in.witness().size() == 1 && in.witness().get(0).length == 64) {
                byte[] sig = in.witness().get(0).clone();
                sig[10] ^= 1;
                Transaction tampered = new Transaction(data.tx().version(),
                        replaceFirst(data.tx().inputs(), in.withWitness(List.of(sig))), data.tx().outputs(),
                        data.tx().lockTime());
                ScriptError e = new ScriptVerifier().verify(
                        new PrecomputedTransactionData(tampered, data.spentOutputs()), 0, MAINNET_FLAGS);
                assertEquals(ScriptError.SCHNORR_SIG, e);
                return;
            }
        }
        throw new AssertionError("no taproot key-path spend found");
    }

    @Test
    void sigOpCostIsWithinTheBlockLimit() {
        long total = 0;
        for (PrecomputedTransactionData data : txs) {
            total += SigOps.transactionSigOpCost(data.tx(), data.spentOutputs(), MAINNET_FLAGS);
        }
        assertNotEquals(0, total);
        assertEquals(true, total <= 80_000, "cost " + total);
    }

    private static List<TxIn> replaceFirst(List<TxIn> ins, TxIn first) {
        List<TxIn> out = new ArrayList<>(ins);
        out.set(0, first);
        return out;
    }
}
