package org.jbitcoind.chain.filterindex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jbitcoind.chain.filterindex.FilterRequestHandler.Disconnect;
import org.jbitcoind.chain.filterindex.FilterRequestHandler.NoReply;
import org.jbitcoind.chain.filterindex.FilterRequestHandler.Outcome;
import org.jbitcoind.chain.filterindex.FilterRequestHandler.Reply;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.spv.BlockFilter;
import org.jbitcoind.chain.state.ChainView;
import org.jbitcoind.chain.testing.HeaderChains;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.message.CFCheckptMessage;
import org.jbitcoind.protocol.message.CFHeadersMessage;
import org.jbitcoind.protocol.message.CFilterMessage;
import org.jbitcoind.protocol.message.GetCFCheckptMessage;
import org.jbitcoind.protocol.message.GetCFHeadersMessage;
import org.jbitcoind.protocol.message.GetCFiltersMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.PingMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The BIP157 serving rules on a constructed 2,600-block active chain (plus a stale 3-block branch
 * at height 100) with an entry for every block: each limit at and past its edge, each error.
 */
class FilterRequestHandlerTest {
    private static final int BASIC = BlockFilter.TYPE_BASIC;
    private static final long BITS = 0x207fffffL;

    private final List<BlockIndex> active = new ArrayList<>();
    private final Map<Hash256, BlockIndex> byHash = new HashMap<>();
    private final Map<Hash256, FilterEntry> entries = new HashMap<>();
    private BlockIndex staleTip;
    private FilterRequestHandler handler;

    @BeforeEach
    void buildChain() {
        BlockIndex walk = HeaderChains.root(0, 1_600_000_000L, BITS);
        add(walk, Hash256.ZERO);
        active.add(walk);
        for (int h = 1; h <= 2600; h++) {
            walk = HeaderChains.child(walk, walk.time() + 600, BITS);
            add(walk, entries.get(walk.prev().hash()).header());
            active.add(walk);
        }
        BlockIndex stale = active.get(100);
        for (int i = 0; i < 3; i++) {
            stale = HeaderChains.child(stale, stale.time() + 7, BITS);
            add(stale, entries.get(stale.prev().hash()).header());
        }
        staleTip = stale;
        BlockIndex tip = walk;
        handler = new FilterRequestHandler(() -> ChainView.of(tip), h -> Optional.ofNullable(byHash.get(h)),
                h -> Optional.ofNullable(entries.get(h)));
    }

    private void add(BlockIndex b, Hash256 previousHeader) {
        byHash.put(b.hash(), b);
        byte[] filter = Hashes.sha256(b.hash().bytes());
        Hash256 filterHash = Hashes.hash256Of(filter);
        entries.put(b.hash(), new FilterEntry(filter, filterHash, BlockFilter.chainHeader(filterHash, previousHeader)));
    }

    private Hash256 at(int height) {
        return active.get(height).hash();
    }

    private static List<Message> reply(Outcome o) {
        return assertInstanceOf(Reply.class, o, () -> "expected a reply, got " + o).messages();
    }

    private static void disconnects(Outcome o, String reasonPart) {
        Disconnect d = assertInstanceOf(Disconnect.class, o, () -> "expected a disconnect, got " + o);
        assertTrue(d.reason().contains(reasonPart), d.reason());
    }

    // ---- getcfilters ---------------------------------------------------------------------------

    @Test
    void getcfiltersRepliesWithOneFilterPerBlockInHeightOrder() {
        List<Message> out = reply(handler.handle(new GetCFiltersMessage(BASIC, 10, at(14))));
        assertEquals(5, out.size());
        for (int i = 0; i < 5; i++) {
            CFilterMessage m = (CFilterMessage) out.get(i);
            assertEquals(BASIC, m.filterType());
            assertEquals(at(10 + i), m.blockHash());
            assertArrayEquals(entries.get(at(10 + i)).filter(), m.filter());
        }
    }

    @Test
    void getcfiltersAllowsExactly1000Blocks() {
        assertEquals(1000, reply(handler.handle(new GetCFiltersMessage(BASIC, 1000, at(1999)))).size());
        assertEquals(1, reply(handler.handle(new GetCFiltersMessage(BASIC, 0, at(0)))).size());
        disconnects(handler.handle(new GetCFiltersMessage(BASIC, 999, at(1999))), "1001 blocks");
    }

    @Test
    void getcfiltersRejectsStartAboveStop() {
        disconnects(handler.handle(new GetCFiltersMessage(BASIC, 15, at(14))), "start height 15 above stop height 14");
        disconnects(handler.handle(new GetCFiltersMessage(BASIC, 0xffffffffL, at(14))), "start height");
    }

    @Test
    void getcfiltersRejectsUnknownAndStaleStopHash() {
        disconnects(handler.handle(new GetCFiltersMessage(BASIC, 0, Hashes.hash256Of(new byte[] {1}))), "unknown or stale");
        disconnects(handler.handle(new GetCFiltersMessage(BASIC, 100, staleTip.hash())), "unknown or stale");
    }

    @Test
    void getcfiltersRejectsOtherFilterTypes() {
        disconnects(handler.handle(new GetCFiltersMessage(1, 0, at(5))), "unsupported compact filter type 1");
        disconnects(handler.handle(new GetCFiltersMessage(255, 0, at(5))), "type 255");
    }

    @Test
    void getcfiltersWithoutIndexEntryGetsNoReply() {
        entries.remove(at(12));
        NoReply n = assertInstanceOf(NoReply.class, handler.handle(new GetCFiltersMessage(BASIC, 10, at(14))));
        assertTrue(n.reason().contains("height 12"), n.reason());
    }

    // ---- getcfheaders --------------------------------------------------------------------------

    @Test
    void getcfheadersFromGenesisStartsAtZeroAndChainsToStopHeader() {
        CFHeadersMessage m = (CFHeadersMessage) reply(handler.handle(new GetCFHeadersMessage(BASIC, 0, at(20)))).get(0);
        assertEquals(Hash256.ZERO, m.previousFilterHeader());
        assertEquals(at(20), m.stopHash());
        assertEquals(21, m.filterHashes().size());
        Hash256 header = m.previousFilterHeader();
        for (Hash256 fh : m.filterHashes()) {
            header = BlockFilter.chainHeader(fh, header);
        }
        assertEquals(entries.get(at(20)).header(), header, "a client rebuilds the stop block's header from the reply");
    }

    @Test
    void getcfheadersCarriesHeaderBeforeStart() {
        CFHeadersMessage m = (CFHeadersMessage) reply(handler.handle(new GetCFHeadersMessage(BASIC, 500, at(600)))).get(0);
        assertEquals(entries.get(at(499)).header(), m.previousFilterHeader());
        assertEquals(101, m.filterHashes().size());
        assertEquals(entries.get(at(500)).filterHash(), m.filterHashes().get(0));
        assertEquals(entries.get(at(600)).filterHash(), m.filterHashes().get(100));
    }

    @Test
    void getcfheadersAllowsExactly2000Blocks() {
        CFHeadersMessage m = (CFHeadersMessage) reply(handler.handle(new GetCFHeadersMessage(BASIC, 1, at(2000)))).get(0);
        assertEquals(2000, m.filterHashes().size());
        disconnects(handler.handle(new GetCFHeadersMessage(BASIC, 0, at(2000))), "2001 blocks");
    }

    @Test
    void getcfheadersRejectsEachBadField() {
        disconnects(handler.handle(new GetCFHeadersMessage(1, 0, at(5))), "unsupported");
        disconnects(handler.handle(new GetCFHeadersMessage(BASIC, 0, staleTip.hash())), "unknown or stale");
        disconnects(handler.handle(new GetCFHeadersMessage(BASIC, 6, at(5))), "above stop height");
    }

    @Test
    void getcfheadersWithoutPreviousEntryGetsNoReply() {
        entries.remove(at(499));
        assertInstanceOf(NoReply.class, handler.handle(new GetCFHeadersMessage(BASIC, 500, at(600))));
    }

    // ---- getcfcheckpt --------------------------------------------------------------------------

    @Test
    void getcfcheckptListsEveryThousandthHeaderUpToStop() {
        CFCheckptMessage m = (CFCheckptMessage) reply(handler.handle(new GetCFCheckptMessage(BASIC, at(2600)))).get(0);
        assertEquals(List.of(entries.get(at(1000)).header(), entries.get(at(2000)).header()), m.filterHeaders());
        assertEquals(at(2600), m.stopHash());
        CFCheckptMessage exact = (CFCheckptMessage) reply(handler.handle(new GetCFCheckptMessage(BASIC, at(2000)))).get(0);
        assertEquals(2, exact.filterHeaders().size(), "the stop block itself counts when at a multiple of 1000");
        CFCheckptMessage none = (CFCheckptMessage) reply(handler.handle(new GetCFCheckptMessage(BASIC, at(999)))).get(0);
        assertEquals(List.of(), none.filterHeaders());
    }

    @Test
    void getcfcheckptRejectsUnsupportedTypeAndStaleStop() {
        disconnects(handler.handle(new GetCFCheckptMessage(7, at(2600))), "unsupported");
        disconnects(handler.handle(new GetCFCheckptMessage(BASIC, staleTip.hash())), "unknown or stale");
        entries.remove(at(2000));
        assertInstanceOf(NoReply.class, handler.handle(new GetCFCheckptMessage(BASIC, at(2600))));
    }

    // ---- not serving ---------------------------------------------------------------------------

    @Test
    void withoutIndexEveryRequestIsAnUnsupportedType() {
        BlockIndex tip = active.get(active.size() - 1);
        FilterRequestHandler off = new FilterRequestHandler(() -> ChainView.of(tip),
                h -> Optional.ofNullable(byHash.get(h)), null);
        disconnects(off.handle(new GetCFiltersMessage(BASIC, 0, at(1))), "unsupported");
        disconnects(off.handle(new GetCFHeadersMessage(BASIC, 0, at(1))), "unsupported");
        disconnects(off.handle(new GetCFCheckptMessage(BASIC, at(1))), "unsupported");
    }

    @Test
    void otherMessagesAreACallerBug() {
        assertThrows(IllegalArgumentException.class, () -> handler.handle(new PingMessage(1)));
    }
}
