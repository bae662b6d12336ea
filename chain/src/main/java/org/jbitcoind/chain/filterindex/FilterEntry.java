package org.jbitcoind.chain.filterindex;

import java.util.Arrays;

import org.jbitcoind.chain.spv.BlockFilter;
import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;

/**
 * What the index keeps per block (keyed by block hash in the {@code block_filter} column family):
 * the serialized basic filter, its hash (what cfheaders carries) and its BIP157 filter header
 * (chained from the header of the block's parent).
 *
 * <p>Stored as {@code header (32) || filter hash (32) || filter bytes}.
 */
public record FilterEntry(byte[] filter, Hash256 filterHash, Hash256 header) {

    public FilterEntry {
        filter = filter.clone();
    }

    /** The entry of {@code filter} for a block whose parent's filter header is {@code previousHeader}. */
    public static FilterEntry of(BlockFilter filter, Hash256 previousHeader) {
        Hash256 filterHash = filter.filterHash();
        return new FilterEntry(filter.encoded(), filterHash, BlockFilter.chainHeader(filterHash, previousHeader));
    }

    @Override
    public byte[] filter() {
        return filter.clone();
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(2 * Hash256.LENGTH + filter.length);
        w.writeHash(header).writeHash(filterHash).writeBytes(filter);
        return w.toByteArray();
    }

    /** Reads a stored entry; the filter hash must match the filter bytes. */
    public static FilterEntry decode(byte[] stored) throws DecodeException {
        ByteReader r = new ByteReader(stored);
        Hash256 header = r.readHash();
        Hash256 filterHash = r.readHash();
        byte[] filter = r.readBytes(r.remaining());
        if (!Hashes.hash256Of(filter).equals(filterHash)) {
            throw new DecodeException("block filter entry: stored filter hash does not match the filter bytes");
        }
        return new FilterEntry(filter, filterHash, header);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FilterEntry e && Arrays.equals(filter, e.filter) && filterHash.equals(e.filterHash)
                && header.equals(e.header);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(filter) + header.hashCode();
    }

    @Override
    public String toString() {
        return "FilterEntry[" + filter.length + " bytes, filterHash=" + filterHash + ", header=" + header + "]";
    }
}
