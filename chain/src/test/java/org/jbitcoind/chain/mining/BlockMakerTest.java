package org.jbitcoind.chain.mining;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.pow.Pow;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.validation.BlockChecks;
import org.jbitcoind.chain.validation.ContextualChecks;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Mined blocks pass Core's block rules: PoW, merkle root, BIP34 height, BIP141 commitment. */
class BlockMakerTest {
    private static final ChainParams REGTEST = ChainParams.of(Network.REGTEST);
    private static final byte[] OP_TRUE = {0x51};

    @ParameterizedTest(name = "height {0}")
    @ValueSource(ints = {1, 16, 17, 127, 128, 255, 256, 32767, 32768, 8388607, 8388608})
    void coinbaseCarriesTheBip34HeightAndPassesTheRules(int height) throws Exception {
        Block parentGenesis = REGTEST.genesisBlock();
        BlockIndex prev = BlockIndex.detachedRoot(parentGenesis.hash(), parentGenesis.header(), height - 1,
                java.math.BigInteger.valueOf(height));
        Transaction spend = new Transaction(2, List.of(new TxIn(new OutPoint(parentGenesis.hash(), 0), new byte[0],
                TxIn.SEQUENCE_FINAL, List.of(new byte[] {1}))), List.of(new TxOut(1000, OP_TRUE)), 0);
        Block b = BlockMaker.mine(REGTEST, parentGenesis.hash(), height, parentGenesis.header().time() + 1,
                REGTEST.powLimitBits(), new BlockMaker.CoinbaseSpec(OP_TRUE, 5_000_000_000L, new byte[] {7}),
                List.of(spend), true);
        assertTrue(Pow.checkProofOfWork(b.hash(), b.header().bits(), REGTEST));
        BlockChecks.checkBlock(b, REGTEST, new ScriptVerifier());
        ContextualChecks.contextualCheckBlock(b, prev, REGTEST); // BIP34 height, witness commitment, weight
        byte[] scriptSig = b.transactions().get(0).inputs().get(0).scriptSig();
        byte[] expected = ContextualChecks.heightScript(height);
        assertArrayEquals(expected, java.util.Arrays.copyOf(scriptSig, expected.length));
        assertEquals(7, scriptSig[expected.length], "the tag follows the height");
        assertEquals(1, b.witnessCommitmentIndex().orElseThrow());
    }

    @ParameterizedTest(name = "height {0}")
    @ValueSource(ints = {1, 16, 17, 500})
    void heightPushesAreCoreEncodings(int height) {
        String hex = Hex.encode(ContextualChecks.heightScript(height));
        String expected = switch (height) {
            case 1 -> "51";
            case 16 -> "60";
            case 17 -> "0111";
            default -> "02f401";
        };
        assertEquals(expected, hex);
        // Without a tag the scriptSig is padded to Core's two-byte minimum.
        Transaction cb = BlockMaker.coinbase(height, new BlockMaker.CoinbaseSpec(OP_TRUE, 1, null));
        assertTrue(cb.inputs().get(0).scriptSig().length >= 2);
        assertTrue(cb.isCoinbase());
    }
}
