package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.jbitcoind.chain.validation.TxCheck;
import org.jbitcoind.chain.validation.ValidationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** Every row of Core's tx_invalid.json, where the listed flags are the ones APPLIED. */
class TxInvalidVectorTest {
    static Stream<Arguments> rows() throws IOException {
        return TxVectors.rows("tx_invalid.json");
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("rows")
    void row(int index, String text, JsonNode json) throws Exception {
        TxVectors.Row row = TxVectors.parse(json);
        if (row.flags().equals("BADTX")) {
            assertThrows(ValidationException.class, () -> TxCheck.checkTransaction(row.tx()), text);
            return;
        }
        TxCheck.checkTransaction(row.tx());
        int flags = FlagNames.parse(row.flags());
        assertEquals(flags, FlagNames.fill(flags), "bad test flags: " + text);

        assertTrue(TxVectors.checkTxScripts(row, flags, false), "tx unexpectedly passed: " + text);

        // Adding any flag (or random flags) must keep an invalid transaction invalid.
        SplittableRandom random = new SplittableRandom(index);
        for (Map.Entry<String, Integer> flag : FlagNames.ALL.entrySet()) {
            int more = FlagNames.fill(flags | flag.getValue());
            assertTrue(TxVectors.checkTxScripts(row, more, false), "passes with " + flag.getKey() + ": " + text);
            int randomMore = FlagNames.fill(flags | random.nextInt(1 << FlagNames.ALL.size()));
            assertTrue(TxVectors.checkTxScripts(row, randomMore, false),
                    "passes with flags " + Integer.toHexString(randomMore) + ": " + text);
        }
        // Minimality: each listed flag is needed for the failure.
        for (int excludingOne : TxVectors.excludeIndividualFlags(flags)) {
            assertTrue(TxVectors.checkTxScripts(row, excludingOne, true),
                    "fails with flags " + Integer.toHexString(excludingOne) + ": " + text);
        }
    }
}
