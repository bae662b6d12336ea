package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.jbitcoind.chain.crypto.Secp256k1Provider;
import org.jbitcoind.chain.crypto.SignatureCache;
import org.jbitcoind.chain.crypto.SignatureVerifier;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.testing.CountingSecp256k1;
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
    private final AtomicInteger calls = new AtomicInteger();
    private final CountingSecp256k1 backend = new CountingSecp256k1(Secp256k1Provider.get(), calls);
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
            calls.set(0);
            assertTrue(f.pool.precheckScripts(tx, f.chain.context()), "height " + height);
            assertEquals(1, calls.get(), "one signature checked by the precheck, height " + height);
            calls.set(0);
            f.accept(tx);
            assertEquals(0, calls.get(), "acceptance hit the cache, height " + height);
            assertTrue(f.pool.contains(tx.txid()));
        }
    }

    @Test
    void outputsOfPoolParentsArePrechecked() throws ValidationException {
        Transaction parent = f.split(f.coinbase(4), 2, Kind.P2TR, 2_000);
        f.accept(parent);
        Transaction child = f.pay(f.out(parent, 1), 1_000);
        assertTrue(f.pool.precheckScripts(child, f.chain.context()));
        calls.set(0);
        f.accept(child);
        assertEquals(0, calls.get());
    }

    @Test
    void withoutPrecheckAcceptVerifiesTheSignature() throws ValidationException {
        // The control for the tests above: the counter does see acceptance's own verification.
        Transaction tx = f.pay(f.coinbase(5), 1_000);
        calls.set(0);
        f.accept(tx);
        assertEquals(1, calls.get());
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
        calls.set(0);
        assertFalse(f.pool.precheckScripts(orphan, f.chain.context()));
        assertEquals(0, calls.get());
        assertEquals(0, f.pool.size());
    }

    @Test
    void aTransactionAlreadyInThePoolIsSkipped() throws ValidationException {
        Transaction tx = f.pay(f.coinbase(8), 1_000);
        f.accept(tx);
        calls.set(0);
        assertFalse(f.pool.precheckScripts(tx, f.chain.context()));
        assertEquals(0, calls.get());
    }
}
