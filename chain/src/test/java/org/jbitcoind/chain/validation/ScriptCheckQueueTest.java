package org.jbitcoind.chain.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jbitcoind.chain.crypto.Secp256k1Backend;
import org.jbitcoind.chain.crypto.SignatureVerifier;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.chain.script.Script;

import org.jbitcoind.chain.script.PrecomputedTransactionData;
import org.jbitcoind.chain.script.ScriptError;
import org.jbitcoind.chain.script.ScriptFlags;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;

class ScriptCheckQueueTest {
    private static final byte[] OP_TRUE = {0x51};
    private static final byte[] OP_FALSE = {0x00};

    /** A transaction of {@code inputs} inputs spending OP_TRUE outputs, except input {@code bad} (if >= 0). */
    private static List<ScriptCheck> checks(int inputs, int bad, int salt) {
        List<TxIn> ins = new ArrayList<>();
        List<TxOut> spent = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            ins.add(new TxIn(new OutPoint(Hash256.wrap(Hashes.sha256(new byte[] {(byte) salt, (byte) i})), i),
                    new byte[0], 0xffffffffL));
            spent.add(new TxOut(1, i == bad ? OP_FALSE : OP_TRUE));
        }
        Transaction tx = new Transaction(2, ins, List.of(new TxOut(0, OP_TRUE)), 0);
        PrecomputedTransactionData data = new PrecomputedTransactionData(tx, spent);
        List<ScriptCheck> out = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            out.add(new ScriptCheck(data, i, ScriptFlags.P2SH));
        }
        return out;
    }

    @Test
    void allPassingChecksReportNoFailureAndPoolIsReused() {
        try (ScriptCheckQueue queue = new ScriptCheckQueue(new ScriptVerifier(), 3)) {
            assertEquals(3, queue.threads());
            for (int round = 0; round < 5; round++) {
                ScriptCheckQueue.Control control = queue.begin();
                for (int t = 0; t < 20; t++) {
                    control.add(checks(50, -1, t));
                }
                assertEquals(1000, control.added());
                assertEquals(Optional.empty(), control.complete());
            }
        }
    }

    @Test
    void failingInputIsReportedWithItsScriptError() {
        try (ScriptCheckQueue queue = new ScriptCheckQueue(new ScriptVerifier(), 2)) {
            ScriptCheckQueue.Control control = queue.begin();
            control.add(checks(300, -1, 1));
            List<ScriptCheck> bad = checks(10, 7, 2);
            control.add(bad);
            control.add(checks(300, -1, 3));
            Optional<ScriptCheckFailure> failure = control.complete();
            assertTrue(failure.isPresent());
            assertEquals(7, failure.get().inputIndex());
            assertEquals(bad.get(0).txData().tx().txid(), failure.get().txid());
            assertEquals(ScriptError.EVAL_FALSE, failure.get().error());
            assertEquals("mandatory-script-verify-flag-failed (Script evaluated without error but finished with a "
                    + "false/empty top stack element)", failure.get().rejectReason());
            // The next block's checks start clean.
            ScriptCheckQueue.Control next = queue.begin();
            next.add(checks(5, -1, 4));
            assertEquals(Optional.empty(), next.complete());
        }
    }

    @Test
    void cancelledChecksDoNotReportFailure() {
        try (ScriptCheckQueue queue = new ScriptCheckQueue(new ScriptVerifier(), 1)) {
            ScriptCheckQueue.Control control = queue.begin();
            control.add(checks(10, 3, 5)); // stays in the unsent batch
            control.cancel();
            assertEquals(Optional.empty(), control.complete());
        }
    }

    /**
     * A backend that accepts every ECDSA signature and records which threads verified. With
     * {@code holdWorkers} the completing thread and the workers each wait for the other's first
     * check, so a passing run proves the connecting thread takes part instead of only waiting.
     */
    private static final class RecordingBackend implements Secp256k1Backend {
        final AtomicInteger calls = new AtomicInteger();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final CountDownLatch callerVerified = new CountDownLatch(1);
        final CountDownLatch workerVerified = new CountDownLatch(1);
        final Thread caller = Thread.currentThread();
        final boolean holdWorkers;

        RecordingBackend(boolean holdWorkers) {
            this.holdWorkers = holdWorkers;
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public boolean verifyEcdsa(byte[] compactSig, byte[] msg32, byte[] pubKey) {
            calls.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            boolean onCaller = Thread.currentThread() == caller;
            (onCaller ? callerVerified : workerVerified).countDown();
            if (holdWorkers) {
                // Each side waits for the other's first check, so both provably take part.
                CountDownLatch other = onCaller ? workerVerified : callerVerified;
                try {
                    if (!other.await(30, TimeUnit.SECONDS)) {
                        throw new AssertionError("the other thread never checked");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return true;
        }

        @Override
        public boolean verifySchnorr(byte[] sig64, byte[] msg, byte[] xOnlyPubKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] tweakXOnly(byte[] internalKey32, byte[] tweak32) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isValidPubKey(byte[] pubKey) {
            return true;
        }

        @Override
        public byte[] pubKeyCreate(byte[] secKey32) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] signEcdsa(byte[] secKey32, byte[] msg32) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] signSchnorr(byte[] secKey32, byte[] msg, byte[] auxRand32) {
            throw new UnsupportedOperationException();
        }
    }

    private static final byte[] SECRET = Hashes.sha256(new byte[] {7});
    private static final byte[] SIG = concat(Signer.signEcdsaDer(SECRET, Hashes.sha256(new byte[] {8})), new byte[] {1});
    private static final byte[] PUBKEY = Signer.publicKey(SECRET);

    /** Inputs spending {@code <key> OP_CHECKSIG} (one signature check each), but input {@code bad} spends OP_FALSE. */
    private static List<ScriptCheck> sigChecks(int inputs, int bad) {
        List<TxIn> ins = new ArrayList<>();
        List<TxOut> spent = new ArrayList<>();
        byte[] p2pk = concat(Script.pushOf(PUBKEY), new byte[] {(byte) 0xac});
        for (int i = 0; i < inputs; i++) {
            ins.add(new TxIn(new OutPoint(Hash256.wrap(Hashes.sha256(new byte[] {9, (byte) i})), i),
                    i == bad ? new byte[0] : Script.pushOf(SIG), 0xffffffffL));
            spent.add(new TxOut(1, i == bad ? OP_FALSE : p2pk));
        }
        Transaction tx = new Transaction(2, ins, List.of(new TxOut(0, OP_TRUE)), 0);
        PrecomputedTransactionData data = new PrecomputedTransactionData(tx, spent);
        List<ScriptCheck> out = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            out.add(new ScriptCheck(data, i, ScriptFlags.P2SH));
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void oneThreadRunsEveryCheckOnTheCompletingThread() {
        RecordingBackend backend = new RecordingBackend(false);
        try (ScriptCheckQueue queue = new ScriptCheckQueue(
                new ScriptVerifier(new SignatureVerifier(backend, null), false), 1)) {
            ScriptCheckQueue.Control control = queue.begin();
            control.add(sigChecks(100, -1));
            assertEquals(0, backend.calls.get(), "nothing runs before complete() without workers");
            assertEquals(Optional.empty(), control.complete());
            assertEquals(100, backend.calls.get());
            assertEquals(Set.of(Thread.currentThread().getName()), backend.threads);
        }
    }

    @Test
    void completingThreadChecksAlongsideWorkersAndFindsALateFailure() {
        RecordingBackend backend = new RecordingBackend(true);
        try (ScriptCheckQueue queue = new ScriptCheckQueue(
                new ScriptVerifier(new SignatureVerifier(backend, null), false), 2)) {
            ScriptCheckQueue.Control control = queue.begin();
            int inputs = 40 * ScriptCheckQueue.BATCH_SIZE;
            List<ScriptCheck> checks = sigChecks(inputs, inputs - 1); // the very last input fails
            control.add(checks);
            Optional<ScriptCheckFailure> failure = control.complete();
            assertTrue(failure.isPresent(), "the last input's failure must not be lost");
            assertEquals(inputs - 1, failure.get().inputIndex());
            assertEquals(checks.get(0).txData().tx().txid(), failure.get().txid());
            assertEquals(ScriptError.EVAL_FALSE, failure.get().error());
            // Once the failure is found the threads stop, so a chunk a worker holds may be left part-way.
            assertTrue(backend.calls.get() <= inputs - 1, "no input checked twice: " + backend.calls.get());
            assertTrue(backend.threads.contains(Thread.currentThread().getName()), "threads: " + backend.threads);
            assertTrue(backend.threads.stream().anyMatch(n -> n.startsWith("script-check-")), "threads: " + backend.threads);
        }
    }

    @Test
    void checksAfterAFailureAreSkipped() {
        RecordingBackend backend = new RecordingBackend(false);
        try (ScriptCheckQueue queue = new ScriptCheckQueue(
                new ScriptVerifier(new SignatureVerifier(backend, null), false), 1)) {
            ScriptCheckQueue.Control control = queue.begin();
            control.add(sigChecks(1000, 5));
            Optional<ScriptCheckFailure> failure = control.complete();
            assertEquals(5, failure.orElseThrow().inputIndex());
            // In order on one thread: the five before it ran, none of the 994 after it.
            assertEquals(5, backend.calls.get());
        }
    }

    @Test
    void cancelledBlockLeavesNoWorkBehindForTheNext() {
        RecordingBackend backend = new RecordingBackend(false);
        try (ScriptCheckQueue queue = new ScriptCheckQueue(
                new ScriptVerifier(new SignatureVerifier(backend, null), false), 2)) {
            ScriptCheckQueue.Control first = queue.begin();
            first.add(sigChecks(500, -1));
            first.cancel();
            assertFalse(first.complete().isPresent());
            int before = backend.calls.get();
            assertTrue(before <= 500, "calls: " + before);
            ScriptCheckQueue.Control next = queue.begin();
            next.add(sigChecks(50, 49));
            assertEquals(49, next.complete().orElseThrow().inputIndex());
        }
    }
}
