package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.List;

import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;

/** The per-input sighash and HASH160 memos give exactly what recomputing gives, whatever the call order. */
class PrecomputedTransactionDataMemoTest {
    private static final byte[] CODE_A = StandardScripts.payToPubkeyHash(new byte[20]);
    private static final byte[] CODE_B = StandardScripts.payToPubkeyHash(filled(20, 9));

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    private static PrecomputedTransactionData data() {
        List<TxIn> ins = List.of(
                new TxIn(new OutPoint(Hashes.hash256Of(new byte[] {1}), 0), new byte[0], 0xffffffffL),
                new TxIn(new OutPoint(Hashes.hash256Of(new byte[] {2}), 3), new byte[0], 0xfffffffdL));
        List<TxOut> outs = List.of(new TxOut(1_000, new byte[] {0x51}), new TxOut(2_000, new byte[] {0x52}));
        Transaction tx = new Transaction(2, ins, outs, 0);
        return new PrecomputedTransactionData(tx, List.of(new TxOut(5_000, CODE_A), new TxOut(7_000, CODE_B)));
    }

    private static byte[] recomputed(PrecomputedTransactionData d, int nIn, byte[] code, int hashType, SigVersion v) {
        return v == SigVersion.WITNESS_V0
                ? SignatureHash.witnessV0(d, nIn, code, d.spentOutputs().get(nIn).value(), hashType)
                : SignatureHash.legacy(d.tx(), nIn, code, hashType);
    }

    @Test
    void memoisedSighashEqualsRecomputedForEveryCombination() {
        PrecomputedTransactionData d = data();
        int[] hashTypes = {1, 2, 3, 0x81, 0x83};
        // Twice over, so that the second round is served from memos wherever the arguments repeat.
        for (int round = 0; round < 2; round++) {
            for (SigVersion v : new SigVersion[] {SigVersion.BASE, SigVersion.WITNESS_V0}) {
                for (int nIn = 0; nIn < 2; nIn++) {
                    for (byte[] code : new byte[][] {CODE_A, CODE_B}) {
                        for (int hashType : hashTypes) {
                            byte[] expected = recomputed(d, nIn, code, hashType, v);
                            assertArrayEquals(expected, d.ecdsaSighash(nIn, code, hashType, v));
                            assertArrayEquals(expected, d.ecdsaSighash(nIn, code.clone(), hashType, v), "repeat");
                        }
                    }
                }
            }
        }
    }

    @Test
    void memoIsNotFooledByAScriptCodeChangedInPlace() {
        PrecomputedTransactionData d = data();
        byte[] code = CODE_A.clone();
        d.ecdsaSighash(0, code, 1, SigVersion.BASE);
        code[5] ^= 1;
        assertArrayEquals(SignatureHash.legacy(d.tx(), 0, code, 1), d.ecdsaSighash(0, code, 1, SigVersion.BASE));
    }

    @Test
    void returnedSighashIsACopy() {
        PrecomputedTransactionData d = data();
        byte[] first = d.ecdsaSighash(1, CODE_B, 1, SigVersion.WITNESS_V0);
        first[0] ^= 1;
        assertArrayEquals(recomputed(d, 1, CODE_B, 1, SigVersion.WITNESS_V0),
                d.ecdsaSighash(1, CODE_B, 1, SigVersion.WITNESS_V0));
    }

    @Test
    void memoisedHash160EqualsRecomputed() {
        PrecomputedTransactionData d = data();
        byte[][] keys = {filled(33, 2), filled(33, 3), filled(65, 4), new byte[0]};
        for (int round = 0; round < 2; round++) {
            for (int nIn = 0; nIn < 2; nIn++) {
                for (byte[] key : keys) {
                    assertArrayEquals(Hashes.hash160(key), d.hash160(nIn, key));
                    byte[] again = d.hash160(nIn, key.clone());
                    assertArrayEquals(Hashes.hash160(key), again, "repeat");
                    again[0] ^= 1;
                    assertArrayEquals(Hashes.hash160(key), d.hash160(nIn, key), "callers get copies");
                    assertNotSame(d.hash160(nIn, key), d.hash160(nIn, key));
                }
            }
        }
    }
}
