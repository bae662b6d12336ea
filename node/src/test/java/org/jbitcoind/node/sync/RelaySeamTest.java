package org.jbitcoind.node.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.chain.spv.BloomFilter;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;

/** The rule transaction relay will apply per peer ({@link PeerSync#wantsTransaction}): relay flag, then BIP37 filter. */
class RelaySeamTest {
    private static final byte[] KEY_HASH = filled(20, 0x11);
    private static final byte[] P2PKH = StandardScripts.payToPubkeyHash(KEY_HASH);

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    private static Transaction tx(OutPoint in, byte[] script) {
        return new Transaction(2, List.of(new TxIn(in, new byte[0], TxIn.SEQUENCE_FINAL)),
                List.of(new TxOut(1000, script)), 0);
    }

    private static final Transaction PAYS_KEY = tx(new OutPoint(Hash256.fromHex("aa".repeat(32)), 0), P2PKH);
    private static final Transaction UNRELATED = tx(new OutPoint(Hash256.fromHex("bb".repeat(32)), 0),
            new byte[] {0x51});
    private static final Transaction SPENDS_KEY_OUTPUT = tx(new OutPoint(PAYS_KEY.txid(), 0), new byte[] {0x51});

    private static BloomFilter keyFilter(int flags) {
        BloomFilter f = BloomFilter.create(10, 0.000001, 3, flags);
        f.insert(KEY_HASH);
        return f;
    }

    @Test
    void relayFlagOffSendsNothingEvenMatches() {
        assertFalse(PeerSync.wantsTransaction(false, null, UNRELATED));
        assertFalse(PeerSync.wantsTransaction(false, keyFilter(BloomFilter.UPDATE_ALL), PAYS_KEY));
    }

    @Test
    void withoutAFilterEverythingGoes() {
        assertTrue(PeerSync.wantsTransaction(true, null, UNRELATED));
        assertTrue(PeerSync.wantsTransaction(true, null, PAYS_KEY));
    }

    @Test
    void withAFilterOnlyMatchesGoAndMatchesExtendTheFilter() {
        BloomFilter all = keyFilter(BloomFilter.UPDATE_ALL);
        assertFalse(PeerSync.wantsTransaction(true, all, UNRELATED));
        assertFalse(PeerSync.wantsTransaction(true, all, SPENDS_KEY_OUTPUT), "spend not known before its parent");
        assertTrue(PeerSync.wantsTransaction(true, all, PAYS_KEY));
        assertTrue(PeerSync.wantsTransaction(true, all, SPENDS_KEY_OUTPUT), "UPDATE_ALL added the paid outpoint");

        BloomFilter none = keyFilter(BloomFilter.UPDATE_NONE);
        assertTrue(PeerSync.wantsTransaction(true, none, PAYS_KEY));
        assertFalse(PeerSync.wantsTransaction(true, none, SPENDS_KEY_OUTPUT), "UPDATE_NONE adds nothing");
    }
}
