package org.jbitcoind.storage;

import java.math.BigInteger;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.BlockHeader;

/**
 * One entry of the block_index column family, keyed by block hash: everything the in-memory
 * block index needs to be rebuilt at start-up without reading any block.
 * Value layout: VARINT(height), VARINT(status), VARINT(txCount), chainwork as 32 bytes big-endian,
 * then the 80-byte header.
 *
 * @param status  {@link BlockStatus} bits
 * @param txCount transactions in the block, 0 while only the header is known
 */
public record BlockIndexRecord(BlockHeader header, int height, BigInteger chainWork, int status, int txCount) {
    private static final int CHAINWORK_BYTES = 32;

    public BlockIndexRecord {
        java.util.Objects.requireNonNull(header, "header");
        java.util.Objects.requireNonNull(chainWork, "chainWork");
        if (height < 0 || txCount < 0) {
            throw new IllegalArgumentException("negative height or tx count");
        }
        if (chainWork.signum() < 0 || chainWork.bitLength() > 8 * CHAINWORK_BYTES) {
            throw new IllegalArgumentException("chainwork out of 256-bit range");
        }
    }

    public Hash256 hash() {
        return header.hash();
    }

    public BlockIndexRecord withStatus(int newStatus) {
        return new BlockIndexRecord(header, height, chainWork, newStatus, txCount);
    }

    public BlockIndexRecord withTxCount(int newTxCount) {
        return new BlockIndexRecord(header, height, chainWork, status, newTxCount);
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(3 * 5 + CHAINWORK_BYTES + BlockHeader.SIZE);
        w.writeVarInt(height).writeVarInt(status & 0xffffffffL).writeVarInt(txCount);
        w.writeBytes(toFixed32(chainWork));
        header.write(w);
        return w.toByteArray();
    }

    public static BlockIndexRecord decode(byte[] bytes) throws DecodeException {
        ByteReader r = new ByteReader(bytes);
        int height = nonNegativeInt(r.readVarInt32(), "height");
        int status = (int) r.readVarInt32();
        int txCount = nonNegativeInt(r.readVarInt32(), "tx count");
        BigInteger work = new BigInteger(1, r.readBytes(CHAINWORK_BYTES));
        BlockHeader header = BlockHeader.read(r);
        r.expectEnd("block index record");
        return new BlockIndexRecord(header, height, work, status, txCount);
    }

    private static int nonNegativeInt(long v, String what) throws DecodeException {
        if (v > Integer.MAX_VALUE) {
            throw new DecodeException("block index record: " + what + " out of range: " + v);
        }
        return (int) v;
    }

    private static byte[] toFixed32(BigInteger v) {
        byte[] mag = v.toByteArray();
        byte[] out = new byte[CHAINWORK_BYTES];
        int copy = Math.min(mag.length, CHAINWORK_BYTES);
        System.arraycopy(mag, mag.length - copy, out, CHAINWORK_BYTES - copy, copy);
        return out;
    }
}
