package org.jbitcoind.chain.testing;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.chain.script.PrecomputedTransactionData;
import org.jbitcoind.chain.script.SignatureHash;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.chain.script.Taproot;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * Deterministic keys and real signatures for tests: P2WPKH and P2PKH (ECDSA, SIGHASH_ALL) and
 * P2TR key path (BIP340, SIGHASH_DEFAULT).
 */
public final class TestWallet {
    public enum Kind { P2WPKH, P2PKH, P2TR }

    /** An output this wallet can spend. */
    public record Utxo(OutPoint outpoint, TxOut output, Key key) {
    }

    /** One key and its scripts. */
    public static final class Key {
        private final byte[] secret;
        private final byte[] pub;
        private final byte[] tweakedSecret;
        private final byte[] outputKey;

        Key(byte[] secret) {
            this.secret = secret;
            this.pub = Signer.publicKey(secret);
            byte[] tweak = Taproot.tweakHash(Signer.xOnlyPublicKey(secret), null);
            this.tweakedSecret = Signer.tweakSecretKey(secret, tweak);
            this.outputKey = Signer.xOnlyPublicKey(tweakedSecret);
        }

        public byte[] script(Kind kind) {
            return switch (kind) {
                case P2WPKH -> StandardScripts.witnessProgram(0, Hashes.hash160(pub));
                case P2PKH -> StandardScripts.payToPubkeyHash(Hashes.hash160(pub));
                case P2TR -> StandardScripts.witnessProgram(1, outputKey);
            };
        }
    }

    private TestWallet() {
    }

    public static Key key(int n) {
        byte[] seed = new ByteWriter(8).writeI32LE(n).writeI32LE(0x5eed).toByteArray();
        return new Key(Hashes.sha256(seed));
    }

    /** The kind of a script this wallet made. */
    public static Kind kindOf(byte[] spk) {
        if (spk.length == 22) {
            return Kind.P2WPKH;
        }
        if (spk.length == 34) {
            return Kind.P2TR;
        }
        return Kind.P2PKH;
    }

    /**
     * A signed version-2 transaction spending {@code inputs} into {@code outputs}, every input
     * with {@code sequence}.
     */
    public static Transaction spend(List<Utxo> inputs, List<TxOut> outputs, long sequence, long lockTime) {
        List<TxIn> ins = new ArrayList<>();
        for (Utxo u : inputs) {
            ins.add(new TxIn(u.outpoint(), new byte[0], sequence));
        }
        Transaction unsigned = new Transaction(2, ins, outputs, lockTime);
        List<TxOut> spent = inputs.stream().map(Utxo::output).toList();
        PrecomputedTransactionData data = new PrecomputedTransactionData(unsigned, spent);
        List<TxIn> signed = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Utxo u = inputs.get(i);
            TxIn in = ins.get(i);
            Key k = u.key();
            switch (kindOf(u.output().scriptPubKey())) {
                case P2WPKH -> {
                    byte[] code = StandardScripts.payToPubkeyHash(Hashes.hash160(k.pub));
                    byte[] hash = SignatureHash.witnessV0(data, i, code, u.output().value(), 1);
                    signed.add(in.withWitness(List.of(withHashType(Signer.signEcdsaDer(k.secret, hash)), k.pub)));
                }
                case P2PKH -> {
                    byte[] hash = SignatureHash.legacy(unsigned, i, u.output().scriptPubKey(), 1);
                    ByteWriter w = new ByteWriter(110);
                    byte[] sig = withHashType(Signer.signEcdsaDer(k.secret, hash));
                    w.writeU8(sig.length).writeBytes(sig).writeU8(k.pub.length).writeBytes(k.pub);
                    signed.add(in.withScriptSig(w.toByteArray()));
                }
                case P2TR -> {
                    byte[] hash = SignatureHash.taprootKeyPath(data, i, 0);
                    signed.add(in.withWitness(List.of(Signer.signSchnorr(k.tweakedSecret, hash, new byte[32]))));
                }
                default -> throw new IllegalStateException();
            }
        }
        return new Transaction(2, signed, outputs, lockTime);
    }

    public static Transaction spend(List<Utxo> inputs, List<TxOut> outputs) {
        return spend(inputs, outputs, 0xfffffffdL, 0);
    }

    private static byte[] withHashType(byte[] der) {
        byte[] out = java.util.Arrays.copyOf(der, der.length + 1);
        out[der.length] = 1;
        return out;
    }

    /** The outputs of {@code tx} as UTXOs, all owned by {@code key}. */
    public static List<Utxo> outputsOf(Transaction tx, Key key) {
        List<Utxo> out = new ArrayList<>();
        for (int i = 0; i < tx.outputs().size(); i++) {
            out.add(new Utxo(new OutPoint(tx.txid(), i), tx.outputs().get(i), key));
        }
        return out;
    }
}
