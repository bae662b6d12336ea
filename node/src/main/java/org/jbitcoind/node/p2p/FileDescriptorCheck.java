package org.jbitcoind.node.p2p;

import java.util.OptionalLong;

import org.jbitcoind.config.Settings;
import org.jbitcoind.node.NodeService;
import org.jbitcoind.node.StartupException;
import org.jbitcoind.storage.ChainDbOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits -maxconnections to the open-files limit before anything opens files (docs/operations.md
 * "Open files"): lowers it with one WARN line, or stops start-up when not even the outbound
 * connections fit. {@link P2pService} then uses {@link #maxConnections()}. Where the platform
 * reports no limit, -maxconnections is used as configured.
 */
public final class FileDescriptorCheck implements NodeService {
    private static final Logger LOG = LoggerFactory.getLogger(FileDescriptorCheck.class);

    private final Settings settings;
    private final OptionalLong limit;
    private volatile int maxConnections;

    /** @param limit the process's open-files limit ({@link OpenFilesLimit#current()}), empty when unknown */
    public FileDescriptorCheck(Settings settings, OptionalLong limit) {
        this.settings = settings;
        this.limit = limit;
        this.maxConnections = settings.getInt("maxconnections");
    }

    @Override
    public String name() {
        return "open-files check";
    }

    @Override
    public void start() throws StartupException {
        int requested = settings.getInt("maxconnections");
        if (limit.isEmpty()) {
            LOG.debug("No open-files limit reported; -maxconnections={} as configured", requested);
            return;
        }
        int listening = settings.getBool("listen") ? settings.getList("bind").size() : 0;
        FileDescriptorBudget budget;
        try {
            // The chain service keeps the database's default table cache (ChainDbOptions.DEFAULT_MAX_OPEN_FILES).
            budget = FileDescriptorBudget.plan(limit.getAsLong(), requested,
                    ChainDbOptions.defaults().fileDescriptors(), listening);
        } catch (FileDescriptorBudget.NotEnoughFileDescriptors e) {
            throw new StartupException(e.getMessage(), e);
        }
        if (budget.lowered()) {
            LOG.warn(budget.warning());
        } else {
            LOG.debug("Open-files limit {}: {} reserved, -maxconnections={} fits", budget.limit(), budget.reserved(),
                    requested);
        }
        maxConnections = budget.effective();
    }

    /** The connection limit the node uses: -maxconnections, lowered to fit the limit; valid after {@link #start()}. */
    public int maxConnections() {
        return maxConnections;
    }

    @Override
    public void close() {
        // nothing held
    }
}
