package org.jbitcoind.node.sync;

import org.jbitcoind.chain.filterindex.FilterRequestHandler;
import org.jbitcoind.chain.spv.BloomFilter;
import org.jbitcoind.chain.spv.BloomFilterException;
import org.jbitcoind.chain.spv.FilteredBlock;
import org.jbitcoind.chain.spv.MerkleBlockBuilder;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.FilterAddMessage;
import org.jbitcoind.protocol.message.FilterLoadMessage;
import org.jbitcoind.protocol.message.GetCFCheckptMessage;
import org.jbitcoind.protocol.message.GetCFHeadersMessage;
import org.jbitcoind.protocol.message.GetCFiltersMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.TxMessage;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-peer light-client messages, with Core's rules (net_processing): BIP37 bloom filters
 * (only with -peerbloomfilters, otherwise the sender is disconnected, as Core does for peers it
 * did not offer NODE_BLOOM) and BIP157 compact filter requests (answered by the
 * {@link FilterRequestHandler}). Runs on the sync thread.
 */
final class LightClientServer {
    private static final Logger LOG = LoggerFactory.getLogger(LightClientServer.class);
    /** Core: an oversized filter or a bad filteradd discourages the peer at once. */
    static final int SCORE_BAD_FILTER = 100;

    private final LightClientServing serving;

    LightClientServer(LightClientServing serving) {
        this.serving = serving;
    }

    /** True when the message is one of ours (then it has been handled). */
    boolean handle(PeerSync p, Message m) {
        if (m instanceof FilterLoadMessage load) {
            if (bloomAllowed(p, m)) {
                filterLoad(p, load);
            }
        } else if (m instanceof FilterAddMessage add) {
            if (bloomAllowed(p, m)) {
                filterAdd(p, add);
            }
        } else if (m == EmptyMessage.FILTERCLEAR) {
            if (bloomAllowed(p, m)) {
                // BIP37: drop the filter and relay every transaction again.
                p.bloomFilter = null;
                p.relayTxs = true;
            }
        } else if (m instanceof GetCFiltersMessage || m instanceof GetCFHeadersMessage
                || m instanceof GetCFCheckptMessage) {
            filterRequest(p, m);
        } else {
            return false;
        }
        return true;
    }

    /**
     * Core's answer to getdata MSG_FILTERED_BLOCK: the merkleblock, then each matched transaction
     * as a tx message without witness (all of them, even if the peer may have some). A peer without
     * a filter gets no answer at all.
     */
    void sendFilteredBlock(PeerSync p, Block block) {
        BloomFilter filter = p.bloomFilter;
        if (filter == null) {
            return;
        }
        FilteredBlock fb = MerkleBlockBuilder.build(block, filter);
        p.peer.send(fb.merkleBlock());
        for (Transaction tx : fb.transactions()) {
            p.peer.send(new TxMessage(tx, false));
        }
    }

    private boolean bloomAllowed(PeerSync p, Message m) {
        if (!serving.bloomFilters()) {
            // BIP111: a peer may not use bloom filters we did not offer.
            p.peer.disconnect(m.command() + " without NODE_BLOOM");
            return false;
        }
        return true;
    }

    private static void filterLoad(PeerSync p, FilterLoadMessage load) {
        try {
            p.bloomFilter = BloomFilter.fromMessage(load);
            p.relayTxs = true;
        } catch (BloomFilterException e) {
            p.peer.misbehaving(SCORE_BAD_FILTER, "too-large bloom filter: " + e.getMessage());
        }
    }

    private static void filterAdd(PeerSync p, FilterAddMessage add) {
        BloomFilter filter = p.bloomFilter;
        if (filter == null) {
            p.peer.misbehaving(SCORE_BAD_FILTER, "bad filteradd message: no filter loaded");
            return;
        }
        try {
            filter.add(add);
        } catch (BloomFilterException e) {
            p.peer.misbehaving(SCORE_BAD_FILTER, "bad filteradd message: " + e.getMessage());
        }
    }

    private void filterRequest(PeerSync p, Message m) {
        FilterRequestHandler.Outcome outcome = serving.filterRequests().handle(m);
        if (outcome instanceof FilterRequestHandler.Reply r) {
            r.messages().forEach(p.peer::send);
        } else if (outcome instanceof FilterRequestHandler.Disconnect d) {
            LOG.debug("{} from {}: {}", m.command(), p.peer, d.reason());
            p.peer.disconnect(m.command() + ": " + d.reason());
        } else if (outcome instanceof FilterRequestHandler.NoReply n) {
            LOG.debug("{} from {} not answered: {}", m.command(), p.peer, n.reason());
        }
    }
}
