package org.jbitcoind.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.jbitcoind.chain.crypto.ForwardingSecp256k1;
import org.jbitcoind.chain.crypto.NativeSecp256k1;
import org.jbitcoind.chain.crypto.Secp256k1Backend;
import org.jbitcoind.chain.crypto.SignatureVerifier;
import org.jbitcoind.chain.script.PrecomputedTransactionData;
import org.jbitcoind.chain.script.ScriptError;
import org.jbitcoind.chain.script.ScriptFlags;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;

import fr.acinq.secp256k1.Secp256k1;

/**
 * Validates every script of mainnet block 866,342 (7,972 inputs, 2,373 of them taproot) and
 * prints inputs/s on one thread and on all cores; in the same run, raw libsecp256k1 ECDSA and
 * BIP340 verifications/s over exactly the signatures the block contains, so the interpreter's
 * overhead over bare signature checking can be read off directly. A plain main class (not JMH)
 * because the two measurements must share one process and one set of signatures.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.jbitcoind.bench.ScriptValidationBench [rounds]</pre>
 */
public final class ScriptValidationBench {
    private static final int FLAGS = ScriptFlags.P2SH | ScriptFlags.DERSIG | ScriptFlags.CHECKLOCKTIMEVERIFY
            | ScriptFlags.CHECKSEQUENCEVERIFY | ScriptFlags.WITNESS | ScriptFlags.NULLDUMMY | ScriptFlags.TAPROOT;

    private record Input(PrecomputedTransactionData tx, int index) {
    }

    private ScriptValidationBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int cores = Runtime.getRuntime().availableProcessors();
        List<Input> inputs = load();

        Recorder recorder = new Recorder(new NativeSecp256k1());
        ScriptVerifier recording = new ScriptVerifier(new SignatureVerifier(recorder, null), false);
        for (Input in : inputs) {
            check(recording.verify(in.tx(), in.index(), FLAGS), in);
        }
        System.out.printf("block 866342: %d inputs, %d ECDSA checks (%d valid), %d Schnorr checks%n", inputs.size(),
                recorder.ecdsa.size(), recorder.ecdsaValid, recorder.schnorr.size());

        java.util.Set<String> distinctKeys = new java.util.HashSet<>();
        recorder.ecdsa.forEach(c -> distinctKeys.add(Hex.encode(c[2])));
        System.out.printf("distinct ECDSA public keys: %d%n", distinctKeys.size());
        ScriptVerifier verifier = new ScriptVerifier();
        Secp256k1 lib = Secp256k1.Companion.get();
        List<byte[][]> ecdsaUncompressed = new ArrayList<>();
        for (byte[][] s : recorder.ecdsa) {
            ecdsaUncompressed.add(new byte[][] {s[0], s[1], parseOrSame(lib, s[2])});
        }
        Task ecdsaRaw = () -> rawEcdsa(lib, recorder.ecdsa, recorder.ecdsaValid);
        Task ecdsaRawParsed = () -> rawEcdsa(lib, ecdsaUncompressed, recorder.ecdsaValid);
        Task schnorrRaw = () -> {
            for (byte[][] s : recorder.schnorr) {
                if (!lib.verifySchnorr(s[0], s[1], s[2])) {
                    throw new IllegalStateException("raw Schnorr verify failed");
                }
            }
        };
        // Interleaved rounds, so that load from other processes hits every measurement alike.
        double oneThread = Double.MAX_VALUE;
        double allCores = Double.MAX_VALUE;
        double ecdsaSeconds = Double.MAX_VALUE;
        double ecdsaParsedSeconds = Double.MAX_VALUE;
        double schnorrSeconds = Double.MAX_VALUE;
        for (int round = 0; round <= rounds; round++) {
            double t1 = time(() -> validate(inputs, verifier, 1));
            double tn = time(() -> validate(inputs, verifier, cores));
            double te = time(ecdsaRaw);
            double tp = time(ecdsaRawParsed);
            double ts = time(schnorrRaw);
            if (round > 0) { // round 0 warms up
                oneThread = Math.min(oneThread, t1);
                allCores = Math.min(allCores, tn);
                ecdsaSeconds = Math.min(ecdsaSeconds, te);
                ecdsaParsedSeconds = Math.min(ecdsaParsedSeconds, tp);
                schnorrSeconds = Math.min(schnorrSeconds, ts);
            }
        }
        double rawSeconds = ecdsaSeconds + schnorrSeconds;
        System.out.printf("script validation, 1 thread : %8.0f inputs/s (%.1f ms per block)%n",
                inputs.size() / oneThread, oneThread * 1e3);
        System.out.printf("script validation, %d threads: %8.0f inputs/s (%.1f ms per block)%n", cores,
                inputs.size() / allCores, allCores * 1e3);
        System.out.printf("raw libsecp256k1 ECDSA      : %8.0f verifications/s (%d in %.1f ms)%n",
                recorder.ecdsa.size() / ecdsaSeconds, recorder.ecdsa.size(), ecdsaSeconds * 1e3);
        System.out.printf("raw ECDSA, uncompressed keys: %8.0f verifications/s (no point decompression)%n",
                recorder.ecdsa.size() / ecdsaParsedSeconds);
        System.out.printf("raw libsecp256k1 BIP340     : %8.0f verifications/s (%d in %.1f ms)%n",
                recorder.schnorr.size() / schnorrSeconds, recorder.schnorr.size(), schnorrSeconds * 1e3);
        System.out.printf("1-thread validation time / raw signature time = %.2f%n", oneThread / rawSeconds);
    }

    private static void validate(List<Input> inputs, ScriptVerifier verifier, int threads) throws Exception {
        if (threads == 1) {
            for (Input in : inputs) {
                check(verifier.verify(in.tx(), in.index(), FLAGS), in);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < inputs.size(); i = next.getAndIncrement()) {
                        Input in = inputs.get(i);
                        check(verifier.verify(in.tx(), in.index(), FLAGS), in);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void check(ScriptError e, Input in) {
        if (e != ScriptError.OK) {
            throw new IllegalStateException(in.tx().tx() + " input " + in.index() + ": " + e);
        }
    }

    private static void rawEcdsa(Secp256k1 lib, List<byte[][]> checks, int expectedValid) {
        // Multisig tries keys that do not match, so some checks fail here as they did in validation.
        int ok = 0;
        for (byte[][] s : checks) {
            ok += lib.verify(s[0], s[1], s[2]) ? 1 : 0;
        }
        if (ok != expectedValid) {
            throw new IllegalStateException("raw ECDSA results differ from validation");
        }
    }

    private static byte[] parseOrSame(Secp256k1 lib, byte[] key) {
        try {
            return lib.pubkeyParse(key);
        } catch (RuntimeException e) {
            return key;
        }
    }

    private static double time(Task task) throws Exception {
        long t0 = System.nanoTime();
        task.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private interface Task {
        void run() throws Exception;
    }

    private static List<Input> load() throws IOException, DecodeException {
        Block block = Block.deserialize(unzstd(BenchData.read("data/floresta/block_866342/raw.zst")));
        JsonNode utxos = new ObjectMapper().readTree(unzstd(BenchData.read("data/floresta/block_866342/spent_utxos.zst")));
        List<Input> inputs = new ArrayList<>();
        int k = 0;
        for (Transaction tx : block.transactions()) {
            if (tx.isCoinbase()) {
                continue;
            }
            List<TxOut> spent = new ArrayList<>();
            for (int i = 0; i < tx.inputs().size(); i++) {
                JsonNode o = utxos.get(k++).get("txout");
                spent.add(new TxOut(o.get("value").asLong(), Hex.decode(o.get("script_pubkey").asText())));
            }
            PrecomputedTransactionData data = new PrecomputedTransactionData(tx, spent);
            for (int i = 0; i < tx.inputs().size(); i++) {
                inputs.add(new Input(data, i));
            }
        }
        return inputs;
    }

    private static byte[] unzstd(byte[] compressed) throws IOException {
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    /** Passes through to libsecp256k1 and keeps every signature check's inputs for the raw measurement. */
    private static final class Recorder extends ForwardingSecp256k1 {
        final List<byte[][]> ecdsa = new ArrayList<>();
        final List<byte[][]> schnorr = new ArrayList<>();
        int ecdsaValid;

        Recorder(Secp256k1Backend inner) {
            super(inner);
        }

        @Override
        public String name() {
            return "recording " + delegate().name();
        }

        @Override
        public boolean verifyEcdsa(byte[] compactSig, byte[] msg32, byte[] pubKey) {
            ecdsa.add(new byte[][] {compactSig, msg32, pubKey});
            boolean ok = delegate().verifyEcdsa(compactSig, msg32, pubKey);
            ecdsaValid += ok ? 1 : 0;
            return ok;
        }

        @Override
        public boolean verifySchnorr(byte[] sig64, byte[] msg, byte[] xOnlyPubKey) {
            schnorr.add(new byte[][] {sig64, msg, xOnlyPubKey});
            return delegate().verifySchnorr(sig64, msg, xOnlyPubKey);
        }
    }
}
