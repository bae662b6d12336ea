package org.jbitcoind.node.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jbitcoind.chain.address.Addresses;
import org.jbitcoind.chain.address.Wif;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.chain.spv.BlockFilter;
import org.jbitcoind.chain.spv.BloomFilter;
import org.jbitcoind.chain.spv.PartialMerkleTree;
import org.jbitcoind.chain.spv.TxOutProof;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.testing.DaemonProcesses;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.message.BlockMessage;
import org.jbitcoind.protocol.message.CFCheckptMessage;
import org.jbitcoind.protocol.message.CFHeadersMessage;
import org.jbitcoind.protocol.message.CFilterMessage;
import org.jbitcoind.protocol.message.GetCFCheckptMessage;
import org.jbitcoind.protocol.message.GetCFHeadersMessage;
import org.jbitcoind.protocol.message.GetCFiltersMessage;
import org.jbitcoind.protocol.message.HeadersMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.LocatorMessage;
import org.jbitcoind.protocol.message.MerkleBlockMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.message.TxMessage;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.testkit.DaemonProcess;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Light-client serving by the real daemon as a separate process (issue 8). A raw P2P peer plays
 * an SPV wallet: it learns the chain only from headers (getheaders) and its transaction only from
 * a BIP37 merkleblock, checks the proof itself, and counts confirmations from its header chain (1
 * after the block, 6 after five more), which the RPC answers must agree with. And the BIP157
 * wiring: with -blockfilterindex and -peerblockfilters the node signals NODE_COMPACT_FILTERS and
 * answers getcfilters, getcfheaders and getcfcheckpt with what getblockfilter reports; without
 * -peerblockfilters the bit is absent and such a request ends the connection, as in Core.
 */
class SpvDaemonProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final byte[] MINER_KEY = key(0x01);
    private static final byte[] WALLET_KEY = key(0x02);
    private static final String MINER = p2wpkhAddress(MINER_KEY);
    private static final String WALLET = p2wpkhAddress(WALLET_KEY);
    private static final Hash256 GENESIS = ChainParams.of(Network.REGTEST).genesisHash();

    @TempDir
    Path dir;
    @RegisterExtension
    final DaemonProcesses daemons = DaemonProcesses.listeningOnLoopback();

    /** A started daemon with no outbound connections. */
    private DaemonProcess start(String name, String... args) throws Exception {
        List<String> settings = new ArrayList<>(List.of("-connect=0"));
        settings.addAll(List.of(args));
        return daemons.start(dir.resolve(name), settings.toArray(String[]::new));
    }

    @Test
    void spvClientProvesItsTransactionAndCountsSixConfirmationsFromHeaders() throws Exception {
        DaemonProcess node = start("spv", "-peerbloomfilters=1");
        JsonNode mined = node.rpc().call("generatetoaddress", 101, MINER);
        String txid = sendToWallet(node, mined.get(0).asText());

        try (RawPeer wallet = RawPeer.connect(node.p2pAddress())) {
            assertTrue((wallet.handshake().services() & ProtocolVersions.NODE_BLOOM) != 0, "NODE_BLOOM");
            // The wallet's filter holds only its key hash: the P2WPKH output to it matches (BIP37).
            BloomFilter filter = BloomFilter.create(1, 0.0001, 5, BloomFilter.UPDATE_NONE);
            filter.insert(Hashes.hash160(Signer.publicKey(WALLET_KEY)));
            wallet.send(filter.toMessage());
            String blockHash = node.rpc().call("generatetoaddress", 1, MINER).get(0).asText();

            List<BlockHeader> headers = new ArrayList<>();
            syncHeaders(wallet, headers);
            assertEquals(102, headers.size(), "headers 1..102");
            Hash256 block = Hash256.fromHex(blockHash);
            int height = heightOf(headers, block);
            assertEquals(102, height);

            MerkleBlockMessage merkle = fetchFilteredBlock(wallet, block);
            BlockHeader header = headers.get(height - 1);
            assertEquals(header, merkle.header(), "the merkleblock's header is the one in our header chain");
            PartialMerkleTree.Extracted proof = PartialMerkleTree.fromMessage(merkle).extractMatches();
            assertEquals(header.merkleRoot(), proof.root(), "the proof yields the header's merkle root");
            assertEquals(List.of(Hash256.fromHex(txid)), proof.matches(), "the proof yields our txid");
            assertEquals(2, merkle.totalTransactions(), "coinbase and ours");
            assertEquals(1, depth(headers, block), "one confirmation right after mining");

            // The RPC proof (gettxoutproof) checked with our classes, not with the node's verifier.
            byte[] rpcProof = Hex.decode(node.rpc().call("gettxoutproof", List.of(txid)).asText());
            TxOutProof.Verified verified = TxOutProof.verify(rpcProof);
            assertEquals(header, verified.header());
            assertEquals(List.of(Hash256.fromHex(txid)), verified.txids());
            assertConfirmations(node, txid, blockHash, 1);

            node.rpc().call("generatetoaddress", 5, MINER);
            syncHeaders(wallet, headers);
            assertEquals(107, headers.size());
            assertEquals(6, depth(headers, block), "six confirmations after five more blocks");
            assertConfirmations(node, txid, blockHash, 6);
            assertTrue(wallet.poll(m -> m instanceof BlockMessage, Duration.ofMillis(200)).isEmpty(),
                    "an SPV client is never sent a full block");
            assertFalse(wallet.isClosed());
        }
        assertEquals(0, node.stop());
    }

    @Test
    void compactFilterRequestsAreAnsweredAsGetblockfilterReports() throws Exception {
        DaemonProcess node = start("cf", "-blockfilterindex=1", "-peerblockfilters=1");
        // 1,001 blocks: one BIP157 checkpoint (height 1,000), the last block holding a payment.
        JsonNode mined = node.rpc().call("generatetoaddress", 1000, MINER);
        String txid = sendToWallet(node, mined.get(0).asText());
        node.rpc().call("generatetoaddress", 1, MINER);
        int tip = 1001;
        List<Hash256> hashes = new ArrayList<>();
        List<JsonNode> rpcFilters = new ArrayList<>();
        for (int h = 0; h <= tip; h++) {
            String hash = node.rpc().call("getblockhash", h).asText();
            hashes.add(Hash256.fromHex(hash));
            rpcFilters.add(node.rpc().call("getblockfilter", hash));
        }
        Hash256 stop = hashes.get(tip);

        try (RawPeer client = RawPeer.connect(node.p2pAddress())) {
            long services = client.handshake().services();
            assertTrue((services & ProtocolVersions.NODE_COMPACT_FILTERS) != 0, "NODE_COMPACT_FILTERS signalled");

            // getcfilters: one cfilter per block, in height order, the bytes getblockfilter reports.
            // Two requests (at most 1,000 filters each, BIP157).
            client.send(new GetCFiltersMessage(BlockFilter.TYPE_BASIC, 1, hashes.get(500)));
            client.send(new GetCFiltersMessage(BlockFilter.TYPE_BASIC, 501, stop));
            for (int h = 1; h <= tip; h++) {
                CFilterMessage f = (CFilterMessage) client.expect(m -> m instanceof CFilterMessage, WAIT);
                assertEquals(hashes.get(h), f.blockHash(), "height " + h);
                assertEquals(rpcFilters.get(h).get("filter").asText(), Hex.encode(f.filter()), "height " + h);
            }
            // The wallet's output is in the last block's filter (BIP158 matches output scripts).
            BlockFilter last = BlockFilter.decodeBasic(stop, Hex.decode(rpcFilters.get(tip).get("filter").asText()));
            assertTrue(last.match(StandardScripts.witnessProgram(0, Hashes.hash160(Signer.publicKey(WALLET_KEY)))),
                    "filter of the block with " + txid);

            // getcfheaders: chaining the filter hashes from the previous header gives getblockfilter's headers.
            client.send(new GetCFHeadersMessage(BlockFilter.TYPE_BASIC, 50, stop)); // 952 of at most 2,000
            CFHeadersMessage ch = (CFHeadersMessage) client.expect(m -> m instanceof CFHeadersMessage, WAIT);
            assertEquals(stop, ch.stopHash());
            assertEquals(rpcFilters.get(49).get("header").asText(), ch.previousFilterHeader().toString());
            assertEquals(tip - 50 + 1, ch.filterHashes().size());
            Hash256 header = ch.previousFilterHeader();
            for (int i = 0; i < ch.filterHashes().size(); i++) {
                int h = 50 + i;
                byte[] filterBytes = Hex.decode(rpcFilters.get(h).get("filter").asText());
                assertEquals(Hashes.hash256Of(filterBytes), ch.filterHashes().get(i), "filter hash " + h);
                header = BlockFilter.chainHeader(ch.filterHashes().get(i), header);
                assertEquals(rpcFilters.get(h).get("header").asText(), header.toString(), "filter header " + h);
            }

            // getcfcheckpt: the filter header of every 1,000th block up to the stop block.
            client.send(new GetCFCheckptMessage(BlockFilter.TYPE_BASIC, stop));
            CFCheckptMessage cp = (CFCheckptMessage) client.expect(m -> m instanceof CFCheckptMessage, WAIT);
            assertEquals(stop, cp.stopHash());
            assertEquals(1, cp.filterHeaders().size());
            assertEquals(rpcFilters.get(1000).get("header").asText(), cp.filterHeaders().get(0).toString());
            client.send(new GetCFCheckptMessage(BlockFilter.TYPE_BASIC, hashes.get(999)));
            CFCheckptMessage none = (CFCheckptMessage) client.expect(m -> m instanceof CFCheckptMessage, WAIT);
            assertEquals(List.of(), none.filterHeaders(), "no checkpoint below height 1,000");
            assertFalse(client.isClosed());
        }
        assertEquals(0, node.stop());
    }

    @Test
    void withoutPeerblockfiltersTheBitIsAbsentAndRequestsDisconnect() throws Exception {
        DaemonProcess node = start("nocf", "-blockfilterindex=1");
        String tip = node.rpc().call("generatetoaddress", 3, MINER).get(2).asText();
        assertEquals(64, node.rpc().call("getblockfilter", tip).get("header").asText().length(), "the index runs");
        Hash256 stop = Hash256.fromHex(tip);
        List<Message> requests = List.of(new GetCFiltersMessage(BlockFilter.TYPE_BASIC, 0, stop),
                new GetCFHeadersMessage(BlockFilter.TYPE_BASIC, 0, stop),
                new GetCFCheckptMessage(BlockFilter.TYPE_BASIC, stop));
        for (Message request : requests) {
            try (RawPeer client = RawPeer.connect(node.p2pAddress())) {
                long services = client.handshake().services();
                assertEquals(0, services & ProtocolVersions.NODE_COMPACT_FILTERS, "no NODE_COMPACT_FILTERS");
                client.sync();
                client.send(request);
                assertTrue(client.awaitClosed(WAIT), request.command() + " ends the connection");
                assertTrue(client.poll(m -> m instanceof CFilterMessage || m instanceof CFHeadersMessage
                        || m instanceof CFCheckptMessage, Duration.ZERO).isEmpty(), "nothing served");
            }
        }
        int connections = -1;
        for (int i = 0; i < 100 && connections != 0; i++) { // the node forgets a closed peer a moment later
            connections = node.rpc().call("getconnectioncount").asInt();
            if (connections != 0) {
                Thread.sleep(50);
            }
        }
        assertEquals(0, connections, "all three disconnected");
        assertEquals(0, node.stop());
    }

    /** Spends the first coinbase (mined to MINER) to the wallet's key; returns the txid. */
    private static String sendToWallet(DaemonProcess node, String firstBlock) throws Exception {
        String coinbase = node.rpc().call("getblock", firstBlock).get("tx").get(0).asText();
        String unsigned = node.rpc().call("createrawtransaction", List.of(Map.of("txid", coinbase, "vout", 0)),
                Map.of(WALLET, new BigDecimal("49.999"))).asText();
        JsonNode signed = node.rpc().call("signrawtransactionwithkey", unsigned,
                List.of(Wif.encode(MINER_KEY, true, Network.REGTEST)));
        assertTrue(signed.get("complete").asBoolean(), signed.toString());
        String txid = node.rpc().call("sendrawtransaction", signed.get("hex").asText()).asText();
        assertEquals(Transaction.deserialize(Hex.decode(signed.get("hex").asText())).txid().toString(), txid);
        return txid;
    }

    /**
     * getheaders from the last header we have until the node has nothing more; each header must
     * connect to the previous one and meet its own proof-of-work target, as an SPV client checks.
     */
    private static void syncHeaders(RawPeer peer, List<BlockHeader> chain) throws Exception {
        for (int round = 0; round < 10; round++) {
            Hash256 last = chain.isEmpty() ? GENESIS : chain.get(chain.size() - 1).hash();
            peer.send(new LocatorMessage(LocatorMessage.Kind.GETHEADERS, ProtocolVersions.PROTOCOL_VERSION,
                    List.of(last), Hash256.ZERO));
            HeadersMessage got = (HeadersMessage) peer.expect(m -> m instanceof HeadersMessage, WAIT);
            if (got.headers().isEmpty()) {
                return;
            }
            for (BlockHeader h : got.headers()) {
                Hash256 expectedPrev = chain.isEmpty() ? GENESIS : chain.get(chain.size() - 1).hash();
                assertEquals(expectedPrev, h.prevBlock(), "headers connect");
                BigInteger target = h.target().orElseThrow();
                assertTrue(h.hash().toBigInteger().compareTo(target) <= 0, "proof of work");
                chain.add(h);
            }
        }
        throw new AssertionError("headers did not end within 10 rounds");
    }

    /** getdata MSG_FILTERED_BLOCK: the merkleblock, then the matched transaction (BIP37); never the full block. */
    private static MerkleBlockMessage fetchFilteredBlock(RawPeer peer, Hash256 block) throws Exception {
        peer.send(InventoryMessage.getData(List.of(new InvItem(InvItem.MSG_FILTERED_BLOCK, block))));
        // Pings are answered by the connection layer, getdata by the sync thread: wait for each message.
        Message first = peer.expect(m -> m instanceof MerkleBlockMessage || m instanceof TxMessage
                || m instanceof BlockMessage, WAIT);
        MerkleBlockMessage merkle = assertInstanceOf(MerkleBlockMessage.class, first, "merkleblock, not a block");
        Transaction tx = ((TxMessage) peer.expect(m -> m instanceof TxMessage, WAIT)).tx();
        PartialMerkleTree.Extracted e = PartialMerkleTree.fromMessage(merkle).extractMatches();
        assertEquals(e.matches(), List.of(tx.txid()), "the transaction sent is the one proved");
        assertArrayEquals(StandardScripts.witnessProgram(0, Hashes.hash160(Signer.publicKey(WALLET_KEY))),
                tx.outputs().get(0).scriptPubKey());
        return merkle;
    }

    /** Height of {@code block} in a header chain starting at height 1 (genesis is implied). */
    private static int heightOf(List<BlockHeader> chain, Hash256 block) {
        for (int i = 0; i < chain.size(); i++) {
            if (chain.get(i).hash().equals(block)) {
                return i + 1;
            }
        }
        throw new AssertionError(block + " is not in the header chain");
    }

    /** Confirmations an SPV client counts: tip height - block height + 1, both from headers. */
    private static int depth(List<BlockHeader> chain, Hash256 block) {
        return chain.size() - heightOf(chain, block) + 1;
    }

    private static void assertConfirmations(DaemonProcess node, String txid, String blockHash, int expected)
            throws Exception {
        JsonNode raw = node.rpc().call("getrawtransaction", txid, 1, blockHash);
        assertEquals(expected, raw.get("confirmations").asInt(), "getrawtransaction confirmations");
        assertEquals(blockHash, raw.get("blockhash").asText());
        JsonNode out = node.rpc().call("gettxout", txid, 0);
        assertEquals(expected, out.get("confirmations").asInt(), "gettxout confirmations");
        assertEquals(expected, node.rpc().call("getblockheader", blockHash).get("confirmations").asInt());
    }

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) fill);
        return k;
    }

    private static String p2wpkhAddress(byte[] secret) {
        return Addresses.fromScript(StandardScripts.witnessProgram(0, Hashes.hash160(Signer.publicKey(secret))),
                Network.REGTEST).orElseThrow();
    }
}
