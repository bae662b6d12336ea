package org.jbitcoind.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;

/** Block index, undo, tx location and UTXO key records: round trips, exact layouts, bad input. */
class RecordCodecTest {
    /** Mainnet genesis header. */
    static final String GENESIS_HEADER = "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";

    static BlockHeader header(int n) {
        return new BlockHeader(0x20000000, Hashes.hash256Of(new byte[] {(byte) n}), Hash256.ZERO, 1_700_000_000L + n,
                0x207fffff, n);
    }

    @Test
    void blockIndexRoundTripsWithLargeChainworkAndAllFlags() throws DecodeException {
        BigInteger work = BigInteger.ONE.shiftLeft(255).add(BigInteger.valueOf(12345));
        int status = BlockStatus.VALID_SCRIPTS | BlockStatus.HAVE_DATA | BlockStatus.HAVE_UNDO | BlockStatus.OPT_WITNESS;
        BlockIndexRecord r = new BlockIndexRecord(header(7), 840_000, work, status, 3_500);
        BlockIndexRecord back = BlockIndexRecord.decode(r.encode());
        assertEquals(r.hash(), back.hash());
        assertEquals(840_000, back.height());
        assertEquals(work, back.chainWork());
        assertEquals(status, back.status());
        assertEquals(3_500, back.txCount());
        assertEquals(BlockStatus.VALID_SCRIPTS, BlockStatus.validity(back.status()));
        assertTrue(BlockStatus.has(back.status(), BlockStatus.HAVE_UNDO));
    }

    @Test
    void blockIndexLayoutIsVarintsChainworkThenHeader() throws DecodeException {
        BlockHeader genesis = BlockHeader.deserialize(Hex.decode(GENESIS_HEADER));
        BlockIndexRecord r = new BlockIndexRecord(genesis, 0, BigInteger.valueOf(0x100010001L),
                BlockStatus.VALID_SCRIPTS | BlockStatus.HAVE_DATA, 1);
        String expected = "00" + "0d" + "01" + "0".repeat(54) + "0100010001" + GENESIS_HEADER;
        assertEquals(expected, Hex.encode(r.encode()));
        assertEquals("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f", r.hash().toString());
        assertEquals(r.hash(), BlockIndexRecord.decode(r.encode()).hash());
    }

    @Test
    void blockIndexRejectsTruncationAndTrailingBytes() {
        byte[] enc = new BlockIndexRecord(header(1), 1, BigInteger.TEN, 0, 0).encode();
        for (int len = 0; len < enc.length; len++) {
            byte[] cut = Arrays.copyOf(enc, len);
            assertThrows(DecodeException.class, () -> BlockIndexRecord.decode(cut), "length " + len);
        }
        byte[] longer = Arrays.copyOf(enc, enc.length + 1);
        assertThrows(DecodeException.class, () -> BlockIndexRecord.decode(longer));
    }

    @Test
    void undoRoundTripsAndMatchesCoreTxInUndoLayout() throws DecodeException {
        Coin genesisSpend = new Coin(new TxOut(50 * 100_000_000L,
                Hex.decode("76a914" + "22".repeat(20) + "88ac")), 9, true);
        Coin heightZero = new Coin(new TxOut(1, new byte[] {0x51}), 0, false);
        BlockUndo undo = new BlockUndo(List.of(
                new BlockUndo.TxUndo(List.of(genesisSpend, heightZero)),
                new BlockUndo.TxUndo(List.of())));
        byte[] enc = undo.encode();
        // 2 txs; tx 1: 2 inputs; VARINT(9*2+1)=13, dummy 00, amount 50 BTC -> 0x32, P2PKH kind 00 + hash;
        // then VARINT(0) (height 0: no dummy), amount 1 -> 01, raw script 07 51; tx 2: 0 inputs.
        String expected = "02" + "02" + "13" + "00" + "32" + "00" + "22".repeat(20) + "00" + "01" + "0751" + "00";
        assertEquals(expected, Hex.encode(enc));
        assertEquals(undo, BlockUndo.decode(enc));
    }

    @Test
    void undoRejectsTruncationHugeCountsAndTrailingBytes() {
        List<Coin> coins = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            coins.add(new Coin(new TxOut(1000L * i, new byte[] {0x51, (byte) i}), 100 + i, i == 0));
        }
        byte[] enc = new BlockUndo(List.of(new BlockUndo.TxUndo(coins))).encode();
        for (int len = 0; len < enc.length; len++) {
            byte[] cut = Arrays.copyOf(enc, len);
            assertThrows(DecodeException.class, () -> BlockUndo.decode(cut), "length " + len);
        }
        assertThrows(DecodeException.class, () -> BlockUndo.decode(Hex.decode("ffffffffffffffff7f")));
        assertThrows(DecodeException.class, () -> BlockUndo.decode(Hex.decode("01fe00000001")));
        assertThrows(DecodeException.class, () -> BlockUndo.decode(Hex.decode("0000")));
    }

    @Test
    void txLocationRoundTripsAndRejectsBadInput() throws DecodeException {
        TxLocation loc = new TxLocation(Hashes.hash256Of(new byte[] {1}), 81, 250);
        byte[] enc = loc.encode();
        assertEquals(32 + 1 + 2, enc.length);
        assertEquals(loc, TxLocation.decode(enc));
        for (int len = 0; len < enc.length; len++) {
            byte[] cut = Arrays.copyOf(enc, len);
            assertThrows(DecodeException.class, () -> TxLocation.decode(cut));
        }
        byte[] zeroLength = Arrays.copyOf(enc, 34);
        zeroLength[33] = 0;
        assertThrows(DecodeException.class, () -> TxLocation.decode(zeroLength));
    }

    @Test
    void utxoKeyIsTxidThenVarintVout() throws DecodeException {
        Hash256 txid = Hashes.hash256Of(new byte[] {42});
        OutPoint p = new OutPoint(txid, 300);
        byte[] key = UtxoKey.encode(p);
        assertArrayEquals(txid.bytes(), Arrays.copyOf(key, 32));
        assertEquals("812c", Hex.encode(Arrays.copyOfRange(key, 32, key.length)));
        assertEquals(p, UtxoKey.decode(key));
        OutPoint max = new OutPoint(txid, -1);
        assertEquals(max, UtxoKey.decode(UtxoKey.encode(max)));
        assertThrows(DecodeException.class, () -> UtxoKey.decode(Arrays.copyOf(key, 32)));
        assertThrows(DecodeException.class, () -> UtxoKey.decode(Arrays.copyOf(key, key.length + 1)));
    }
}
