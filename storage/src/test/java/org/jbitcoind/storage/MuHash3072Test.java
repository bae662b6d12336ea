package org.jbitcoind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.junit.jupiter.api.Test;

/** Core's crypto_tests muhash_tests vectors, and the set properties the UTXO hash relies on. */
class MuHash3072Test {

    /** Core's FromInt: a 32-byte element whose first byte is i. */
    private static byte[] element(int i) {
        byte[] b = new byte[32];
        b[0] = (byte) i;
        return b;
    }

    private static MuHash3072 fromInt(int i) {
        return new MuHash3072().insert(element(i));
    }

    @Test
    void coreVectorCombineAndSubtract() {
        MuHash3072 acc = fromInt(0);
        acc.combine(fromInt(1));
        acc.subtract(fromInt(2));
        // Core compares against uint256S(...), the reversed display form: Hash256.toString().
        assertEquals("10d312b100cbd32ada024a6646e40d3482fcff103668d2625f10002a607d5863", acc.finalizeHash().toString());
    }

    @Test
    void coreVectorInsertAndRemove() {
        MuHash3072 acc = fromInt(0);
        acc.insert(element(1));
        acc.remove(element(2));
        assertEquals("10d312b100cbd32ada024a6646e40d3482fcff103668d2625f10002a607d5863", acc.finalizeHash().toString());
    }

    @Test
    void coreVectorOverflowState() {
        // Numerator 2^3072 - 1 (above the modulus), denominator 1; Core prints HexStr (byte order as hashed).
        byte[] state = new byte[768];
        java.util.Arrays.fill(state, 0, 384, (byte) 0xff);
        state[384] = 1;
        Hash256 out = MuHash3072.deserialize(state).finalizeHash();
        assertEquals("3a31e6903aff0de9f62f9a9f7f8b861de76ce2cda09822b90014319ae5dc2271", Hex.encode(out.bytes()));
    }

    @Test
    void serializationOfTwoElementsMatchesCoreNumerator() {
        MuHash3072 m = fromInt(1).combine(fromInt(2));
        String ser = Hex.encode(m.serialize());
        // Core's ser_exp for FromInt(1) *= FromInt(2): this numerator, then a denominator of 1.
        String numerator = "1fa093295ea30a6a3acdc7b3f770fa538eff537528e990e2910e40bbcfd7f6696b1256901929094694b56316de342f593303"
                + "dd12ac43e06dce1be1ff8301c845beb15468fff0ef002dbf80c29f26e6452bccc91b5cb9437ad410d2a67ea847887fa3c6"
                + "a6553309946880fe20db2c73fe0641adbd4e86edfee0d9f8cd0ee1230898873dc13ed8ddcaf045c80faa082774279007a2"
                + "253f8922ee3ef361d378a6af3ddaf180b190ac97e556888c36b3d1fb1c85aab9ccd46e3deaeb7b7cf5db067a7e9ff86b65"
                + "8cf3acd6662bbcce37232daa753c48b794356c020090c831a8304416e2aa7ad633c0ddb2f11be1be316a81be7f7e472071"
                + "c042cb68faef549c221ebff209273638b741aba5a81675c45a5fa92fea4ca821d7a324cb1e1a2ccd3b76c4228ec8066dad"
                + "2a5df6e1bd0de45c7dd5de8070bdb46db6c554cf9aefc9b7b2bbf9f75b1864d9f95005314593905c0109b71f703d49944a"
                + "e94477b51dac10a816bb6d1c700bafabc8bd86fac8df24be519a2f2836b16392e18036cb13e48c5c";
        assertEquals(numerator, ser.substring(0, 768));
        assertEquals("01" + "00".repeat(383), ser.substring(768));
        assertEquals(m.finalizeHash(), MuHash3072.deserialize(m.serialize()).finalizeHash());
    }

    @Test
    void emptySetIsSha256OfOne() {
        byte[] one = new byte[384];
        one[0] = 1;
        assertEquals(Hash256.wrap(Hashes.sha256(one)), new MuHash3072().finalizeHash());
    }

    @Test
    void orderOfInsertionsAndRemovalsDoesNotMatter() {
        Random rnd = new Random(7);
        List<byte[]> elems = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] e = new byte[20 + rnd.nextInt(40)];
            rnd.nextBytes(e);
            elems.add(e);
        }
        MuHash3072 forward = new MuHash3072();
        elems.forEach(forward::insert);
        List<byte[]> shuffled = new ArrayList<>(elems);
        Collections.shuffle(shuffled, rnd);
        MuHash3072 backward = new MuHash3072();
        shuffled.forEach(backward::insert);
        Hash256 h = forward.finalizeHash();
        assertEquals(h, backward.finalizeHash());
        assertEquals(h, forward.finalizeHash(), "finalize is repeatable");

        // Adding then removing extra elements, interleaved, returns to the same set.
        MuHash3072 noisy = new MuHash3072();
        for (int i = 0; i < elems.size(); i++) {
            byte[] extra = ("extra" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            noisy.remove(extra);
            noisy.insert(elems.get(i));
            noisy.insert(extra);
        }
        assertEquals(h, noisy.finalizeHash());
        assertNotEquals(h, new MuHash3072().insert(elems.get(0)).finalizeHash());
    }

    @Test
    void limbMultiplicationAgreesWithBigInteger() {
        Random rnd = new Random(11);
        java.math.BigInteger p = MuHash3072.PRIME;
        List<java.math.BigInteger> values = new ArrayList<>(List.of(java.math.BigInteger.ZERO, java.math.BigInteger.ONE,
                java.math.BigInteger.TWO, p.subtract(java.math.BigInteger.ONE), p.subtract(java.math.BigInteger.TWO),
                java.math.BigInteger.ONE.shiftLeft(3071), p.shiftRight(1)));
        for (int i = 0; i < 60; i++) {
            values.add(new java.math.BigInteger(3072, rnd).mod(p));
        }
        for (java.math.BigInteger a : values) {
            for (java.math.BigInteger b : values.subList(0, 12)) {
                int[] prod = MuHash3072.mulMod(MuHash3072.fromBigInteger(a), MuHash3072.fromBigInteger(b));
                assertEquals(a.multiply(b).mod(p), MuHash3072.toBigInteger(prod), a + " * " + b);
            }
        }
    }

    @Test
    void inverseCancels() {
        for (int i = 0; i < 10; i++) {
            MuHash3072 x = fromInt(i);
            MuHash3072 y = fromInt(i + 100);
            MuHash3072 z = new MuHash3072().combine(x).combine(y);
            z.subtract(new MuHash3072().combine(y).combine(x));
            assertEquals(new MuHash3072().finalizeHash(), z.finalizeHash());
        }
    }
}
