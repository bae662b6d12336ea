package org.jbitcoind.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.jbitcoind.chain.coins.MemoryCoinsView;
import org.jbitcoind.chain.crypto.SignatureCache;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.chain.crypto.Secp256k1Provider;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.mempool.ChainContext;
import org.jbitcoind.chain.mempool.MempoolOptions;
import org.jbitcoind.chain.mempool.MiningCandidate;
import org.jbitcoind.chain.mempool.TxMempool;
import org.jbitcoind.chain.mining.BlockAssembler;
import org.jbitcoind.chain.mining.BlockTemplate;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.PrecomputedTransactionData;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.script.SignatureHash;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.chain.script.Taproot;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.Coin;

import fr.acinq.secp256k1.Secp256k1;

/**
 * Mempool acceptance throughput for pre-signed transactions of mixed types (P2WPKH, P2PKH and
 * P2TR key-path spends, one in ten with two inputs), accepted by as many threads as there are
 * cores into one pool, against the raw libsecp256k1 verification of exactly the same signatures
 * on the same threads, in the same run; then the time to assemble a block from the full pool.
 * A plain main class (not JMH) because both measurements share one process and one signature set.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.jbitcoind.bench.MempoolAcceptBench [transactions, default 50000] [rounds, default 3]</pre>
 */
public final class MempoolAcceptBench {
    private static final ChainParams PARAMS = ChainParams.of(Network.REGTEST);
    static final long COIN_VALUE = 1_000_000;

    /** A pre-signed transaction and the signature checks it needs. */
    record Signed(Transaction tx, List<byte[][]> ecdsa, List<byte[][]> schnorr) {
    }

    private MempoolAcceptBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = Runtime.getRuntime().availableProcessors();

        BlockIndex tip = fakeChain(200);
        MemoryCoinsView coins = new MemoryCoinsView();
        long t0 = System.nanoTime();
        List<Signed> txs = presign(count, (j, coin) -> {
            OutPoint op = new OutPoint(Hash256.wrap(Hashes.sha256(new ByteWriter(4).writeI32LE(j).toByteArray())), 0);
            coins.put(op, new Coin(coin, 1, false));
            return op;
        });
        System.out.printf("pre-signed %d transactions in %.1f s%n", txs.size(), (System.nanoTime() - t0) / 1e9);
        List<byte[][]> ecdsa = ecdsaChecks(txs);
        List<byte[][]> schnorr = schnorrChecks(txs);
        ChainContext ctx = new ChainContext(coins, tip, PARAMS);
        Secp256k1 lib = Secp256k1.Companion.get();

        double acceptSeconds = Double.MAX_VALUE;
        double rawSeconds = Double.MAX_VALUE;
        TxMempool full = null;
        for (int round = 0; round <= rounds; round++) {
            TxMempool pool = new TxMempool(MempoolOptions.defaults(),
                    new ScriptVerifier(new SignatureCache(SignatureCache.DEFAULT_MAX_ENTRIES), true),
                    () -> tip.time() + 600);
            long a0 = System.nanoTime();
            parallel(threads, txs.size(), i -> pool.accept(txs.get(i).tx(), ctx));
            double ta = (System.nanoTime() - a0) / 1e9;
            if (pool.size() != txs.size()) {
                throw new IllegalStateException("only " + pool.size() + " of " + txs.size() + " accepted");
            }
            double tr = rawVerifySeconds(lib, threads, ecdsa, schnorr);
            if (round > 0) { // round 0 warms up
                acceptSeconds = Math.min(acceptSeconds, ta);
                rawSeconds = Math.min(rawSeconds, tr);
            }
            full = pool;
        }
        System.out.printf("mempool acceptance, %d threads: %8.0f tx/s (%d in %.2f s)%n", threads,
                txs.size() / acceptSeconds, txs.size(), acceptSeconds);
        System.out.printf("raw libsecp256k1, %d threads  : %8.0f tx/s (%d ECDSA + %d BIP340 in %.2f s)%n", threads,
                txs.size() / rawSeconds, ecdsa.size(), schnorr.size(), rawSeconds);
        System.out.printf("acceptance time / raw signature time = %.2f (target <= 2)%n", acceptSeconds / rawSeconds);

        BlockAssembler assembler = new BlockAssembler(PARAMS);
        byte[] payTo = StandardScripts.witnessProgram(0, new byte[20]);
        double best = Double.MAX_VALUE;
        double bestSnapshot = Double.MAX_VALUE;
        BlockTemplate t = null;
        for (int round = 0; round <= rounds; round++) {
            long b0 = System.nanoTime();
            List<MiningCandidate> candidates = full.miningCandidates();
            long b1 = System.nanoTime();
            t = assembler.createNewBlock(tip, candidates, payTo);
            double tb = (System.nanoTime() - b0) / 1e9;
            if (round > 0) {
                best = Math.min(best, tb);
                bestSnapshot = Math.min(bestSnapshot, (b1 - b0) / 1e9);
            }
        }
        System.out.printf("block assembly from %d mempool txs (%.1f MB vsize): %.1f ms (snapshot %.1f ms), %d txs,"
                + " weight %d, fees %d%n", full.size(), full.totalVsize() / 1e6, best * 1e3, bestSnapshot * 1e3,
                t.entries().size(), t.weight(), t.totalFees());
    }

    /** One pass of bare libsecp256k1 verification of every signature, on {@code threads} threads. */
    static double rawVerifySeconds(Secp256k1 lib, int threads, List<byte[][]> ecdsa, List<byte[][]> schnorr)
            throws Exception {
        long r0 = System.nanoTime();
        parallel(threads, ecdsa.size() + schnorr.size(), i -> {
            boolean ok = i < ecdsa.size() ? lib.verify(ecdsa.get(i)[0], ecdsa.get(i)[1], ecdsa.get(i)[2])
                    : verifySchnorr(lib, schnorr.get(i - ecdsa.size()));
            if (!ok) {
                throw new IllegalStateException("raw verification failed");
            }
        });
        return (System.nanoTime() - r0) / 1e9;
    }

    static List<byte[][]> ecdsaChecks(List<Signed> txs) {
        List<byte[][]> out = new ArrayList<>();
        txs.forEach(s -> out.addAll(s.ecdsa()));
        return out;
    }

    static List<byte[][]> schnorrChecks(List<Signed> txs) {
        List<byte[][]> out = new ArrayList<>();
        txs.forEach(s -> out.addAll(s.schnorr()));
        return out;
    }

    private static boolean verifySchnorr(Secp256k1 lib, byte[][] s) {
        return lib.verifySchnorr(s[0], s[1], s[2]);
    }

    private interface IndexTask {
        void run(int i) throws Exception;
    }

    private static void parallel(int threads, int n, IndexTask task) throws Exception {
        ExecutorService exec = Executors.newFixedThreadPool(threads);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(exec.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        task.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            exec.shutdownNow();
        }
    }

    /** Headers on the regtest genesis, ten minutes apart (only the index is needed, not blocks). */
    private static BlockIndex fakeChain(int height) {
        BlockIndex idx = new BlockIndex(PARAMS.genesisBlock().header(), null);
        long time = PARAMS.genesisBlock().header().time();
        for (int h = 1; h <= height; h++) {
            time += 600;
            idx = new BlockIndex(new BlockHeader(0x20000000, idx.hash(), Hash256.ZERO, time, PARAMS.powLimitBits(), h),
                    idx);
        }
        return idx;
    }

    /** Where the coin spent by the {@code j}-th input of the set (counting across transactions) lives. */
    interface Funding {
        OutPoint outpoint(int j, TxOut coin);
    }

    private static int inputs(int i) {
        return i % 10 == 9 ? 2 : 1;
    }

    private static byte[] key(int i, int k) {
        return Hashes.sha256(new ByteWriter(8).writeI32LE(i).writeI32LE(k).toByteArray());
    }

    /** The coins the {@code count} transactions spend, in input order (what {@link Funding} numbers). */
    static List<TxOut> fundingOutputs(int count) {
        List<TxOut> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < inputs(i); k++) {
                out.add(new TxOut(COIN_VALUE, script(i % 3, key(i, k))));
            }
        }
        return out;
    }

    /** The signed transactions spending the coins of {@link #fundingOutputs}, placed by {@code funding}. */
    static List<Signed> presign(int count, Funding funding) {
        List<Signed> out = new ArrayList<>(count);
        int j = 0;
        for (int i = 0; i < count; i++) {
            int kind = i % 3;
            int inputs = inputs(i);
            byte[][] keys = new byte[inputs][];
            List<TxOut> spent = new ArrayList<>();
            List<TxIn> ins = new ArrayList<>();
            for (int k = 0; k < inputs; k++) {
                keys[k] = key(i, k);
                TxOut coin = new TxOut(COIN_VALUE, script(kind, keys[k]));
                spent.add(coin);
                ins.add(new TxIn(funding.outpoint(j++, coin), new byte[0], 0xfffffffdL));
            }
            long fee = 300L * (1 + i % 50); // ~2-150 sat/vB
            long total = COIN_VALUE * inputs - fee;
            List<TxOut> outs = List.of(new TxOut(total / 2, script(kind, keys[0])),
                    new TxOut(total - total / 2, script((kind + 1) % 3, keys[0])));
            out.add(sign(new Transaction(2, ins, outs, 0), spent, keys, kind));
        }
        return out;
    }

    /** Signs every input of {@code unsigned} as a P2WPKH spend of {@code key} (SIGHASH_ALL). */
    static Transaction signP2wpkh(Transaction unsigned, List<TxOut> spent, byte[] key) {
        byte[][] keys = new byte[unsigned.inputs().size()][];
        java.util.Arrays.fill(keys, key);
        return sign(unsigned, spent, keys, 0).tx();
    }

    private static byte[] script(int kind, byte[] secret) {
        byte[] pub = Signer.publicKey(secret);
        return switch (kind) {
            case 0 -> StandardScripts.witnessProgram(0, Hashes.hash160(pub));
            case 1 -> StandardScripts.payToPubkeyHash(Hashes.hash160(pub));
            default -> StandardScripts.witnessProgram(1, Signer.xOnlyPublicKey(tweaked(secret)));
        };
    }

    private static byte[] tweaked(byte[] secret) {
        return Signer.tweakSecretKey(secret, Taproot.tweakHash(Signer.xOnlyPublicKey(secret), null));
    }

    private static Signed sign(Transaction unsigned, List<TxOut> spent, byte[][] keys, int kind) {
        PrecomputedTransactionData data = new PrecomputedTransactionData(unsigned, spent);
        List<TxIn> signed = new ArrayList<>();
        List<byte[][]> ecdsa = new ArrayList<>();
        List<byte[][]> schnorr = new ArrayList<>();
        for (int i = 0; i < unsigned.inputs().size(); i++) {
            TxIn in = unsigned.inputs().get(i);
            byte[] pub = Signer.publicKey(keys[i]);
            switch (kind) {
                case 0 -> {
                    byte[] hash = SignatureHash.witnessV0(data, i, StandardScripts.payToPubkeyHash(Hashes.hash160(pub)),
                            spent.get(i).value(), 1);
                    byte[] compact = Secp256k1Provider.get().signEcdsa(keys[i], hash);
                    ecdsa.add(new byte[][] {compact, hash, pub});
                    signed.add(in.withWitness(List.of(withAll(Signer.compactToDer(compact)), pub)));
                }
                case 1 -> {
                    byte[] hash = SignatureHash.legacy(unsigned, i, spent.get(i).scriptPubKey(), 1);
                    byte[] compact = Secp256k1Provider.get().signEcdsa(keys[i], hash);
                    ecdsa.add(new byte[][] {compact, hash, pub});
                    byte[] sig = withAll(Signer.compactToDer(compact));
                    ByteWriter w = new ByteWriter(110);
                    w.writeU8(sig.length).writeBytes(sig).writeU8(pub.length).writeBytes(pub);
                    signed.add(in.withScriptSig(w.toByteArray()));
                }
                default -> {
                    byte[] hash = SignatureHash.taprootKeyPath(data, i, 0);
                    byte[] secret = tweaked(keys[i]);
                    byte[] sig = Signer.signSchnorr(secret, hash, new byte[32]);
                    schnorr.add(new byte[][] {sig, hash, Signer.xOnlyPublicKey(secret)});
                    signed.add(in.withWitness(List.of(sig)));
                }
            }
        }
        return new Signed(new Transaction(2, signed, unsigned.outputs(), 0), ecdsa, schnorr);
    }

    private static byte[] withAll(byte[] der) {
        byte[] out = java.util.Arrays.copyOf(der, der.length + 1);
        out[der.length] = 1;
        return out;
    }
}
