package org.jbitcoind.chain.script;

/** Per-input state shared between the witness checks and the tapscript interpreter (Core's ScriptExecutionData). */
final class ExecData {
    /** BIP342: position of the last executed OP_CODESEPARATOR, 0xffffffff if none. */
    long codeSeparatorPos = 0xffffffffL;
    boolean annexPresent;
    byte[] annexHash;
    byte[] tapleafHash;
    /** BIP342 validation weight budget left. */
    long validationWeightLeft;
    /** BIP341 SIGHASH_SINGLE: hash of the output at this input's index, computed once. */
    byte[] singleOutputHash;
}
