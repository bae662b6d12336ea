package org.jbitcoind.chain.spv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.message.FilterAddMessage;
import org.jbitcoind.protocol.message.FilterLoadMessage;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BIP37 filter construction, serialization (Core's bloom_tests values), matching, update flags and limits. */
class BloomFilterTest {
    /** Mainnet tx b4749f017444b051c44dfd2720e88f314ff94f3dd6d56d40ef65854fcd7fff6b (Core's bloom_match). */
    static final String TX = "01000000010b26e9b7735eb6aabdf358bab62f9816a21ba9ebdb719d5299e88607d722c190000000008b4830450220070aca44506c5cef3a16ed519d7c3c39f8aab192c4e1c90d065f37b8a4af6141022100a8e160b856c2d43d27d8fba71e5aef6405b8643ac4cb7cb3c462aced7f14711a0141046d11fee51b0e60666d5049a9101a72741df480b96ee26488a4d3466b95c9a40ac5eeef87e10a5cd336c19a84565f80fa6c547957b7700ff4dfbdefe76036c339ffffffff021bff3d11000000001976a91404943fdd508053c75000106d3bc6e2754dbcff1988ac2f15de00000000001976a914a266436d2965547608b9e15d9032a7b9d64fa43188ac00000000";
    /** Mainnet tx e2769b09e784f32f62ef849763d4f45b98e07ba658647343b915ff832b110436, spending output 0 of TX. */
    static final String SPENDING_TX = "01000000016bff7fcd4f8565ef406dd5d63d4ff94f318fe82027fd4dc451b04474019f74b4000000008c493046022100da0dc6aecefe1e06efdf05773757deb168820930e3b0d03f46f5fcf150bf990c022100d25b5c87040076e4f253f8262e763e2dd51e7ff0be157727c4bc42807f17bd39014104e6c26ef67dc610d2cd192484789a6cf9aea9930b944b7e2db5342b9d9e5b9ff79aff9a2ee1978dd7fd01dfc522ee02283d3b06a9d03acf8096968d7dbb0f9178ffffffff028ba7940e000000001976a914badeecfdef0507247fc8f74241d73bc039972d7b88ac4094a802000000001976a914c10932483fec93ed51f5fe95e72559f2cc7043f988ac00000000";

    static Transaction tx(String hex) {
        try {
            return Transaction.deserialize(Hex.decode(hex));
        } catch (DecodeException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "tweak {0}")
    @CsvSource({
        "0, 03614e9b050000000000000001",
        "2147483649, 03ce4299050000000100008001",
    })
    void insertAndSerializeLikeCore(long tweak, String expected) {
        BloomFilter f = BloomFilter.create(3, 0.01, (int) tweak, BloomFilter.UPDATE_ALL);
        f.insert(Hex.decode("99108ad8ed9bb6274d3980bab5a85c048f0950c8"));
        assertTrue(f.contains(Hex.decode("99108ad8ed9bb6274d3980bab5a85c048f0950c8")));
        assertFalse(f.contains(Hex.decode("19108ad8ed9bb6274d3980bab5a85c048f0950c8")), "one bit different in first byte");
        f.insert(Hex.decode("b5a2c786d9ef4658287ced5914b37a1b4aa32eee"));
        assertTrue(f.contains(Hex.decode("b5a2c786d9ef4658287ced5914b37a1b4aa32eee")));
        f.insert(Hex.decode("b9300670b4c5366e95b2699e8b18bc75e5f729c5"));
        assertTrue(f.contains(Hex.decode("b9300670b4c5366e95b2699e8b18bc75e5f729c5")));
        assertEquals(expected, Hex.encode(f.serialize()));
        f.clear();
        assertFalse(f.contains(Hex.decode("99108ad8ed9bb6274d3980bab5a85c048f0950c8")));
    }

    @Test
    void insertKeyAndHashSerializesLikeCore() {
        // The public key of Core's bloom_create_insert_key secret, and its hash160.
        byte[] pubKey = Hex.decode("045b81f0017e2091e2edcd5eecf10d5bdd120a5514cb3ee65b8447ec18bfc4575c"
                + "6d5bf415e54e03b1067934a0f0ba76b01c6b9ab227142ee1d543764b69d901e0");
        BloomFilter f = BloomFilter.create(2, 0.001, 0, BloomFilter.UPDATE_ALL);
        f.insert(pubKey);
        f.insert(Hashes.hash160(pubKey));
        assertEquals("038fc16b080000000000000001", Hex.encode(f.serialize()));
    }

    @Test
    void serializedFilterIsAFilterloadPayloadAndLoadsBack() throws Exception {
        BloomFilter f = BloomFilter.create(20, 0.0001, 0x12345678, BloomFilter.UPDATE_P2PUBKEY_ONLY);
        f.insert(Hex.decode("0102030405"));
        FilterLoadMessage msg = FilterLoadMessage.read(new ByteReader(f.serialize()));
        BloomFilter loaded = BloomFilter.fromMessage(msg);
        assertArrayEquals(f.serialize(), loaded.serialize());
        assertTrue(loaded.contains(Hex.decode("0102030405")));
        assertEquals(BloomFilter.UPDATE_P2PUBKEY_ONLY, loaded.flags());
        assertEquals(0x12345678L, msg.tweak());
    }

    /** Core's bloom_match: what one element in the filter makes the transaction relevant. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "txid, b4749f017444b051c44dfd2720e88f314ff94f3dd6d56d40ef65854fcd7fff6b, true",
        "txid bytes, 6bff7fcd4f8565ef406dd5d63d4ff94f318fe82027fd4dc451b04474019f74b4, true",
        "input signature, 30450220070aca44506c5cef3a16ed519d7c3c39f8aab192c4e1c90d065f37b8a4af6141022100a8e160b856c2d43d27d8fba71e5aef6405b8643ac4cb7cb3c462aced7f14711a01, true",
        "input pubkey, 046d11fee51b0e60666d5049a9101a72741df480b96ee26488a4d3466b95c9a40ac5eeef87e10a5cd336c19a84565f80fa6c547957b7700ff4dfbdefe76036c339, true",
        "output 0 address, 04943fdd508053c75000106d3bc6e2754dbcff19, true",
        "output 1 address, a266436d2965547608b9e15d9032a7b9d64fa431, true",
        "spent outpoint, 0b26e9b7735eb6aabdf358bab62f9816a21ba9ebdb719d5299e88607d722c19000000000, true",
        "random txid, 00000009e784f32f62ef849763d4f45b98e07ba658647343b915ff832b110436, false",
        "random address, 0000006d2965547608b9e15d9032a7b9d64fa431, false",
        "other outpoint index, 0b26e9b7735eb6aabdf358bab62f9816a21ba9ebdb719d5299e88607d722c19001000000, false",
        "other outpoint txid, 0b26e9b7735eb6aabdf358bab62f9816a21ba9ebdb719d5299e88607d700000000000000, false",
    })
    void elementMakesTransactionRelevant(String what, String element, boolean expected) {
        byte[] e = Hex.decode(element);
        if (what.startsWith("txid") && !what.equals("txid bytes") || what.equals("random txid")) {
            e = Hash256.fromHex(element).bytes(); // display order given: the filter holds the internal order
        }
        BloomFilter f = BloomFilter.create(10, 0.000001, 0, BloomFilter.UPDATE_ALL);
        f.insert(e);
        assertEquals(expected, f.isRelevantAndUpdate(tx(TX)));
    }

    @Test
    void updateAllMakesTheSpendRelevant() {
        BloomFilter f = BloomFilter.create(10, 0.000001, 0, BloomFilter.UPDATE_ALL);
        f.insert(Hex.decode("04943fdd508053c75000106d3bc6e2754dbcff19"));
        assertTrue(f.isRelevantAndUpdate(tx(TX)));
        assertTrue(f.contains(new OutPoint(tx(TX).txid(), 0)));
        assertTrue(f.isRelevantAndUpdate(tx(SPENDING_TX)), "the spend of a matched output must match");
    }

    @ParameterizedTest(name = "update NONE and P2PUBKEY_ONLY do not follow a P2PKH output: flags {0}")
    @CsvSource({"0", "2", "3"})
    void otherModesDoNotFollowPayToPubKeyHash(int flags) {
        BloomFilter f = BloomFilter.create(10, 0.000001, 0, flags);
        f.insert(Hex.decode("04943fdd508053c75000106d3bc6e2754dbcff19"));
        assertTrue(f.isRelevantAndUpdate(tx(TX)));
        assertFalse(f.contains(new OutPoint(tx(TX).txid(), 0)));
        assertFalse(f.isRelevantAndUpdate(tx(SPENDING_TX)));
    }

    static final String PUBKEY33 = "02" + "11".repeat(32);
    static final String PUBKEY65 = "04" + "22".repeat(64);

    /** Placeholders in the script table: K33 / K65 a compressed / uncompressed key, H20 the key's 20-byte hash. */
    static byte[] script(String template) {
        return Hex.decode(template.replace("K33", "21" + PUBKEY33).replace("K65", "41" + PUBKEY65)
                .replace("H20", "14" + "11".repeat(20)).replace("BADKEY", "21" + "05" + "11".repeat(32)));
    }

    /** Which output scripts get their outpoint added, per update mode (flags 3 acts like NONE, as in Core). */
    @ParameterizedTest(name = "{0} with flags {2}")
    @CsvSource({
        "P2PK compressed,    K33ac,         0, false",
        "P2PK compressed,    K33ac,         1, true",
        "P2PK compressed,    K33ac,         2, true",
        "P2PK compressed,    K33ac,         3, false",
        "P2PK uncompressed,  K65ac,         2, true",
        "1-of-2 multisig,    51K33K6552ae,  0, false",
        "1-of-2 multisig,    51K33K6552ae,  1, true",
        "1-of-2 multisig,    51K33K6552ae,  2, true",
        "pushed-n multisig,  51K33K650102ae, 2, false",
        "P2PKH of the key,   76a9H2088ac,   1, true",
        "P2PKH of the key,   76a9H2088ac,   2, false",
        "P2PK bad key type,  BADKEYac,      1, false",
        "multisig n too big, 51K3353ae,     2, false",
        "key then OP_RETURN, K336a,         2, false",
    })
    void outpointUpdatePerMode(String what, String template, int flags, boolean outpointAdded) {
        byte[] spk = script(template);
        Transaction t = new Transaction(1, List.of(new TxIn(new OutPoint(Hash256.fromHex("aa".repeat(32)), 0), new byte[0],
                TxIn.SEQUENCE_FINAL)), List.of(new TxOut(1000, spk)), 0);
        BloomFilter f = BloomFilter.create(10, 0.000001, 0, flags);
        f.insert(Hex.decode(PUBKEY33));
        f.insert(Hex.decode(PUBKEY65));
        f.insert(Hex.decode("11".repeat(20)));
        boolean keyOrHashPushed = !template.startsWith("BADKEY");
        assertEquals(keyOrHashPushed, f.isRelevantAndUpdate(t), "a data push of the output matches in every mode");
        assertEquals(outpointAdded, f.contains(new OutPoint(t.txid(), 0)));
    }

    @Test
    void templatesFollowCoreSolver() {
        assertTrue(PubKeyTemplates.isMultisig(Hex.decode("0114" + "21" + PUBKEY33 + "0114ae")) == false,
                "pushed 20 with only one key is not multisig");
        assertTrue(PubKeyTemplates.isMultisig(Hex.decode("51" + "21" + PUBKEY33 + "51ae")));
        assertFalse(PubKeyTemplates.isMultisig(Hex.decode("0101" + "21" + PUBKEY33 + "51ae")), "non-minimal push of 1");
        assertFalse(PubKeyTemplates.isMultisig(Hex.decode("00" + "21" + PUBKEY33 + "51ae")), "m = 0");
        assertFalse(PubKeyTemplates.isMultisig(Hex.decode("51" + "21" + PUBKEY33 + "51" + "51ae")), "extra op before CHECKMULTISIG");
        assertFalse(PubKeyTemplates.isMultisig(Hex.decode("ae")));
        // Above 16 keys n can only be pushed as a number; Core accepts up to 20.
        String seventeen = ("21" + PUBKEY33).repeat(17);
        assertTrue(PubKeyTemplates.isMultisig(Hex.decode("51" + seventeen + "0111ae")));
        assertFalse(PubKeyTemplates.isMultisig(Hex.decode("51" + seventeen + "020000ae")), "17 is not 0x0000");
        assertFalse(PubKeyTemplates.isMultisig(Hex.decode("51" + seventeen + "021100ae")), "non-minimal number");
        assertFalse(PubKeyTemplates.isPayToPubKey(Hex.decode("21" + PUBKEY33)));
    }

    @Test
    void inputMatchingOnlyWhenOutputsDoNot() {
        // The scriptSig push matches; a truncated push after it is never reached.
        byte[] scriptSig = Hex.decode("03aabbcc4c");
        Transaction t = new Transaction(1, List.of(new TxIn(new OutPoint(Hash256.fromHex("bb".repeat(32)), 1), scriptSig,
                TxIn.SEQUENCE_FINAL)), List.of(new TxOut(1, Hex.decode("51"))), 0);
        BloomFilter f = BloomFilter.create(10, 0.000001, 0, BloomFilter.UPDATE_ALL);
        assertFalse(f.isRelevantAndUpdate(t));
        f.insert(Hex.decode("aabbcc"));
        assertTrue(f.isRelevantAndUpdate(t));
        // A truncated push ends the walk: data after it is not examined.
        Transaction truncated = new Transaction(1, List.of(new TxIn(new OutPoint(Hash256.fromHex("bb".repeat(32)), 1),
                Hex.decode("4c05aabb"), TxIn.SEQUENCE_FINAL)), List.of(new TxOut(1, Hex.decode("51"))), 0);
        BloomFilter g = BloomFilter.create(10, 0.000001, 0, BloomFilter.UPDATE_ALL);
        g.insert(Hex.decode("aabb"));
        assertFalse(g.isRelevantAndUpdate(truncated));
    }

    @Test
    void emptyFilterMatchesEverything() throws BloomFilterException {
        BloomFilter f = BloomFilter.fromMessage(new FilterLoadMessage(new byte[0], 0, 0, 0));
        assertTrue(f.contains(new byte[] {1}));
        assertTrue(f.isRelevantAndUpdate(tx(TX)));
        f.insert(new byte[] {2}); // no modulo by zero (CVE-2013-5700)
        assertEquals(0, f.sizeInBytes());
    }

    @Test
    void filterloadLimits() throws BloomFilterException {
        BloomFilter.fromMessage(new FilterLoadMessage(new byte[36_000], 50, 0, 0));
        BloomFilterException size = assertThrows(BloomFilterException.class,
                () -> BloomFilter.fromMessage(new FilterLoadMessage(new byte[36_001], 1, 0, 0)));
        assertTrue(size.getMessage().contains("36001"));
        assertThrows(BloomFilterException.class, () -> BloomFilter.fromMessage(new FilterLoadMessage(new byte[10], 51, 0, 0)));
        assertThrows(BloomFilterException.class,
                () -> BloomFilter.fromMessage(new FilterLoadMessage(new byte[10], 0xffffffffL, 0, 0)));
    }

    @Test
    void createClampsToProtocolLimits() {
        BloomFilter big = BloomFilter.create(10_000_000, 0.0000001, 0, 0);
        assertEquals(36_000, big.sizeInBytes());
        BloomFilter many = BloomFilter.create(1, 1e-30, 0, 0);
        assertEquals(50, many.hashFunctions());
    }

    @Test
    void filteraddLimit() throws BloomFilterException {
        BloomFilter f = BloomFilter.create(10, 0.01, 0, 0);
        f.add(new FilterAddMessage(new byte[520]));
        assertTrue(f.contains(new byte[520]));
        assertThrows(BloomFilterException.class, () -> f.add(new FilterAddMessage(new byte[521])));
    }
}
