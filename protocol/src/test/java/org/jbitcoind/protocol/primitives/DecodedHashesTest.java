package org.jbitcoind.protocol.primitives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A decoded transaction takes its txid, wtxid and sizes from the bytes it was read from; a
 * transaction built from parts computes them by serializing itself. Both must always agree.
 */
class DecodedHashesTest {

    static java.util.stream.Stream<String> singleRawBlocks() {
        return RealBlockCodecTest.singleRawBlocks();
    }

    @ParameterizedTest
    @MethodSource("singleRawBlocks")
    void decodedHashesMatchSerializedOnes(String path) throws DecodeException {
        Block block = Block.deserialize(SharedData.readData(path));
        int segwit = 0;
        for (Transaction tx : block.transactions()) {
            assertSameAsRebuilt(tx);
            segwit += tx.hasWitness() ? 1 : 0;
        }
        // Ids recomputed from rebuilt transactions give the header's root through both merkle entry points.
        List<Hash256> ids = block.transactions().stream().map(tx -> rebuild(tx).txid()).toList();
        assertEquals(block.header().merkleRoot(), MerkleTree.compute(ids).root());
        if (segwit > 0) {
            Block rebuilt = new Block(block.header(), block.transactions().stream().map(DecodedHashesTest::rebuild).toList());
            assertEquals(rebuilt.computeWitnessMerkleRoot(), block.computeWitnessMerkleRoot());
        }
    }

    @Test
    void legacySegwitAndEmptyFormsInOneStream() throws DecodeException {
        TxIn in = new TxIn(new OutPoint(Hash256.of(filled(0x11)), 3), new byte[] {0x51}, 0xfffffffeL);
        Transaction legacy = new Transaction(2, List.of(in), List.of(new TxOut(5_000, new byte[] {0x52})), 7);
        Transaction segwit = new Transaction(1,
                List.of(in.withWitness(List.of(new byte[] {1, 2, 3}, new byte[0])),
                        new TxIn(new OutPoint(Hash256.of(filled(0x22)), 0), new byte[0], 0)),
                List.of(new TxOut(1, new byte[0]), new TxOut(2, new byte[] {0x00, 0x14})), 500_000);
        Transaction empty = new Transaction(1, List.of(), List.of(), 0);
        byte[] a = legacy.serialize();
        byte[] b = segwit.serialize();
        byte[] c = empty.serialize();
        // Read from the middle of a larger array, as a block's transactions are.
        byte[] all = new byte[3 + a.length + b.length + c.length];
        System.arraycopy(a, 0, all, 3, a.length);
        System.arraycopy(b, 0, all, 3 + a.length, b.length);
        System.arraycopy(c, 0, all, 3 + a.length + b.length, c.length);
        ByteReader r = new ByteReader(all, 3, all.length - 3);
        for (Transaction expected : List.of(legacy, segwit, empty)) {
            Transaction got = Transaction.read(r);
            assertEquals(expected.txid(), got.txid());
            assertEquals(expected.wtxid(), got.wtxid());
            assertEquals(expected.baseSize(), got.baseSize());
            assertEquals(expected.totalSize(), got.totalSize());
            assertSameAsRebuilt(got);
        }
        r.expectEnd("stream");
        Transaction readSegwit = Transaction.deserialize(b);
        assertNotEquals(readSegwit.txid(), readSegwit.wtxid());
        assertEquals(Hashes.hash256Of(segwit.serializeWithoutWitness()), readSegwit.txid());
        assertEquals(Hashes.hash256Of(b), readSegwit.wtxid());
    }

    @Test
    void witnessFlagWithOnlyEmptyWitnessesIsRejected() {
        // version 1, marker 0, flag 1, one input, no outputs, an empty witness stack, lock time 0
        String hex = "01000000" + "0001" + "01" + "11".repeat(32) + "00000000" + "00" + "ffffffff" + "00" + "00" + "00000000";
        DecodeException e = assertThrows(DecodeException.class, () -> Transaction.deserialize(Hex.decode(hex)));
        assertTrue(e.getMessage().contains("superfluous witness"), e.getMessage());
    }

    static Transaction rebuild(Transaction tx) {
        return new Transaction(tx.version(), tx.inputs(), tx.outputs(), tx.lockTime());
    }

    static void assertSameAsRebuilt(Transaction tx) {
        Transaction rebuilt = rebuild(tx);
        assertEquals(rebuilt.txid(), tx.txid());
        assertEquals(rebuilt.wtxid(), tx.wtxid());
        assertEquals(rebuilt.baseSize(), tx.baseSize());
        assertEquals(rebuilt.totalSize(), tx.totalSize());
        assertArrayEquals(rebuilt.serialize(), tx.serialize());
        assertFalse(tx.hasWitness() && tx.txid().equals(tx.wtxid()), "a witness changes the wtxid");
    }

    private static byte[] filled(int b) {
        byte[] out = new byte[32];
        java.util.Arrays.fill(out, (byte) b);
        return out;
    }
}
