package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real blocks with their spent outputs (bcoin undo files): every input verifies under the flags
 * of its height, and the block's sigop cost equals what bcoin's own tests assert.
 */
class HistoricalBlocksTest {
    /** Flag names joined by '|'; SEGWIT stands for the consensus flags of a segwit-era block. */
    private static int flags(String names) {
        return FlagNames.parse(names.replace("SEGWIT", "%s").replace('|', ',')
                .replace("%s", "P2SH,DERSIG,CHECKLOCKTIMEVERIFY,CHECKSEQUENCEVERIFY,WITNESS,NULLDUMMY"));
    }

    /** bcoin undo: per non-coinbase input, value (int64 LE) and a var-length scriptPubKey, to end of file. */
    private static List<TxOut> readUndo(byte[] undo) throws DecodeException {
        List<TxOut> out = new ArrayList<>();
        ByteReader r = new ByteReader(undo);
        while (r.hasRemaining()) {
            out.add(TxOut.read(r));
        }
        return out;
    }

    /**
     * @param name block file stem under data/bcoin
     * @param verifyFlagNames flags for script checks; NONE skips them (to keep the suite fast)
     * @param sigopFlagNames flags bcoin used for its sigop-cost assertion
     * @param withCoinbase whether bcoin's total includes the coinbase (its 300025 test loops over
     *        the other transactions only; the testnet numbers are whole-block costs)
     * @param expectedSigOpCost bcoin's asserted total
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // mainnet 300,025 (2014): pre-BIP66 signatures, checked with P2SH only as at that height.
        "block300025, P2SH, P2SH|DERSIG, false, 5280",
        // testnet3, segwit active: P2WPKH-heavy blocks.
        "block928828, SEGWIT, SEGWIT, true, 23236",
        "block1087400, SEGWIT, SEGWIT, true, 1298",
        "block928816, NONE, SEGWIT, true, 9109",
        "block928831, NONE, SEGWIT, true, 10035",
        "block928848, NONE, SEGWIT, true, 11319",
        "block928849, NONE, SEGWIT, true, 9137",
        "block928927, NONE, SEGWIT, true, 10015",
    })
    void block(String name, String verifyFlagNames, String sigopFlagNames, boolean withCoinbase,
            long expectedSigOpCost) throws Exception {
        int verifyFlags = flags(verifyFlagNames);
        int sigopFlags = flags(sigopFlagNames);
        Block block = SharedData.decodeBlock(SharedData.readData("bcoin/" + name + ".raw"));
        List<TxOut> undo = readUndo(SharedData.readData("bcoin/" + name + "-undo.raw"));
        int k = 0;
        long cost = 0;
        ScriptVerifier verifier = new ScriptVerifier();
        for (Transaction tx : block.transactions()) {
            if (tx.isCoinbase()) {
                if (withCoinbase) {
                    cost += SigOps.transactionSigOpCost(tx, List.of(new TxOut(0, new byte[0])), sigopFlags);
                }
                continue;
            }
            List<TxOut> spent = undo.subList(k, k + tx.inputs().size());
            k += tx.inputs().size();
            cost += SigOps.transactionSigOpCost(tx, spent, sigopFlags);
            if (verifyFlags != 0) {
                PrecomputedTransactionData data = new PrecomputedTransactionData(tx, spent);
                for (int i = 0; i < tx.inputs().size(); i++) {
                    assertEquals(ScriptError.OK, verifier.verify(data, i, verifyFlags), tx + " input " + i);
                }
            }
        }
        assertEquals(undo.size(), k, "undo entries = inputs");
        assertEquals(expectedSigOpCost, cost, "sigop cost");
    }

    /** bcoin's sample transactions that come with undo data: every input verifies. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"tx1, SEGWIT", "tx2, SEGWIT", "tx3, SEGWIT", "tx4, SEGWIT", "tx7, SEGWIT", "tx10, SEGWIT",
        // Spends an output whose script uses OP_NOP2 with a 20-byte operand: valid only before BIP65.
        "tx6, P2SH|DERSIG"})
    void transaction(String name, String flagNames) throws Exception {
        Transaction tx = Transaction.deserialize(SharedData.readData("bcoin/" + name + ".raw"));
        List<TxOut> spent = readUndo(SharedData.readData("bcoin/" + name + "-undo.raw"));
        assertEquals(tx.inputs().size(), spent.size());
        PrecomputedTransactionData data = new PrecomputedTransactionData(tx, spent);
        for (int i = 0; i < tx.inputs().size(); i++) {
            assertEquals(ScriptError.OK, new ScriptVerifier().verify(data, i, flags(flagNames)), name + " input " + i);
        }
        if (name.equals("tx6")) {
            assertEquals(ScriptError.SCRIPTNUM, new ScriptVerifier().verify(data, 0, flags("SEGWIT")));
        }
    }
}
