package org.jbitcoind.node.mempool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jbitcoind.chain.coins.CoinsView;
import org.jbitcoind.chain.crypto.SignatureCache;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.mempool.AcceptResult;
import org.jbitcoind.chain.mempool.ChainContext;
import org.jbitcoind.chain.mempool.FeeRate;
import org.jbitcoind.chain.mempool.MempoolOptions;
import org.jbitcoind.chain.mempool.MempoolPersist;
import org.jbitcoind.chain.mempool.MempoolUpdater;
import org.jbitcoind.chain.mempool.OrphanPool;
import org.jbitcoind.chain.mempool.TxMempool;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.state.ChainListener;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.config.Settings;
import org.jbitcoind.node.NodeService;
import org.jbitcoind.node.StartupException;
import org.jbitcoind.node.rpc.methods.MempoolView;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.storage.Coin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mempool as a node service: a {@link TxMempool} kept in step with the active chain (a chain
 * listener feeding {@link MempoolUpdater}), loaded from and saved to {@code mempool.dat}
 * (-persistmempool). Added after the chain service. RPC reads it through {@link #view()} and
 * submits with {@link #accept}; P2P relay can use {@link #pool()}.
 *
 * <p>Settings read: maxmempool, mempoolexpiry, minrelaytxfee, persistmempool, datacarrier,
 * datacarriersize.
 */
public final class MempoolService implements NodeService {
    private static final Logger LOG = LoggerFactory.getLogger(MempoolService.class);
    /** Core's MEMPOOL_HEIGHT: the height gettxout reports for outputs of pooled transactions. */
    public static final int MEMPOOL_HEIGHT = 0x7fffffff;

    private final Settings settings;
    private final Supplier<ChainstateManager> chain;
    private volatile TxMempool pool;
    private final Object dumpLock = new Object();
    private MempoolUpdater updater;
    private volatile OrphanPool orphans;
    private ChainListener listener;
    private final CoinsView tipCoins = new CoinsView() {
        @Override
        public Optional<Coin> getCoin(OutPoint outpoint) {
            return chain.get().getCoin(outpoint);
        }

        @Override
        public Hash256 bestBlock() {
            return chain.get().activeChain().tip().hash();
        }

        /** One call on the chain thread for all of a transaction's inputs, with the tip they belong to. */
        @Override
        public Read readCoins(List<OutPoint> outpoints) {
            return chain.get().getCoins(outpoints);
        }
    };

    public MempoolService(Settings settings, Supplier<ChainstateManager> chain) {
        this.settings = settings;
        this.chain = chain;
    }

    @Override
    public String name() {
        return "mempool";
    }

    /** The mempool options the settings ask for. */
    static MempoolOptions options(Settings settings) {
        MempoolOptions o = MempoolOptions.defaults()
                .withMaxMempoolBytes(settings.getLong("maxmempool") * MempoolOptions.MB)
                .withExpiry(Duration.ofHours(settings.getLong("mempoolexpiry")))
                .withMinRelayFee(new FeeRate(settings.getAmount("minrelaytxfee")));
        if (!settings.getBool("datacarrier")) {
            o = o.withDatacarrier(-1);
        } else {
            o = o.withDatacarrier(settings.getInt("datacarriersize"));
        }
        return o;
    }

    @Override
    public void start() throws StartupException {
        ChainstateManager c = chain.get();
        // The chain's script execution cache: blocks skip the scripts of transactions accepted here.
        ScriptVerifier verifier = new ScriptVerifier(new SignatureCache(SignatureCache.DEFAULT_MAX_ENTRIES), true);
        TxMempool p = new TxMempool(options(settings), verifier, () -> System.currentTimeMillis() / 1000,
                c.scriptExecutionCache());
        OrphanPool o = new OrphanPool();
        updater = new MempoolUpdater(p, o);
        orphans = o;
        listener = new ChainListener() {
            @Override
            public void blockConnected(Block block, BlockIndex index) {
                updater.blockConnected(block);
            }

            @Override
            public void blockDisconnected(Block block, BlockIndex index) {
                updater.blockDisconnected(block);
            }

            @Override
            public void newTip(BlockIndex tip, BlockIndex fork, boolean initialDownload) {
                updater.newTip(new ChainContext(tipCoins, tip, c.params()));
            }
        };
        c.addListener(listener);
        pool = p;
        if (settings.getBool("persistmempool")) {
            Path file = settings.dataDir().resolve(MempoolPersist.FILE_NAME);
            if (Files.exists(file)) {
                try {
                    MempoolPersist.LoadResult r = MempoolPersist.load(p, file, context());
                    LOG.info("Imported mempool transactions from {}: {} succeeded, {} failed, {} expired, {} already "
                            + "there", file, r.accepted(), r.failed(), r.expired(), r.alreadyThere());
                } catch (IOException | RuntimeException e) {
                    // A damaged file never stops start-up: the pool is only a cache of relayed transactions.
                    LOG.warn("Could not load {}: {}; starting with an empty mempool", file, e.toString());
                }
            }
        }
    }

    /** The running pool; only between start and close. */
    public TxMempool pool() {
        TxMempool p = pool;
        if (p == null) {
            throw new IllegalStateException("mempool is not running");
        }
        return p;
    }

    /** Transactions from peers waiting for their parents (kept in step with blocks here, fed by relay). */
    public OrphanPool orphans() {
        OrphanPool o = orphans;
        if (o == null) {
            throw new IllegalStateException("mempool is not running");
        }
        return o;
    }

    /** The chain's tip as mempool acceptance sees it now. */
    public ChainContext context() {
        ChainstateManager c = chain.get();
        return new ChainContext(tipCoins, c.activeChain().tip(), c.params());
    }

    /**
     * Core's AcceptToMemoryPool for a transaction from RPC. It stays "unbroadcast" until a peer
     * asks for it; relay announces it to every peer as it enters the pool.
     */
    public AcceptResult accept(Transaction tx) throws ValidationException {
        TxMempool p = pool();
        AcceptResult r = p.accept(tx, context());
        p.addUnbroadcast(r.txid());
        return r;
    }

    /** testmempoolaccept: every check, nothing added. */
    public AcceptResult testAccept(Transaction tx) throws ValidationException {
        return pool().testAccept(tx, context());
    }

    /** The pool as the RPC methods read it; before start and after close it is {@link MempoolView#NONE}'s answers. */
    public MempoolView view() {
        return new MempoolView() {
            @Override
            public boolean available() {
                return pool != null;
            }

            @Override
            public Optional<Transaction> get(Hash256 txid) {
                TxMempool p = pool;
                return p == null ? Optional.empty() : p.get(txid);
            }

            @Override
            public boolean isSpent(OutPoint outpoint) {
                TxMempool p = pool;
                return p != null && p.isSpent(outpoint);
            }

            @Override
            public Optional<Coin> output(OutPoint outpoint) {
                TxMempool p = pool;
                return p == null ? Optional.empty()
                        : p.unspentOutput(outpoint).map(out -> new Coin(out, MEMPOOL_HEIGHT, false));
            }

            @Override
            public int size() {
                TxMempool p = pool;
                return p == null ? 0 : p.size();
            }
        };
    }

    @Override
    public void close() {
        TxMempool p = pool;
        pool = null;
        if (p == null) {
            return;
        }
        try {
            chain.get().removeListener(listener);
        } catch (IllegalStateException e) {
            // the chain state is already closed
        }
        if (settings.getBool("persistmempool")) {
            Path file = mempoolFile();
            try {
                dump(p, file);
                LOG.info("Dumped mempool: {} transactions to {}", p.size(), file);
            } catch (IOException e) {
                LOG.error("Failed to dump mempool to {}: {}", file, e.getMessage());
            }
        }
    }

    /** Where the pool is saved: {@code mempool.dat} in the network's data folder. */
    public Path mempoolFile() {
        return settings.dataDir().resolve(MempoolPersist.FILE_NAME);
    }

    /**
     * Writes the running pool to {@link #mempoolFile()} now (RPC savemempool), whatever
     * -persistmempool says, as Core does. Returns the file written.
     */
    public Path save() throws IOException {
        Path file = mempoolFile();
        dump(pool(), file);
        return file;
    }

    /** One dump at a time: savemempool and the shutdown dump share the temporary file. */
    private void dump(TxMempool p, Path file) throws IOException {
        synchronized (dumpLock) {
            MempoolPersist.dump(p, file);
        }
    }
}
