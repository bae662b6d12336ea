package org.jbitcoind.chain.spv;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * A BIP158 block filter of type basic (0): a Golomb-coded set (P = 19, M = 784931) keyed by the
 * first 16 bytes of the block hash, over every scriptPubKey the block creates (except empty and
 * OP_RETURN ones) and every scriptPubKey its inputs spend (except empty ones).
 */
public final class BlockFilter {
    /** BIP158 filter type byte for the basic filter (getcfilters / getblockfilter "basic"). */
    public static final int TYPE_BASIC = 0;
    public static final int BASIC_P = 19;
    public static final long BASIC_M = 784_931;

    private final Hash256 blockHash;
    private final GolombCodedSet set;

    private BlockFilter(Hash256 blockHash, GolombCodedSet set) {
        this.blockHash = blockHash;
        this.set = set;
    }

    /**
     * Builds the basic filter. {@code spentScripts} are the scriptPubKeys of the outputs spent by
     * the block's non-coinbase inputs (from the undo data), in any order.
     */
    public static BlockFilter buildBasic(Block block, Collection<byte[]> spentScripts) {
        return new BlockFilter(block.hash(), GolombCodedSet.build(basicParams(block.hash()), basicElements(block, spentScripts)));
    }

    /** A basic filter as served or stored: the block it belongs to and its serialized set. */
    public static BlockFilter decodeBasic(Hash256 blockHash, byte[] encoded) throws DecodeException {
        return new BlockFilter(blockHash, GolombCodedSet.decode(basicParams(blockHash), encoded));
    }

    /** The element set before hashing (duplicates are removed when the set is built). */
    public static List<byte[]> basicElements(Block block, Collection<byte[]> spentScripts) {
        List<byte[]> elements = new ArrayList<>();
        for (Transaction tx : block.transactions()) {
            for (TxOut out : tx.outputs()) {
                byte[] script = out.scriptPubKey();
                if (script.length > 0 && (script[0] & 0xff) != ScriptOps.OP_RETURN) {
                    elements.add(script);
                }
            }
        }
        for (byte[] script : spentScripts) {
            if (script.length > 0) {
                elements.add(script);
            }
        }
        return elements;
    }

    public Hash256 blockHash() {
        return blockHash;
    }

    public int filterType() {
        return TYPE_BASIC;
    }

    /** The serialized filter: what cfilter carries and getblockfilter returns. */
    public byte[] encoded() {
        return set.encoded();
    }

    /** Number of distinct elements N. */
    public int size() {
        return set.size();
    }

    public Hash256 filterHash() {
        return Hashes.hash256Of(set.encoded());
    }

    /** BIP157 filter header: double-SHA256(filter hash || previous filter header); the genesis block's previous header is zero. */
    public Hash256 header(Hash256 previousHeader) {
        return chainHeader(filterHash(), previousHeader);
    }

    public static Hash256 chainHeader(Hash256 filterHash, Hash256 previousHeader) {
        byte[] buf = new byte[64];
        filterHash.copyTo(buf, 0);
        previousHeader.copyTo(buf, 32);
        return Hashes.hash256Of(buf);
    }

    public boolean match(byte[] element) {
        return set.match(element);
    }

    public boolean matchAny(Collection<byte[]> elements) {
        return set.matchAny(elements);
    }

    private static GolombCodedSet.Params basicParams(Hash256 blockHash) {
        byte[] h = blockHash.bytes();
        return new GolombCodedSet.Params(SipHash.readLE64(h, 0), SipHash.readLE64(h, 8), BASIC_P, BASIC_M);
    }
}
