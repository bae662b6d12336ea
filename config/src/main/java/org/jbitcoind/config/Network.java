package org.jbitcoind.config;

import java.util.List;
import java.util.Optional;

/**
 * The five Bitcoin networks, with the constants a node needs before it knows anything else:
 * message-start bytes, default ports, DNS seeds and data sub-folder. Values follow Bitcoin Core
 * (checked against its getchainparams vectors).
 */
public enum Network {
    MAIN("main", 0xf9beb4d9, 8333, 8332, "", "bc",
            List.of("dnsseed.bluematt.me", "seed.bitcoin.jonasschnelli.ch", "seed.btc.petertodd.net",
                    "seed.bitcoin.sprovoost.nl", "dnsseed.emzy.de", "seed.bitcoin.wiz.biz",
                    "seed.mainnet.achownodes.xyz")),
    TESTNET3("test", 0x0b110907, 18333, 18332, "testnet3", "tb",
            List.of("testnet-seed.bitcoin.jonasschnelli.ch", "seed.tbtc.petertodd.net",
                    "testnet-seed.bluematt.me", "seed.testnet.achownodes.xyz")),
    TESTNET4("testnet4", 0x1c163f28, 48333, 48332, "testnet4", "tb",
            List.of("seed.testnet4.bitcoin.sprovoost.nl", "seed.testnet4.wiz.biz")),
    SIGNET("signet", 0x0a03cf40, 38333, 38332, "signet", "tb",
            List.of("seed.signet.bitcoin.sprovoost.nl", "seed.signet.achownodes.xyz")),
    // Core lists one regtest seed under the reserved .invalid name (RFC 6761) so its seeding code
    // can be exercised; it never resolves. Tests run with -dnsseed=0 anyway.
    REGTEST("regtest", 0xfabfb5da, 18444, 18443, "regtest", "bcrt", List.of("dummySeed.invalid"));

    private final String id;
    private final int magic;
    private final int defaultPort;
    private final int defaultRpcPort;
    private final String dataSubdir;
    private final String bech32Hrp;
    private final List<String> dnsSeeds;

    Network(String id, int magic, int defaultPort, int defaultRpcPort, String dataSubdir, String bech32Hrp,
            List<String> dnsSeeds) {
        this.id = id;
        this.magic = magic;
        this.defaultPort = defaultPort;
        this.defaultRpcPort = defaultRpcPort;
        this.dataSubdir = dataSubdir;
        this.bech32Hrp = bech32Hrp;
        this.dnsSeeds = dnsSeeds;
    }

    /** The name used by {@code -chain=} and by getblockchaininfo's "chain" field. */
    public String id() {
        return id;
    }

    /** Message-start bytes as a big-endian int of the wire order (mainnet f9 be b4 d9 = 0xf9beb4d9). */
    public int magic() {
        return magic;
    }

    /** Message-start bytes in the order they appear on the wire. */
    public byte[] magicBytes() {
        return new byte[] {(byte) (magic >>> 24), (byte) (magic >>> 16), (byte) (magic >>> 8), (byte) magic};
    }

    public int defaultPort() {
        return defaultPort;
    }

    public int defaultRpcPort() {
        return defaultRpcPort;
    }

    /** Folder below the datadir holding this network's files; empty for mainnet, as in Core. */
    public String dataSubdir() {
        return dataSubdir;
    }

    public String bech32Hrp() {
        return bech32Hrp;
    }

    public List<String> dnsSeeds() {
        return dnsSeeds;
    }

    public boolean isTestChain() {
        return this != MAIN;
    }

    public static Optional<Network> fromId(String id) {
        for (Network n : values()) {
            if (n.id.equals(id)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }
}
