package org.jbitcoind.chain.script;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.params.provider.Arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Shared reading and checking for tx_valid.json and tx_invalid.json (Core's transaction_tests). */
final class TxVectors {
    private TxVectors() {
    }

    /** One test row: the transaction, the outputs it spends, the flags string. */
    record Row(Transaction tx, List<TxOut> spent, String flags) {
    }

    static Stream<Arguments> rows(String file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(SharedData.read(SharedData.vector(file)));
        List<Arguments> out = new ArrayList<>();
        int index = 0;
        for (JsonNode row : root) {
            index++;
            if (!row.get(0).isArray()) {
                continue;
            }
            if (row.size() != 3) {
                throw new IllegalStateException("malformed row " + index);
            }
            out.add(Arguments.of(index, row.toString(), row));
        }
        return out.stream();
    }

    static Row parse(JsonNode row) throws DecodeException {
        Map<OutPoint, TxOut> prevouts = new HashMap<>();
        for (JsonNode p : row.get(0)) {
            OutPoint op = new OutPoint(Hash256.fromHex(p.get(0).asText()), (int) p.get(1).asLong());
            long amount = p.size() >= 4 ? p.get(3).asLong() : 0;
            prevouts.put(op, new TxOut(amount, ScriptAssembler.assemble(p.get(2).asText())));
        }
        Transaction tx = Transaction.deserialize(Hex.decode(row.get(1).asText()));
        List<TxOut> spent = new ArrayList<>();
        for (var in : tx.inputs()) {
            TxOut o = prevouts.get(in.prevout());
            // Rows that fail CheckTransaction may name no prevout for some inputs.
            spent.add(o != null ? o : new TxOut(0, new byte[0]));
        }
        return new Row(tx, spent, row.get(2).asText());
    }

    /**
     * Core's CheckTxScripts: verifies inputs in order, stopping at the first failure; true when
     * the outcome (all valid / some invalid) matches {@code expectValid}.
     */
    static boolean checkTxScripts(Row row, int flags, boolean expectValid) {
        PrecomputedTransactionData data = new PrecomputedTransactionData(row.tx(), row.spent());
        ScriptVerifier verifier = new ScriptVerifier();
        boolean valid = true;
        for (int i = 0; i < row.tx().inputs().size() && valid; i++) {
            valid = verifier.verify(data, i, flags) == ScriptError.OK;
        }
        return valid == expectValid;
    }

    /** Core's ExcludeIndividualFlags: each distinct trimmed set with one flag removed. */
    static List<Integer> excludeIndividualFlags(int flags) {
        List<Integer> out = new ArrayList<>();
        for (int bit : FlagNames.ALL.values()) {
            int without = FlagNames.trim(flags & ~bit);
            if (without != flags) {
                out.add(without);
            }
        }
        return out;
    }
}
