package org.jbitcoind.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.Transaction;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@link Transaction#deserialize}: fails only with {@link DecodeException}; what decodes
 * re-serializes to the same bytes, and its txid, wtxid and sizes agree with those bytes.
 */
class TransactionFuzzTest {
    @FuzzTest
    void deserialize(byte[] input) throws DecodeException {
        Transaction tx;
        try {
            tx = AllocationBudget.check(input.length, () -> Transaction.deserialize(input));
        } catch (DecodeException malformed) {
            return;
        }
        assertConsistent(tx, input);
    }

    /** Shared with {@link BlockFuzzTest}: every transaction of a decoded block must pass it too. */
    static void assertConsistent(Transaction tx, byte[] wire) throws DecodeException {
        assertArrayEquals(wire, tx.serialize(), "transaction must re-serialize to its bytes");
        byte[] stripped = tx.serializeWithoutWitness();
        assertEquals(Hashes.hash256Of(wire), tx.wtxid(), "wtxid is hash256 of the witness serialization");
        assertEquals(Hashes.hash256Of(stripped), tx.txid(), "txid is hash256 of the serialization without witness");
        assertEquals(wire.length, tx.totalSize());
        assertEquals(stripped.length, tx.baseSize());
        assertEquals(3 * stripped.length + wire.length, tx.weight());
        if (!tx.hasWitness()) {
            assertArrayEquals(wire, stripped, "without witness data both serializations are the same");
        }
        Transaction again = Transaction.deserialize(wire);
        assertEquals(tx.txid(), again.txid(), "txid must be stable across decodes");
        assertEquals(tx.wtxid(), again.wtxid(), "wtxid must be stable across decodes");
        if (tx.hasWitness()) {
            assertEquals(tx.txid(), Transaction.deserialize(stripped).txid(), "stripping the witness keeps the txid");
        }
    }
}
