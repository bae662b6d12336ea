package org.jbitcoind.node.rpc.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jbitcoind.chain.address.Addresses;
import org.jbitcoind.chain.address.Wif;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.chain.script.Script;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.Coin;
import org.jbitcoind.storage.MuHash3072;
import org.jbitcoind.storage.UtxoStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blockchain, rawtransactions, mining and generating methods against one regtest node in this
 * JVM, over HTTP with cookie auth. Every answer is checked against what the node really holds:
 * blocks decoded from getblock's hex, a UTXO set rebuilt from the blocks, the active chain after
 * invalidate/reconsider. The tests share the chain and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RpcMethodsTest {
    private static final byte[] KEY = Hex.decode("0101010101010101010101010101010101010101010101010101010101010101");
    private static final byte[] PUB = Signer.publicKey(KEY);
    private static final byte[] P2WPKH = StandardScripts.witnessProgram(0, Hashes.hash160(PUB));
    private static final String ADDRESS = Addresses.fromScript(P2WPKH, Network.REGTEST).orElseThrow();
    private static final String WIF = Wif.encode(KEY, true, Network.REGTEST);

    @TempDir
    static Path dir;
    private RpcTestNode n;
    private final List<String> mined = new ArrayList<>();
    private String spendTxid;
    private String spendBlock;

    @BeforeAll
    void start() throws Exception {
        n = RpcTestNode.start(dir, "-txindex");
    }

    @AfterAll
    void stop() {
        if (n != null) {
            n.close();
        }
    }

    @Test
    @Order(1)
    void generatetoaddressMinesBlocksPayingTheAddress() throws Exception {
        assertEquals(0, n.call("getblockcount").asInt());
        JsonNode hashes = n.call("generatetoaddress", 101, ADDRESS);
        assertEquals(101, hashes.size());
        hashes.forEach(h -> mined.add(h.asText()));
        assertEquals(101, n.call("getblockcount").asInt());
        assertEquals(mined.get(100), n.call("getbestblockhash").asText());
        for (int h : new int[] {1, 50, 101}) {
            assertEquals(mined.get(h - 1), n.call("getblockhash", h).asText());
        }
        assertEquals(-8, n.error("getblockhash", 102).get("code").asInt());
        assertEquals(-5, n.error("generatetoaddress", 1, "bc1qnotanaddress").get("code").asInt());

        // The block's own bytes: its hash, and its coinbase paying our script.
        Block block = Block.deserialize(Hex.decode(n.call("getblock", mined.get(0), 0).asText()));
        assertEquals(mined.get(0), block.hash().toString());
        assertArrayEquals(P2WPKH, block.transactions().get(0).outputs().get(0).scriptPubKey());
        assertEquals(5_000_000_000L, block.transactions().get(0).outputs().get(0).value());
    }

    @Test
    @Order(2)
    void getblockAtEveryVerbosityDescribesTheStoredBlock() throws Exception {
        String hash = mined.get(4);
        Block block = Block.deserialize(Hex.decode(n.call("getblock", hash, 0).asText()));
        JsonNode v1 = n.call("getblock", hash);
        assertEquals(hash, v1.get("hash").asText());
        assertEquals(5, v1.get("height").asInt());
        assertEquals(97, v1.get("confirmations").asInt());
        assertEquals(block.transactions().get(0).txid().toString(), v1.get("tx").get(0).asText());
        assertEquals(1, v1.get("nTx").asInt());
        assertEquals(mined.get(3), v1.get("previousblockhash").asText());
        assertEquals(mined.get(5), v1.get("nextblockhash").asText());
        assertEquals(block.totalSize(), v1.get("size").asInt());
        assertEquals(block.weight(), v1.get("weight").asInt());
        assertEquals("207fffff", v1.get("bits").asText());
        assertEquals(String.format("%08x", block.header().version()), v1.get("versionHex").asText());

        JsonNode v2 = n.call("getblock", hash, 2);
        JsonNode cb = v2.get("tx").get(0);
        assertEquals(block.transactions().get(0).txid().toString(), cb.get("txid").asText());
        assertEquals(ADDRESS, cb.get("vout").get(0).get("scriptPubKey").get("address").asText());
        assertEquals("witness_v0_keyhash", cb.get("vout").get(0).get("scriptPubKey").get("type").asText());
        assertEquals(new BigDecimal("50.00000000"), cb.get("vout").get(0).get("value").decimalValue());
        assertTrue(cb.get("vin").get(0).has("coinbase"));
        assertEquals(Hex.encode(block.transactions().get(0).serialize()), cb.get("hex").asText());
        // verbose=false as a boolean still means hex, as in Core.
        assertEquals(n.call("getblock", hash, 0), n.call("getblock", hash, false));

        JsonNode header = n.call("getblockheader", hash);
        assertEquals(v1.get("merkleroot"), header.get("merkleroot"));
        assertFalse(header.has("tx"));
        assertEquals(Hex.encode(block.header().serialize()), n.call("getblockheader", hash, false).asText());
        assertEquals(-5, n.error("getblock", "00".repeat(32)).get("code").asInt());
        assertEquals(-8, n.error("getblock", "xyz").get("code").asInt());
    }

    @Test
    @Order(3)
    void chainInfoMatchesTheTip() throws Exception {
        JsonNode info = n.call("getblockchaininfo");
        assertEquals("regtest", info.get("chain").asText());
        assertEquals(101, info.get("blocks").asInt());
        assertEquals(101, info.get("headers").asInt());
        assertEquals(mined.get(100), info.get("bestblockhash").asText());
        assertFalse(info.get("pruned").asBoolean());
        assertTrue(info.get("warnings").isArray());
        assertEquals(n.call("getdifficulty").asDouble(), info.get("difficulty").asDouble());
        assertEquals(4.656542373906925E-10, n.call("getdifficulty").asDouble(), 1e-20);
        JsonNode tips = n.call("getchaintips");
        assertEquals(1, tips.size());
        assertEquals("active", tips.get(0).get("status").asText());
        assertEquals(101, tips.get(0).get("height").asInt());
        JsonNode stats = n.call("getchaintxstats", 10);
        assertEquals(102, stats.get("txcount").asInt(), "genesis plus 101 coinbases");
        assertEquals(10, stats.get("window_block_count").asInt());
        assertEquals(10, stats.get("window_tx_count").asInt());
        assertEquals(-8, n.error("getchaintxstats", 101).get("code").asInt());
        JsonNode mining = n.call("getmininginfo");
        assertEquals(101, mining.get("blocks").asInt());
        assertEquals(102, mining.get("next").get("height").asInt());
        assertEquals(0, mining.get("pooledtx").asInt());
        assertTrue(n.call("verifychain", 4, 20).asBoolean());
    }

    @Test
    @Order(4)
    void createSignAndMineATransaction() throws Exception {
        Block first = Block.deserialize(Hex.decode(n.call("getblock", mined.get(0), 0).asText()));
        String coinbaseTxid = first.transactions().get(0).txid().toString();
        JsonNode out = n.call("gettxout", coinbaseTxid, 0);
        assertEquals(101, out.get("confirmations").asInt());
        assertTrue(out.get("coinbase").asBoolean());
        assertEquals(ADDRESS, out.get("scriptPubKey").get("address").asText());

        String unsigned = n.call("createrawtransaction",
                List.of(Map.of("txid", coinbaseTxid, "vout", 0)),
                List.of(Map.of(ADDRESS, new BigDecimal("49.9999")), Map.of("data", "cafe"))).asText();
        Transaction tx = Transaction.deserialize(Hex.decode(unsigned));
        assertEquals(0xfffffffdL, tx.inputs().get(0).sequence(), "replaceable by default");
        assertEquals(2, tx.outputs().size());
        JsonNode decoded = n.call("decoderawtransaction", unsigned);
        assertEquals(tx.txid().toString(), decoded.get("txid").asText());
        assertEquals("nulldata", decoded.get("vout").get(1).get("scriptPubKey").get("type").asText());

        JsonNode incomplete = n.call("signrawtransactionwithkey", unsigned, List.of());
        assertFalse(incomplete.get("complete").asBoolean());
        assertEquals(1, incomplete.get("errors").size());
        JsonNode signed = n.call("signrawtransactionwithkey", unsigned, List.of(WIF));
        assertTrue(signed.get("complete").asBoolean(), signed.toString());
        Transaction signedTx = Transaction.deserialize(Hex.decode(signed.get("hex").asText()));
        assertEquals(2, signedTx.inputs().get(0).witness().size());
        spendTxid = signedTx.txid().toString();

        JsonNode made = n.call("generateblock", ADDRESS, List.of(signed.get("hex").asText()));
        spendBlock = made.get("hash").asText();
        assertEquals(spendBlock, n.call("getbestblockhash").asText());
        JsonNode block = n.call("getblock", spendBlock, 1);
        assertEquals(spendTxid, block.get("tx").get(1).asText());

        assertTrue(n.call("gettxout", coinbaseTxid, 0).isNull(), "spent output");
        JsonNode change = n.call("gettxout", spendTxid, 0);
        assertEquals(new BigDecimal("49.99990000"), change.get("value").decimalValue());
        assertEquals(1, change.get("confirmations").asInt());
        assertFalse(change.get("coinbase").asBoolean());
        // The coinbase of the block.
        JsonNode cb = n.call("getblock", spendBlock, 2).get("tx").get(0);
        // As Core, generateblock pays the subsidy only: the fee is not claimed.
        assertEquals(new BigDecimal("50.00000000"), cb.get("vout").get(0).get("value").decimalValue());
    }

    @Test
    @Order(5)
    void getrawtransactionFromTxindexAndWithABlockHash() throws Exception {
        JsonNode viaIndex = n.call("getrawtransaction", spendTxid, 1);
        assertEquals(spendTxid, viaIndex.get("txid").asText());
        assertEquals(spendBlock, viaIndex.get("blockhash").asText());
        assertEquals(1, viaIndex.get("confirmations").asInt());
        JsonNode withBlock = n.call("getrawtransaction", spendTxid, 2, spendBlock);
        assertTrue(withBlock.get("in_active_chain").asBoolean());
        assertEquals(new BigDecimal("0.00010000"), withBlock.get("fee").decimalValue());
        JsonNode prevout = withBlock.get("vin").get(0).get("prevout");
        assertTrue(prevout.get("generated").asBoolean());
        assertEquals(1, prevout.get("height").asInt());
        String hex = n.call("getrawtransaction", spendTxid).asText();
        assertEquals(spendTxid, Transaction.deserialize(Hex.decode(hex)).txid().toString());
        assertEquals(-5, n.error("getrawtransaction", "11".repeat(32)).get("code").asInt());
        assertEquals(-5, n.error("getrawtransaction", spendTxid, 0, mined.get(3)).get("code").asInt());
    }

    @Test
    @Order(6)
    void txoutProofRoundTrip() throws Exception {
        String proof = n.call("gettxoutproof", List.of(spendTxid)).asText();
        assertEquals(List.of(spendTxid), strings(n.call("verifytxoutproof", proof)));
        String withHash = n.call("gettxoutproof", List.of(spendTxid), spendBlock).asText();
        assertEquals(proof, withHash);
        assertEquals(-5, n.error("gettxoutproof", List.of(spendTxid), mined.get(2)).get("code").asInt());
        assertEquals(-8, n.error("gettxoutproof", List.of(spendTxid, spendTxid)).get("code").asInt());
    }

    @Test
    @Order(7)
    void gettxoutsetinfoEqualsAUtxoSetRebuiltFromTheBlocks() throws Exception {
        Map<OutPoint, Coin> utxo = rebuildUtxoSet();
        JsonNode muhash = n.call("gettxoutsetinfo", "muhash");
        JsonNode serialized = n.call("gettxoutsetinfo");
        JsonNode none = n.call("gettxoutsetinfo", "none");
        assertEquals(utxo.size(), muhash.get("txouts").asInt());
        long total = utxo.values().stream().mapToLong(c -> c.output().value()).sum();
        assertEquals(BigDecimal.valueOf(total, 8), muhash.get("total_amount").decimalValue());
        assertEquals(102, muhash.get("height").asInt());

        MuHash3072 mu = new MuHash3072();
        utxo.forEach((op, coin) -> mu.insert(UtxoStats.txOutSer(op, coin)));
        assertEquals(mu.finalizeHash().toString(), muhash.get("muhash").asText());

        // hash_serialized_3: SHA256d over the serialized coins in database order (txid bytes, then vout).
        TreeMap<OutPoint, Coin> ordered = new TreeMap<>(Comparator
                .comparing((OutPoint o) -> Hex.encode(o.txid().bytes())).thenComparingLong(OutPoint::indexUnsigned));
        ordered.putAll(utxo);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ordered.forEach((op, coin) -> sha.update(UtxoStats.txOutSer(op, coin)));
        Hash256 expected = Hash256.wrap(Hashes.sha256(sha.digest()));
        assertEquals(expected.toString(), serialized.get("hash_serialized_3").asText());
        assertFalse(none.has("muhash") || none.has("hash_serialized_3"));
        assertEquals(-8, n.error("gettxoutsetinfo", "sha1").get("code").asInt());
    }

    private Map<OutPoint, Coin> rebuildUtxoSet() throws Exception {
        Map<OutPoint, Coin> utxo = new HashMap<>();
        int height = n.call("getblockcount").asInt();
        for (int h = 1; h <= height; h++) {
            Block block = Block.deserialize(Hex.decode(n.call("getblock", n.call("getblockhash", h).asText(), 0).asText()));
            for (Transaction tx : block.transactions()) {
                if (!tx.isCoinbase()) {
                    tx.inputs().forEach(in -> utxo.remove(in.prevout()));
                }
                for (int i = 0; i < tx.outputs().size(); i++) {
                    TxOut o = tx.outputs().get(i);
                    if (!Script.isUnspendable(o.scriptPubKey())) {
                        utxo.put(new OutPoint(tx.txid(), i), new Coin(o, h, tx.isCoinbase()));
                    }
                }
            }
        }
        return utxo;
    }

    @Test
    @Order(8)
    void invalidateAndReconsiderMoveTheTip() throws Exception {
        String tip = n.call("getbestblockhash").asText();
        assertTrue(n.call("invalidateblock", tip).isNull());
        assertEquals(mined.get(100), n.call("getbestblockhash").asText());
        assertEquals(101, n.call("getblockcount").asInt());
        assertTrue(n.call("gettxout", spendTxid, 0, false).isNull(), "the invalidated block's outputs are gone");
        // ... and its transaction is back in the mempool, whose outputs gettxout sees by default.
        assertEquals(List.of(spendTxid), strings(n.call("getrawmempool")));
        assertEquals(0, n.call("gettxout", spendTxid, 0).get("confirmations").asInt());
        boolean invalidListed = false;
        for (JsonNode t : n.call("getchaintips")) {
            invalidListed |= t.get("hash").asText().equals(tip) && t.get("status").asText().equals("invalid");
        }
        assertTrue(invalidListed, n.call("getchaintips").toString());
        assertEquals(-1, n.call("getblock", tip).get("confirmations").asInt());
        assertTrue(n.call("reconsiderblock", tip).isNull());
        assertEquals(tip, n.call("getbestblockhash").asText());
        assertEquals(0, n.call("getrawmempool").size(), "mined again, gone from the mempool");
        assertTrue(n.call("preciousblock", tip).isNull());
        assertEquals(-5, n.error("invalidateblock", "22".repeat(32)).get("code").asInt());
        assertEquals(-1, n.error("pruneblockchain", 10).get("code").asInt());
    }

    @Test
    @Order(9)
    void submitblockAndSubmitheader() throws Exception {
        String tip = n.call("getbestblockhash").asText();
        String tipHex = n.call("getblock", tip, 0).asText();
        assertEquals("duplicate", n.call("submitblock", tipHex).asText());
        assertEquals(-22, n.error("submitblock", "00").get("code").asInt());

        JsonNode unsubmitted = n.call("generateblock", ADDRESS, List.of(), false);
        String hash = unsubmitted.get("hash").asText();
        Block block = Block.deserialize(Hex.decode(unsubmitted.get("hex").asText()));
        assertEquals(tip, n.call("getbestblockhash").asText(), "submit=false leaves the chain alone");
        assertTrue(n.call("submitheader", Hex.encode(block.header().serialize())).isNull());
        assertEquals(hash, n.call("getblockheader", hash).get("hash").asText());
        boolean headersOnly = false;
        for (JsonNode t : n.call("getchaintips")) {
            headersOnly |= t.get("hash").asText().equals(hash) && t.get("status").asText().equals("headers-only");
        }
        assertTrue(headersOnly, n.call("getchaintips").toString());
        assertTrue(n.call("submitblock", unsubmitted.get("hex").asText()).isNull());
        assertEquals(hash, n.call("getbestblockhash").asText());

        byte[] orphanHeader = block.header().serialize();
        orphanHeader[4] ^= 1; // unknown parent
        assertEquals(-25, n.error("submitheader", Hex.encode(orphanHeader)).get("code").asInt());
    }

    @Test
    @Order(10)
    void generatetodescriptorPaysTheDescribedScript() throws Exception {
        String pubHex = Hex.encode(PUB);
        String desc = "pkh(" + pubHex + ")";
        JsonNode hashes = n.call("generatetodescriptor", 1, desc);
        Block block = Block.deserialize(Hex.decode(n.call("getblock", hashes.get(0).asText(), 0).asText()));
        assertArrayEquals(StandardScripts.payToPubkeyHash(Hashes.hash160(PUB)),
                block.transactions().get(0).outputs().get(0).scriptPubKey());
        // addr() with a correct checksum, and a wrong checksum refused.
        String addr = "addr(" + ADDRESS + ")";
        String withChecksum = addr + "#" + org.jbitcoind.chain.address.Descriptors.checksum(addr);
        assertEquals(1, n.call("generatetodescriptor", 1, withChecksum).size());
        assertEquals(-5, n.error("generatetodescriptor", 1, addr + "#qqqqqqqq").get("code").asInt());
        JsonNode tr = n.call("generatetodescriptor", 1, "tr(" + Hex.encode(Signer.xOnlyPublicKey(KEY)) + ")");
        Block trBlock = Block.deserialize(Hex.decode(n.call("getblock", tr.get(0).asText(), 0).asText()));
        assertArrayEquals(StandardScripts.witnessProgram(1, org.jbitcoind.chain.script.InputSigner.taprootOutputKey(KEY, null)),
                trBlock.transactions().get(0).outputs().get(0).scriptPubKey());
    }

    @Test
    @Order(11)
    void waitMethodsReturnOnNewBlocksAndTimeouts() throws Exception {
        JsonNode now = n.call("waitfornewblock", 50);
        assertEquals(n.call("getbestblockhash").asText(), now.get("hash").asText(), "timeout returns the current tip");
        int height = n.call("getblockcount").asInt();
        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return n.call("waitforblockheight", height + 1, 20_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<JsonNode> newBlock = CompletableFuture.supplyAsync(() -> {
            try {
                return n.call("waitfornewblock", 20_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        String hash = n.call("generatetoaddress", 1, ADDRESS).get(0).asText();
        assertEquals(height + 1, waiting.get(20, TimeUnit.SECONDS).get("height").asInt());
        assertEquals(hash, newBlock.get(20, TimeUnit.SECONDS).get("hash").asText());
        assertEquals(hash, n.call("waitforblock", hash, 1000).get("hash").asText());
    }

    @Test
    @Order(12)
    void signrawtransactionwithkeySignsEverySupportedOutputType() throws Exception {
        String pub = Hex.encode(PUB);
        String xonly = Hex.encode(Signer.xOnlyPublicKey(KEY));
        List<String> descriptors = List.of("pk(" + pub + ")", "pkh(" + pub + ")", "sh(wpkh(" + pub + "))",
                "tr(" + xonly + ")");
        List<String> coinbases = new ArrayList<>();
        for (String d : descriptors) {
            String hash = n.call("generatetodescriptor", 1, d).get(0).asText();
            coinbases.add(n.call("getblock", hash, 1).get("tx").get(0).asText());
        }
        n.call("generatetoaddress", 100, ADDRESS); // coinbase maturity
        List<Map<String, Object>> inputs = new ArrayList<>();
        coinbases.forEach(txid -> inputs.add(Map.of("txid", txid, "vout", 0)));
        String unsigned = n.call("createrawtransaction", inputs, Map.of(ADDRESS, new BigDecimal("199.99"))).asText();
        JsonNode signed = n.call("signrawtransactionwithkey", unsigned, List.of(WIF), null, "ALL");
        assertTrue(signed.get("complete").asBoolean(), signed.toString());
        Transaction tx = Transaction.deserialize(Hex.decode(signed.get("hex").asText()));
        assertEquals(1, Script.parse(tx.inputs().get(0).scriptSig()).size(), "P2PK: one signature push");
        assertEquals(2, Script.parse(tx.inputs().get(1).scriptSig()).size(), "P2PKH: signature and key");
        assertEquals(2, tx.inputs().get(2).witness().size(), "P2SH-P2WPKH witness");
        assertEquals(1, tx.inputs().get(3).witness().size(), "P2TR key path");
        assertEquals(65, tx.inputs().get(3).witness().get(0).length, "SIGHASH_ALL taproot signature");
        // Consensus agrees: the block with it connects.
        String block = n.call("generateblock", ADDRESS, List.of(signed.get("hex").asText())).get("hash").asText();
        assertEquals(block, n.call("getbestblockhash").asText());
        assertEquals(tx.txid().toString(), n.call("getblock", block).get("tx").get(1).asText());
        assertEquals(-8, n.error("signrawtransactionwithkey", unsigned, List.of(WIF), null, "SOME").get("code").asInt());
        assertEquals(-5, n.error("signrawtransactionwithkey", unsigned, List.of("notakey")).get("code").asInt());
    }

    @Test
    @Order(13)
    void mempoolAcceptSendTemplateAndMine() throws Exception {
        String coinbase = n.call("getblock", mined.get(1)).get("tx").get(0).asText();
        String unsigned = n.call("createrawtransaction", List.of(Map.of("txid", coinbase, "vout", 0)),
                List.of(Map.of(ADDRESS, new BigDecimal("49.999")))).asText();
        String hex = n.call("signrawtransactionwithkey", unsigned, List.of(WIF)).get("hex").asText();
        Transaction tx = Transaction.deserialize(Hex.decode(hex));
        String txid = tx.txid().toString();

        JsonNode test = n.call("testmempoolaccept", List.of(hex)).get(0);
        assertTrue(test.get("allowed").asBoolean(), test.toString());
        assertEquals(txid, test.get("txid").asText());
        assertEquals(tx.vsize(), test.get("vsize").asInt());
        assertEquals(new BigDecimal("0.00100000"), test.get("fees").get("base").decimalValue());
        assertEquals(0, n.call("getmempoolinfo").get("size").asInt(), "testmempoolaccept adds nothing");
        JsonNode tooDear = n.call("testmempoolaccept", List.of(hex), new BigDecimal("0.00001")).get(0);
        assertFalse(tooDear.get("allowed").asBoolean());
        assertEquals("max-fee-exceeded", tooDear.get("reject-reason").asText());
        assertEquals(-25, n.error("sendrawtransaction", hex, new BigDecimal("0.00001")).get("code").asInt());

        assertEquals(txid, n.call("sendrawtransaction", hex).asText());
        assertEquals(txid, n.call("sendrawtransaction", hex).asText(), "already in the mempool: same answer");
        assertEquals(List.of(txid), strings(n.call("getrawmempool")));
        JsonNode info = n.call("getmempoolinfo");
        assertEquals(1, info.get("size").asInt());
        assertEquals(new BigDecimal("0.00100000"), info.get("total_fee").decimalValue());
        JsonNode verbose = n.call("getrawmempool", true).get(txid);
        assertEquals(tx.wtxid().toString(), verbose.get("wtxid").asText());
        assertEquals(new BigDecimal("0.00100000"), verbose.get("fees").get("base").decimalValue());
        assertEquals(hex, n.call("getrawtransaction", txid).asText(), "found in the mempool without -txindex help");
        assertEquals(0, n.call("gettxout", txid, 0).get("confirmations").asInt());
        assertTrue(n.call("gettxout", coinbase, 0).isNull(), "spent by a mempool transaction");
        assertFalse(n.call("gettxout", coinbase, 0, false).isNull(), "still unspent in the chain");
        assertEquals(1, n.call("getmininginfo").get("pooledtx").asInt());
        // A spend of an output that does not exist.
        String missing = n.call("createrawtransaction", List.of(Map.of("txid", "33".repeat(32), "vout", 0)),
                List.of(Map.of(ADDRESS, 1))).asText();
        assertEquals(-25, n.error("sendrawtransaction", missing).get("code").asInt());
        assertFalse(n.call("testmempoolaccept", List.of(missing)).get(0).get("allowed").asBoolean());

        assertEquals(-8, n.error("getblocktemplate", Map.of()).get("code").asInt());
        JsonNode template = n.call("getblocktemplate", Map.of("rules", List.of("segwit")));
        int height = template.get("height").asInt();
        assertEquals(n.call("getblockcount").asInt() + 1, height);
        assertEquals(n.call("getbestblockhash").asText(), template.get("previousblockhash").asText());
        assertEquals(txid, template.get("transactions").get(0).get("txid").asText());
        assertEquals(100_000, template.get("transactions").get(0).get("fee").asLong());
        assertEquals((5_000_000_000L >> (height / 150)) + 100_000, template.get("coinbasevalue").asLong());

        String block = n.call("generatetoaddress", 1, ADDRESS).get(0).asText();
        assertEquals(txid, n.call("getblock", block).get("tx").get(1).asText(), "generate mines the mempool");
        assertEquals(0, n.call("getrawmempool").size());
    }

    @Test
    @Order(20)
    void stopAsksTheNodeToShutDown() throws Exception {
        assertFalse(n.node.isShutdownRequested());
        assertEquals("jbitcoind stopping", n.call("stop").asText());
        assertTrue(n.node.isShutdownRequested());
        assertNotEquals(0, n.port);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }
}
