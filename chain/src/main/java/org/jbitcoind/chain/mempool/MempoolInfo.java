package org.jbitcoind.chain.mempool;

/**
 * getmempoolinfo's fields: {@code bytes} is the sum of virtual sizes, {@code usage} the estimated
 * heap use bounded by {@code maxMempool}; {@code mempoolMinFee} is the larger of the rolling
 * minimum fee and the minimum relay fee.
 */
public record MempoolInfo(int size, long bytes, long usage, long totalFee, long maxMempool, FeeRate mempoolMinFee,
        FeeRate minRelayTxFee, FeeRate incrementalRelayFee, int unbroadcastCount, boolean fullRbf) {
}
