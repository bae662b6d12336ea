package org.jbitcoind.chain.script;

import java.util.LinkedHashMap;
import java.util.Map;

/** Core's script flag names, as the test vectors write them. */
final class FlagNames {
    static final Map<String, Integer> ALL = new LinkedHashMap<>();

    static {
        String[] names = {"P2SH", "STRICTENC", "DERSIG", "LOW_S", "NULLDUMMY", "SIGPUSHONLY", "MINIMALDATA",
            "DISCOURAGE_UPGRADABLE_NOPS", "CLEANSTACK", "CHECKLOCKTIMEVERIFY", "CHECKSEQUENCEVERIFY", "WITNESS",
            "DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM", "MINIMALIF", "NULLFAIL", "WITNESS_PUBKEYTYPE",
            "CONST_SCRIPTCODE", "TAPROOT", "DISCOURAGE_UPGRADABLE_TAPROOT_VERSION", "DISCOURAGE_OP_SUCCESS",
            "DISCOURAGE_UPGRADABLE_PUBKEYTYPE"};
        for (int i = 0; i < names.length; i++) {
            ALL.put(names[i], 1 << i);
        }
    }

    static final int ALL_FLAGS = (1 << 21) - 1;

    private FlagNames() {
    }

    static int parse(String s) {
        int flags = 0;
        if (s.isEmpty() || s.equals("NONE")) {
            return 0;
        }
        for (String name : s.split(",")) {
            Integer bit = ALL.get(name);
            if (bit == null) {
                throw new IllegalArgumentException("unknown flag " + name);
            }
            flags |= bit;
        }
        return flags;
    }

    /** Core's FillFlags: CLEANSTACK implies WITNESS, WITNESS implies P2SH. */
    static int fill(int flags) {
        if ((flags & ScriptFlags.CLEANSTACK) != 0) {
            flags |= ScriptFlags.WITNESS;
        }
        if ((flags & ScriptFlags.WITNESS) != 0) {
            flags |= ScriptFlags.P2SH;
        }
        return flags;
    }

    /** Core's TrimFlags: drop WITNESS without P2SH, CLEANSTACK without WITNESS. */
    static int trim(int flags) {
        if ((flags & ScriptFlags.P2SH) == 0) {
            flags &= ~ScriptFlags.WITNESS;
        }
        if ((flags & ScriptFlags.WITNESS) == 0) {
            flags &= ~ScriptFlags.CLEANSTACK;
        }
        return flags;
    }
}
