package org.jbitcoind.chain.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.chain.script.PrecomputedTransactionData;
import org.jbitcoind.chain.script.ScriptError;
import org.jbitcoind.chain.script.ScriptFlags;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;

class ScriptCheckQueueTest {
    private static final byte[] OP_TRUE = {0x51};
    private static final byte[] OP_FALSE = {0x00};

    /** A transaction of {@code inputs} inputs spending OP_TRUE outputs, except input {@code bad} (if >= 0). */
    private static List<ScriptCheck> checks(int inputs, int bad, int salt) {
        List<TxIn> ins = new ArrayList<>();
        List<TxOut> spent = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            ins.add(new TxIn(new OutPoint(Hash256.wrap(Hashes.sha256(new byte[] {(byte) salt, (byte) i})), i),
                    new byte[0], 0xffffffffL));
            spent.add(new TxOut(1, i == bad ? OP_FALSE : OP_TRUE));
        }
        Transaction tx = new Transaction(2, ins, List.of(new TxOut(0, OP_TRUE)), 0);
        PrecomputedTransactionData data = new PrecomputedTransactionData(tx, spent);
        List<ScriptCheck> out = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            out.add(new ScriptCheck(data, i, ScriptFlags.P2SH));
        }
        return out;
    }

    @Test
    void allPassingChecksReportNoFailureAndPoolIsReused() {
        try (ScriptCheckQueue queue = new ScriptCheckQueue(new ScriptVerifier(), 3)) {
            assertEquals(3, queue.threads());
            for (int round = 0; round < 5; round++) {
                ScriptCheckQueue.Control control = queue.begin();
                for (int t = 0; t < 20; t++) {
                    control.add(checks(50, -1, t));
                }
                assertEquals(1000, control.added());
                assertEquals(Optional.empty(), control.complete());
            }
        }
    }

    @Test
    void failingInputIsReportedWithItsScriptError() {
        try (ScriptCheckQueue queue = new ScriptCheckQueue(new ScriptVerifier(), 2)) {
            ScriptCheckQueue.Control control = queue.begin();
            control.add(checks(300, -1, 1));
            List<ScriptCheck> bad = checks(10, 7, 2);
            control.add(bad);
            control.add(checks(300, -1, 3));
            Optional<ScriptCheckFailure> failure = control.complete();
            assertTrue(failure.isPresent());
            assertEquals(7, failure.get().inputIndex());
            assertEquals(bad.get(0).txData().tx().txid(), failure.get().txid());
            assertEquals(ScriptError.EVAL_FALSE, failure.get().error());
            assertEquals("mandatory-script-verify-flag-failed (Script evaluated without error but finished with a "
                    + "false/empty top stack element)", failure.get().rejectReason());
            // The next block's checks start clean.
            ScriptCheckQueue.Control next = queue.begin();
            next.add(checks(5, -1, 4));
            assertEquals(Optional.empty(), next.complete());
        }
    }

    @Test
    void cancelledChecksDoNotReportFailure() {
        try (ScriptCheckQueue queue = new ScriptCheckQueue(new ScriptVerifier(), 1)) {
            ScriptCheckQueue.Control control = queue.begin();
            control.add(checks(10, 3, 5)); // stays in the unsent batch
            control.cancel();
            assertEquals(Optional.empty(), control.complete());
        }
    }
}
