package org.jbitcoind.chain.params;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;

import org.jbitcoind.chain.script.ScriptFlags;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ChainParamsTest {
    /** Every field Core's getchainparams lists for the network matches ours. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "MAIN, getchainparams-mainnet.json",
        "TESTNET3, getchainparams-testnet.json",
        "TESTNET4, getchainparams-testnet4.json",
        "SIGNET, getchainparams-signet.json",
        "REGTEST, getchainparams-regtest.json",
    })
    void matchesCoreGetChainParams(Network network, String file) throws Exception {
        ChainParams p = ChainParams.of(network);
        JsonNode json = new ObjectMapper().readTree(SharedData.read(SharedData.vector(file)));
        assertEquals(network.id(), json.get("chain").asText());
        assertEquals(json.get("genesis").asText(), Hex.encode(p.genesisHash().bytes()));
        assertEquals(json.get("subsidy_halving_interval").asInt(), p.subsidyHalvingInterval());
        JsonNode pow = json.get("pow");
        assertEquals(new BigInteger(pow.get("limit").asText(), 16), p.powLimit());
        if (pow.has("target_spacing")) {
            assertEquals(pow.get("target_spacing").asLong(), p.powTargetSpacing());
        }
        if (pow.has("difficulty_retarget_interval")) {
            assertEquals(pow.get("difficulty_retarget_interval").asInt(), p.difficultyAdjustmentInterval());
        }
        if (pow.has("mindiff_blocks")) {
            String mode = pow.get("mindiff_blocks").asText();
            assertEquals(!mode.equals("no"), p.powAllowMinDifficultyBlocks());
            assertEquals(mode.equals("bip94"), p.enforceBip94());
        }
        if (json.has("signet")) {
            assertArrayEquals(Hex.decode(json.get("signet").get("challenge").asText()), p.signetChallenge());
            assertTrue(p.signetBlocks());
        } else {
            assertFalse(p.signetBlocks());
        }
    }

    @Test
    void customSignetChallengeFromCoreVector() throws Exception {
        JsonNode json = new ObjectMapper().readTree(
                SharedData.read(SharedData.vector("getchainparams-signet-custom.json")));
        byte[] challenge = Hex.decode(json.get("signet").get("challenge").asText());
        ChainParams p = ChainParams.signet(challenge);
        assertArrayEquals(challenge, p.signetChallenge());
        assertEquals(json.get("genesis").asText(), Hex.encode(p.genesisHash().bytes()));
        assertEquals(BigInteger.ZERO, p.minimumChainWork());
        assertEquals(Hash256.ZERO, p.defaultAssumeValid());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // network, BIP34, BIP65, BIP66, CSV, segwit, timespan, noRetarget, maturity
        "MAIN, 227931, 388381, 363725, 419328, 481824, 1209600, false",
        "TESTNET3, 21111, 581885, 330776, 770112, 834624, 1209600, false",
        "TESTNET4, 1, 1, 1, 1, 1, 1209600, false",
        "SIGNET, 1, 1, 1, 1, 1, 1209600, false",
        "REGTEST, 1, 1, 1, 1, 0, 86400, true",
    })
    void activationHeights(Network network, int bip34, int bip65, int bip66, int csv, int segwit, long timespan,
            boolean noRetarget) {
        ChainParams p = ChainParams.of(network);
        assertEquals(bip34, p.bip34Height());
        assertEquals(bip65, p.bip65Height());
        assertEquals(bip66, p.bip66Height());
        assertEquals(csv, p.csvHeight());
        assertEquals(segwit, p.segwitHeight());
        assertEquals(timespan, p.powTargetTimespan());
        assertEquals(noRetarget, p.powNoRetargeting());
        assertEquals(100, p.coinbaseMaturity());
    }

    @Test
    void mainnetExceptionsAndAssumedValid() {
        ChainParams p = ChainParams.of(Network.MAIN);
        assertEquals(ScriptFlags.NONE, p.scriptFlagExceptions()
                .get(Hash256.fromHex("00000000000002dc756eebf4f49723ed8d30cc28a5f108eb94b1ba88ac4f9c22")));
        assertEquals(ScriptFlags.P2SH | ScriptFlags.WITNESS, p.scriptFlagExceptions()
                .get(Hash256.fromHex("0000000000000000000f14c35b2d841e986ab5441de8c585d5ffe55ea1e395ad")));
        assertEquals(2, p.bip30RepeatBlocks().size());
        assertEquals(Hash256.fromHex("00000000000a4d0a398161ffc163c503763b1f4360639393e0e4c8e300e0caec"),
                p.bip30RepeatBlocks().get(91842));
        assertEquals(Hash256.fromHex("000000000000024b89b42a942fe0d9fea3bb44ab7bd1b19115dd6a759c0808b8"), p.bip34Hash());
        assertEquals(Hash256.fromHex("00000000000000000000611fd22f2df7c8fbd0688745c3a6c3bb5109cc2a12cb"),
                p.defaultAssumeValid());
        assertEquals(new BigInteger("dee8e2a309ad8a9820433c68", 16), p.minimumChainWork());
        assertEquals(709_632, p.taproot().minActivationHeight());
        assertEquals(0x1d00ffffL, p.powLimitBits());
        assertTrue(ChainParams.of(Network.TESTNET4).taproot().alwaysActive());
        assertTrue(ChainParams.of(Network.REGTEST).bip30RepeatBlocks().isEmpty());
        assertEquals(Hash256.ZERO, ChainParams.of(Network.REGTEST).defaultAssumeValid());
        assertEquals(0x1e0377aeL, ChainParams.of(Network.SIGNET).powLimitBits());
    }

    @Test
    void regtestOverrides() {
        ChainParams p = ChainParams.regtest(java.util.Map.of("segwit", 432, "bip34", 500, "csv", 432, "dersig", 1251,
                "cltv", 1351), true);
        assertEquals(432, p.segwitHeight());
        assertEquals(500, p.bip34Height());
        assertEquals(432, p.csvHeight());
        assertEquals(1251, p.bip66Height());
        assertEquals(1351, p.bip65Height());
        assertTrue(p.enforceBip94());
        assertEquals(150, p.subsidyHalvingInterval());
        assertEquals(ChainParams.of(Network.REGTEST).genesisHash(), p.genesisHash());
        assertFalse(ChainParams.of(Network.REGTEST).enforceBip94());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ChainParams.regtest(java.util.Map.of("taproot", 5), false));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ChainParams.regtest(java.util.Map.of("csv", -1), false));
    }
}
