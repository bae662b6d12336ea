package org.jbitcoind.chain.mining;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.LongSupplier;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.mempool.MiningCandidate;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.pow.Pow;
import org.jbitcoind.chain.script.SigOps;
import org.jbitcoind.chain.validation.Consensus;
import org.jbitcoind.chain.validation.Subsidy;
import org.jbitcoind.chain.validation.TxVerify;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.CompactTarget;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds block templates from the mempool (Core's BlockAssembler with addPackageTxs): packages
 * (a transaction with its not-yet-included ancestors) are taken in order of ancestor feerate,
 * so a high-fee child pulls in its low-fee parent (CPFP); each package must fit the weight and
 * sigop budget left after the coinbase's reservation. The coinbase pays subsidy plus fees with
 * the BIP34 height and the BIP141 witness commitment; the header gets the required bits and time
 * max(median time past + 1, now). Stateless apart from its settings; thread-safe.
 */
public final class BlockAssembler {
    /** Core's MAX_CONSECUTIVE_FAILURES: stop trying once the block is nearly full and this many packages failed in a row. */
    static final int MAX_CONSECUTIVE_FAILURES = 1000;
    private static final int WITNESS_RESERVED_VALUE_SIZE = 32;

    private static final Logger LOG = LoggerFactory.getLogger(BlockAssembler.class);

    private final ChainParams params;
    private final AssemblerOptions opts;
    private final LongSupplier clock;

    public BlockAssembler(ChainParams params, AssemblerOptions opts, LongSupplier clockSeconds) {
        this.params = Objects.requireNonNull(params, "params");
        this.opts = Objects.requireNonNull(opts, "opts");
        this.clock = Objects.requireNonNull(clockSeconds, "clockSeconds");
    }

    public BlockAssembler(ChainParams params) {
        this(params, AssemblerOptions.defaults(), () -> System.currentTimeMillis() / 1000);
    }

    /** A template on {@code tip} with the best packages of {@code candidates} (a mempool snapshot). */
    public BlockTemplate createNewBlock(BlockIndex tip, List<MiningCandidate> candidates, byte[] coinbaseScript) {
        long startNanos = System.nanoTime();
        int height = tip.height() + 1;
        long lockTimeCutoff = tip.medianTimePast();
        List<MiningCandidate> selected = selectPackages(candidates, height, lockTimeCutoff);
        List<Transaction> txs = new ArrayList<>(selected.size());
        long fees = 0;
        for (MiningCandidate c : selected) {
            txs.add(c.tx());
            fees += c.fee();
        }
        BlockTemplate t = assemble(tip, txs, fees, selected, coinbaseScript, new byte[0]);
        if (LOG.isDebugEnabled()) {
            LOG.debug("block template for height {}: {} txs, weight {}, fees {}, {} ms", height, txs.size(), t.weight(),
                    fees, (System.nanoTime() - startNanos) / 1_000_000);
        }
        return t;
    }

    /**
     * A template with exactly {@code txs} in the given order and a coinbase paying only the
     * subsidy (Core's generateblock; the caller validates the block when submitting it).
     */
    public BlockTemplate createWithTransactions(BlockIndex tip, List<Transaction> txs, byte[] coinbaseScript) {
        return assemble(tip, txs, 0, null, coinbaseScript, new byte[0]);
    }

    /** The same template with {@code extraNonce} bytes after the BIP34 height in the coinbase (new merkle root). */
    public BlockTemplate withExtraNonce(BlockIndex tip, BlockTemplate t, byte[] coinbaseScript, byte[] extraNonce) {
        List<Transaction> txs = t.block().transactions().subList(1, t.block().transactions().size());
        return assemble(tip, txs, t.totalFees(), null, coinbaseScript, extraNonce, t);
    }

    private BlockTemplate assemble(BlockIndex tip, List<Transaction> txs, long fees, List<MiningCandidate> selected,
            byte[] coinbaseScript, byte[] extraNonce) {
        return assemble(tip, txs, fees, selected, coinbaseScript, extraNonce, null);
    }

    private BlockTemplate assemble(BlockIndex tip, List<Transaction> txs, long fees, List<MiningCandidate> selected,
            byte[] coinbaseScript, byte[] extraNonce, BlockTemplate previous) {
        int height = tip.height() + 1;
        long coinbaseValue = Subsidy.getBlockSubsidy(height, params) + fees;
        Transaction coinbase = BlockMaker.coinbase(height,
                new BlockMaker.CoinbaseSpec(coinbaseScript, coinbaseValue, extraNonce));
        List<Transaction> all = new ArrayList<>(txs.size() + 1);
        all.add(coinbase);
        all.addAll(txs);
        // BIP141: commit to the witness merkle root; the coinbase's own wtxid counts as zero.
        Hash256 witnessRoot = new Block(placeholderHeader(tip), all).computeWitnessMerkleRoot();
        byte[] commitmentScript = Block.witnessCommitmentScript(
                Block.witnessCommitment(witnessRoot, new byte[WITNESS_RESERVED_VALUE_SIZE]));
        List<TxOut> outs = new ArrayList<>(coinbase.outputs());
        outs.add(new TxOut(0, commitmentScript));
        coinbase = new Transaction(coinbase.version(), coinbase.inputs(), outs, coinbase.lockTime());
        all.set(0, coinbase);

        long minTime = tip.medianTimePast() + 1;
        long time = Math.max(minTime, clock.getAsLong());
        BlockHeader draft = new BlockHeader(BlockMaker.VERSION, tip.hash(), Hash256.ZERO, time, 0, 0);
        long bits = Pow.getNextWorkRequired(tip, draft, params);
        Hash256 merkleRoot = new Block(draft, all).computeMerkleRoot().root();
        Block block = new Block(new BlockHeader(BlockMaker.VERSION, tip.hash(), merkleRoot, time, bits, 0), all);

        List<BlockTemplate.Entry> entries = previous != null ? previous.entries() : entries(txs, selected);
        long sigOps = (long) SigOps.legacySigOpCount(coinbase) * Consensus.WITNESS_SCALE_FACTOR;
        for (BlockTemplate.Entry e : entries) {
            sigOps += e.sigOpCost();
        }
        BigInteger target = CompactTarget.decode(bits).orElse(BigInteger.ZERO);
        return new BlockTemplate(block, height, coinbaseValue, fees, entries, target, minTime, commitmentScript,
                block.weight(), sigOps);
    }

    private static List<BlockTemplate.Entry> entries(List<Transaction> txs, List<MiningCandidate> selected) {
        Map<Hash256, Integer> position = new HashMap<>();
        List<BlockTemplate.Entry> out = new ArrayList<>(txs.size());
        for (int i = 0; i < txs.size(); i++) {
            Transaction tx = txs.get(i);
            Set<Integer> depends = new java.util.TreeSet<>();
            for (var in : tx.inputs()) {
                Integer p = position.get(in.prevout().txid());
                if (p != null) {
                    depends.add(p);
                }
            }
            position.put(tx.txid(), i + 1);
            MiningCandidate c = selected == null ? null : selected.get(i);
            out.add(new BlockTemplate.Entry(tx, c == null ? 0 : c.fee(), c == null ? 0 : c.sigOpCost(), tx.weight(),
                    List.copyOf(depends)));
        }
        return out;
    }

    private static BlockHeader placeholderHeader(BlockIndex tip) {
        return new BlockHeader(BlockMaker.VERSION, tip.hash(), Hash256.ZERO, 0, 0, 0);
    }

    // ---------------------------------------------------------------- package selection

    /** Selection state of one candidate: totals over itself and its ancestors not yet in the block. */
    private static final class Node {
        final MiningCandidate c;
        final List<Node> parents = new ArrayList<>();
        final List<Node> children = new ArrayList<>();
        Set<Node> ancestors; // including itself, all in the pool
        long pkgFee;
        long pkgVsize;
        long pkgWeight;
        long pkgSigOps;
        int version;
        boolean inBlock;
        boolean failed;

        Node(MiningCandidate c) {
            this.c = c;
        }
    }

    private record QueueItem(Node node, int version, long fee, long vsize) {
    }

    /** Higher ancestor feerate first; then the one with fewer ancestors, then by txid for determinism. */
    private static final Comparator<QueueItem> BEST_FIRST = (a, b) -> {
        int c = compareRates(b.fee(), b.vsize(), a.fee(), a.vsize());
        if (c != 0) {
            return c;
        }
        return a.node().c.txid().compareTo(b.node().c.txid());
    };

    private static int compareRates(long fee1, long size1, long fee2, long size2) {
        long hi1 = Math.multiplyHigh(fee1, size2);
        long hi2 = Math.multiplyHigh(fee2, size1);
        int c = Long.compare(hi1, hi2);
        return c != 0 ? c : Long.compareUnsigned(fee1 * size2, fee2 * size1);
    }

    /** Core's addPackageTxs: the chosen transactions in a valid block order (parents first). */
    List<MiningCandidate> selectPackages(List<MiningCandidate> candidates, int height, long lockTimeCutoff) {
        Map<Hash256, Node> nodes = new HashMap<>(candidates.size() * 2);
        for (MiningCandidate c : candidates) {
            nodes.put(c.txid(), new Node(c));
        }
        for (Node n : nodes.values()) {
            for (Hash256 p : n.c.parents()) {
                Node parent = nodes.get(p);
                if (parent != null) {
                    n.parents.add(parent);
                    parent.children.add(n);
                }
            }
        }
        PriorityQueue<QueueItem> queue = new PriorityQueue<>(Math.max(1, nodes.size()), BEST_FIRST);
        for (Node n : nodes.values()) {
            n.ancestors = ancestorsOf(n);
            for (Node a : n.ancestors) {
                n.pkgFee += a.c.modifiedFee();
                n.pkgVsize += a.c.vsize();
                n.pkgWeight += a.c.weight();
                n.pkgSigOps += a.c.sigOpCost();
            }
            queue.add(new QueueItem(n, n.version, n.pkgFee, n.pkgVsize));
        }

        long weightLimit = opts.maxWeight();
        long blockWeight = opts.reservedWeight();
        long blockSigOps = opts.reservedSigOps();
        List<MiningCandidate> chosen = new ArrayList<>();
        int consecutiveFailures = 0;
        while (!queue.isEmpty()) {
            QueueItem item = queue.poll();
            Node n = item.node();
            if (n.inBlock || n.failed || item.version() != n.version) {
                continue; // stale entry: the package changed or was already handled
            }
            if (compareRates(n.pkgFee, n.pkgVsize, opts.minFeeRate().satPerKvB(), 1000) < 0) {
                break; // everything left pays less than -blockmintxfee
            }
            if (blockWeight + n.pkgWeight >= weightLimit || blockSigOps + n.pkgSigOps >= opts.maxSigOpsCost()
                    || !allFinal(n, height, lockTimeCutoff)) {
                n.failed = true;
                consecutiveFailures++;
                if (consecutiveFailures > MAX_CONSECUTIVE_FAILURES && blockWeight > weightLimit - 4000) {
                    break; // nearly full: give up looking for something small enough
                }
                continue;
            }
            consecutiveFailures = 0;
            List<Node> pkg = new ArrayList<>();
            for (Node a : n.ancestors) {
                if (!a.inBlock) {
                    pkg.add(a);
                }
            }
            // Parents before children: an ancestor has fewer ancestors than its descendants.
            pkg.sort(Comparator.comparingInt((Node a) -> a.ancestors.size()).thenComparing(a -> a.c.txid()));
            for (Node a : pkg) {
                a.inBlock = true;
                chosen.add(a.c);
                blockWeight += a.c.weight();
                blockSigOps += a.c.sigOpCost();
            }
            for (Node a : pkg) {
                updateDescendants(a, queue);
            }
        }
        return chosen;
    }

    private static boolean allFinal(Node n, int height, long lockTimeCutoff) {
        for (Node a : n.ancestors) {
            if (!a.inBlock && !TxVerify.isFinalTx(a.c.tx(), height, lockTimeCutoff)) {
                return false;
            }
        }
        return true;
    }

    /** Removes {@code added} from its descendants' package totals (Core's mapModifiedTx) and requeues them. */
    private static void updateDescendants(Node added, PriorityQueue<QueueItem> queue) {
        Set<Node> seen = new HashSet<>();
        List<Node> todo = new ArrayList<>(added.children);
        while (!todo.isEmpty()) {
            Node d = todo.remove(todo.size() - 1);
            if (!seen.add(d)) {
                continue;
            }
            todo.addAll(d.children);
            if (d.inBlock) {
                continue;
            }
            d.pkgFee -= added.c.modifiedFee();
            d.pkgVsize -= added.c.vsize();
            d.pkgWeight -= added.c.weight();
            d.pkgSigOps -= added.c.sigOpCost();
            d.version++;
            if (!d.failed) {
                queue.add(new QueueItem(d, d.version, d.pkgFee, d.pkgVsize));
            }
        }
    }

    private static Set<Node> ancestorsOf(Node n) {
        if (n.parents.isEmpty()) {
            return Set.of(n);
        }
        Set<Node> out = new LinkedHashSet<>();
        List<Node> todo = new ArrayList<>();
        todo.add(n);
        while (!todo.isEmpty()) {
            Node x = todo.remove(todo.size() - 1);
            if (out.add(x)) {
                todo.addAll(x.parents);
            }
        }
        return out;
    }
}
