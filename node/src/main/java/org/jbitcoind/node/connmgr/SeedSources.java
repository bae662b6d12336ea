package org.jbitcoind.node.connmgr;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.config.Network;
import org.jbitcoind.node.net.InetAddresses;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.net.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a node with an empty address manager finds its first peers: the network's DNS seeds, then
 * the fixed seed list compiled into the jar (Core's {@code nodes_*.txt}, copied into
 * {@code org/jbitcoind/node/seeds/} by the build).
 */
public final class SeedSources {
    private static final Logger LOG = LoggerFactory.getLogger(SeedSources.class);
    private static final String RESOURCE_DIR = "/org/jbitcoind/node/seeds/";

    /** Resolves a host name to addresses; the JDK resolver in production, a fake in tests. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    public static final Resolver SYSTEM_RESOLVER = host -> List.of(InetAddress.getAllByName(host));

    private SeedSources() {
    }

    /**
     * Queries every DNS seed of the network (blocking; run on a background thread). Addresses
     * get the network's default port and the services a seed implies (network + witness).
     */
    public static List<PeerAddress> queryDnsSeeds(Network network, Resolver resolver) {
        List<PeerAddress> out = new ArrayList<>();
        long now = Instant.now().getEpochSecond();
        for (String seed : network.dnsSeeds()) {
            try {
                List<InetAddress> found = resolver.resolve(seed);
                for (InetAddress a : found) {
                    out.add(new PeerAddress(now, ProtocolVersions.NODE_NETWORK | ProtocolVersions.NODE_WITNESS,
                            InetAddresses.fromInet(a), network.defaultPort()));
                }
                LOG.info("DNS seed {} returned {} addresses", seed, found.size());
            } catch (UnknownHostException | RuntimeException e) {
                LOG.info("DNS seed {} gave no answer: {}", seed, e.getMessage());
            }
        }
        return out;
    }

    /** The compiled-in fixed seeds for the network; empty (with a WARN) when the resource is absent. */
    public static List<PeerAddress> fixedSeeds(Network network) {
        Optional<String> name = resourceName(network);
        if (name.isEmpty()) {
            return List.of();
        }
        try (InputStream in = SeedSources.class.getResourceAsStream(RESOURCE_DIR + name.get())) {
            if (in == null) {
                LOG.warn("fixed seed list {} is not in this build; continuing without fixed seeds", name.get());
                return List.of();
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), network.defaultPort());
        } catch (IOException e) {
            LOG.warn("could not read fixed seed list {}: {}", name.get(), e.getMessage());
            return List.of();
        }
    }

    static Optional<String> resourceName(Network network) {
        switch (network) {
            case MAIN: return Optional.of("nodes_main.txt");
            case TESTNET3: return Optional.of("nodes_test.txt");
            case TESTNET4: return Optional.of("nodes_testnet4.txt");
            case SIGNET: return Optional.of("nodes_signet.txt");
            default: return Optional.empty();
        }
    }

    /**
     * Parses Core's seed list format: one {@code host:port} per line, {@code #} comments. Seeds
     * get a time a week in the past so that any address learned from the network ranks above them.
     */
    static List<PeerAddress> parse(String text, int defaultPort) {
        long time = Instant.now().getEpochSecond() - 7 * 86400;
        List<PeerAddress> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String s = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            if (s.isBlank()) {
                continue;
            }
            try {
                PeerAddress p = PeerAddress.parse(s.strip(), defaultPort);
                out.add(new PeerAddress(time, ProtocolVersions.NODE_NETWORK | ProtocolVersions.NODE_WITNESS,
                        p.address(), p.port()));
            } catch (IllegalArgumentException e) {
                LOG.warn("skipping bad fixed seed line '{}': {}", s.strip(), e.getMessage());
            }
        }
        return out;
    }
}
