package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.chain.coins.CoinsView;
import org.jbitcoind.chain.crypto.SignatureCache;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.mining.AssemblerOptions;
import org.jbitcoind.chain.mining.BlockAssembler;
import org.jbitcoind.chain.mining.BlockGenerator;
import org.jbitcoind.chain.mining.Miner;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.state.BlockProcessResult;
import org.jbitcoind.chain.state.ChainListener;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.ChainstateOptions;
import org.jbitcoind.chain.testing.TestWallet;
import org.jbitcoind.chain.testing.TestWallet.Key;
import org.jbitcoind.chain.testing.TestWallet.Kind;
import org.jbitcoind.chain.testing.TestWallet.Utxo;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.storage.ChainDbOptions;
import org.jbitcoind.storage.Coin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mempool wired to the real chain state as the node will do it: blocks generated from the
 * mempool and submitted to {@link ChainstateManager}, the listener keeping the pool in step, and
 * invalidateblock (a reorganisation) putting the mined transactions back into the pool.
 */
class ChainstateIntegrationTest {
    private static final ChainParams PARAMS = ChainParams.of(Network.REGTEST);

    @TempDir
    Path dir;

    @Test
    void generateMineAndReorgBackIntoThePool() throws Exception {
        ChainstateOptions options = ChainstateOptions.defaults(PARAMS).withScriptThreads(1)
                .withCoinsCacheBytes(16 * ChainstateOptions.MIB);
        ChainDbOptions db = ChainDbOptions.defaults().withBlockCacheBytes(8 * ChainDbOptions.MIB)
                .withWriteBufferBytes(4 * ChainDbOptions.MIB);
        try (ChainstateManager chain = ChainstateManager.open(dir, options, db, false)) {
            CoinsView coins = new CoinsView() {
                @Override
                public Optional<Coin> getCoin(OutPoint outpoint) {
                    return chain.getCoin(outpoint);
                }

                @Override
                public Hash256 bestBlock() {
                    return chain.activeChain().tip().hash();
                }
            };
            TxMempool pool = new TxMempool(MempoolOptions.defaults(),
                    new ScriptVerifier(new SignatureCache(10_000), true), () -> System.currentTimeMillis() / 1000);
            MempoolUpdater updater = new MempoolUpdater(pool, new OrphanPool());
            chain.addListener(new ChainListener() {
                @Override
                public void blockConnected(Block block, BlockIndex index) {
                    updater.blockConnected(block);
                }

                @Override
                public void blockDisconnected(Block block, BlockIndex index) {
                    updater.blockDisconnected(block);
                }

                @Override
                public void newTip(BlockIndex tip, BlockIndex fork, boolean initialDownload) {
                    updater.newTip(new ChainContext(coins, tip, PARAMS));
                }
            });
            BlockGenerator generator = new BlockGenerator(PARAMS, new BlockAssembler(PARAMS,
                    AssemblerOptions.defaults(), () -> System.currentTimeMillis() / 1000),
                    new BlockGenerator.Chain() {
                        @Override
                        public BlockIndex tip() {
                            return chain.activeChain().tip();
                        }

                        @Override
                        public boolean submit(Block block) {
                            return chain.processNewBlock(block).status() == BlockProcessResult.Status.ACCEPTED;
                        }
                    });

            Key key = TestWallet.key(3);
            List<Hash256> mined = generator.generate(101, key.script(Kind.P2WPKH), pool, Miner.DEFAULT_MAX_TRIES);
            assertEquals(101, mined.size());
            assertEquals(101, chain.activeChain().height());

            // Spend the now mature first coinbase, and a child of it, from this (non-chain) thread.
            Block first = chain.getBlock(mined.get(0)).orElseThrow();
            Transaction cb = first.transactions().get(0);
            Utxo coin = new Utxo(new OutPoint(cb.txid(), 0), cb.outputs().get(0), key);
            Transaction tx = TestWallet.spend(List.of(coin), List.of(new org.jbitcoind.protocol.primitives.TxOut(
                    coin.output().value() - 2_000, key.script(Kind.P2TR))));
            ChainContext ctx = new ChainContext(coins, chain.activeChain().tip(), PARAMS);
            pool.accept(tx, ctx);
            Transaction child = TestWallet.spend(List.of(new Utxo(new OutPoint(tx.txid(), 0), tx.outputs().get(0),
                    key)), List.of(new org.jbitcoind.protocol.primitives.TxOut(tx.outputs().get(0).value() - 3_000,
                    key.script(Kind.P2WPKH))));
            pool.accept(child, ctx);
            assertEquals(2, pool.size());

            // generatetoaddress: the block carries both; the listener empties the pool.
            Hash256 withTxs = generator.generate(1, key.script(Kind.P2WPKH), pool, Miner.DEFAULT_MAX_TRIES).get(0);
            Block b = chain.getBlock(withTxs).orElseThrow();
            assertEquals(List.of(tx.txid(), child.txid()),
                    b.transactions().subList(1, 3).stream().map(Transaction::txid).toList());
            assertEquals(0, pool.size());
            assertTrue(chain.getCoin(new OutPoint(child.txid(), 0)).isPresent());

            // invalidateblock: the chain goes back one block and both transactions return.
            chain.invalidateBlock(withTxs);
            assertEquals(101, chain.activeChain().height());
            assertEquals(2, pool.size());
            assertTrue(pool.contains(tx.txid()));
            assertEquals(2, pool.entry(child.txid()).orElseThrow().ancestorCount());
            assertFalse(chain.getCoin(new OutPoint(child.txid(), 0)).isPresent());
        }
    }
}
