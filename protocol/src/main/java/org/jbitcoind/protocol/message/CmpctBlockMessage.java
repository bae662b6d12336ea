package org.jbitcoind.protocol.message;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.Transaction;

/**
 * BIP152 compact block: header, nonce, 6-byte short transaction ids and prefilled transactions
 * whose indexes are sent differentially (each as the gap after the previous one).
 */
public record CmpctBlockMessage(BlockHeader header, long nonce, List<Long> shortIds,
        List<PrefilledTransaction> prefilled) implements Message {
    public static final String COMMAND = "cmpctblock";
    public static final int SHORT_ID_SIZE = 6;
    /** BIP152: indexes must fit 16 bits. */
    public static final int MAX_INDEX = 0xffff;

    public record PrefilledTransaction(int index, Transaction tx) {
    }

    public CmpctBlockMessage {
        shortIds = List.copyOf(shortIds);
        prefilled = List.copyOf(prefilled);
    }

    @Override
    public String command() {
        return COMMAND;
    }

    public int blockTxCount() {
        return shortIds.size() + prefilled.size();
    }

    public static CmpctBlockMessage read(ByteReader r) throws DecodeException {
        BlockHeader header = BlockHeader.read(r);
        long nonce = r.readI64LE();
        int n = r.readCount(r.remaining() / SHORT_ID_SIZE, "short id count");
        List<Long> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long lo = r.readU32LE();
            long hi = r.readU16LE();
            ids.add(hi << 32 | lo);
        }
        int m = r.readCount(MAX_INDEX + 1L, "prefilled count");
        List<PrefilledTransaction> pre = new ArrayList<>(Math.min(m, 1024));
        int index = -1;
        for (int i = 0; i < m; i++) {
            index = nextIndex(r, index, "prefilled transaction");
            pre.add(new PrefilledTransaction(index, Transaction.read(r)));
        }
        // As Core does: the block's transaction count must fit 16 bits (BIP152 indexes are 16-bit).
        if ((long) n + m > MAX_INDEX) {
            throw new DecodeException("compact block has too many transactions");
        }
        return new CmpctBlockMessage(header, nonce, ids, pre);
    }

    /**
     * Reads one BIP152 differentially encoded index: the gap after {@code previous}. The gap is a
     * full 64-bit CompactSize on the wire, so it is bounded before the addition; otherwise a huge
     * gap wraps the sum back into range and yields repeated or decreasing indexes.
     */
    static int nextIndex(ByteReader r, int previous, String what) throws DecodeException {
        long gap = r.readCompactSize();
        if (Long.compareUnsigned(gap, MAX_INDEX) > 0 || previous + 1L + gap > MAX_INDEX) {
            throw new DecodeException(what + " index overflows 16 bits");
        }
        return (int) (previous + 1L + gap);
    }

    @Override
    public void write(ByteWriter w) {
        header.write(w);
        w.writeI64LE(nonce).writeCompactSize(shortIds.size());
        for (long id : shortIds) {
            w.writeU32LE(id & 0xffffffffL).writeU16LE((int) (id >>> 32) & 0xffff);
        }
        w.writeCompactSize(prefilled.size());
        int previous = -1;
        for (PrefilledTransaction p : prefilled) {
            w.writeCompactSize(p.index() - previous - 1);
            previous = p.index();
            p.tx().write(w, true);
        }
    }
}
