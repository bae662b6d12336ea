package org.jbitcoind.protocol.primitives;

import java.math.BigInteger;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;

/**
 * The 80-byte block header. Time, bits and nonce are unsigned 32-bit values held in longs.
 * The block hash is computed once and cached.
 */
public final class BlockHeader {
    public static final int SIZE = 80;

    private final int version;
    private final Hash256 prevBlock;
    private final Hash256 merkleRoot;
    private final long time;
    private final long bits;
    private final long nonce;
    private Hash256 hash;

    public BlockHeader(int version, Hash256 prevBlock, Hash256 merkleRoot, long time, long bits, long nonce) {
        this.version = version;
        this.prevBlock = prevBlock;
        this.merkleRoot = merkleRoot;
        this.time = time & 0xffffffffL;
        this.bits = bits & 0xffffffffL;
        this.nonce = nonce & 0xffffffffL;
    }

    public int version() {
        return version;
    }

    public Hash256 prevBlock() {
        return prevBlock;
    }

    public Hash256 merkleRoot() {
        return merkleRoot;
    }

    public long time() {
        return time;
    }

    public long bits() {
        return bits;
    }

    public long nonce() {
        return nonce;
    }

    public BlockHeader withNonce(long newNonce) {
        return new BlockHeader(version, prevBlock, merkleRoot, time, bits, newNonce);
    }

    public BlockHeader withMerkleRoot(Hash256 root) {
        return new BlockHeader(version, prevBlock, root, time, bits, nonce);
    }

    public Hash256 hash() {
        Hash256 h = hash;
        if (h == null) {
            h = Hashes.hash256Of(serialize());
            hash = h;
        }
        return h;
    }

    /** The target encoded by nBits, or empty when it is negative or overflows 256 bits. */
    public java.util.Optional<BigInteger> target() {
        return CompactTarget.decode(bits);
    }

    public static BlockHeader read(ByteReader r) throws DecodeException {
        return new BlockHeader(r.readI32LE(), r.readHash(), r.readHash(), r.readU32LE(), r.readU32LE(), r.readU32LE());
    }

    public static BlockHeader deserialize(byte[] bytes) throws DecodeException {
        ByteReader r = new ByteReader(bytes);
        BlockHeader h = read(r);
        r.expectEnd("block header");
        return h;
    }

    public void write(ByteWriter w) {
        w.writeI32LE(version).writeHash(prevBlock).writeHash(merkleRoot)
                .writeU32LE(time).writeU32LE(bits).writeU32LE(nonce);
    }

    public byte[] serialize() {
        ByteWriter w = new ByteWriter(SIZE);
        write(w);
        return w.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockHeader h && h.hash().equals(hash());
    }

    @Override
    public int hashCode() {
        return hash().hashCode();
    }

    @Override
    public String toString() {
        return "BlockHeader[" + hash() + "]";
    }
}
