package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jbitcoind.chain.crypto.Secp256k1Provider;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** BIP341 wallet vectors: output construction for every scriptPubKey case, key-path sighashes and signatures. */
class Bip341VectorTest {
    private static JsonNode root() throws IOException {
        return new ObjectMapper().readTree(SharedData.read(SharedData.vector("bip341_wallet_vectors.json")));
    }

    static Stream<Arguments> scriptPubKeys() throws IOException {
        List<Arguments> out = new ArrayList<>();
        JsonNode cases = root().get("scriptPubKey");
        for (int i = 0; i < cases.size(); i++) {
            out.add(Arguments.of(i, cases.get(i)));
        }
        return out.stream();
    }

    static Stream<Arguments> inputSpendings() throws IOException {
        List<Arguments> out = new ArrayList<>();
        JsonNode cases = root().get("keyPathSpending").get(0).get("inputSpending");
        for (int i = 0; i < cases.size(); i++) {
            out.add(Arguments.of(cases.get(i).get("given").get("txinIndex").asInt(), cases.get(i)));
        }
        return out.stream();
    }

    /** A built (sub)tree: its hash, and for each leaf id its leaf version and merkle path. */
    private record Tree(byte[] hash, Map<Integer, byte[]> leafHashes, Map<Integer, Integer> versions,
            Map<Integer, List<byte[]>> paths) {
    }

    private static Tree build(JsonNode node) {
        if (node.isObject()) {
            int id = node.get("id").asInt();
            int version = node.get("leafVersion").asInt();
            byte[] h = Taproot.leafHash(version, Hex.decode(node.get("script").asText()));
            Map<Integer, List<byte[]>> paths = new TreeMap<>();
            paths.put(id, new ArrayList<>());
            return new Tree(h, new TreeMap<>(Map.of(id, h)), new TreeMap<>(Map.of(id, version)), paths);
        }
        Tree left = build(node.get(0));
        Tree right = build(node.get(1));
        left.paths().values().forEach(p -> p.add(right.hash()));
        right.paths().values().forEach(p -> p.add(left.hash()));
        Tree t = new Tree(Taproot.branchHash(left.hash(), right.hash()), left.leafHashes(), left.versions(),
                left.paths());
        t.leafHashes().putAll(right.leafHashes());
        t.versions().putAll(right.versions());
        t.paths().putAll(right.paths());
        return t;
    }

    @ParameterizedTest(name = "scriptPubKey[{0}]")
    @MethodSource("scriptPubKeys")
    void scriptPubKey(int index, JsonNode c) {
        byte[] internal = Hex.decode(c.get("given").get("internalPubkey").asText());
        JsonNode treeJson = c.get("given").get("scriptTree");
        JsonNode inter = c.get("intermediary");
        Tree tree = treeJson.isNull() ? null : build(treeJson);
        byte[] root = tree == null ? null : tree.hash();
        if (root == null) {
            assertTrue(inter.get("merkleRoot").isNull());
        } else {
            assertEquals(inter.get("merkleRoot").asText(), Hex.encode(root));
            JsonNode leafHashes = inter.get("leafHashes");
            for (int i = 0; i < leafHashes.size(); i++) {
                assertEquals(leafHashes.get(i).asText(), Hex.encode(tree.leafHashes().get(i)), "leaf " + i);
            }
        }
        byte[] tweak = Taproot.tweakHash(internal, root);
        assertEquals(inter.get("tweak").asText(), Hex.encode(tweak));
        byte[] q = Secp256k1Provider.get().tweakXOnly(internal, tweak);
        byte[] outputKey = java.util.Arrays.copyOfRange(q, 1, 33);
        assertEquals(inter.get("tweakedPubkey").asText(), Hex.encode(outputKey));
        assertEquals(c.get("expected").get("scriptPubKey").asText(),
                Hex.encode(StandardScripts.witnessProgram(1, outputKey)));
        assertEquals(c.get("expected").get("bip350Address").asText(), SegwitAddress.encode("bc", 1, outputKey));
        JsonNode controls = c.get("expected").get("scriptPathControlBlocks");
        if (tree == null) {
            assertNull(controls);
            return;
        }
        for (int id = 0; id < controls.size(); id++) {
            byte[] cb = new byte[33 + 32 * tree.paths().get(id).size()];
            cb[0] = (byte) (tree.versions().get(id) | q[0]);
            System.arraycopy(internal, 0, cb, 1, 32);
            int pos = 33;
            for (byte[] node : tree.paths().get(id)) {
                System.arraycopy(node, 0, cb, pos, 32);
                pos += 32;
            }
            assertEquals(controls.get(id).asText(), Hex.encode(cb), "control block of leaf " + id);
            // The control block must also prove the leaf against the output key.
            assertTrue(Taproot.verifyCommitment(org.jbitcoind.chain.crypto.SignatureVerifier.uncached(), cb,
                    outputKey, tree.leafHashes().get(id)));
        }
    }

    private static PrecomputedTransactionData keyPathTx() throws Exception {
        JsonNode given = root().get("keyPathSpending").get(0).get("given");
        Transaction tx = Transaction.deserialize(Hex.decode(given.get("rawUnsignedTx").asText()));
        List<TxOut> spent = new ArrayList<>();
        for (JsonNode u : given.get("utxosSpent")) {
            spent.add(new TxOut(u.get("amountSats").asLong(), Hex.decode(u.get("scriptPubKey").asText())));
        }
        return new PrecomputedTransactionData(tx, spent);
    }

    @Test
    void keyPathIntermediaryHashes() throws Exception {
        JsonNode inter = root().get("keyPathSpending").get(0).get("intermediary");
        PrecomputedTransactionData.Midstates m = keyPathTx().midstates();
        assertEquals(inter.get("hashPrevouts").asText(), Hex.encode(m.prevouts()));
        assertEquals(inter.get("hashSequences").asText(), Hex.encode(m.sequences()));
        assertEquals(inter.get("hashAmounts").asText(), Hex.encode(m.amounts()));
        assertEquals(inter.get("hashScriptPubkeys").asText(), Hex.encode(m.scripts()));
        assertEquals(inter.get("hashOutputs").asText(), Hex.encode(m.outputs()));
    }

    @ParameterizedTest(name = "keyPathSpending input {0}")
    @MethodSource("inputSpendings")
    void keyPathSpending(int nIn, JsonNode c) throws Exception {
        JsonNode given = c.get("given");
        JsonNode inter = c.get("intermediary");
        byte[] priv = Hex.decode(given.get("internalPrivkey").asText());
        byte[] root = given.get("merkleRoot").isNull() ? null : Hex.decode(given.get("merkleRoot").asText());
        int hashType = given.get("hashType").asInt();

        byte[] internal = Signer.xOnlyPublicKey(priv);
        assertEquals(inter.get("internalPubkey").asText(), Hex.encode(internal));
        byte[] tweak = Taproot.tweakHash(internal, root);
        assertEquals(inter.get("tweak").asText(), Hex.encode(tweak));
        byte[] tweakedPriv = Signer.tweakSecretKey(priv, tweak);
        assertEquals(inter.get("tweakedPrivkey").asText(), Hex.encode(tweakedPriv));

        PrecomputedTransactionData txData = keyPathTx();
        assertEquals(inter.get("sigMsg").asText(), Hex.encode(SignatureHash.taprootKeyPathMessage(txData, nIn, hashType)));
        byte[] sighash = SignatureHash.taprootKeyPath(txData, nIn, hashType);
        assertEquals(inter.get("sigHash").asText(), Hex.encode(sighash));

        byte[] sig = Signer.signSchnorr(tweakedPriv, sighash, new byte[32]);
        byte[] witnessItem = hashType == 0 ? sig : java.util.Arrays.copyOf(sig, 65);
        if (hashType != 0) {
            witnessItem[64] = (byte) hashType;
        }
        assertArrayEquals(Hex.decode(c.get("expected").get("witness").get(0).asText()), witnessItem);
    }

    @Test
    void fullySignedTransactionVerifies() throws Exception {
        JsonNode spending = root().get("keyPathSpending").get(0);
        Transaction signed = Transaction.deserialize(
                Hex.decode(spending.get("auxiliary").get("fullySignedTx").asText()));
        PrecomputedTransactionData unsigned = keyPathTx();
        PrecomputedTransactionData data = new PrecomputedTransactionData(signed, unsigned.spentOutputs());
        int flags = ScriptFlags.P2SH | ScriptFlags.WITNESS | ScriptFlags.TAPROOT;
        for (JsonNode c : spending.get("inputSpending")) {
            int nIn = c.get("given").get("txinIndex").asInt();
            assertEquals(ScriptError.OK, new ScriptVerifier().verify(data, nIn, flags), "input " + nIn);
        }
    }
}
