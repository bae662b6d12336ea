package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.jbitcoind.chain.script.ScriptFlags;
import org.jbitcoind.chain.script.ScriptType;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Dust thresholds, output standardness and flag sets against Core's well-known values. */
class PolicyTest {
    /** Core's dust limits at the default 3000 sat/kvB (e.g. 546 for P2PKH, 294 for P2WPKH, 330 for P2TR). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "p2pkh, 76a914000000000000000000000000000000000000000088ac, 546",
        "p2sh, a914000000000000000000000000000000000000000087, 540",
        "p2wpkh, 00140000000000000000000000000000000000000000, 294",
        "p2wsh, 00200000000000000000000000000000000000000000000000000000000000000000, 330",
        "p2tr, 51200000000000000000000000000000000000000000000000000000000000000000, 330",
        "op_return, 6a0401020304, 0",
    })
    void dustThresholds(String name, String script, long threshold) {
        TxOut out = new TxOut(0, Hex.decode(script));
        assertEquals(threshold, Policy.dustThreshold(out, MempoolOptions.DEFAULT_DUST_RELAY_FEE));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "1-of-1, 512102" + "0000000000000000000000000000000000000000000000000000000000000001" + "51ae, MULTISIG",
        "1-of-4, 51" + "2102" + "0000000000000000000000000000000000000000000000000000000000000001"
                + "2102" + "0000000000000000000000000000000000000000000000000000000000000002"
                + "2102" + "0000000000000000000000000000000000000000000000000000000000000003"
                + "2102" + "0000000000000000000000000000000000000000000000000000000000000004" + "54ae, NONSTANDARD",
        "witness v2, 52020000, WITNESS_UNKNOWN",
        "anchor, 51024e73, ANCHOR",
        "op_true, 51, NONSTANDARD",
    })
    void outputStandardness(String name, String script, ScriptType expected) {
        assertEquals(expected, Policy.standardOutputType(Hex.decode(script)));
    }

    @Test
    void flagSets() {
        int mandatory = Policy.MANDATORY_SCRIPT_VERIFY_FLAGS;
        assertEquals(mandatory, Policy.STANDARD_SCRIPT_VERIFY_FLAGS & mandatory);
        assertEquals(0, mandatory & ScriptFlags.LOW_S);
        assertEquals(ScriptFlags.LOW_S, Policy.STANDARD_SCRIPT_VERIFY_FLAGS & ScriptFlags.LOW_S);
        assertEquals(ScriptFlags.TAPROOT, mandatory & ScriptFlags.TAPROOT);
    }

    @Test
    void scriptSigSizeAndFeeRates() {
        TxIn big = new TxIn(new OutPoint(Hash256.ZERO, 0), new byte[1651], 0);
        Transaction tx = new Transaction(2, List.of(big), List.of(new TxOut(1000, Hex.decode(
                "00140000000000000000000000000000000000000000"))), 0);
        ValidationException e = assertThrows(ValidationException.class,
                () -> Policy.checkStandardTx(tx, MempoolOptions.defaults()));
        assertEquals("scriptsig-size", e.rejectReason());

        assertEquals(1, new FeeRate(100).fee(1), "a positive rate never rounds to zero");
        assertEquals(14, new FeeRate(100).fee(141));
        assertEquals(423, new FeeRate(3000).fee(141));
        assertEquals(1_000, FeeRate.of(141, 141).satPerKvB());
    }
}
