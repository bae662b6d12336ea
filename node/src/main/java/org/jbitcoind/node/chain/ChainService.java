package org.jbitcoind.node.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.jbitcoind.chain.filterindex.BlockFilterIndex;
import org.jbitcoind.chain.filterindex.FilterRequestHandler;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.state.BlockFileImporter;
import org.jbitcoind.chain.state.ChainstateFailure;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.ChainstateOptions;
import org.jbitcoind.config.Settings;
import org.jbitcoind.node.NodeService;
import org.jbitcoind.node.StartupException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.storage.ChainDbOptions;
import org.jbitcoind.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain state as a node service: opens the chain database in {@code <datadir>/chainstate}
 * (the network's folder), loads the block index and catches the UTXO set up (after a crash this
 * re-connects the blocks that were not flushed), runs the -loadblock imports on a background
 * thread, and at shutdown stops the import and flushes. P2P and RPC services added after it reach
 * the chain through {@link #chainstate()}.
 *
 * <p>With -blockfilterindex it also runs the BIP157/158 filter index ({@link #blockFilterIndex()}),
 * which catches up with the chain on its own thread, and with -peerblockfilters serves it to peers
 * through {@link #filterRequests()}.
 *
 * <p>Settings read: dbcache, prune, txindex, reindex, reindex-chainstate, loadblock, assumevalid,
 * minimumchainwork, par, blockfilterindex, peerblockfilters.
 */
public final class ChainService implements NodeService {
    /** Folder of the chain database inside the network's data directory. */
    public static final String FOLDER = "chainstate";
    private static final Logger LOG = LoggerFactory.getLogger(ChainService.class);

    private final Settings settings;
    private volatile ChainstateManager chain;
    private volatile BlockFilterIndex filterIndex;
    private volatile boolean closing;
    private Thread importer;
    private Consumer<String> fatalError = message -> { };

    /** Called once if the chain state stops on a fatal error (a full disk, a failing database). */
    public ChainService onFatalError(Consumer<String> handler) {
        this.fatalError = handler;
        return this;
    }

    public ChainService(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "chain state";
    }

    /** The running chain state; only between start and close. */
    public ChainstateManager chainstate() {
        ChainstateManager c = chain;
        if (c == null) {
            throw new IllegalStateException("chain state is not running");
        }
        return c;
    }

    /** The block filter index when -blockfilterindex is on; only between start and close. */
    public Optional<BlockFilterIndex> blockFilterIndex() {
        return Optional.ofNullable(filterIndex);
    }

    /**
     * The BIP157 request rules for the P2P layer: answers from the filter index with
     * -peerblockfilters, otherwise treats every request as one for an unsupported filter type.
     */
    public FilterRequestHandler filterRequests() {
        BlockFilterIndex index = settings.getBool("peerblockfilters") ? filterIndex : null;
        return FilterRequestHandler.of(chainstate(), index);
    }

    /** Whether -blockfilterindex asks for the basic filter index ("1" or "basic"; "0" is off). */
    static boolean blockFilterIndexEnabled(Settings settings) {
        String v = settings.getString("blockfilterindex");
        return v.equals("1") || v.equals("basic");
    }

    @Override
    public void start() throws StartupException {
        ChainParams params = ChainParams.of(settings.network());
        long dbCacheMib = settings.getLong("dbcache");
        ChainstateOptions options = options(settings, params);
        // The cache lives on the Java heap: a budget beyond it would end in OutOfMemoryError, not a flush.
        long heapShare = Runtime.getRuntime().maxMemory() / 10 * 7;
        if (options.coinsCacheBytes() > heapShare) {
            LOG.warn("-dbcache={} does not fit the Java heap ({} MiB); the UTXO cache gets {} MiB (raise -Xmx)",
                    dbCacheMib, Runtime.getRuntime().maxMemory() / ChainstateOptions.MIB,
                    heapShare / ChainstateOptions.MIB);
            options = options.withCoinsCacheBytes(heapShare);
        }
        ChainDbOptions dbOptions = ChainDbOptions.defaults()
                .withBlockCacheBytes(ChainstateOptions.rocksDbCacheForDbCache(dbCacheMib))
                .withWriteBufferBytes(ChainstateOptions.writeBufferForDbCache(dbCacheMib));
        // Blocks live in the database, so -reindex has nothing more to rebuild than -reindex-chainstate.
        boolean reindex = settings.getBool("reindex-chainstate") || settings.getBool("reindex");
        Path dir = settings.dataDir().resolve(FOLDER);
        try {
            chain = ChainstateManager.open(dir, options, dbOptions, reindex);
        } catch (StorageException | ChainstateFailure e) {
            throw new StartupException("cannot open the chain state: " + e.getMessage(), e);
        }
        Consumer<String> onFatal = fatalError;
        chain.onFailure(f -> onFatal.accept(f.getMessage()));
        LOG.info("Chain state at height {} ({}), UTXO cache budget {} MiB", chain.activeChain().height(),
                chain.activeChain().tip() == null ? "none" : chain.activeChain().tip().hash(),
                options.coinsCacheBytes() / ChainstateOptions.MIB);
        if (blockFilterIndexEnabled(settings)) {
            try {
                filterIndex = BlockFilterIndex.start(chain);
            } catch (StorageException | ChainstateFailure e) {
                throw new StartupException("cannot open the block filter index: " + e.getMessage(), e);
            }
        }
        List<Path> files = new ArrayList<>();
        for (String f : settings.getList("loadblock")) {
            files.add(Path.of(f).toAbsolutePath());
        }
        if (!files.isEmpty()) {
            importer = new Thread(() -> importAll(files), "loadblk");
            importer.setDaemon(true);
            importer.start();
        }
    }

    /** The chain-state options the settings ask for. */
    static ChainstateOptions options(Settings settings, ChainParams params) {
        long dbCacheMib = settings.getLong("dbcache");
        long prune = settings.getLong("prune");
        ChainstateOptions o = ChainstateOptions.defaults(params)
                .withCoinsCacheBytes(ChainstateOptions.coinsCacheForDbCache(dbCacheMib))
                .withPruneTargetBytes(prune <= ChainstateOptions.PRUNE_MANUAL ? prune : prune * ChainstateOptions.MIB)
                .withTxIndex(settings.getBool("txindex"))
                .withScriptThreads(scriptThreads(settings.getInt("par")))
                .withMaxTipAgeSeconds(settings.getLong("maxtipage"));
        String av = settings.getString("assumevalid");
        if (settings.isSet("assumevalid")) {
            o = o.withAssumeValid(av.isEmpty() || av.equals("0") ? Optional.empty() : Optional.of(Hash256.fromHex(av)));
        }
        String work = settings.getString("minimumchainwork");
        if (settings.isSet("minimumchainwork") && !work.isEmpty()) {
            o = o.withMinimumChainWork(new BigInteger(work, 16));
        }
        return o;
    }

    /** Core's -par: 0 one per core, negative leaves that many cores free; at least one. */
    static int scriptThreads(int par) {
        int cores = Runtime.getRuntime().availableProcessors();
        int n = par > 0 ? par : cores + par;
        return Math.max(1, Math.min(n, 15));
    }

    private void importAll(List<Path> files) {
        ChainstateManager c = chain;
        for (Path f : files) {
            if (closing) {
                return;
            }
            try {
                new BlockFileImporter(c, () -> closing).importFile(f);
            } catch (IOException e) {
                LOG.error("Importing blocks from {} failed: {}", f, e.getMessage());
            } catch (ChainstateFailure e) {
                // The failure itself was logged (ERROR) by the chain state; this is only its consequence.
                LOG.warn("Importing blocks from {} stopped: {}", f, e.getMessage());
                return;
            }
        }
        if (!closing) {
            LOG.info("Block import done: height {}", c.activeChain().height());
        }
    }

    @Override
    public void close() {
        closing = true;
        Thread t = importer;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        BlockFilterIndex index = filterIndex;
        filterIndex = null;
        if (index != null) {
            index.close();
        }
        ChainstateManager c = chain;
        chain = null;
        if (c != null) {
            c.close();
        }
    }
}
