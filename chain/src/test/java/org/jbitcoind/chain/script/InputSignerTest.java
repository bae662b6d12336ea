package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;

/** Inputs signed by InputSigner verify under every standard flag; tampering breaks them. */
class InputSignerTest {
    private static final int ALL_FLAGS = (1 << 21) - 1;
    private static final byte[] KEY = Hashes.sha256("signer key".getBytes());

    @Test
    void everyOutputTypeSignsAndVerifies() {
        byte[] pub = Signer.publicKey(KEY);
        byte[] p2wpkh = StandardScripts.witnessProgram(0, Hashes.hash160(pub));
        List<TxOut> spent = List.of(
                new TxOut(1000, concat(Script.pushOf(pub), new byte[] {(byte) Opcodes.OP_CHECKSIG})),
                new TxOut(2000, StandardScripts.payToPubkeyHash(Hashes.hash160(pub))),
                new TxOut(3000, p2wpkh),
                new TxOut(4000, StandardScripts.payToScriptHash(Hashes.hash160(p2wpkh))),
                new TxOut(5000, StandardScripts.witnessProgram(1, InputSigner.taprootOutputKey(KEY, null))));
        assertEquals(ScriptType.PUBKEY, StandardScripts.classify(spent.get(0).scriptPubKey()));
        List<TxIn> unsigned = new ArrayList<>();
        for (int i = 0; i < spent.size(); i++) {
            unsigned.add(new TxIn(new OutPoint(Hashes.hash256Of(new byte[] {(byte) i}), i), new byte[0], 0xfffffffdL));
        }
        Transaction tx = new Transaction(2, unsigned, List.of(new TxOut(14_000, p2wpkh)), 0);
        PrecomputedTransactionData data = new PrecomputedTransactionData(tx, spent);

        List<TxIn> signed = new ArrayList<>(unsigned);
        signed.set(0, unsigned.get(0).withScriptSig(InputSigner.p2pkScriptSig(data, 0, KEY, 1)));
        signed.set(1, unsigned.get(1).withScriptSig(InputSigner.p2pkhScriptSig(data, 1, KEY, 0x81)));
        signed.set(2, unsigned.get(2).withWitness(InputSigner.p2wpkhWitness(data, 2, KEY, 1)));
        signed.set(3, new TxIn(unsigned.get(3).prevout(), InputSigner.p2shP2wpkhScriptSig(KEY),
                unsigned.get(3).sequence(), InputSigner.p2wpkhWitness(data, 3, KEY, 3)));
        signed.set(4, unsigned.get(4).withWitness(InputSigner.p2trKeyPathWitness(data, 4, KEY, null, 0, new byte[32])));
        PrecomputedTransactionData signedData = new PrecomputedTransactionData(
                new Transaction(tx.version(), signed, tx.outputs(), tx.lockTime()), spent);
        ScriptVerifier verifier = new ScriptVerifier();
        for (int i = 0; i < spent.size(); i++) {
            assertEquals(ScriptError.OK, verifier.verify(signedData, i, ALL_FLAGS), "input " + i);
        }

        // Changing the outputs invalidates every SIGHASH_ALL signature.
        PrecomputedTransactionData changed = new PrecomputedTransactionData(
                new Transaction(tx.version(), signed, List.of(new TxOut(13_000, p2wpkh)), tx.lockTime()), spent);
        assertNotEquals(ScriptError.OK, verifier.verify(changed, 0, ALL_FLAGS));
        assertNotEquals(ScriptError.OK, verifier.verify(changed, 2, ALL_FLAGS));
        assertEquals(ScriptError.SCHNORR_SIG, verifier.verify(changed, 4, ALL_FLAGS));
        // SIGHASH_SINGLE (input 3) has no output at index 3 in segwit: it signs no outputs and survives.
        assertEquals(ScriptError.OK, verifier.verify(changed, 3, ALL_FLAGS));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
