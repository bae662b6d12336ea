package org.jbitcoind.chain.filterindex;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.spv.BlockFilter;
import org.jbitcoind.chain.state.ChainView;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.CFCheckptMessage;
import org.jbitcoind.protocol.message.CFHeadersMessage;
import org.jbitcoind.protocol.message.CFilterMessage;
import org.jbitcoind.protocol.message.GetCFCheckptMessage;
import org.jbitcoind.protocol.message.GetCFHeadersMessage;
import org.jbitcoind.protocol.message.GetCFiltersMessage;
import org.jbitcoind.protocol.message.Message;

/**
 * Answers a peer's BIP157 requests (getcfilters, getcfheaders, getcfcheckpt) from the filter index,
 * with Core's rules (PrepareBlockFilterRequest): the filter type must be one we serve (basic, and
 * only with -peerblockfilters), the stop hash must name a block of the active chain, the start
 * height must not be above it, and the range must stay within the BIP157 limits (1,000 filters,
 * 2,000 filter headers). A peer breaking a rule is disconnected; a request the index cannot answer
 * yet (still catching up) gets no reply, as in Core.
 *
 * <p>Pure logic, no I/O but index reads: the P2P layer passes the decoded request and sends what
 * comes back. Thread-safe.
 */
public final class FilterRequestHandler {
    /** BIP157: at most this many filters per getcfilters. */
    public static final int MAX_GETCFILTERS_SIZE = GetCFiltersMessage.MAX_FILTERS;
    /** BIP157: at most this many filter hashes per getcfheaders. */
    public static final int MAX_GETCFHEADERS_SIZE = GetCFHeadersMessage.MAX_HEADERS;
    /** BIP157: cfcheckpt carries the filter header of every 1,000th block. */
    public static final int CFCHECKPT_INTERVAL = 1000;

    /** What to do with a request. */
    public sealed interface Outcome permits Reply, Disconnect, NoReply {
    }

    /** Send these messages, in order. */
    public record Reply(List<Message> messages) implements Outcome {
        public Reply {
            messages = List.copyOf(messages);
        }
    }

    /** The peer broke a rule (Core disconnects it; no misbehaviour score): {@code reason} is for the log. */
    public record Disconnect(String reason) implements Outcome {
    }

    /** A valid request we cannot answer now (index behind or disabled for the type): ignore it. */
    public record NoReply(String reason) implements Outcome {
    }

    private final Supplier<ChainView> activeChain;
    private final Function<Hash256, Optional<BlockIndex>> blockIndex;
    private final FilterLookup filters;

    /**
     * @param activeChain the active chain (a fresh view per request)
     * @param blockIndex  block index lookup by hash
     * @param filters     the index; null when we do not serve filters (no -peerblockfilters), which
     *                    makes every request an unsupported-type request
     */
    public FilterRequestHandler(Supplier<ChainView> activeChain, Function<Hash256, Optional<BlockIndex>> blockIndex,
            FilterLookup filters) {
        this.activeChain = activeChain;
        this.blockIndex = blockIndex;
        this.filters = filters;
    }

    /** Serving from a running node's chain state and filter index (null: not serving). */
    public static FilterRequestHandler of(ChainstateManager chain, BlockFilterIndex index) {
        return new FilterRequestHandler(chain::activeChain, chain::getBlockIndex, index);
    }

    /** Dispatches one of the three request messages; any other message is a caller bug. */
    public Outcome handle(Message request) {
        if (request instanceof GetCFiltersMessage m) {
            return getCFilters(m);
        }
        if (request instanceof GetCFHeadersMessage m) {
            return getCFHeaders(m);
        }
        if (request instanceof GetCFCheckptMessage m) {
            return getCFCheckpt(m);
        }
        throw new IllegalArgumentException("not a BIP157 request: " + request.command());
    }

    /** getcfilters: one cfilter per block from the start height up to the stop block. */
    public Outcome getCFilters(GetCFiltersMessage m) {
        Checked c = check(m.filterType(), m.startHeight(), m.stopHash(), MAX_GETCFILTERS_SIZE);
        if (c.outcome != null) {
            return c.outcome;
        }
        List<Message> out = new ArrayList<>();
        for (int h = (int) m.startHeight(); h <= c.stop.height(); h++) {
            BlockIndex b = c.stop.getAncestor(h);
            Optional<FilterEntry> e = filters.entry(b.hash());
            if (e.isEmpty()) {
                return notIndexed(b);
            }
            out.add(new CFilterMessage(m.filterType(), b.hash(), e.get().filter()));
        }
        return new Reply(out);
    }

    /** getcfheaders: the filter hashes of the range and the filter header just before it. */
    public Outcome getCFHeaders(GetCFHeadersMessage m) {
        Checked c = check(m.filterType(), m.startHeight(), m.stopHash(), MAX_GETCFHEADERS_SIZE);
        if (c.outcome != null) {
            return c.outcome;
        }
        int start = (int) m.startHeight();
        Hash256 previous = Hash256.ZERO;
        if (start > 0) {
            BlockIndex before = c.stop.getAncestor(start - 1);
            Optional<FilterEntry> e = filters.entry(before.hash());
            if (e.isEmpty()) {
                return notIndexed(before);
            }
            previous = e.get().header();
        }
        List<Hash256> hashes = new ArrayList<>(c.stop.height() - start + 1);
        for (int h = start; h <= c.stop.height(); h++) {
            BlockIndex b = c.stop.getAncestor(h);
            Optional<FilterEntry> e = filters.entry(b.hash());
            if (e.isEmpty()) {
                return notIndexed(b);
            }
            hashes.add(e.get().filterHash());
        }
        return new Reply(List.of(new CFHeadersMessage(m.filterType(), m.stopHash(), previous, hashes)));
    }

    /** getcfcheckpt: the filter headers at heights 1000, 2000, ... up to the stop block. */
    public Outcome getCFCheckpt(GetCFCheckptMessage m) {
        Checked c = check(m.filterType(), 0, m.stopHash(), Long.MAX_VALUE);
        if (c.outcome != null) {
            return c.outcome;
        }
        List<Hash256> headers = new ArrayList<>(c.stop.height() / CFCHECKPT_INTERVAL);
        for (int h = CFCHECKPT_INTERVAL; h <= c.stop.height(); h += CFCHECKPT_INTERVAL) {
            BlockIndex b = c.stop.getAncestor(h);
            Optional<FilterEntry> e = filters.entry(b.hash());
            if (e.isEmpty()) {
                return notIndexed(b);
            }
            headers.add(e.get().header());
        }
        return new Reply(List.of(new CFCheckptMessage(m.filterType(), m.stopHash(), headers)));
    }

    /** Either the stop block of a valid request, or the outcome that ends it. */
    private record Checked(BlockIndex stop, Outcome outcome) {
    }

    /** Core's PrepareBlockFilterRequest. */
    private Checked check(int filterType, long startHeight, Hash256 stopHash, long maxHeightDiff) {
        if (filterType != BlockFilter.TYPE_BASIC || filters == null) {
            return new Checked(null, new Disconnect("unsupported compact filter type " + filterType));
        }
        Optional<BlockIndex> stop = blockIndex.apply(stopHash);
        if (stop.isEmpty() || !activeChain.get().contains(stop.get())) {
            return new Checked(null, new Disconnect("compact filter request for unknown or stale stop block " + stopHash));
        }
        long stopHeight = stop.get().height();
        if (startHeight > stopHeight) {
            return new Checked(null, new Disconnect("compact filter request with start height " + startHeight
                    + " above stop height " + stopHeight));
        }
        if (stopHeight - startHeight >= maxHeightDiff) {
            return new Checked(null, new Disconnect("compact filter request for " + (stopHeight - startHeight + 1)
                    + " blocks, more than the limit of " + maxHeightDiff));
        }
        return new Checked(stop.get(), null);
    }

    private static Outcome notIndexed(BlockIndex b) {
        return new NoReply("block filter of " + b.hash() + " at height " + b.height() + " is not indexed yet");
    }
}
