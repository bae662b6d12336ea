package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.jbitcoind.chain.validation.TxCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** Every row of Core's tx_valid.json, where the listed flags are the ones EXCLUDED from all flags. */
class TxValidVectorTest {
    static Stream<Arguments> rows() throws IOException {
        return TxVectors.rows("tx_valid.json");
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("rows")
    void row(int index, String text, JsonNode json) throws Exception {
        TxVectors.Row row = TxVectors.parse(json);
        assertDoesNotThrow(() -> TxCheck.checkTransaction(row.tx()), text);
        int excluded = FlagNames.parse(row.flags());
        assertEquals(~excluded, FlagNames.fill(~excluded), "bad test flags: " + text);

        assertTrue(TxVectors.checkTxScripts(row, ~excluded, true), "tx unexpectedly failed: " + text);

        // Removing any flag (or random flags) must keep a valid transaction valid.
        SplittableRandom random = new SplittableRandom(index);
        for (Map.Entry<String, Integer> flag : FlagNames.ALL.entrySet()) {
            int fewer = FlagNames.trim(~(excluded | flag.getValue()));
            assertTrue(TxVectors.checkTxScripts(row, fewer, true), "fails without " + flag.getKey() + ": " + text);
            int randomFewer = FlagNames.trim(~(excluded | random.nextInt(1 << FlagNames.ALL.size())));
            assertTrue(TxVectors.checkTxScripts(row, randomFewer, true),
                    "fails with flags " + Integer.toHexString(randomFewer) + ": " + text);
        }
        // Maximality: each excluded flag is needed.
        for (int excludingOne : TxVectors.excludeIndividualFlags(excluded)) {
            assertTrue(TxVectors.checkTxScripts(row, ~excludingOne, false),
                    "passes with excluded flags " + Integer.toHexString(excludingOne) + ": " + text);
        }
    }
}
