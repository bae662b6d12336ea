package org.jbitcoind.chain.spv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** gettxoutproof / verifytxoutproof format. */
class TxOutProofTest {
    static final Block BLOCK = SharedData.decodeBlock(SharedData.readData("bcoin/block300025.raw"));

    @Test
    void proofOfTheTwoBcoinTransactionsIsTheBcoinMerkleBlock() throws Exception {
        byte[] proof = TxOutProof.build(BLOCK,
                Set.of(MerkleBlockBuilderTest.MATCH_1, MerkleBlockBuilderTest.MATCH_2));
        assertArrayEquals(SharedData.readData("bcoin/merkle300025.raw"), proof);
        TxOutProof.Verified v = TxOutProof.verify(proof);
        assertEquals(List.of(MerkleBlockBuilderTest.MATCH_1, MerkleBlockBuilderTest.MATCH_2), v.txids());
        assertEquals(BLOCK.hash(), v.header().hash());
        assertEquals(461, v.transactionCount());
    }

    @Test
    void proofOfEveryTransaction() throws Exception {
        Transaction[] all = BLOCK.transactions().toArray(new Transaction[0]);
        TxOutProof.Verified v = TxOutProof.verify(TxOutProof.build(BLOCK, all));
        assertEquals(BLOCK.transactions().stream().map(Transaction::txid).toList(), v.txids());
    }

    @Test
    void refusesTxidsNotInTheBlock() {
        Set<Hash256> ids = new HashSet<>(Set.of(MerkleBlockBuilderTest.MATCH_1, Hash256.fromHex("11".repeat(32))));
        MerkleProofException e = assertThrows(MerkleProofException.class, () -> TxOutProof.build(BLOCK, ids));
        assertTrue(e.getMessage().contains("Not all transactions found"));
        assertThrows(MerkleProofException.class, () -> TxOutProof.build(BLOCK, Set.of()));
    }

    @Test
    void rejectsAProofWhoseRootIsNotTheHeaders() throws Exception {
        byte[] proof = TxOutProof.build(BLOCK, BLOCK.transactions().get(7));
        proof[36] ^= 1; // a bit of the header's merkle root
        MerkleProofException e = assertThrows(MerkleProofException.class, () -> TxOutProof.verify(proof));
        assertTrue(e.getMessage().contains("does not match header merkle root"));
    }

    /**
     * Every single-bit change in the hashes or flags (after the header and the 4-byte
     * transaction count) either breaks the structure or the root.
     */
    @ParameterizedTest(name = "flip bit {0} past the header")
    @ValueSource(ints = {32, 39, 40, 100, 300, 1000, 2000, 2600, 2606, 2607, 2608, 2615, 2616})
    void anyBitFlipIsDetected(int bit) throws Exception {
        byte[] proof = TxOutProof.build(BLOCK,
                Set.of(MerkleBlockBuilderTest.MATCH_1, MerkleBlockBuilderTest.MATCH_2));
        int offset = 80 + bit / 8;
        assertTrue(offset < proof.length, "proof is " + proof.length + " bytes");
        proof[offset] ^= (byte) (1 << (bit % 8));
        assertThrows(MerkleProofException.class, () -> TxOutProof.verify(proof));
    }

    /**
     * The transaction count is not committed to by the root: 461 and 460 leaves give the same
     * tree shape here, so the proof still verifies but reports the altered count. That is why
     * verifytxoutproof must compare it with the block index's nTx before trusting the txids.
     */
    @Test
    void transactionCountMustBeCheckedAgainstTheBlockIndex() throws Exception {
        byte[] proof = TxOutProof.build(BLOCK, BLOCK.transactions().get(3));
        proof[80] ^= 1;
        TxOutProof.Verified v = TxOutProof.verify(proof);
        assertEquals(460, v.transactionCount());
        assertTrue(v.transactionCount() != BLOCK.transactions().size());
    }

    /** As in Core, the unused high bits of the last flag byte are not checked. */
    @Test
    void paddingBitsOfTheLastFlagByteAreIgnored() throws Exception {
        byte[] proof = TxOutProof.build(BLOCK, Set.of(MerkleBlockBuilderTest.MATCH_1, MerkleBlockBuilderTest.MATCH_2));
        proof[proof.length - 1] ^= (byte) 0x80;
        assertEquals(List.of(MerkleBlockBuilderTest.MATCH_1, MerkleBlockBuilderTest.MATCH_2), TxOutProof.verify(proof).txids());
    }

    @Test
    void truncatedProofIsMalformedAndTrailingBytesAreIgnored() throws Exception {
        byte[] proof = TxOutProof.build(BLOCK, BLOCK.transactions().get(0));
        for (int cut : new int[] {0, 50, 84, proof.length - 1}) {
            byte[] shorter = Arrays.copyOf(proof, cut);
            assertThrows(MerkleProofException.class, () -> TxOutProof.verify(shorter));
        }
        byte[] longer = Arrays.copyOf(proof, proof.length + 3);
        assertEquals(List.of(BLOCK.transactions().get(0).txid()), TxOutProof.verify(longer).txids());
    }
}
