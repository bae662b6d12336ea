package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jbitcoind.chain.crypto.BouncyCastleSecp256k1;
import org.jbitcoind.chain.crypto.Secp256k1Provider;
import org.jbitcoind.chain.crypto.SignatureVerifier;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Every row of Core's script_tests.json: one input against one scriptPubKey, exact error expected. */
class ScriptTestsVectorTest {
    /** x of G: the internal key (private key 1) of the tapscript rows. */
    private static final byte[] INTERNAL_KEY =
            Hex.decode("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");

    static Stream<Arguments> rows() throws IOException {
        JsonNode root = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(SharedData.read(SharedData.vector("script_tests.json")));
        List<Arguments> out = new ArrayList<>();
        int index = 0;
        for (JsonNode row : root) {
            index++;
            if (row.size() == 1) {
                continue;
            }
            out.add(Arguments.of(index, row.toString(), row));
        }
        return out.stream();
    }

    private static final ScriptVerifier NATIVE = new ScriptVerifier();
    private static final ScriptVerifier FALLBACK =
            new ScriptVerifier(new SignatureVerifier(new BouncyCastleSecp256k1(), null), false);

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("rows")
    void row(int index, String text, JsonNode row) {
        check(text, row, NATIVE);
    }

    /**
     * Core's extra check: adding random flags (low 16 bits) to a failing row, or removing them
     * from a passing row, keeps the outcome.
     */
    @ParameterizedTest(name = "[{0}] monotonic {1}")
    @MethodSource("rows")
    void rowIsMonotonicInFlags(int index, String text, JsonNode row) {
        Case c = parseCase(row);
        boolean expectOk = c.expected() == ScriptError.OK;
        java.util.SplittableRandom random = new java.util.SplittableRandom(index);
        for (int i = 0; i < 32; i++) {
            int extra = random.nextInt(1 << 16);
            int combined = expectOk ? c.flags() & ~extra : c.flags() | extra;
            if ((combined & ScriptFlags.CLEANSTACK) != 0
                    && (~combined & (ScriptFlags.P2SH | ScriptFlags.WITNESS)) != 0) {
                continue;
            }
            if ((combined & ScriptFlags.WITNESS) != 0 && (combined & ScriptFlags.P2SH) == 0) {
                continue;
            }
            ScriptError e = run(NATIVE, c.scriptSig(), c.scriptPubKey(), c.witness(), c.amount(), combined);
            assertEquals(expectOk, e == ScriptError.OK, text + " with flags " + Integer.toHexString(combined));
        }
    }

    /** The same rows through the pure-Java backend used when libsecp256k1 cannot load. */
    @ParameterizedTest(name = "[{0}] fallback {1}")
    @MethodSource("rows")
    void rowOnFallbackBackend(int index, String text, JsonNode row) {
        check(text, row, FALLBACK);
    }

    private record Case(byte[] scriptSig, byte[] scriptPubKey, List<byte[]> witness, long amount, int flags,
            ScriptError expected) {
    }

    private static void check(String text, JsonNode row, ScriptVerifier verifier) {
        Case c = parseCase(row);
        ScriptError actual = run(verifier, c.scriptSig(), c.scriptPubKey(), c.witness(), c.amount(), c.flags());
        assertEquals(c.expected(), actual, text);
    }

    private static Case parseCase(JsonNode row) {
        int pos = 0;
        List<byte[]> witness = new ArrayList<>();
        long amount = 0;
        byte[] tapscript = null;
        List<JsonNode> witnessItems = new ArrayList<>();
        if (row.get(0).isArray()) {
            JsonNode w = row.get(0);
            for (int i = 0; i < w.size() - 1; i++) {
                witnessItems.add(w.get(i));
            }
            amount = w.get(w.size() - 1).decimalValue().movePointRight(8).longValueExact();
            pos = 1;
        }
        for (JsonNode item : witnessItems) {
            String s = item.asText();
            if (s.startsWith("#SCRIPT#")) {
                tapscript = ScriptAssembler.assemble(s.substring("#SCRIPT#".length()));
                witness.add(tapscript);
            } else if (s.equals("#CONTROLBLOCK#")) {
                witness.add(controlBlock(tapscript));
            } else {
                witness.add(Hex.decode(s));
            }
        }
        byte[] scriptSig = ScriptAssembler.assemble(row.get(pos).asText());
        String spkText = row.get(pos + 1).asText();
        if (spkText.contains("#TAPROOTOUTPUT#")) {
            spkText = spkText.replace("#TAPROOTOUTPUT#", "0x" + Hex.encode(outputKey(tapscript)));
        }
        byte[] scriptPubKey = ScriptAssembler.assemble(spkText);
        int flags = FlagNames.parse(row.get(pos + 2).asText());
        if ((flags & ScriptFlags.CLEANSTACK) != 0) {
            flags |= ScriptFlags.P2SH | ScriptFlags.WITNESS;
        }
        ScriptError expected = ScriptError.fromCoreTestName(row.get(pos + 3).asText());

        return new Case(scriptSig, scriptPubKey, witness, amount, flags, expected);
    }

    static ScriptError run(ScriptVerifier verifier, byte[] scriptSig, byte[] scriptPubKey, List<byte[]> witness, long amount, int flags) {
        TxOut credited = new TxOut(amount, scriptPubKey);
        Transaction credit = new Transaction(1,
                List.of(new TxIn(OutPoint.NULL, new byte[] {0, 0}, TxIn.SEQUENCE_FINAL)), List.of(credited), 0);
        Transaction spend = new Transaction(1,
                List.of(new TxIn(new OutPoint(credit.txid(), 0), scriptSig, TxIn.SEQUENCE_FINAL, witness)),
                List.of(new TxOut(amount, new byte[0])), 0);
        return verifier.verify(new PrecomputedTransactionData(spend, List.of(credited)), 0, flags);
    }

    private static byte[] tweaked(byte[] tapscript) {
        byte[] leaf = Taproot.leafHash(Taproot.LEAF_TAPSCRIPT, tapscript);
        byte[] tweak = Taproot.tweakHash(INTERNAL_KEY, leaf);
        return Secp256k1Provider.get().tweakXOnly(INTERNAL_KEY, tweak);
    }

    private static byte[] controlBlock(byte[] tapscript) {
        byte[] q = tweaked(tapscript);
        byte[] cb = new byte[33];
        cb[0] = (byte) (Taproot.LEAF_TAPSCRIPT | q[0]);
        System.arraycopy(INTERNAL_KEY, 0, cb, 1, 32);
        return cb;
    }

    private static byte[] outputKey(byte[] tapscript) {
        byte[] q = tweaked(tapscript);
        byte[] x = new byte[32];
        System.arraycopy(q, 1, x, 0, 32);
        return x;
    }
}
