package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.stream.Stream;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.Transaction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every transaction in Core's tx_valid.json and tx_invalid.json (all of them decode): the txid, wtxid and
 * sizes taken from the decoded bytes equal those of the same transaction rebuilt from its parts
 * (which serializes itself to hash), and the wtxid is the hash of the vector's bytes.
 */
class TxVectorHashesTest {
    static Stream<Arguments> rows() throws IOException {
        return Stream.concat(TxVectors.rows("tx_valid.json"), TxVectors.rows("tx_invalid.json"));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("rows")
    void decodedHashesMatchRebuilt(int index, String text, JsonNode json) throws DecodeException {
        byte[] raw = Hex.decode(json.get(1).asText());
        Transaction tx = Transaction.deserialize(raw);
        Transaction rebuilt = new Transaction(tx.version(), tx.inputs(), tx.outputs(), tx.lockTime());
        assertEquals(rebuilt.txid(), tx.txid(), text);
        assertEquals(rebuilt.wtxid(), tx.wtxid(), text);
        assertEquals(Hashes.hash256Of(raw), tx.wtxid(), text);
        assertEquals(rebuilt.baseSize(), tx.baseSize(), text);
        assertEquals(raw.length, tx.totalSize(), text);
        assertArrayEquals(raw, rebuilt.serialize(), text);
    }
}
