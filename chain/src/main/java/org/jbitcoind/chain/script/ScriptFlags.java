package org.jbitcoind.chain.script;

/**
 * Script verification flags, with the same meaning and bit positions as Bitcoin Core's
 * SCRIPT_VERIFY_* constants, so that flag sets read from Core's test vectors map one to one.
 */
public final class ScriptFlags {
    public static final int NONE = 0;
    /** BIP16. */
    public static final int P2SH = 1;
    public static final int STRICTENC = 1 << 1;
    /** BIP66. */
    public static final int DERSIG = 1 << 2;
    public static final int LOW_S = 1 << 3;
    /** BIP147. */
    public static final int NULLDUMMY = 1 << 4;
    public static final int SIGPUSHONLY = 1 << 5;
    public static final int MINIMALDATA = 1 << 6;
    public static final int DISCOURAGE_UPGRADABLE_NOPS = 1 << 7;
    public static final int CLEANSTACK = 1 << 8;
    /** BIP65. */
    public static final int CHECKLOCKTIMEVERIFY = 1 << 9;
    /** BIP112. */
    public static final int CHECKSEQUENCEVERIFY = 1 << 10;
    /** BIP141/143. */
    public static final int WITNESS = 1 << 11;
    public static final int DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM = 1 << 12;
    public static final int MINIMALIF = 1 << 13;
    public static final int NULLFAIL = 1 << 14;
    public static final int WITNESS_PUBKEYTYPE = 1 << 15;
    public static final int CONST_SCRIPTCODE = 1 << 16;
    /** BIP341/342. */
    public static final int TAPROOT = 1 << 17;
    public static final int DISCOURAGE_UPGRADABLE_TAPROOT_VERSION = 1 << 18;
    public static final int DISCOURAGE_OP_SUCCESS = 1 << 19;
    public static final int DISCOURAGE_UPGRADABLE_PUBKEYTYPE = 1 << 20;

    private ScriptFlags() {
    }
}
