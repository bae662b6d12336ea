package org.jbitcoind.node.rpc.methods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.Script;
import org.jbitcoind.chain.validation.Subsidy;
import org.jbitcoind.node.rpc.RpcCall;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.BlockUndo;
import org.jbitcoind.storage.Coin;

/**
 * getblockstats: per-block statistics computed from the block and its undo data, with Core's
 * definitions (fee rates in sat/vB as integer division of fee * 4 by weight, truncated medians,
 * feerate percentiles weighted by transaction weight, UTXO size as serialized output plus 40 bytes).
 */
final class BlockStats {
    /**
     * Bytes counted per UTXO beyond its serialized output (Core's PER_UTXO_OVERHEAD): 40, which is what
     * Core's own getblockstats results in rpc_getblockstats.json add per output.
     */
    static final int PER_UTXO_OVERHEAD = 40;
    private static final long MAX_MONEY = 21_000_000L * 100_000_000L;

    private BlockStats() {
    }

    private record FeeRate(long rate, long weight) {
    }

    /** Every statistic, in Core's (alphabetical) field order. */
    static ObjectNode compute(Block block, BlockUndo undo, BlockIndex index, ChainParams params) {
        List<Transaction> txs = block.transactions();
        long inputs = 0;
        long outputs = 0;
        long utxos = 0;
        long utxoSizeInc = 0;
        long utxoSizeIncActual = 0;
        long totalOut = 0;
        long totalSize = 0;
        long totalWeight = 0;
        long totalFee = 0;
        long swTxs = 0;
        long swTotalSize = 0;
        long swTotalWeight = 0;
        long minFee = MAX_MONEY;
        long maxFee = 0;
        long minFeeRate = MAX_MONEY;
        long maxFeeRate = 0;
        long minTxSize = org.jbitcoind.protocol.primitives.Block.MAX_BLOCK_SERIALIZED_SIZE;
        long maxTxSize = 0;
        List<Long> fees = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        List<FeeRate> feeRates = new ArrayList<>();
        for (int i = 0; i < txs.size(); i++) {
            Transaction tx = txs.get(i);
            outputs += tx.outputs().size();
            long txOut = 0;
            for (TxOut out : tx.outputs()) {
                txOut += out.value();
                long outSize = out.serializedSize() + PER_UTXO_OVERHEAD;
                utxoSizeInc += outSize;
                if (Script.isUnspendable(out.scriptPubKey())) {
                    continue;
                }
                utxos++;
                utxoSizeIncActual += outSize;
            }
            if (tx.isCoinbase()) {
                continue;
            }
            inputs += tx.inputs().size();
            totalOut += txOut;
            long size = tx.totalSize();
            minTxSize = Math.min(minTxSize, size);
            maxTxSize = Math.max(maxTxSize, size);
            sizes.add(size);
            totalSize += size;
            long weight = tx.weight();
            totalWeight += weight;
            if (tx.hasWitness()) {
                swTxs++;
                swTotalSize += size;
                swTotalWeight += weight;
            }
            long txIn = 0;
            for (Coin coin : undo.txUndos().get(i - 1).spent()) {
                txIn += coin.output().value();
                long prevSize = coin.output().serializedSize() + PER_UTXO_OVERHEAD;
                utxoSizeInc -= prevSize;
                utxoSizeIncActual -= prevSize;
            }
            long fee = txIn - txOut;
            fees.add(fee);
            maxFee = Math.max(maxFee, fee);
            minFee = Math.min(minFee, fee);
            totalFee += fee;
            long feeRate = weight == 0 ? 0 : fee * Transaction.WITNESS_SCALE_FACTOR / weight;
            feeRates.add(new FeeRate(feeRate, weight));
            maxFeeRate = Math.max(maxFeeRate, feeRate);
            minFeeRate = Math.min(minFeeRate, feeRate);
        }
        int nonCoinbase = txs.size() - 1;
        ObjectNode o = RpcCall.json().objectNode();
        o.put("avgfee", nonCoinbase > 0 ? totalFee / nonCoinbase : 0);
        o.put("avgfeerate", totalWeight > 0 ? totalFee * Transaction.WITNESS_SCALE_FACTOR / totalWeight : 0);
        o.put("avgtxsize", nonCoinbase > 0 ? totalSize / nonCoinbase : 0);
        o.put("blockhash", index.hash().toString());
        var percentiles = o.putArray("feerate_percentiles");
        for (long p : percentiles(feeRates, totalWeight)) {
            percentiles.add(p);
        }
        o.put("height", index.height());
        o.put("ins", inputs);
        o.put("maxfee", maxFee);
        o.put("maxfeerate", maxFeeRate);
        o.put("maxtxsize", maxTxSize);
        o.put("medianfee", truncatedMedian(fees));
        o.put("mediantime", index.medianTimePast());
        o.put("mediantxsize", truncatedMedian(sizes));
        o.put("minfee", minFee == MAX_MONEY ? 0 : minFee);
        o.put("minfeerate", minFeeRate == MAX_MONEY ? 0 : minFeeRate);
        o.put("mintxsize", minTxSize == org.jbitcoind.protocol.primitives.Block.MAX_BLOCK_SERIALIZED_SIZE ? 0 : minTxSize);
        o.put("outs", outputs);
        o.put("subsidy", Subsidy.getBlockSubsidy(index.height(), params));
        o.put("swtotal_size", swTotalSize);
        o.put("swtotal_weight", swTotalWeight);
        o.put("swtxs", swTxs);
        o.put("time", index.time());
        o.put("total_out", totalOut);
        o.put("total_size", totalSize);
        o.put("total_weight", totalWeight);
        o.put("totalfee", totalFee);
        o.put("txs", txs.size());
        o.put("utxo_increase", outputs - inputs);
        o.put("utxo_size_inc", utxoSizeInc);
        o.put("utxo_increase_actual", utxos - inputs);
        o.put("utxo_size_inc_actual", utxoSizeIncActual);
        return o;
    }

    /** Median of the sorted values, the mean of the two middle ones (integer division) for an even count. */
    static long truncatedMedian(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 0 ? (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2 : sorted.get(n / 2);
    }

    /** The 10th, 25th, 50th, 75th and 90th percentile fee rates, each transaction weighing its weight. */
    private static long[] percentiles(List<FeeRate> rates, long totalWeight) {
        long[] out = new long[5];
        if (rates.isEmpty()) {
            return out;
        }
        List<FeeRate> sorted = new ArrayList<>(rates);
        sorted.sort(Comparator.comparingLong(FeeRate::rate));
        double[] marks = {totalWeight / 10.0, totalWeight / 4.0, totalWeight / 2.0, totalWeight * 3.0 / 4.0,
            totalWeight * 9.0 / 10.0};
        int next = 0;
        long cumulative = 0;
        for (FeeRate r : sorted) {
            cumulative += r.weight();
            while (next < marks.length && cumulative >= marks[next]) {
                out[next++] = r.rate();
            }
        }
        for (int i = next; i < out.length; i++) {
            out[i] = sorted.get(sorted.size() - 1).rate();
        }
        return out;
    }
}
