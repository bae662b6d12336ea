package org.jbitcoind.chain.state;

import java.util.Objects;

import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.validation.BlockChecks;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.primitives.Block;

/**
 * A block with the work that needs no chain state already done by the thread that submits it:
 * the context-free checks (Core's CheckBlock, which Core's ProcessNewBlock also runs in the
 * caller's thread before it takes cs_main) and the serialization that is stored. The chain thread,
 * the serial part of validation, then starts at the checks that need the block's parent.
 *
 * @param block        the block
 * @param checked      whether {@link BlockChecks#checkBlock} already ran; false leaves it to the chain thread
 * @param checkFailure what checkBlock threw (reported by the chain thread where it would have run it), or null
 * @param serialized   the block's serialization when it passed the checks, or null to serialize on storing
 */
record PreparedBlock(Block block, boolean checked, ValidationException checkFailure, byte[] serialized) {
    PreparedBlock {
        Objects.requireNonNull(block, "block");
    }

    /** Nothing done yet: the chain thread checks and serializes itself. */
    static PreparedBlock unchecked(Block block) {
        return new PreparedBlock(block, false, null, null);
    }

    /** Runs the context-free checks and serializes the block on the calling thread. */
    static PreparedBlock prepare(Block block, ChainParams params, ScriptVerifier verifier) {
        return prepare(block, null, params, verifier);
    }

    /**
     * {@link #prepare(Block, ChainParams, ScriptVerifier)} for a block decoded from {@code raw}
     * (all of it: the decoder accepts only canonical encodings, so re-encoding would give these very
     * bytes), which are stored as they are instead of being serialized again; null serializes.
     */
    static PreparedBlock prepare(Block block, byte[] raw, ChainParams params, ScriptVerifier verifier) {
        try {
            BlockChecks.checkBlock(block, params, verifier);
        } catch (ValidationException e) {
            return new PreparedBlock(block, true, e, null);
        }
        boolean reuse = raw != null && raw.length == block.totalSize();
        return new PreparedBlock(block, true, null, reuse ? raw : block.serialize());
    }
}
