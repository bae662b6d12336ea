package org.jbitcoind.chain.mempool;

import java.time.Duration;

/**
 * Mempool and relay policy settings, with Bitcoin Core 30's defaults. The node reads them from
 * its configuration (keys in brackets) and passes them to {@link TxMempool}.
 *
 * @param maxMempoolBytes        memory budget of the pool [-maxmempool, MB, default 300]
 * @param expiry                 age after which an entry is dropped [-mempoolexpiry, hours, default 336]
 * @param minRelayFee            below this no transaction is accepted or relayed [-minrelaytxfee, default 100 sat/kvB]
 * @param incrementalRelayFee    what a replacement or an eviction adds to the rate [-incrementalrelayfee, default 100 sat/kvB]
 * @param dustRelayFee           rate that defines dust outputs [-dustrelayfee, default 3000 sat/kvB]
 * @param maxDatacarrierBytes    total scriptPubKey bytes of all OP_RETURN outputs of one transaction, or -1
 *                               when no OP_RETURN output is standard [-datacarrier, -datacarriersize, default 100000]
 * @param permitBareMultisig     bare multisig outputs are standard [-permitbaremultisig, default true]
 * @param requireStandard        apply the standardness policy [-acceptnonstdtxn inverted; false only on test chains]
 * @param fullRbf                any mempool transaction may be replaced (Core 28+); when false only BIP125 signalling ones
 * @param ancestorCountLimit     [-limitancestorcount, default 25]
 * @param ancestorSizeLimitVb    [-limitancestorsize, kvB, default 101]
 * @param descendantCountLimit   [-limitdescendantcount, default 25]
 * @param descendantSizeLimitVb  [-limitdescendantsize, kvB, default 101]
 * @param persist                dump at shutdown and load at start [-persistmempool, default true]
 */
public record MempoolOptions(long maxMempoolBytes, Duration expiry, FeeRate minRelayFee, FeeRate incrementalRelayFee,
        FeeRate dustRelayFee, int maxDatacarrierBytes, boolean permitBareMultisig, boolean requireStandard,
        boolean fullRbf, int ancestorCountLimit, long ancestorSizeLimitVb, int descendantCountLimit,
        long descendantSizeLimitVb, boolean persist) {

    public static final long MB = 1_000_000L;
    public static final long DEFAULT_MAX_MEMPOOL_MB = 300;
    public static final long DEFAULT_EXPIRY_HOURS = 336;
    /** Core 29.1+/30: lowered from 1000 to 100 sat/kvB (bitcoin/bitcoin#33106). */
    public static final FeeRate DEFAULT_MIN_RELAY_FEE = new FeeRate(100);
    public static final FeeRate DEFAULT_INCREMENTAL_RELAY_FEE = new FeeRate(100);
    public static final FeeRate DEFAULT_DUST_RELAY_FEE = new FeeRate(3000);
    /** Core 30: the limit is on all OP_RETURN outputs together and several are allowed. */
    public static final int DEFAULT_MAX_DATACARRIER_BYTES = 100_000;
    public static final int DEFAULT_ANCESTOR_LIMIT = 25;
    public static final long DEFAULT_ANCESTOR_SIZE_LIMIT_KVB = 101;
    public static final int DEFAULT_DESCENDANT_LIMIT = 25;
    public static final long DEFAULT_DESCENDANT_SIZE_LIMIT_KVB = 101;

    public MempoolOptions {
        if (maxMempoolBytes <= 0 || expiry.isNegative() || ancestorCountLimit < 1 || descendantCountLimit < 1) {
            throw new IllegalArgumentException("mempool limits must be positive");
        }
    }

    public static MempoolOptions defaults() {
        return new MempoolOptions(DEFAULT_MAX_MEMPOOL_MB * MB, Duration.ofHours(DEFAULT_EXPIRY_HOURS),
                DEFAULT_MIN_RELAY_FEE, DEFAULT_INCREMENTAL_RELAY_FEE, DEFAULT_DUST_RELAY_FEE,
                DEFAULT_MAX_DATACARRIER_BYTES, true, true, true, DEFAULT_ANCESTOR_LIMIT,
                DEFAULT_ANCESTOR_SIZE_LIMIT_KVB * 1000, DEFAULT_DESCENDANT_LIMIT,
                DEFAULT_DESCENDANT_SIZE_LIMIT_KVB * 1000, true);
    }

    public MempoolOptions withMaxMempoolBytes(long bytes) {
        return new MempoolOptions(bytes, expiry, minRelayFee, incrementalRelayFee, dustRelayFee, maxDatacarrierBytes,
                permitBareMultisig, requireStandard, fullRbf, ancestorCountLimit, ancestorSizeLimitVb,
                descendantCountLimit, descendantSizeLimitVb, persist);
    }

    public MempoolOptions withExpiry(Duration newExpiry) {
        return new MempoolOptions(maxMempoolBytes, newExpiry, minRelayFee, incrementalRelayFee, dustRelayFee,
                maxDatacarrierBytes, permitBareMultisig, requireStandard, fullRbf, ancestorCountLimit,
                ancestorSizeLimitVb, descendantCountLimit, descendantSizeLimitVb, persist);
    }

    public MempoolOptions withMinRelayFee(FeeRate rate) {
        return new MempoolOptions(maxMempoolBytes, expiry, rate, incrementalRelayFee, dustRelayFee,
                maxDatacarrierBytes, permitBareMultisig, requireStandard, fullRbf, ancestorCountLimit,
                ancestorSizeLimitVb, descendantCountLimit, descendantSizeLimitVb, persist);
    }

    public MempoolOptions withFullRbf(boolean enabled) {
        return new MempoolOptions(maxMempoolBytes, expiry, minRelayFee, incrementalRelayFee, dustRelayFee,
                maxDatacarrierBytes, permitBareMultisig, requireStandard, enabled, ancestorCountLimit,
                ancestorSizeLimitVb, descendantCountLimit, descendantSizeLimitVb, persist);
    }

    public MempoolOptions withRequireStandard(boolean required) {
        return new MempoolOptions(maxMempoolBytes, expiry, minRelayFee, incrementalRelayFee, dustRelayFee,
                maxDatacarrierBytes, permitBareMultisig, required, fullRbf, ancestorCountLimit,
                ancestorSizeLimitVb, descendantCountLimit, descendantSizeLimitVb, persist);
    }

    public MempoolOptions withDatacarrier(int maxBytes) {
        return new MempoolOptions(maxMempoolBytes, expiry, minRelayFee, incrementalRelayFee, dustRelayFee,
                maxBytes, permitBareMultisig, requireStandard, fullRbf, ancestorCountLimit,
                ancestorSizeLimitVb, descendantCountLimit, descendantSizeLimitVb, persist);
    }

    public MempoolOptions withChainLimits(int ancestorCount, long ancestorSizeVb, int descendantCount,
            long descendantSizeVb) {
        return new MempoolOptions(maxMempoolBytes, expiry, minRelayFee, incrementalRelayFee, dustRelayFee,
                maxDatacarrierBytes, permitBareMultisig, requireStandard, fullRbf, ancestorCount, ancestorSizeVb,
                descendantCount, descendantSizeVb, persist);
    }
}
