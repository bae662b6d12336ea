package org.jbitcoind.chain.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.coins.CoinsViewCache;
import org.jbitcoind.chain.coins.MemoryCoinsView;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.pow.Pow;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.GenesisBlocks;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Real header chains through contextualCheckBlockHeader, and real signet/testnet3 blocks from genesis. */
class HeaderChainTest {
    private static final long NOW = System.currentTimeMillis() / 1000;
    private static final BigInteger DIFFICULTY_1_WORK = BigInteger.valueOf(0x100010001L);

    private static List<BlockHeader> headers(String file) throws DecodeException {
        byte[] raw = SharedData.readData(file);
        ByteReader r = new ByteReader(raw);
        List<BlockHeader> out = new ArrayList<>(raw.length / 80);
        while (r.hasRemaining()) {
            out.add(BlockHeader.read(r));
        }
        return out;
    }

    /** Runs every header after genesis through both header checks; returns the tip. */
    private static BlockIndex checkChain(List<BlockHeader> headers, ChainParams params) throws ValidationException {
        assertEquals(params.genesisHash(), headers.get(0).hash());
        BlockIndex prev = new BlockIndex(headers.get(0), null);
        for (BlockHeader h : headers.subList(1, headers.size())) {
            BlockChecks.checkBlockHeader(h, params);
            ContextualChecks.contextualCheckBlockHeader(h, prev, params, NOW);
            prev = new BlockIndex(h, prev);
        }
        return prev;
    }

    @Test
    void mainnetHeaders0To10236PassIncludingFourRetargets() throws Exception {
        ChainParams params = ChainParams.of(Network.MAIN);
        List<BlockHeader> headers = headers("floresta/headers.zst");
        assertEquals(10_237, headers.size());
        BlockIndex tip = checkChain(headers, params);
        assertEquals(10_236, tip.height());
        assertEquals("000000004f74d42205b9d7ae1cb5c1591e723894a71358fce73b7e0919628161", tip.hash().toString());
        // Every block so far is at difficulty 1: chainwork is (height + 1) * 0x100010001.
        assertEquals(DIFFICULTY_1_WORK.multiply(BigInteger.valueOf(10_237)), tip.chainWork());

        for (int h : new int[] {2016, 4032, 6048, 8064}) {
            BlockIndex last = tip.getAncestor(h - 1);
            BlockHeader header = headers.get(h);
            // The periods were slower than two weeks, so the retarget clamps at powLimit.
            assertTrue(last.time() - last.getAncestor(h - 2016).time() > params.powTargetTimespan());
            assertEquals(0x1d00ffffL, Pow.getNextWorkRequired(last, header, params));
            BlockHeader wrong = new BlockHeader(header.version(), header.prevBlock(), header.merkleRoot(),
                    header.time(), 0x1d00fffeL, header.nonce());
            ValidationException e = assertThrows(ValidationException.class,
                    () -> ContextualChecks.contextualCheckBlockHeader(wrong, last, params, NOW));
            assertEquals("bad-diffbits", e.rejectReason());
            assertEquals(ValidationException.Result.INVALID_HEADER, e.result());
        }
    }

    @Test
    void mainnetHeaderChecksRejectBadHeaders() throws Exception {
        ChainParams params = ChainParams.of(Network.MAIN);
        List<BlockHeader> headers = headers("floresta/headers.zst").subList(0, 200);
        BlockIndex tip = checkChain(headers, params);
        BlockHeader next = headers.get(199);
        BlockIndex prev = tip.prev();

        BlockHeader badNonce = next.withNonce(next.nonce() + 1);
        assertEquals("high-hash", assertThrows(ValidationException.class,
                () -> BlockChecks.checkBlockHeader(badNonce, params)).rejectReason());

        BlockHeader old = new BlockHeader(next.version(), next.prevBlock(), next.merkleRoot(),
                prev.medianTimePast(), next.bits(), next.nonce());
        assertEquals("time-too-old", assertThrows(ValidationException.class,
                () -> ContextualChecks.contextualCheckBlockHeader(old, prev, params, NOW)).rejectReason());

        BlockHeader future = new BlockHeader(next.version(), next.prevBlock(), next.merkleRoot(),
                next.time() + 2 * 3600 + 1, next.bits(), next.nonce());
        ValidationException e = assertThrows(ValidationException.class,
                () -> ContextualChecks.contextualCheckBlockHeader(future, prev, params, next.time()));
        assertEquals("time-too-new", e.rejectReason());
        assertEquals(ValidationException.Result.TIME_FUTURE, e.result());
        BlockHeader justInTime = new BlockHeader(next.version(), next.prevBlock(), next.merkleRoot(),
                next.time() + 2 * 3600, next.bits(), next.nonce());
        ContextualChecks.contextualCheckBlockHeader(justInTime, prev, params, next.time());
    }

    @Test
    void signetHeaders0To2015Pass() throws Exception {
        ChainParams params = ChainParams.of(Network.SIGNET);
        List<BlockHeader> headers = headers("floresta/signet_headers.zst");
        assertEquals(2016, headers.size());
        BlockIndex tip = checkChain(headers, params);
        assertEquals(2015, tip.height());
    }

    @Test
    void testnet3Blocks0To400ConnectFromGenesis() throws Exception {
        ChainParams params = ChainParams.of(Network.TESTNET3);
        // The file ends with a truncated 402nd record, which the reader stops before.
        List<Block> blocks = SharedData.blkBlocks("blocks_iterator/blk-testnet.dat");
        assertEquals(401, blocks.size());
        assertEquals(GenesisBlocks.hashOf(Network.TESTNET3), blocks.get(0).hash());
        ScriptVerifier verifier = new ScriptVerifier();
        MemoryCoinsView base = new MemoryCoinsView();
        CoinsViewCache view = new CoinsViewCache(base);
        int minDifficultyChoices = 0;
        try (ScriptCheckQueue queue = new ScriptCheckQueue(verifier, 2)) {
            BlockConnector connector = new BlockConnector(params, queue);
            BlockIndex prev = null;
            for (Block b : blocks) {
                BlockIndex index = new BlockIndex(b.header(), prev);
                BlockChecks.checkBlock(b, params, verifier);
                if (prev != null) {
                    ContextualChecks.contextualCheckBlockHeader(b.header(), prev, params, NOW);
                    if (b.header().time() > prev.time() + 2 * params.powTargetSpacing()) {
                        minDifficultyChoices++;
                    }
                }
                ContextualChecks.contextualCheckBlock(b, prev, params);
                connector.connectBlock(b, index, view, true);
                prev = index;
            }
            assertEquals(400, prev.height());
        }
        // Blocks more than 20 minutes after their parent took the minimum-difficulty path.
        assertTrue(minDifficultyChoices > 0);
        view.flush();
        // Every spendable output created after genesis, less every input spent.
        int expected = 0;
        for (Block b : blocks.subList(1, blocks.size())) {
            for (Transaction tx : b.transactions()) {
                for (TxOut o : tx.outputs()) {
                    expected += CoinsViewCache.isUnspendable(o.scriptPubKey()) ? 0 : 1;
                }
                expected -= tx.isCoinbase() ? 0 : tx.inputs().size();
            }
        }
        assertEquals(expected, base.size());
    }

    private static List<Block> signetBlocks() throws Exception {
        JsonNode root = new ObjectMapper().readTree(SharedData.readData("floresta/signet_blocks_0-120.json"));
        List<Block> blocks = new ArrayList<>();
        for (JsonNode n : root) {
            assertEquals(blocks.size(), n.get("height").asInt());
            blocks.add(Block.deserialize(Hex.decode(n.get("block").asText())));
        }
        return blocks;
    }

    @Test
    void signetBlocks0To120PassSolutionCheckAndConnect() throws Exception {
        ChainParams params = ChainParams.of(Network.SIGNET);
        List<Block> blocks = signetBlocks();
        assertEquals(121, blocks.size());
        ScriptVerifier verifier = new ScriptVerifier();
        MemoryCoinsView base = new MemoryCoinsView();
        CoinsViewCache view = new CoinsViewCache(base);
        try (ScriptCheckQueue queue = new ScriptCheckQueue(verifier, 2)) {
            BlockConnector connector = new BlockConnector(params, queue);
            BlockIndex prev = null;
            for (Block b : blocks) {
                assertTrue(SignetSolution.check(b, params, verifier), "solution of block " + (prev == null ? 0
                        : prev.height() + 1));
                BlockIndex index = new BlockIndex(b.header(), prev);
                BlockChecks.checkBlock(b, params, verifier);
                if (prev != null) {
                    ContextualChecks.contextualCheckBlockHeader(b.header(), prev, params, NOW);
                }
                ContextualChecks.contextualCheckBlock(b, prev, params);
                connector.connectBlock(b, index, view, true);
                prev = index;
            }
        }
    }

    @Test
    void signetBlockWithCorruptSolutionIsRejected() throws Exception {
        ChainParams params = ChainParams.of(Network.SIGNET);
        ScriptVerifier verifier = new ScriptVerifier();
        Block b = signetBlocks().get(100);
        Transaction cb = b.transactions().get(0);
        int pos = b.witnessCommitmentIndex().orElseThrow();
        byte[] script = cb.outputs().get(pos).scriptPubKey().clone();
        // The solution push follows the 38-byte commitment; corrupt a byte well inside its signature.
        assertTrue(script.length > 38 + 20);
        script[script.length - 20] ^= 0x01;
        List<TxOut> outs = new ArrayList<>(cb.outputs());
        outs.set(pos, new TxOut(outs.get(pos).value(), script));
        List<Transaction> txs = new ArrayList<>(b.transactions());
        txs.set(0, new Transaction(cb.version(), cb.inputs(), outs, cb.lockTime()));
        Block bad = new Block(b.header(), txs);
        assertFalse(SignetSolution.check(bad, params, verifier));
        ValidationException e = assertThrows(ValidationException.class,
                () -> BlockChecks.checkBlock(bad, params, verifier));
        assertEquals("bad-signet-blksig", e.rejectReason());

        // The same block under a custom signet whose challenge is OP_TRUE needs no solution at all.
        ChainParams trivial = ChainParams.signet(new byte[] {0x51});
        assertTrue(SignetSolution.check(bad, trivial, verifier));
        // And under the default challenge a block without a commitment has no solution.
        Block noCommitment = new Block(b.header(), List.of(new Transaction(cb.version(), cb.inputs(),
                List.of(cb.outputs().get(0)), cb.lockTime())));
        assertFalse(SignetSolution.check(noCommitment, params, verifier));
    }
}
