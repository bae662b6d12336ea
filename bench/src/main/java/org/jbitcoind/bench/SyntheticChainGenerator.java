package org.jbitcoind.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.jbitcoind.chain.crypto.Secp256k1Provider;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.chain.mining.BlockMaker;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.PrecomputedTransactionData;
import org.jbitcoind.chain.script.Script;
import org.jbitcoind.chain.script.SignatureHash;
import org.jbitcoind.chain.script.Taproot;
import org.jbitcoind.chain.validation.Subsidy;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * Writes a synthetic regtest chain in Bitcoin Core's blk*.dat format, for the import benchmark
 * and for feeding Bitcoin Core the same blocks (docs/benchmarks.md). Every transaction is really
 * signed and spends outputs of earlier blocks of five kinds, chosen at random: P2PKH, P2WPKH,
 * P2SH 2-of-3 multisig, P2TR key path and P2TR script path (a one-leaf tree with a
 * {@code <key> OP_CHECKSIG} leaf). The same seed gives byte-identical files.
 *
 * <p>Shape: 100 blocks of coinbases to mature, then ten fan-out blocks that each split a
 * coinbase into 1,000 outputs, then the remaining blocks with equal shares of the requested
 * transactions; 90% of them spend one output into one, 10% two into two.
 *
 * <p>An optional list of kinds limits the outputs to those kinds (e.g. {@code p2wpkh,p2pkh} for the
 * shape of Bitcoin Core's reference import: 402 blocks, 200,000 transactions); without it all five
 * are used and the bytes are those of earlier versions for the same seed.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.jbitcoind.bench.SyntheticChainGenerator OUT [blocks] [txs] [seed] [kinds]</pre>
 */
public final class SyntheticChainGenerator {
    /** The kinds of output the chain creates and spends. */
    public enum Kind { P2PKH, P2WPKH, P2SH_MULTISIG, P2TR_KEY, P2TR_SCRIPT }

    static final int MATURITY = 100;
    static final int FANOUT_BLOCKS = 10;
    static final int FANOUT_OUTPUTS = 1000;
    private static final int KEYS = 512;
    private static final long FEE_PER_INPUT = 300;
    private static final long START_TIME = 1_700_000_000L;
    private static final int SIGHASH_ALL = 1;
    private static final int SIGHASH_DEFAULT = 0;
    private static final byte[] NO_AUX = new byte[32];

    /** What was written. */
    public record Summary(int blocks, long transactions, long inputs, Map<Kind, Long> inputsByKind, long bytes) {
    }

    private record Coin(OutPoint outPoint, long value, Kind kind, int key) {
        TxOut output(Keys keys) {
            return new TxOut(value, keys.scriptPubKey(kind, key));
        }
    }

    private final ChainParams params = ChainParams.of(Network.REGTEST);
    private final Keys keys;
    private final Random random;
    private final List<Kind> outputKinds;

    /** A generator paying to all five kinds. */
    public SyntheticChainGenerator(long seed) {
        this(seed, List.of(Kind.values()));
    }

    /** A generator paying only to {@code kinds} (in this order for the random choice). */
    public SyntheticChainGenerator(long seed, List<Kind> kinds) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("need at least one kind");
        }
        this.random = new Random(seed);
        this.keys = new Keys(seed);
        this.outputKinds = List.copyOf(kinds);
    }

    /** Parses a comma-separated list of kind names, case-insensitive ({@code p2wpkh,p2pkh}). */
    public static List<Kind> parseKinds(String list) {
        List<Kind> out = new ArrayList<>();
        for (String name : list.split(",")) {
            Kind k = Kind.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
            if (!out.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: SyntheticChainGenerator OUT [blocks=2000] [transactions=200000] [seed=1]"
                    + " [kinds=p2pkh,p2wpkh,p2sh_multisig,p2tr_key,p2tr_script]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        long txs = args.length > 2 ? Long.parseLong(args[2]) : 200_000;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        List<Kind> kinds = args.length > 4 ? parseKinds(args[4]) : List.of(Kind.values());
        long t0 = System.nanoTime();
        Summary s = new SyntheticChainGenerator(seed, kinds).write(out, blocks, txs);
        System.out.printf("%s: %d blocks, %d transactions, %d inputs %s, %.1f MB in %.1f s%n", out, s.blocks(),
                s.transactions(), s.inputs(), s.inputsByKind(), s.bytes() / 1e6, (System.nanoTime() - t0) / 1e9);
    }

    /** Writes {@code blocks} blocks after genesis with about {@code transactions} non-coinbase transactions. */
    public Summary write(Path file, int blocks, long transactions) throws IOException {
        int spendBlocks = blocks - MATURITY - FANOUT_BLOCKS;
        if (spendBlocks < 1) {
            throw new IllegalArgumentException("need more than " + (MATURITY + FANOUT_BLOCKS) + " blocks");
        }
        long perBlock = Math.max(1, (transactions - FANOUT_BLOCKS + spendBlocks - 1) / spendBlocks);
        List<Coin> pool = new ArrayList<>();
        List<Transaction> coinbases = new ArrayList<>();
        Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
        long txCount = 0;
        long inputCount = 0;
        long bytes = 0;
        Hash256 prev = params.genesisHash();
        byte[] magic = params.network().magicBytes();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (int height = 1; height <= blocks; height++) {
                List<Transaction> txs = new ArrayList<>();
                List<Coin> created = new ArrayList<>();
                long fees = 0;
                if (height > MATURITY + FANOUT_BLOCKS) {
                    for (long i = 0; i < perBlock && pool.size() >= 2; i++) {
                        int nIn = random.nextInt(10) == 0 ? 2 : 1;
                        List<Coin> spent = new ArrayList<>(nIn);
                        for (int k = 0; k < nIn; k++) {
                            spent.add(take(pool));
                        }
                        Transaction tx = spendTx(spent, nIn, created);
                        fees += FEE_PER_INPUT * nIn;
                        for (Coin c : spent) {
                            byKind.merge(c.kind(), 1L, Long::sum);
                        }
                        inputCount += nIn;
                        txs.add(tx);
                    }
                } else if (height > MATURITY) {
                    Transaction cb = coinbases.get(height - MATURITY - 1);
                    Coin source = new Coin(new OutPoint(cb.txid(), 0), cb.outputs().get(0).value(), Kind.P2WPKH,
                            keyOfCoinbase(height - MATURITY));
                    txs.add(spendTx(List.of(source), FANOUT_OUTPUTS, created));
                    fees += FEE_PER_INPUT;
                    byKind.merge(Kind.P2WPKH, 1L, Long::sum);
                    inputCount++;
                }
                long value = Subsidy.getBlockSubsidy(height, params) + fees;
                int cbKey = keyOfCoinbase(height);
                Block block = BlockMaker.mine(params, prev, height, START_TIME + height, params.powLimitBits(),
                        new BlockMaker.CoinbaseSpec(keys.scriptPubKey(Kind.P2WPKH, cbKey), value, null), txs, true);
                Transaction cb = block.transactions().get(0);
                coinbases.add(cb);
                if (height > MATURITY + FANOUT_BLOCKS) {
                    // Coinbases beyond the fan-out ones join the pool once mature (checked by height below).
                    pendingCoinbases.add(new Coin(new OutPoint(cb.txid(), 0), value, Kind.P2WPKH, cbKey));
                }
                releaseMatureCoinbases(pool, height);
                pool.addAll(created);
                txCount += txs.size();
                byte[] raw = block.serialize();
                out.write(magic);
                out.write(new ByteWriter(4).writeI32LE(raw.length).toByteArray());
                out.write(raw);
                bytes += 8 + raw.length;
                prev = block.hash();
            }
        }
        return new Summary(blocks, txCount, inputCount, byKind, bytes);
    }

    private final List<Coin> pendingCoinbases = new ArrayList<>();

    /** A coinbase created at height h may be spent in block h + 100, so it is in the pool after block h + 99. */
    private void releaseMatureCoinbases(List<Coin> pool, int height) {
        int firstPending = MATURITY + FANOUT_BLOCKS + 1;
        int index = height - (MATURITY - 1) - firstPending;
        if (index >= 0 && index < pendingCoinbases.size()) {
            pool.add(pendingCoinbases.get(index));
        }
    }

    private static int keyOfCoinbase(int height) {
        return height % KEYS;
    }

    private Coin take(List<Coin> pool) {
        int i = random.nextInt(pool.size());
        Coin c = pool.get(i);
        Coin last = pool.remove(pool.size() - 1);
        if (i < pool.size()) {
            pool.set(i, last);
        }
        return c;
    }

    /** A signed transaction spending {@code spent} into {@code nOut} outputs of random kinds, added to {@code created}. */
    private Transaction spendTx(List<Coin> spent, int nOut, List<Coin> created) {
        long total = 0;
        for (Coin c : spent) {
            total += c.value();
        }
        long available = total - FEE_PER_INPUT * spent.size();
        List<TxOut> outs = new ArrayList<>(nOut);
        List<Kind> kinds = new ArrayList<>(nOut);
        List<Integer> outKeys = new ArrayList<>(nOut);
        for (int i = 0; i < nOut; i++) {
            long v = i == 0 ? available - (available / nOut) * (nOut - 1) : available / nOut;
            Kind kind = outputKinds.get(random.nextInt(outputKinds.size()));
            int key = random.nextInt(KEYS);
            outs.add(new TxOut(v, keys.scriptPubKey(kind, key)));
            kinds.add(kind);
            outKeys.add(key);
        }
        List<TxIn> unsignedIns = new ArrayList<>(spent.size());
        List<TxOut> spentOutputs = new ArrayList<>(spent.size());
        for (Coin c : spent) {
            unsignedIns.add(new TxIn(c.outPoint(), new byte[0], TxIn.SEQUENCE_FINAL - 1));
            spentOutputs.add(c.output(keys));
        }
        Transaction unsigned = new Transaction(2, unsignedIns, outs, 0);
        PrecomputedTransactionData data = new PrecomputedTransactionData(unsigned, spentOutputs);
        List<TxIn> signed = new ArrayList<>(spent.size());
        for (int i = 0; i < spent.size(); i++) {
            signed.add(keys.sign(unsigned, data, i, spent.get(i)));
        }
        Transaction tx = new Transaction(2, signed, outs, 0);
        Hash256 txid = tx.txid();
        for (int i = 0; i < nOut; i++) {
            created.add(new Coin(new OutPoint(txid, i), outs.get(i).value(), kinds.get(i), outKeys.get(i)));
        }
        return tx;
    }

    /** Deterministic keys and, per key, every script the generator pays to. */
    private static final class Keys {
        private final byte[][] secret = new byte[KEYS][];
        private final byte[][] pub = new byte[KEYS][];
        private final byte[][] xonly = new byte[KEYS][];
        private final byte[][] scriptPubKey = new byte[Kind.values().length * KEYS][];
        private final byte[][] redeem = new byte[KEYS][];
        private final byte[][] keyPathSecret = new byte[KEYS][];
        private final byte[][] leafScript = new byte[KEYS][];
        private final byte[][] leafHash = new byte[KEYS][];
        private final byte[][] control = new byte[KEYS][];

        Keys(long seed) {
            for (int k = 0; k < KEYS; k++) {
                byte[] s = Hashes.sha256(new ByteWriter(16).writeI64LE(seed).writeI32LE(k).toByteArray());
                secret[k] = s;
                pub[k] = Signer.publicKey(s);
                xonly[k] = Signer.xOnlyPublicKey(s);
            }
            for (int k = 0; k < KEYS; k++) {
                byte[] h160 = Hashes.hash160(pub[k]);
                put(Kind.P2PKH, k, p2pkh(h160));
                put(Kind.P2WPKH, k, concat(new byte[] {0x00, 0x14}, h160));
                redeem[k] = multisig(pub[k], pub[(k + 1) % KEYS], pub[(k + 2) % KEYS]);
                put(Kind.P2SH_MULTISIG, k, concat(new byte[] {(byte) 0xa9, 0x14}, Hashes.hash160(redeem[k]),
                        new byte[] {(byte) 0x87}));
                // Key path only: the internal key tweaked with an empty script tree (BIP341).
                byte[] tweak = Taproot.tweakHash(xonly[k], null);
                byte[] q = Secp256k1Provider.get().tweakXOnly(xonly[k], tweak);
                put(Kind.P2TR_KEY, k, p2tr(q));
                keyPathSecret[k] = Signer.tweakSecretKey(secret[k], tweak);
                // Script path: one leaf "<next key> OP_CHECKSIG" under this key.
                leafScript[k] = concat(new byte[] {0x20}, xonly[(k + 1) % KEYS], new byte[] {(byte) 0xac});
                leafHash[k] = Taproot.leafHash(Taproot.LEAF_TAPSCRIPT, leafScript[k]);
                byte[] q2 = Secp256k1Provider.get().tweakXOnly(xonly[k], Taproot.tweakHash(xonly[k], leafHash[k]));
                put(Kind.P2TR_SCRIPT, k, p2tr(q2));
                control[k] = concat(new byte[] {(byte) (Taproot.LEAF_TAPSCRIPT | q2[0])}, xonly[k]);
            }
        }

        byte[] scriptPubKey(Kind kind, int key) {
            return scriptPubKey[kind.ordinal() * KEYS + key];
        }

        private void put(Kind kind, int key, byte[] script) {
            scriptPubKey[kind.ordinal() * KEYS + key] = script;
        }

        TxIn sign(Transaction tx, PrecomputedTransactionData data, int n, Coin coin) {
            TxIn in = tx.inputs().get(n);
            int k = coin.key();
            return switch (coin.kind()) {
                case P2PKH -> {
                    byte[] sig = ecdsa(secret[k], SignatureHash.legacy(tx, n, scriptPubKey(Kind.P2PKH, k), SIGHASH_ALL));
                    yield in.withScriptSig(concat(push(sig), push(pub[k])));
                }
                case P2WPKH -> {
                    byte[] code = p2pkh(Hashes.hash160(pub[k]));
                    byte[] sig = ecdsa(secret[k], SignatureHash.witnessV0(data, n, code, coin.value(), SIGHASH_ALL));
                    yield in.withWitness(List.of(sig, pub[k]));
                }
                case P2SH_MULTISIG -> {
                    byte[] digest = SignatureHash.legacy(tx, n, redeem[k], SIGHASH_ALL);
                    byte[] s1 = ecdsa(secret[k], digest);
                    byte[] s2 = ecdsa(secret[(k + 1) % KEYS], digest);
                    yield in.withScriptSig(concat(new byte[] {0x00}, push(s1), push(s2), push(redeem[k])));
                }
                case P2TR_KEY -> {
                    byte[] digest = SignatureHash.taprootKeyPath(data, n, SIGHASH_DEFAULT);
                    yield in.withWitness(List.of(Signer.signSchnorr(keyPathSecret[k], digest, NO_AUX)));
                }
                case P2TR_SCRIPT -> {
                    byte[] digest = SignatureHash.taprootScriptPath(data, n, SIGHASH_DEFAULT, leafHash[k]);
                    byte[] sig = Signer.signSchnorr(secret[(k + 1) % KEYS], digest, NO_AUX);
                    yield in.withWitness(List.of(sig, leafScript[k], control[k]));
                }
            };
        }

        private static byte[] ecdsa(byte[] secret, byte[] digest) {
            return concat(Signer.signEcdsaDer(secret, digest), new byte[] {SIGHASH_ALL});
        }

        private static byte[] p2pkh(byte[] h160) {
            return concat(new byte[] {0x76, (byte) 0xa9, 0x14}, h160, new byte[] {(byte) 0x88, (byte) 0xac});
        }

        private static byte[] p2tr(byte[] tweaked33) {
            byte[] s = new byte[34];
            s[0] = 0x51;
            s[1] = 0x20;
            System.arraycopy(tweaked33, 1, s, 2, 32);
            return s;
        }

        private static byte[] multisig(byte[] a, byte[] b, byte[] c) {
            return concat(new byte[] {0x52}, push(a), push(b), push(c), new byte[] {0x53, (byte) 0xae});
        }

        /** A data push (Core's CScript << vector). */
        private static byte[] push(byte[] data) {
            return Script.pushOf(data);
        }

        private static byte[] concat(byte[]... parts) {
            int n = 0;
            for (byte[] p : parts) {
                n += p.length;
            }
            byte[] out = new byte[n];
            int off = 0;
            for (byte[] p : parts) {
                System.arraycopy(p, 0, out, off, p.length);
                off += p.length;
            }
            return out;
        }
    }
}
