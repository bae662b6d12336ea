package org.jbitcoind.chain.script;

/** Core's CScriptNum: little-endian sign-magnitude numbers of at most 4 (or 5) bytes. */
final class ScriptNum {
    static final int DEFAULT_MAX_SIZE = 4;

    private ScriptNum() {
    }

    static long decode(byte[] vch, boolean requireMinimal, int maxSize) {
        if (vch.length > maxSize) {
            throw new ScriptFailure(ScriptError.SCRIPTNUM);
        }
        if (requireMinimal && !isMinimal(vch)) {
            throw new ScriptFailure(ScriptError.SCRIPTNUM);
        }
        if (vch.length == 0) {
            return 0;
        }
        long result = 0;
        for (int i = 0; i < vch.length; i++) {
            result |= (long) (vch[i] & 0xff) << (8 * i);
        }
        if ((vch[vch.length - 1] & 0x80) != 0) {
            return -(result & ~(0x80L << (8 * (vch.length - 1))));
        }
        return result;
    }

    static boolean isMinimal(byte[] vch) {
        int n = vch.length;
        if (n > 0 && (vch[n - 1] & 0x7f) == 0) {
            return n > 1 && (vch[n - 2] & 0x80) != 0;
        }
        return true;
    }

    static byte[] encode(long value) {
        if (value == 0) {
            return new byte[0];
        }
        boolean neg = value < 0;
        long abs = neg ? -value : value;
        byte[] tmp = new byte[9];
        int n = 0;
        while (abs != 0) {
            tmp[n++] = (byte) abs;
            abs >>>= 8;
        }
        if ((tmp[n - 1] & 0x80) != 0) {
            tmp[n++] = (byte) (neg ? 0x80 : 0);
        } else if (neg) {
            tmp[n - 1] |= (byte) 0x80;
        }
        byte[] out = new byte[n];
        System.arraycopy(tmp, 0, out, 0, n);
        return out;
    }

    /** Core's getint(): the value clamped to the int range. */
    static int toInt(long v) {
        if (v > Integer.MAX_VALUE) {
            return Integer.MAX_VALUE;
        }
        if (v < Integer.MIN_VALUE) {
            return Integer.MIN_VALUE;
        }
        return (int) v;
    }

    /** Core's CastToBool: any non-zero byte, except a lone sign bit at the end (negative zero). */
    static boolean castToBool(byte[] vch) {
        for (int i = 0; i < vch.length; i++) {
            if (vch[i] != 0) {
                return !(i == vch.length - 1 && (vch[i] & 0xff) == 0x80);
            }
        }
        return false;
    }
}
