package org.jbitcoind.chain.validation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CVE-2018-17144's rule in CheckTransaction on both of its paths: the pairwise comparison of
 * transactions with few inputs and the hash set of larger ones.
 */
class TxCheckDuplicateInputsTest {
    private static OutPoint prevout(int i) {
        byte[] h = new byte[32];
        h[0] = (byte) (i + 1);
        h[31] = (byte) 0x42;
        return new OutPoint(Hash256.wrap(h), i % 3);
    }

    private static Transaction spending(List<OutPoint> prevouts) {
        List<TxIn> ins = new ArrayList<>();
        for (OutPoint p : prevouts) {
            ins.add(new TxIn(p, new byte[0], 0xffffffffL));
        }
        return new Transaction(2, ins, List.of(new TxOut(1_000, new byte[] {0x51})), 0);
    }

    /** {@code inputs} distinct prevouts, then input {@code dupAt} repeats input {@code of} (-1: none). */
    @ParameterizedTest(name = "{0} inputs, input {1} repeats input {2}")
    @CsvSource({"1,-1,-1", "2,-1,-1", "2,1,0", "3,2,1", "8,-1,-1", "8,7,0", "8,4,3", "9,-1,-1", "9,8,0",
            "9,5,4", "40,-1,-1", "40,39,38", "40,20,0"})
    void duplicateInputsAreRejected(int inputs, int dupAt, int of) {
        List<OutPoint> prevouts = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            prevouts.add(prevout(i));
        }
        if (dupAt < 0) {
            assertDoesNotThrow(() -> TxCheck.checkTransaction(spending(prevouts)));
            return;
        }
        // An equal but distinct OutPoint: the rule compares values, not references.
        OutPoint original = prevouts.get(of);
        prevouts.set(dupAt, new OutPoint(Hash256.wrap(original.txid().bytes()), original.index()));
        ValidationException e = assertThrows(ValidationException.class,
                () -> TxCheck.checkTransaction(spending(prevouts)));
        assertEquals("bad-txns-inputs-duplicate", e.rejectReason());
    }
}
