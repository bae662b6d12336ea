package org.jbitcoind.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkTest {
    private static final HexFormat HEX = HexFormat.of();

    /** The getchainparams vector of every network Core ships one for. */
    @ParameterizedTest
    @ValueSource(strings = {"mainnet", "testnet", "testnet4", "signet", "regtest"})
    void matchesCoreChainParams(String file) throws IOException {
        JsonNode json = vector(file);
        Network network = Network.fromId(json.get("chain").asText()).orElseThrow();

        assertEquals(json.get("test_chain").asBoolean(), network.isTestChain());
        assertEquals(json.at("/net/default_port").asInt(), network.defaultPort());
        assertEquals(json.at("/net/magic").asText(), HEX.formatHex(network.magicBytes()));
        assertEquals(json.at("/addresses/bech32_hrp").asText(), network.bech32Hrp());
        assertEquals(seeds(json), network.dnsSeeds());
    }

    /**
     * A custom signet differs from the default one only by its challenge, and BIP325 derives the
     * message start from the challenge; check that derivation on both signet vectors.
     */
    @ParameterizedTest
    @ValueSource(strings = {"signet", "signet-custom"})
    void signetMagicDerivesFromChallenge(String file) throws Exception {
        JsonNode json = vector(file);
        byte[] challenge = HEX.parseHex(json.at("/signet/challenge").asText());
        assertEquals(json.at("/net/magic").asText(), HEX.formatHex(signetMessageStart(challenge)));
        assertEquals(json.at("/net/default_port").asInt(), Network.SIGNET.defaultPort());
        assertEquals(json.at("/addresses/bech32_hrp").asText(), Network.SIGNET.bech32Hrp());
        assertEquals(json.get("test_chain").asBoolean(), Network.SIGNET.isTestChain());
    }

    @ParameterizedTest
    @CsvSource({
        "main,     MAIN,     8332,  ''",
        "test,     TESTNET3, 18332, testnet3",
        "testnet4, TESTNET4, 48332, testnet4",
        "signet,   SIGNET,   38332, signet",
        "regtest,  REGTEST,  18443, regtest"})
    void rpcPortAndDataFolderFollowCore(String id, Network expected, int rpcPort, String subdir) {
        Network network = Network.fromId(id).orElseThrow();
        assertEquals(expected, network);
        assertEquals(rpcPort, network.defaultRpcPort());
        assertEquals(subdir, network.dataSubdir());
        assertEquals(id, network.id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "mainnet", "testnet", "testnet3", "REGTEST", "signet "})
    void unknownIdsAreNotNetworks(String id) {
        assertEquals(java.util.Optional.empty(), Network.fromId(id));
    }

    @org.junit.jupiter.api.Test
    void magicIsTheWireOrder() {
        assertArrayEquals(new byte[] {(byte) 0xf9, (byte) 0xbe, (byte) 0xb4, (byte) 0xd9}, Network.MAIN.magicBytes());
        assertEquals(0xfabfb5da, Network.REGTEST.magic());
    }

    private static List<String> seeds(JsonNode json) {
        List<String> seeds = new ArrayList<>();
        // Core writes fully qualified names with the root dot; we keep host names without it.
        json.at("/net/dns_seeds").forEach(n -> seeds.add(n.asText().replaceFirst("\\.$", "")));
        return seeds;
    }

    /** BIP325: the first four bytes of SHA256d of the challenge serialized with its CompactSize length. */
    private static byte[] signetMessageStart(byte[] challenge) throws NoSuchAlgorithmException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        if (challenge.length < 253) {
            buf.write(challenge.length);
        } else {
            buf.write(253);
            buf.write(challenge.length & 0xff);
            buf.write(challenge.length >>> 8);
        }
        buf.writeBytes(challenge);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] hash = sha.digest(sha.digest(buf.toByteArray()));
        return java.util.Arrays.copyOf(hash, 4);
    }

    static JsonNode vector(String name) throws IOException {
        String shared = System.getProperty("jbitcoind.shared");
        if (shared == null) {
            throw new IllegalStateException("jbitcoind.shared is not set; run the tests through Maven");
        }
        Path file = Path.of(shared, "vectors", "bitcoin-core", "getchainparams-" + name + ".json");
        return new ObjectMapper().readTree(Files.readString(file));
    }
}
