package org.jbitcoind.node.sync;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.spv.BloomFilter;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.message.VersionMessage;
import org.jbitcoind.protocol.primitives.Transaction;

/**
 * What the sync manager knows about one peer (Core's CNodeState). Touched only on the sync
 * thread, hence no locking.
 */
final class PeerSync {
    static final int MAX_LOW_WORK_TIPS = 16;
    final Peer peer;
    /** The most-work header we know the peer has (Core's pindexBestKnownBlock). */
    BlockIndex bestKnown;
    /** Blocks requested from this peer, in request order, with the time (nanos) of the request. */
    final Map<Hash256, Long> inFlight = new LinkedHashMap<>();
    /** When our unanswered getheaders was sent (nanos), 0 when none is outstanding. */
    long headersRequestedAt;
    /** The peer has answered a getheaders at least once: it speaks headers-first. */
    boolean answersHeaders;
    /** The peer ignored getheaders: we sync from it with getblocks/inv/getdata (pre-BIP130 style). */
    boolean getblocksMode;
    /** getblocks mode: when our getblocks went out (nanos) while its inv is not yet seen, else 0. */
    long getblocksSentAt;
    /** getblocks mode: the last block hash we asked for with getdata, for the next getblocks locator. */
    Hash256 lastRequestedInBatch;
    /** headers messages whose first header did not connect (Core's nUnconnectingHeaders). */
    int unconnectingHeaders;
    /** Core's hashContinue: when the peer fetches this block, tell it our tip so it asks for more. */
    Hash256 hashContinue;
    /** A low-work header chain being presynced or redownloaded from this peer, null when none. */
    HeadersPresync presync;
    /** Tips of the low-work chains last dropped from this peer (and their announced extensions), newest last. */
    private final java.util.ArrayDeque<Hash256> lowWorkTips = new java.util.ArrayDeque<>();
    /** getdata items not yet answered because the peer's send buffer is full (Core's vRecvGetData). */
    final java.util.ArrayDeque<org.jbitcoind.protocol.message.InvItem> pendingGetData = new java.util.ArrayDeque<>();
    /** The last header we announced to or heard from the peer, so announcements are not repeated. */
    Hash256 lastAnnounced;

    /**
     * The peer's BIP37 filter (filterload), null when none. Written on the sync thread; volatile
     * because transaction relay will read it from elsewhere (see {@link #wantsTransaction}).
     */
    volatile BloomFilter bloomFilter;
    /** Core's m_relay_txs: the version's relay flag, set by filterload and filterclear. */
    volatile boolean relayTxs;

    /** Blocks from this peer handed to the chain thread and not yet decided (updated from the chain thread too). */
    final AtomicInteger validating = new AtomicInteger();
    /** Results of this peer's blocks handed to the chain thread, oldest first (it validates in order). */
    final Deque<Future<?>> validationResults = new ArrayDeque<>();

    PeerSync(Peer peer) {
        this.peer = peer;
        this.relayTxs = peer.remoteVersion().map(VersionMessage::relay).orElse(true);
    }

    /**
     * The seam for transaction relay ({@code node.relay.TxRelay}): whether {@code tx} may be announced to this
     * peer. Without a filter, the relay flag decides; with one, only matching transactions go, and
     * matching updates the filter (BIP37), so each transaction must be asked about once, in order.
     */
    boolean wantsTransaction(Transaction tx) {
        return wantsTransaction(relayTxs, bloomFilter, tx);
    }

    /** The rule of {@link #wantsTransaction(Transaction)} for a relay flag and a filter (null: none). */
    static boolean wantsTransaction(boolean relayTxs, BloomFilter filter, Transaction tx) {
        return relayTxs && (filter == null || filter.isRelevantAndUpdate(tx));
    }

    /** Remembers the tip of a low-work chain we did not store (a few at most). */
    void droppedLowWorkChain(Hash256 tip) {
        if (lowWorkTips.size() == MAX_LOW_WORK_TIPS) {
            lowWorkTips.removeFirst();
        }
        lowWorkTips.addLast(tip);
    }

    /**
     * Whether {@code headers} (a chain) extend a low-work chain we dropped from this peer; if so
     * their last header is remembered too, so the next announcement on top is recognised as well.
     */
    boolean extendsDroppedLowWorkChain(java.util.List<org.jbitcoind.protocol.primitives.BlockHeader> headers) {
        if (!lowWorkTips.contains(headers.get(0).prevBlock())) {
            return false;
        }
        droppedLowWorkChain(headers.get(headers.size() - 1).hash());
        return true;
    }

    boolean servesBlocks() {
        return (peer.services() & (ProtocolVersions.NODE_NETWORK
                | ProtocolVersions.NODE_NETWORK_LIMITED)) != 0
                && (peer.services() & ProtocolVersions.NODE_WITNESS) != 0;
    }

    boolean limited() {
        return (peer.services() & ProtocolVersions.NODE_NETWORK) == 0;
    }
}
