package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.jbitcoind.chain.script.Opcodes;
import org.jbitcoind.chain.testing.MempoolFixture;
import org.jbitcoind.chain.testing.TestWallet;
import org.jbitcoind.chain.testing.TestWallet.Kind;
import org.jbitcoind.chain.testing.TestWallet.Utxo;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Policy on what is spent (AreInputsStandard, IsWitnessStandard), sigop cost and bare multisig. */
class PolicyInputsTest {
    private static final byte[] OP_TRUE = {(byte) Opcodes.OP_1};
    /** Witness script: drop one item, leave true. */
    private static final byte[] DROP_TRUE = {(byte) Opcodes.OP_DROP, (byte) Opcodes.OP_1};

    @AutoClose
    private final MempoolFixture f = new MempoolFixture();

    /** Confirms a transaction paying 1 BTC to {@code script} and returns that output. */
    private OutPoint confirmOutput(byte[] script) throws Exception {
        Utxo in = f.coinbase(1);
        Transaction fund = TestWallet.spend(List.of(in), List.of(new TxOut(100_000_000L, script),
                new TxOut(in.output().value() - 100_010_000L, f.key.script(Kind.P2WPKH))));
        f.chain.mine(List.of(fund), 10_000, f.minerScript());
        return new OutPoint(fund.txid(), 0);
    }

    private Transaction spendUnsigned(OutPoint op, byte[] scriptSig, List<byte[]> witness) {
        TxIn in = new TxIn(op, scriptSig, 0xfffffffdL, witness);
        return new Transaction(2, List.of(in), List.of(new TxOut(100_000_000L - 5_000, f.key.script(Kind.P2WPKH))),
                0);
    }

    @Test
    void spendingANonStandardOutput() throws Exception {
        OutPoint op = confirmOutput(OP_TRUE);
        assertEquals("bad-txns-nonstandard-inputs", f.reject(spendUnsigned(op, new byte[0], List.of())).rejectReason());
        f.pool = f.newPool(MempoolOptions.defaults().withRequireStandard(false));
        f.accept(spendUnsigned(op, new byte[0], List.of()));
    }

    @Test
    void oversizedP2wshStackItem() throws Exception {
        byte[] p2wsh = org.jbitcoind.chain.script.StandardScripts.witnessProgram(0, Hashes.sha256(DROP_TRUE));
        OutPoint op = confirmOutput(p2wsh);
        ValidationException e = f.reject(spendUnsigned(op, new byte[0], List.of(new byte[81], DROP_TRUE)));
        assertEquals("bad-witness-nonstandard", e.rejectReason());
        // 80 bytes is the standard maximum.
        f.accept(spendUnsigned(op, new byte[0], List.of(new byte[80], DROP_TRUE)));
    }

    @Test
    void taprootAnnexIsNonStandard() throws Exception {
        Utxo in = null;
        for (int h = 1; h <= 20; h++) {
            if (MempoolFixture.KINDS[h % 3] == Kind.P2TR) {
                in = f.coinbase(h);
                break;
            }
        }
        Transaction signed = f.pay(in, 1_000);
        byte[] annex = {0x50, 0x01};
        TxIn withAnnex = signed.inputs().get(0).withWitness(List.of(signed.inputs().get(0).witness().get(0), annex));
        Transaction tx = new Transaction(2, List.of(withAnnex), signed.outputs(), 0);
        assertEquals("bad-witness-nonstandard", f.reject(tx).rejectReason());
    }

    @Test
    void tooManySigops() throws Exception {
        f.pool = f.newPool(MempoolOptions.defaults().withRequireStandard(false));
        Utxo in = f.coinbase(3);
        // 201 OP_CHECKMULTISIG in an output script: 201 * 20 legacy sigops * 4 = 16,080 > 16,000.
        byte[] heavy = new byte[201];
        Arrays.fill(heavy, (byte) Opcodes.OP_CHECKMULTISIG);
        Transaction tx = TestWallet.spend(List.of(in), List.of(new TxOut(1_000, heavy),
                new TxOut(in.output().value() - 50_000, f.key.script(Kind.P2WPKH))));
        ValidationException e = f.reject(tx);
        assertEquals("bad-txns-too-many-sigops", e.rejectReason());
        assertEquals(ValidationException.Result.NOT_STANDARD, e.result());
    }

    @Test
    void bareMultisigWhenNotPermitted() throws Exception {
        byte[] pub = Signer.publicKey(Hashes.sha256(new byte[] {7}));
        byte[] multisig = new byte[3 + 34];
        multisig[0] = (byte) Opcodes.OP_1;
        multisig[1] = 33;
        System.arraycopy(pub, 0, multisig, 2, 33);
        multisig[35] = (byte) Opcodes.OP_1;
        multisig[36] = (byte) Opcodes.OP_CHECKMULTISIG;
        Utxo in = f.coinbase(3);
        Transaction tx = TestWallet.spend(List.of(in), List.of(new TxOut(10_000, multisig),
                new TxOut(in.output().value() - 20_000, f.key.script(Kind.P2WPKH))));
        f.pool = f.newPool(new MempoolOptions(MempoolOptions.MB * 300, java.time.Duration.ofHours(336),
                MempoolOptions.DEFAULT_MIN_RELAY_FEE, MempoolOptions.DEFAULT_INCREMENTAL_RELAY_FEE,
                MempoolOptions.DEFAULT_DUST_RELAY_FEE, MempoolOptions.DEFAULT_MAX_DATACARRIER_BYTES, false, true, true,
                25, 101_000, 25, 101_000, true));
        assertEquals("bare-multisig", f.reject(tx).rejectReason());
        f.pool = f.newPool(MempoolOptions.defaults());
        f.accept(tx);
    }
}
