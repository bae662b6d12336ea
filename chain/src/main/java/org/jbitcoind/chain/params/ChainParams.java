package org.jbitcoind.chain.params;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.jbitcoind.chain.script.ScriptFlags;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.CompactTarget;
import org.jbitcoind.protocol.primitives.GenesisBlocks;

/**
 * Consensus parameters of one network, with Bitcoin Core's values (kernel/chainparams.cpp and
 * consensus/params.h). Immutable; get one with {@link #of(Network)} or {@link #signet(byte[])}.
 *
 * <p>Buried deployments (BIP34, BIP65, BIP66, CSV, segwit) are plain activation heights, as in Core.
 * Taproot stays a BIP9 deployment; its script rules are applied to every block except the listed
 * exception block, which is equivalent on the real chains.
 */
public final class ChainParams {
    /** Confirmations before a coinbase output may be spent (Core's COINBASE_MATURITY). */
    public static final int COINBASE_MATURITY = 100;
    private static final long TWO_WEEKS = 14L * 24 * 60 * 60;
    /** The target of difficulty 1, the proof-of-work limit of mainnet and both testnets. */
    private static final String DIFFICULTY_1_TARGET =
            "00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    /** BIP325 challenge of the default public signet (a 1-of-2 multisig). */
    public static final String DEFAULT_SIGNET_CHALLENGE = "512103ad5e0edad18cb1f0fc0d28a3d4f1f3e445640337489abb1040"
            + "4f2d1e086be430210359ef5021964fe22d6f8e05b2463c9540ce96883fe3b278760f048f5189f2e6c452ae";

    private final Network network;
    private final Block genesis;
    private final int subsidyHalvingInterval;
    private final Map<Hash256, Integer> scriptFlagExceptions;
    private final Map<Integer, Hash256> bip30RepeatBlocks;
    private final Map<Integer, Hash256> bip30DisconnectExceptions;
    private final int bip34Height;
    private final Hash256 bip34Hash;
    private final int bip65Height;
    private final int bip66Height;
    private final int csvHeight;
    private final int segwitHeight;
    private final int minBip9WarningHeight;
    private final Bip9Deployment taproot;
    private final BigInteger powLimit;
    private final long powTargetTimespan;
    private final long powTargetSpacing;
    private final boolean powAllowMinDifficultyBlocks;
    private final boolean enforceBip94;
    private final boolean powNoRetargeting;
    private final boolean signetBlocks;
    private final byte[] signetChallenge;
    private final BigInteger minimumChainWork;
    private final Hash256 defaultAssumeValid;

    private ChainParams(Builder b) {
        this.network = b.network;
        this.genesis = GenesisBlocks.of(b.network);
        this.subsidyHalvingInterval = b.subsidyHalvingInterval;
        this.scriptFlagExceptions = Map.copyOf(b.scriptFlagExceptions);
        this.bip30RepeatBlocks = Map.copyOf(b.bip30RepeatBlocks);
        this.bip30DisconnectExceptions = Map.copyOf(b.bip30DisconnectExceptions);
        this.bip34Height = b.bip34Height;
        this.bip34Hash = Objects.requireNonNull(b.bip34Hash);
        this.bip65Height = b.bip65Height;
        this.bip66Height = b.bip66Height;
        this.csvHeight = b.csvHeight;
        this.segwitHeight = b.segwitHeight;
        this.minBip9WarningHeight = b.minBip9WarningHeight;
        this.taproot = Objects.requireNonNull(b.taproot);
        this.powLimit = new BigInteger(b.powLimitHex, 16);
        this.powTargetTimespan = b.powTargetTimespan;
        this.powTargetSpacing = 600;
        this.powAllowMinDifficultyBlocks = b.powAllowMinDifficultyBlocks;
        this.enforceBip94 = b.enforceBip94;
        this.powNoRetargeting = b.powNoRetargeting;
        this.signetBlocks = b.signetChallenge != null;
        this.signetChallenge = b.signetChallenge == null ? new byte[0] : b.signetChallenge.clone();
        this.minimumChainWork = new BigInteger(b.minimumChainWorkHex, 16);
        this.defaultAssumeValid = b.defaultAssumeValidHex == null ? Hash256.ZERO : Hash256.fromHex(b.defaultAssumeValidHex);
    }

    /** Parameters of a built-in network (for signet: the default public signet). */
    public static ChainParams of(Network network) {
        return switch (network) {
            case MAIN -> MAIN;
            case TESTNET3 -> TESTNET3;
            case TESTNET4 -> TESTNET4;
            case SIGNET -> SIGNET;
            case REGTEST -> REGTEST;
        };
    }

    /** A custom signet (-signetchallenge): no assumed-valid block and no minimum chain work, as Core. */
    public static ChainParams signet(byte[] challenge) {
        Builder b = signetBuilder();
        b.signetChallenge = challenge.clone();
        b.minimumChainWorkHex = "0";
        b.defaultAssumeValidHex = null;
        return new ChainParams(b);
    }

    /**
     * Regtest with Core's test overrides: {@code -testactivationheight=name@height} for the buried
     * deployments (names as Core: segwit, bip34, dersig, cltv, csv) and {@code -test=bip94}.
     *
     * @throws IllegalArgumentException for an unknown deployment name or a negative height
     */
    public static ChainParams regtest(Map<String, Integer> activationHeights, boolean enforceBip94) {
        Builder b = regtestBuilder();
        b.enforceBip94 = enforceBip94;
        for (Map.Entry<String, Integer> e : activationHeights.entrySet()) {
            int h = e.getValue();
            if (h < 0) {
                throw new IllegalArgumentException("negative activation height for " + e.getKey());
            }
            switch (e.getKey()) {
                case "segwit" -> b.segwitHeight = h;
                case "bip34" -> b.bip34Height = h;
                case "dersig" -> b.bip66Height = h;
                case "cltv" -> b.bip65Height = h;
                case "csv" -> b.csvHeight = h;
                default -> throw new IllegalArgumentException("unknown deployment " + e.getKey()
                        + " (expected segwit, bip34, dersig, cltv or csv)");
            }
        }
        return new ChainParams(b);
    }

    private static final ChainParams MAIN = mainnet();
    private static final ChainParams TESTNET3 = testnet3();
    private static final ChainParams TESTNET4 = testnet4();
    private static final ChainParams SIGNET = defaultSignet();
    private static final ChainParams REGTEST = regtest();

    private static ChainParams mainnet() {
        Builder b = new Builder(Network.MAIN);
        b.subsidyHalvingInterval = 210_000;
        // The one historical block that breaks P2SH rules, and the one that breaks taproot rules.
        b.scriptFlagExceptions.put(hash("00000000000002dc756eebf4f49723ed8d30cc28a5f108eb94b1ba88ac4f9c22"),
                ScriptFlags.NONE);
        b.scriptFlagExceptions.put(hash("0000000000000000000f14c35b2d841e986ab5441de8c585d5ffe55ea1e395ad"),
                ScriptFlags.P2SH | ScriptFlags.WITNESS);
        // BIP30: the two blocks whose coinbases repeat earlier ones (Core's IsBIP30Repeat) ...
        b.bip30RepeatBlocks.put(91842, hash("00000000000a4d0a398161ffc163c503763b1f4360639393e0e4c8e300e0caec"));
        b.bip30RepeatBlocks.put(91880, hash("00000000000743f190a18c5577a3c2d2a1f610ae9601ac046a38084ccb7cd721"));
        // ... and the two whose coinbases were overwritten by them (Core's IsBIP30Unspendable).
        b.bip30DisconnectExceptions.put(91722, hash("00000000000271a2dc26e7667f8419f2e15416dc6955e5a6c6cdf3f2574dd08e"));
        b.bip30DisconnectExceptions.put(91812, hash("00000000000af0aed4792b1acee3d966af36cf5def14935db8de83d6f9306f2f"));
        b.bip34Height = 227_931;
        b.bip34Hash = hash("000000000000024b89b42a942fe0d9fea3bb44ab7bd1b19115dd6a759c0808b8");
        b.bip65Height = 388_381;
        b.bip66Height = 363_725;
        b.csvHeight = 419_328;
        b.segwitHeight = 481_824;
        b.minBip9WarningHeight = 483_840;
        b.powLimitHex = DIFFICULTY_1_TARGET;
        b.taproot = new Bip9Deployment(2, 1619222400L, 1628640000L, 709_632, 1815, 2016);
        b.minimumChainWorkHex = "0000000000000000000000000000000000000000dee8e2a309ad8a9820433c68";
        b.defaultAssumeValidHex = "00000000000000000000611fd22f2df7c8fbd0688745c3a6c3bb5109cc2a12cb"; // 912683
        return new ChainParams(b);
    }

    private static ChainParams testnet3() {
        Builder b = new Builder(Network.TESTNET3);
        b.subsidyHalvingInterval = 210_000;
        b.scriptFlagExceptions.put(hash("00000000dd30457c001f4095d208cc1296b0eed002427aa599874af7a432b105"),
                ScriptFlags.NONE);
        b.bip34Height = 21_111;
        b.bip34Hash = hash("0000000023b3a96d3484e5abb3755c413e7d41500f8e2a5c3f0dd01299cd8ef8");
        b.bip65Height = 581_885;
        b.bip66Height = 330_776;
        b.csvHeight = 770_112;
        b.segwitHeight = 834_624;
        b.minBip9WarningHeight = 836_640;
        b.powLimitHex = DIFFICULTY_1_TARGET;
        b.powAllowMinDifficultyBlocks = true;
        b.taproot = new Bip9Deployment(2, 1619222400L, 1628640000L, 0, 1512, 2016);
        b.minimumChainWorkHex = "0000000000000000000000000000000000000000000016dd270dd94fac1d7632";
        b.defaultAssumeValidHex = "0000000000000065c6c38258e201971a3fdfcc2ceee0dd6e85a6c022d45dee34"; // 4550000
        return new ChainParams(b);
    }

    private static ChainParams testnet4() {
        Builder b = new Builder(Network.TESTNET4);
        b.subsidyHalvingInterval = 210_000;
        b.buriedDeploymentsFrom(1);
        b.powLimitHex = DIFFICULTY_1_TARGET;
        b.powAllowMinDifficultyBlocks = true;
        b.enforceBip94 = true;
        b.taproot = new Bip9Deployment(2, Bip9Deployment.ALWAYS_ACTIVE, Bip9Deployment.NO_TIMEOUT, 0, 1512, 2016);
        b.minimumChainWorkHex = "00000000000000000000000000000000000000000000034a4690fe592dc49c7c";
        b.defaultAssumeValidHex = "000000000000000180a58e7fa3b0db84b5ea76377524894f53660d93ac839d9b"; // 91000
        return new ChainParams(b);
    }

    private static Builder signetBuilder() {
        Builder b = new Builder(Network.SIGNET);
        b.subsidyHalvingInterval = 210_000;
        b.buriedDeploymentsFrom(1);
        b.powLimitHex = "00000377ae000000000000000000000000000000000000000000000000000000";
        b.taproot = new Bip9Deployment(2, Bip9Deployment.ALWAYS_ACTIVE, Bip9Deployment.NO_TIMEOUT, 0, 1815, 2016);
        return b;
    }

    private static ChainParams defaultSignet() {
        Builder b = signetBuilder();
        b.signetChallenge = Hex.decode(DEFAULT_SIGNET_CHALLENGE);
        b.minimumChainWorkHex = "0000000000000000000000000000000000000000000000000000067d328e681a";
        b.defaultAssumeValidHex = "000000128586e26813922680309f04e1de713c7542fee86ed908f56368aefe2e"; // 267665
        return new ChainParams(b);
    }

    private static ChainParams regtest() {
        return new ChainParams(regtestBuilder());
    }

    private static Builder regtestBuilder() {
        Builder b = new Builder(Network.REGTEST);
        b.subsidyHalvingInterval = 150;
        b.buriedDeploymentsFrom(1);
        b.segwitHeight = 0; // as Core: segwit rules from the genesis block on
        b.powLimitHex = "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
        b.powTargetTimespan = 24L * 60 * 60;
        b.powAllowMinDifficultyBlocks = true;
        b.powNoRetargeting = true;
        b.taproot = new Bip9Deployment(2, Bip9Deployment.ALWAYS_ACTIVE, Bip9Deployment.NO_TIMEOUT, 0, 108, 144);
        return b;
    }

    private static Hash256 hash(String displayHex) {
        return Hash256.fromHex(displayHex);
    }

    public Network network() {
        return network;
    }

    public Block genesisBlock() {
        return genesis;
    }

    public Hash256 genesisHash() {
        return genesis.hash();
    }

    public int subsidyHalvingInterval() {
        return subsidyHalvingInterval;
    }

    /** Blocks whose script flags are fixed by hash instead of derived from height (Core's script_flag_exceptions). */
    public Map<Hash256, Integer> scriptFlagExceptions() {
        return scriptFlagExceptions;
    }

    /** Blocks (height to hash) exempt from the BIP30 check when connecting: they repeat an earlier coinbase. */
    public Map<Integer, Hash256> bip30RepeatBlocks() {
        return bip30RepeatBlocks;
    }

    /** Blocks (height to hash) whose coinbase outputs were overwritten, so disconnecting them is not unclean. */
    public Map<Integer, Hash256> bip30DisconnectExceptions() {
        return bip30DisconnectExceptions;
    }

    public int bip34Height() {
        return bip34Height;
    }

    /** Hash of the block at {@link #bip34Height()} (zero when BIP34 is active from height 1). */
    public Hash256 bip34Hash() {
        return bip34Hash;
    }

    public int bip65Height() {
        return bip65Height;
    }

    public int bip66Height() {
        return bip66Height;
    }

    public int csvHeight() {
        return csvHeight;
    }

    public int segwitHeight() {
        return segwitHeight;
    }

    public int minBip9WarningHeight() {
        return minBip9WarningHeight;
    }

    public Bip9Deployment taproot() {
        return taproot;
    }

    public BigInteger powLimit() {
        return powLimit;
    }

    /** powLimit in compact form, the bits of a minimum-difficulty block. */
    public long powLimitBits() {
        return CompactTarget.encode(powLimit);
    }

    public long powTargetTimespan() {
        return powTargetTimespan;
    }

    public long powTargetSpacing() {
        return powTargetSpacing;
    }

    public int difficultyAdjustmentInterval() {
        return (int) (powTargetTimespan / powTargetSpacing);
    }

    public boolean powAllowMinDifficultyBlocks() {
        return powAllowMinDifficultyBlocks;
    }

    /** BIP94 (testnet4): retarget from the first block of the period and the timewarp rule. */
    public boolean enforceBip94() {
        return enforceBip94;
    }

    public boolean powNoRetargeting() {
        return powNoRetargeting;
    }

    /** BIP325: blocks must carry a solution to {@link #signetChallenge()}. */
    public boolean signetBlocks() {
        return signetBlocks;
    }

    public byte[] signetChallenge() {
        return signetChallenge.clone();
    }

    public BigInteger minimumChainWork() {
        return minimumChainWork;
    }

    /** Core's defaultAssumeValid (zero when none). */
    public Hash256 defaultAssumeValid() {
        return defaultAssumeValid;
    }

    public int coinbaseMaturity() {
        return COINBASE_MATURITY;
    }

    @Override
    public String toString() {
        return "ChainParams[" + network.id() + "]";
    }

    private static final class Builder {
        final Network network;
        int subsidyHalvingInterval;
        final HashMap<Hash256, Integer> scriptFlagExceptions = new HashMap<>();
        final HashMap<Integer, Hash256> bip30RepeatBlocks = new HashMap<>();
        final HashMap<Integer, Hash256> bip30DisconnectExceptions = new HashMap<>();
        int bip34Height;
        Hash256 bip34Hash = Hash256.ZERO;
        int bip65Height;
        int bip66Height;
        int csvHeight;
        int segwitHeight;
        int minBip9WarningHeight;
        Bip9Deployment taproot;
        String powLimitHex;
        long powTargetTimespan = TWO_WEEKS;
        boolean powAllowMinDifficultyBlocks;
        boolean enforceBip94;
        boolean powNoRetargeting;
        byte[] signetChallenge;
        String minimumChainWorkHex = "0";
        String defaultAssumeValidHex;

        Builder(Network network) {
            this.network = network;
        }

        /** BIP34, BIP65, BIP66, CSV and segwit all active from {@code height}. */
        void buriedDeploymentsFrom(int height) {
            bip34Height = height;
            bip65Height = height;
            bip66Height = height;
            csvHeight = height;
            segwitHeight = height;
        }
    }
}
