package org.jbitcoind.node.daemon;

import org.jbitcoind.config.Settings;
import org.jbitcoind.node.NodeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs what an operator checks first: version, network, folders, the settings in use and any warnings. */
final class StartupBanner implements NodeService {
    private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);
    private final Settings settings;

    StartupBanner(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "start-up banner";
    }

    @Override
    public void start() {
        log.info("jbitcoind version {}", Daemon.version());
        log.info("Network: {}", settings.network().id());
        log.info("Data directory: {}", settings.dataDir());
        log.info("Settings file: {}", settings.configFile().map(Object::toString).orElse("none"));
        settings.explicitValues().forEach((key, value) -> log.info("Setting: -{}={}", key, value));
        for (String warning : settings.warnings()) {
            log.warn("Warning: {}", warning);
        }
    }

    @Override
    public void close() {
    }
}
