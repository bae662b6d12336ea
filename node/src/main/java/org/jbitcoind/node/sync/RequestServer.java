package org.jbitcoind.node.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.state.ChainView;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.BlockMessage;
import org.jbitcoind.protocol.message.HeadersMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.LocatorMessage;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what peers ask of our chain: getheaders, getblocks and getdata. Reads only published
 * chain state (the active-chain view, the block index, stored blocks), so it never waits for the
 * chain thread. A pruned node answers only for the blocks it still has.
 */
final class RequestServer {
    /** Core's limit on block hashes in one inv answering getblocks. */
    static final int MAX_GETBLOCKS_RESULTS = 500;
    /**
     * Safety bound on one peer's queued getdata items. Reading from a peer pauses once
     * {@link Peer#GETDATA_PAUSE_ITEMS} are unanswered, after which at most the messages of the read
     * under way still arrive (one more maximal getdata completing plus what fits in one 64 KiB read),
     * so the queue stays under three maximal getdata; a peer past this bound means the pause failed,
     * and it is disconnected (not punished) rather than allowed to grow our memory.
     */
    static final int MAX_PENDING_GETDATA = 4 * InventoryMessage.MAX_ENTRIES;
    private static final Logger LOG = LoggerFactory.getLogger(RequestServer.class);

    private final ChainstateManager chain;
    private final LightClientServer lightClients;

    RequestServer(ChainstateManager chain, LightClientServer lightClients) {
        this.chain = chain;
        this.lightClients = lightClients;
    }

    /**
     * Headers after the fork point of the peer's locator (or the stop block alone for an empty
     * locator), up to 2,000 or the stop hash. Core does not answer while in initial download: our
     * headers would be stale, and a peer should not sync from us yet.
     */
    void getHeaders(PeerSync p, LocatorMessage m) {
        if (chain.isInitialBlockDownload()) {
            return;
        }
        List<BlockHeader> out = chain.headersAfter(m.locator(), m.stopHash(), HeadersMessage.MAX_HEADERS);
        if (!out.isEmpty()) {
            p.lastAnnounced = out.get(out.size() - 1).hash();
        }
        // An empty answer tells a headers-first peer that it has everything we have.
        p.peer.send(new HeadersMessage(out));
    }

    /** An inv of up to 500 block hashes after the fork point; at the limit, remember where to continue. */
    void getBlocks(PeerSync p, LocatorMessage m) {
        ChainView active = chain.activeChain();
        BlockIndex walk = active.next(chain.findFork(m.locator()));
        List<InvItem> items = new ArrayList<>();
        while (walk != null && chain.haveBlockData(walk)) {
            items.add(new InvItem(InvItem.MSG_BLOCK, walk.hash()));
            if (walk.hash().equals(m.stopHash())) {
                break;
            }
            if (items.size() == MAX_GETBLOCKS_RESULTS) {
                p.hashContinue = walk.hash();
                break;
            }
            walk = active.next(walk);
        }
        if (!items.isEmpty()) {
            p.peer.send(InventoryMessage.inv(items));
        }
    }

    /**
     * Blocks (with or without witness, as asked; for MSG_FILTERED_BLOCK a BIP37 merkleblock and the
     * matched transactions) from any height we still store. Transaction items reach this only when
     * the node runs without transaction relay (with it, {@code node.relay.TxRelayHandler} takes
     * them), and are answered notfound. Once the peer fetched the last
     * block of a getblocks batch, it gets an inv of our tip so it asks for the next batch.
     */
    boolean getData(PeerSync p, InventoryMessage m) {
        if (p.pendingGetData.size() + m.items().size() > MAX_PENDING_GETDATA) {
            LOG.info("Peer {} has {} getdata items waiting and sent {} more; disconnecting it", p.peer.id(),
                    p.pendingGetData.size(), m.items().size());
            p.peer.disconnect("getdata backlog over " + MAX_PENDING_GETDATA + " items");
            return false;
        }
        p.pendingGetData.addAll(m.items());
        return serveGetData(p);
    }

    /**
     * Answers queued getdata items while the peer's send buffer is below its high-water mark, so a
     * peer that asks for block after block and never reads holds at most that buffer plus one
     * block of ours (Core stops at fPauseSend). Tells the peer how many items are left, which pauses or
     * resumes reading from it (its getdata backlog). Returns whether items remain for later.
     */
    boolean serveGetData(PeerSync p) {
        try {
            return serveWhileWritable(p);
        } finally {
            p.peer.getDataServing(p.pendingGetData.size());
        }
    }

    private boolean serveWhileWritable(PeerSync p) {
        List<InvItem> notFound = new ArrayList<>();
        while (!p.pendingGetData.isEmpty() && p.peer.isWritable()) {
            if (p.peer.isDisconnecting()) {
                return false;
            }
            if (notFound.size() == InventoryMessage.MAX_ENTRIES) {
                p.peer.send(InventoryMessage.notFound(notFound));
                notFound = new ArrayList<>();
            }
            InvItem item = p.pendingGetData.poll();
            int type = item.baseType();
            if (type == InvItem.MSG_BLOCK || item.type() == InvItem.MSG_FILTERED_BLOCK) {
                if (item.type() == InvItem.MSG_WITNESS_BLOCK) {
                    // The stored bytes are the witness serialization: send them without re-encoding.
                    Optional<byte[]> raw = storedRawBlock(item.hash());
                    if (raw.isEmpty()) {
                        notFound.add(item);
                        continue;
                    }
                    p.peer.send(BlockMessage.serialized(raw.get()));
                } else {
                    Optional<Block> block = storedBlock(item.hash());
                    if (block.isEmpty()) {
                        notFound.add(item);
                        continue;
                    }
                    if (type == InvItem.MSG_BLOCK) {
                        p.peer.send(new BlockMessage(block.get(), item.wantsWitness()));
                    } else {
                        lightClients.sendFilteredBlock(p, block.get());
                    }
                }
                if (item.hash().equals(p.hashContinue)) {
                    p.hashContinue = null;
                    BlockIndex tip = chain.activeChain().tip();
                    p.peer.send(InventoryMessage.inv(List.of(new InvItem(InvItem.MSG_BLOCK, tip.hash()))));
                }
            } else if (item.type() != (InvItem.MSG_FILTERED_BLOCK | InvItem.MSG_WITNESS_FLAG)) {
                notFound.add(item);
            }
            // Core defines MSG_FILTERED_WITNESS_BLOCK but never serves it: no answer.
        }
        if (!notFound.isEmpty()) {
            p.peer.send(InventoryMessage.notFound(notFound));
        }
        return !p.pendingGetData.isEmpty() && !p.peer.isDisconnecting();
    }

    private Optional<byte[]> storedRawBlock(Hash256 hash) {
        Optional<BlockIndex> index = chain.getBlockIndex(hash);
        if (index.isEmpty() || !chain.haveBlockData(index.get())) {
            return Optional.empty();
        }
        return chain.getRawBlock(hash);
    }

    private Optional<Block> storedBlock(Hash256 hash) {
        Optional<BlockIndex> index = chain.getBlockIndex(hash);
        if (index.isEmpty() || !chain.haveBlockData(index.get())) {
            return Optional.empty();
        }
        return chain.getBlock(hash);
    }
}
