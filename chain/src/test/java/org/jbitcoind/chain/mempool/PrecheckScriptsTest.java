package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.jbitcoind.chain.crypto.Secp256k1Backend;
import org.jbitcoind.chain.crypto.Secp256k1Provider;
import org.jbitcoind.chain.crypto.SignatureCache;
import org.jbitcoind.chain.crypto.SignatureVerifier;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.testing.MempoolFixture;
import org.jbitcoind.chain.testing.TestWallet;
import org.jbitcoind.chain.testing.TestWallet.Kind;
import org.jbitcoind.chain.testing.TestWallet.Utxo;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.primitives.Transaction;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TxMempool#precheckScripts} fills the signature cache so that the acceptance that follows
 * verifies no signature again; it never throws and skips what it cannot check.
 */
class PrecheckScriptsTest {
    private final CountingBackend backend = new CountingBackend(Secp256k1Provider.get());
    @AutoClose
    private final MempoolFixture f = new MempoolFixture();

    @BeforeEach
    void setUp() {
        f.pool = new TxMempool(MempoolOptions.defaults(),
                new ScriptVerifier(new SignatureVerifier(backend, new SignatureCache(10_000)), true), f.clock::get);
    }

    @Test
    void acceptAfterPrecheckVerifiesNoSignatureForEveryOutputKind() throws ValidationException {
        // Coinbases of heights 1..3 pay to P2PKH, P2TR and P2WPKH (MempoolFixture.KINDS by height).
        for (int height = 1; height <= 3; height++) {
            Transaction tx = f.pay(f.coinbase(height), 1_000);
            backend.calls.set(0);
            assertTrue(f.pool.precheckScripts(tx, f.chain.context()), "height " + height);
            assertEquals(1, backend.calls.get(), "one signature checked by the precheck, height " + height);
            backend.calls.set(0);
            f.accept(tx);
            assertEquals(0, backend.calls.get(), "acceptance hit the cache, height " + height);
            assertTrue(f.pool.contains(tx.txid()));
        }
    }

    @Test
    void outputsOfPoolParentsArePrechecked() throws ValidationException {
        Transaction parent = f.split(f.coinbase(4), 2, Kind.P2TR, 2_000);
        f.accept(parent);
        Transaction child = f.pay(f.out(parent, 1), 1_000);
        assertTrue(f.pool.precheckScripts(child, f.chain.context()));
        backend.calls.set(0);
        f.accept(child);
        assertEquals(0, backend.calls.get());
    }

    @Test
    void withoutPrecheckAcceptVerifiesTheSignature() throws ValidationException {
        // The control for the tests above: the counter does see acceptance's own verification.
        Transaction tx = f.pay(f.coinbase(5), 1_000);
        backend.calls.set(0);
        f.accept(tx);
        assertEquals(1, backend.calls.get());
    }

    @Test
    void anInvalidSignatureIsReportedByAcceptNotByThePrecheck() {
        Utxo coin = f.coinbase(6);
        Utxo wrongKey = new Utxo(coin.outpoint(), coin.output(), TestWallet.key(7));
        Transaction bad = f.pay(wrongKey, 1_000);
        assertFalse(f.pool.precheckScripts(bad, f.chain.context()));
        ValidationException e = assertThrows(ValidationException.class, () -> f.accept(bad));
        assertTrue(e.rejectReason().startsWith("mandatory-script-verify-flag-failed"), e.rejectReason());
        assertFalse(f.pool.contains(bad.txid()));
    }

    @Test
    void missingInputsAreSkippedWithoutVerifying() {
        Transaction parent = f.split(f.coinbase(7), 2, Kind.P2WPKH, 2_000);
        Transaction orphan = f.pay(f.out(parent, 0), 1_000);
        backend.calls.set(0);
        assertFalse(f.pool.precheckScripts(orphan, f.chain.context()));
        assertEquals(0, backend.calls.get());
        assertEquals(0, f.pool.size());
    }

    @Test
    void aTransactionAlreadyInThePoolIsSkipped() throws ValidationException {
        Transaction tx = f.pay(f.coinbase(8), 1_000);
        f.accept(tx);
        backend.calls.set(0);
        assertFalse(f.pool.precheckScripts(tx, f.chain.context()));
        assertEquals(0, backend.calls.get());
    }

    /** Counts signature verifications that reach the curve library. */
    private static final class CountingBackend implements Secp256k1Backend {
        final AtomicInteger calls = new AtomicInteger();
        private final Secp256k1Backend real;

        CountingBackend(Secp256k1Backend real) {
            this.real = real;
        }

        @Override
        public String name() {
            return "counting " + real.name();
        }

        @Override
        public boolean verifyEcdsa(byte[] compactSig, byte[] msg32, byte[] pubKey) {
            calls.incrementAndGet();
            return real.verifyEcdsa(compactSig, msg32, pubKey);
        }

        @Override
        public boolean verifySchnorr(byte[] sig64, byte[] msg, byte[] xOnlyPubKey) {
            calls.incrementAndGet();
            return real.verifySchnorr(sig64, msg, xOnlyPubKey);
        }

        @Override
        public byte[] tweakXOnly(byte[] internalKey32, byte[] tweak32) {
            return real.tweakXOnly(internalKey32, tweak32);
        }

        @Override
        public boolean isValidPubKey(byte[] pubKey) {
            return real.isValidPubKey(pubKey);
        }

        @Override
        public byte[] pubKeyCreate(byte[] secKey32) {
            return real.pubKeyCreate(secKey32);
        }

        @Override
        public byte[] signEcdsa(byte[] secKey32, byte[] msg32) {
            return real.signEcdsa(secKey32, msg32);
        }

        @Override
        public byte[] signSchnorr(byte[] secKey32, byte[] msg, byte[] auxRand32) {
            return real.signSchnorr(secKey32, msg, auxRand32);
        }
    }
}
