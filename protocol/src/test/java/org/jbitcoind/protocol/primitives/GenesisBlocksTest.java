package org.jbitcoind.protocol.primitives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenesisBlocksTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "MAIN, 000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f, 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b, getchainparams-mainnet.json",
        "TESTNET3, 000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943, 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b, getchainparams-testnet.json",
        "TESTNET4, 00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043, 7aa0a7ae1e223414cb807e40cd57e667b718e42aaf9306db9102fe28912b7b4e, getchainparams-testnet4.json",
        "SIGNET, 00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6, 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b, getchainparams-signet.json",
        "REGTEST, 0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206, 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b, getchainparams-regtest.json",
    })
    void genesisHashesToKnownValue(Network network, String hash, String merkleRoot, String coreParams) {
        Block genesis = GenesisBlocks.of(network);
        assertEquals(hash, genesis.hash().toString());
        assertEquals(merkleRoot, genesis.header().merkleRoot().toString());
        assertEquals(Hash256.ZERO, genesis.header().prevBlock());
        assertEquals(1, genesis.transactions().size());
        assertEquals(5_000_000_000L, genesis.transactions().get(0).outputs().get(0).value());
        // Core's getchainparams lists the genesis hash in internal (serialized) byte order.
        String json = SharedData.readText(SharedData.vector(coreParams));
        Matcher m = Pattern.compile("\"genesis\"\\s*:\\s*\"([0-9a-f]{64})\"").matcher(json);
        assertEquals(true, m.find());
        assertEquals(m.group(1), Hex.encode(genesis.hash().bytes()));
    }

    @Test
    void mainnetGenesisMatchesFirstRecordOfRealBlockFile() {
        byte[] first = SharedData.blkRecords(SharedData.readData("jeffchan-blockchain-parser/blk00000.dat")).get(0);
        assertArrayEquals(first, GenesisBlocks.of(Network.MAIN).serialize());
    }

    @Test
    void testnet3GenesisMatchesFirstRecordOfRealBlockFile() {
        byte[] first = SharedData.blkRecords(SharedData.readData("blocks_iterator/blk-testnet.dat")).get(0);
        assertArrayEquals(first, GenesisBlocks.of(Network.TESTNET3).serialize());
    }

    @Test
    void coinbaseScriptSigIsTheHistoricalOne() {
        byte[] sig = GenesisBlocks.of(Network.MAIN).transactions().get(0).inputs().get(0).scriptSig();
        assertEquals("04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b"
                + "206f66207365636f6e64206261696c6f757420666f722062616e6b73", Hex.encode(sig));
        assertFalse(GenesisBlocks.of(Network.TESTNET4).transactions().get(0).inputs().get(0).scriptSig().length < 80);
    }
}
