package org.jbitcoind.chain.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jbitcoind.chain.coins.MemoryCoinsView;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.protocol.testing.SharedData;
import org.jbitcoind.storage.Coin;

/**
 * A real block with the coins its inputs spend, one per non-coinbase input in block order (inputs
 * that spend outputs of the same block included, as the data files list them).
 */
public record RealBlockFixture(String name, Network network, int height, Block block, List<Coin> spent) {
    /** Height given to coins whose data file does not record one (bcoin undo): deep enough to be mature. */
    public static final int ASSUMED_COIN_DEPTH = 200;

    @Override
    public String toString() {
        return name;
    }

    private static List<RealBlockFixture> cached;

    /** Every fixture, loaded once per test JVM (they are immutable). */
    public static synchronized List<RealBlockFixture> all() {
        if (cached == null) {
            cached = load();
        }
        return cached;
    }

    private static List<RealBlockFixture> load() {
        List<RealBlockFixture> list = new ArrayList<>();
        list.add(floresta("mainnet 866342", 866_342, "floresta/block_866342"));
        list.add(floresta("mainnet 367891", 367_891, "floresta/block_367891"));
        list.add(bcoin("mainnet 300025", Network.MAIN, 300_025));
        list.add(btcd277647());
        for (int h : new int[] {928_816, 928_828, 928_831, 928_848, 928_849, 928_927, 1_087_400}) {
            list.add(bcoin("testnet3 " + h, Network.TESTNET3, h));
        }
        return List.copyOf(list);
    }

    private static RealBlockFixture floresta(String name, int height, String dir) {
        Block block = SharedData.decodeBlock(SharedData.readData(dir + "/raw.zst"));
        List<Coin> coins = PrevoutFormats.floresta(SharedData.readData(dir + "/spent_utxos.zst"));
        return new RealBlockFixture(name, Network.MAIN, height, block, coins);
    }

    private static RealBlockFixture bcoin(String name, Network network, int height) {
        Block block = SharedData.decodeBlock(SharedData.readData("bcoin/block" + height + ".raw"));
        try {
            List<TxOut> outs = PrevoutFormats.bcoinUndo(SharedData.readData("bcoin/block" + height + "-undo.raw"));
            List<Coin> coins = new ArrayList<>(outs.size());
            for (TxOut o : outs) {
                coins.add(new Coin(o, height - ASSUMED_COIN_DEPTH, false));
            }
            return new RealBlockFixture(name, network, height, block, coins);
        } catch (DecodeException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RealBlockFixture btcd277647() {
        Block block = SharedData.blkBlocks("btcd/277647.dat.bz2").get(0);
        try {
            Map<OutPoint, Coin> store = PrevoutFormats.btcdUtxoStore(SharedData.readData("btcd/277647.utxostore.bz2"));
            List<Coin> coins = new ArrayList<>();
            for (Transaction tx : block.transactions()) {
                if (!tx.isCoinbase()) {
                    for (TxIn in : tx.inputs()) {
                        Coin c = store.get(in.prevout());
                        if (c == null) {
                            throw new IllegalStateException("utxostore lacks " + in.prevout());
                        }
                        coins.add(c);
                    }
                }
            }
            return new RealBlockFixture("mainnet 277647", Network.MAIN, 277_647, block, coins);
        } catch (DecodeException e) {
            throw new IllegalStateException(e);
        }
    }

    public int inputCount() {
        int n = 0;
        for (Transaction tx : block.transactions()) {
            if (!tx.isCoinbase()) {
                n += tx.inputs().size();
            }
        }
        return n;
    }

    /** The coin each input spends, keyed by outpoint. */
    public java.util.Map<OutPoint, Coin> spentByOutpoint() {
        java.util.Map<OutPoint, Coin> map = new java.util.HashMap<>();
        int k = 0;
        for (Transaction tx : block.transactions()) {
            if (!tx.isCoinbase()) {
                for (TxIn in : tx.inputs()) {
                    map.put(in.prevout(), spent.get(k++));
                }
            }
        }
        return map;
    }

    /** A UTXO set holding exactly the coins this block spends from earlier blocks, at the block's parent. */
    public MemoryCoinsView baseView() {
        Set<Hash256> created = new HashSet<>();
        for (Transaction tx : block.transactions()) {
            created.add(tx.txid());
        }
        MemoryCoinsView base = new MemoryCoinsView();
        for (Map.Entry<OutPoint, Coin> e : spentByOutpoint().entrySet()) {
            if (!created.contains(e.getKey().txid())) {
                base.put(e.getKey(), e.getValue());
            }
        }
        base.setBestBlock(block.header().prevBlock());
        return base;
    }
}
