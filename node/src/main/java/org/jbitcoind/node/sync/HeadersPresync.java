package org.jbitcoind.node.sync;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.pow.Pow;
import org.jbitcoind.protocol.codec.LittleEndian;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.BlockHeader;

/**
 * Low-work headers anti-DoS (the idea of Core's HeadersSyncState, our own simpler form). A header
 * chain from a peer whose work stays below the anti-DoS threshold is never written to the block
 * index, so a flood of cheap headers cannot grow our memory or database. Instead its headers are
 * first checked and their work summed without being kept (presync); only once the chain has proven
 * enough work is it downloaded again from the fork point and stored (redownload).
 *
 * <p>What presync remembers is tiny: for each full batch of 2,000 headers, 8 bytes of the hash of
 * its last header. In redownload every batch must end in the remembered hash (the headers between
 * are fixed by their hash links), so a peer cannot pass presync with one chain and then get another
 * stored. Like Core, the number of headers is capped by what the timestamp rules allow since the
 * fork point (at most about six blocks per second of real time).
 *
 * <p>Touched only on the sync thread.
 */
final class HeadersPresync {
    /** Core's rule of thumb: the median-time-past rule admits at most ~6 headers per second. */
    static final int MAX_HEADERS_PER_SECOND = 6;
    /** Core's MAX_FUTURE_BLOCK_TIME: headers may be up to two hours ahead of now. */
    static final long MAX_FUTURE_SECONDS = 2 * 60 * 60;

    enum Phase { PRESYNC, REDOWNLOAD }

    /** What the sync manager should do after a headers message was fed in. */
    sealed interface Step {
        /** Presync goes on: ask for the headers after {@code last}. */
        record Continue(Hash256 last) implements Step {
        }

        /** Enough work was proven: ask again from the fork point and store what comes. */
        record Redownload(BlockIndex forkPoint) implements Step {
        }

        /** The peer's chain ended below the threshold: nothing is stored, the presync is over. */
        record LowWork(int headers, Hash256 last) implements Step {
        }

        /** The header chain breaks a rule; the peer gets punished. */
        record Invalid(String reason) implements Step {
        }

        /** More headers than the timestamp rules allow since the fork point: abandon (Core does not punish). */
        record TooLong(long headers) implements Step {
        }
    }

    private final ChainParams params;
    private final BlockIndex forkPoint;
    private final BigInteger threshold;
    private final long maxHeaders;
    private long[] batchEnds = new long[8];
    private int batches;
    private Phase phase = Phase.PRESYNC;
    private int redownloaded;
    private Hash256 redownloadTip;
    private Hash256 lastHash;
    private long lastBits;
    private int lastHeight;
    private BigInteger work;
    private long count;

    HeadersPresync(ChainParams params, BlockIndex forkPoint, BigInteger threshold, long nowSeconds) {
        this.params = params;
        this.forkPoint = forkPoint;
        this.threshold = threshold;
        long seconds = Math.max(0, nowSeconds + MAX_FUTURE_SECONDS - forkPoint.time());
        this.maxHeaders = seconds * MAX_HEADERS_PER_SECOND;
        this.lastHash = forkPoint.hash();
        this.redownloadTip = forkPoint.hash();
        this.lastBits = forkPoint.bits();
        this.lastHeight = forkPoint.height();
        this.work = forkPoint.chainWork();
    }

    Phase phase() {
        return phase;
    }

    BlockIndex forkPoint() {
        return forkPoint;
    }

    /** Whether {@code headers} (already checked to be a chain) continue where presync stopped. */
    boolean continuesPresync(List<BlockHeader> headers) {
        return phase == Phase.PRESYNC && headers.get(0).prevBlock().equals(lastHash);
    }

    /** Presync: checks the headers' proof of work and difficulty steps and sums their work, keeping none. */
    Step presync(List<BlockHeader> headers, int fullBatch) {
        for (BlockHeader h : headers) {
            int height = lastHeight + 1;
            if (!Pow.permittedDifficultyTransition(params, height, lastBits, h.bits())) {
                return new Step.Invalid("bad-diffbits in presync at height " + height);
            }
            Hash256 hash = h.hash();
            if (!Pow.checkProofOfWork(hash, h.bits(), params)) {
                return new Step.Invalid("high-hash in presync at height " + height);
            }
            work = work.add(Pow.getBlockProof(h.bits()));
            lastHash = hash;
            lastBits = h.bits();
            lastHeight = height;
        }
        count += headers.size();
        if (count > maxHeaders) {
            return new Step.TooLong(count);
        }
        remember(lastHash);
        if (work.compareTo(threshold) >= 0) {
            phase = Phase.REDOWNLOAD;
            return new Step.Redownload(forkPoint);
        }
        if (headers.size() < fullBatch) {
            return new Step.LowWork(lastHeight - forkPoint.height(), lastHash);
        }
        return new Step.Continue(lastHash);
    }

    /**
     * Redownload: whether this batch is the next one presync saw (it ends in the remembered hash).
     * On true the caller stores it; {@link #redownloadComplete} tells when the last one was stored.
     */
    boolean matchesNextBatch(List<BlockHeader> headers) {
        if (phase != Phase.REDOWNLOAD || redownloaded >= batches) {
            return false;
        }
        long expected = batchEnds[redownloaded];
        boolean last = redownloaded == batches - 1;
        boolean match = last ? containsKey(headers, expected)
                : expected == key(headers.get(headers.size() - 1).hash());
        if (match) {
            redownloaded++;
            redownloadTip = headers.get(headers.size() - 1).hash();
        }
        return match;
    }

    /**
     * The last batch may run past where presync stopped (the peer found a block meanwhile):
     * headers on top of the proven chain are fine, as in Core once redownload reached the work.
     */
    private boolean containsKey(List<BlockHeader> headers, long expected) {
        for (BlockHeader h : headers) {
            if (key(h.hash()) == expected) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code headers} start where the next redownload batch must start. */
    boolean expectsNext(List<BlockHeader> headers) {
        return phase == Phase.REDOWNLOAD && headers.get(0).prevBlock().equals(redownloadTip);
    }

    boolean redownloadComplete() {
        return phase == Phase.REDOWNLOAD && redownloaded == batches;
    }

    private void remember(Hash256 batchEnd) {
        if (batches == batchEnds.length) {
            batchEnds = Arrays.copyOf(batchEnds, batches * 2);
        }
        batchEnds[batches++] = key(batchEnd);
    }

    /** 64 bits of the hash: matching them with other headers would take a 2^64 second preimage. */
    private long key(Hash256 hash) {
        return LittleEndian.getLong(hash.bytes(), 0);
    }
}
