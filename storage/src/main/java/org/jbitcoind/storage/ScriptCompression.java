package org.jbitcoind.storage;

import java.util.Optional;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;

/**
 * Bitcoin Core's ScriptCompression (compressor.h/.cpp), byte for byte. The common output forms
 * are stored without their opcodes, under a one-byte kind that doubles as the VARINT length prefix:
 * <ul>
 * <li>0x00 + 20 bytes: P2PKH ({@code OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG});</li>
 * <li>0x01 + 20 bytes: P2SH ({@code OP_HASH160 <20> OP_EQUAL});</li>
 * <li>0x02/0x03 + x: P2PK with a compressed key;</li>
 * <li>0x04/0x05 + x: P2PK with an uncompressed key on the curve, 0x04 | parity of y; the key is
 * recovered by point decompression.</li>
 * </ul>
 * Any other script is VARINT(size + 6) followed by its bytes.
 */
public final class ScriptCompression {
    /** Kinds 0..5 are the special forms above; a plain script's length is stored shifted past them. */
    static final int SPECIAL_SCRIPTS = 6;
    /** Core's MAX_SCRIPT_SIZE: longer scripts are unspendable and read back as a bare OP_RETURN. */
    static final int MAX_SCRIPT_SIZE = 10_000;

    private static final int OP_DUP = 0x76;
    private static final int OP_HASH160 = 0xa9;
    private static final int OP_EQUALVERIFY = 0x88;
    private static final int OP_EQUAL = 0x87;
    private static final int OP_CHECKSIG = 0xac;
    private static final int OP_RETURN = 0x6a;

    private ScriptCompression() {
    }

    /** The special-form encoding (kind byte + payload) when the script has one. */
    public static Optional<byte[]> compress(byte[] s) {
        if (isP2pkh(s)) {
            return Optional.of(kindAnd(0x00, s, 3, 20));
        }
        if (isP2sh(s)) {
            return Optional.of(kindAnd(0x01, s, 2, 20));
        }
        if (s.length == 35 && s[0] == 33 && (s[34] & 0xff) == OP_CHECKSIG && (s[1] == 0x02 || s[1] == 0x03)) {
            return Optional.of(kindAnd(s[1], s, 2, 32));
        }
        if (s.length == 67 && s[0] == 65 && (s[66] & 0xff) == OP_CHECKSIG && s[1] == 0x04
                && PubKeyPoints.isValidUncompressed(s, 1)) {
            return Optional.of(kindAnd(0x04 | (s[65] & 0x01), s, 2, 32));
        }
        return Optional.empty();
    }

    public static void write(ByteWriter w, byte[] script) {
        Optional<byte[]> special = compress(script);
        if (special.isPresent()) {
            w.writeBytes(special.get());
            return;
        }
        w.writeVarInt(script.length + (long) SPECIAL_SCRIPTS);
        w.writeBytes(script);
    }

    public static byte[] read(ByteReader r) throws DecodeException {
        long size = r.readVarInt32();
        if (size < SPECIAL_SCRIPTS) {
            return decompress((int) size, r);
        }
        long length = size - SPECIAL_SCRIPTS;
        if (length > MAX_SCRIPT_SIZE) {
            // As Core: such a script can never be spent, so only its unspendability is kept.
            r.skip((int) Math.min(length, Integer.MAX_VALUE));
            return new byte[] {(byte) OP_RETURN};
        }
        return r.readBytes((int) length);
    }

    private static byte[] decompress(int kind, ByteReader r) throws DecodeException {
        switch (kind) {
            case 0x00: {
                byte[] s = new byte[25];
                s[0] = (byte) OP_DUP;
                s[1] = (byte) OP_HASH160;
                s[2] = 20;
                System.arraycopy(r.readBytes(20), 0, s, 3, 20);
                s[23] = (byte) OP_EQUALVERIFY;
                s[24] = (byte) OP_CHECKSIG;
                return s;
            }
            case 0x01: {
                byte[] s = new byte[23];
                s[0] = (byte) OP_HASH160;
                s[1] = 20;
                System.arraycopy(r.readBytes(20), 0, s, 2, 20);
                s[22] = (byte) OP_EQUAL;
                return s;
            }
            case 0x02:
            case 0x03: {
                byte[] s = new byte[35];
                s[0] = 33;
                s[1] = (byte) kind;
                System.arraycopy(r.readBytes(32), 0, s, 2, 32);
                s[34] = (byte) OP_CHECKSIG;
                return s;
            }
            default: {
                byte[] compressed = new byte[33];
                compressed[0] = (byte) (kind - 2);
                System.arraycopy(r.readBytes(32), 0, compressed, 1, 32);
                byte[] full = PubKeyPoints.decompress(compressed).orElseThrow(() ->
                        new DecodeException("compressed P2PK script: x coordinate is not on secp256k1"));
                byte[] s = new byte[67];
                s[0] = 65;
                System.arraycopy(full, 0, s, 1, 65);
                s[66] = (byte) OP_CHECKSIG;
                return s;
            }
        }
    }

    private static boolean isP2pkh(byte[] s) {
        return s.length == 25 && (s[0] & 0xff) == OP_DUP && (s[1] & 0xff) == OP_HASH160 && s[2] == 20
                && (s[23] & 0xff) == OP_EQUALVERIFY && (s[24] & 0xff) == OP_CHECKSIG;
    }

    private static boolean isP2sh(byte[] s) {
        return s.length == 23 && (s[0] & 0xff) == OP_HASH160 && s[1] == 20 && (s[22] & 0xff) == OP_EQUAL;
    }

    private static byte[] kindAnd(int kind, byte[] s, int from, int len) {
        byte[] out = new byte[1 + len];
        out[0] = (byte) kind;
        System.arraycopy(s, from, out, 1, len);
        return out;
    }
}
