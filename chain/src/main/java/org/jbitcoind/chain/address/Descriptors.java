package org.jbitcoind.chain.address;

import java.util.ArrayList;
import java.util.List;
import org.jbitcoind.chain.crypto.Secp256k1Provider;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.chain.script.Taproot;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hashes;

/**
 * Output script descriptors (BIP380 onwards), the subset a wallet-less node needs: the checksum,
 * inferring a descriptor from an output script (decodescript, "desc" fields), and turning a
 * descriptor with literal hex keys into its output script (generatetodescriptor): addr(), raw(),
 * pk(), pkh(), wpkh(), sh(wpkh()), tr() without a script tree, rawtr().
 */
public final class Descriptors {
    private static final String INPUT_CHARSET = "0123456789()[],'/*abcdefgh@:$%{}"
            + "IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#\"\\ ";
    private static final String CHECKSUM_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final long[] GENERATOR = {0xf5dee51989L, 0xa9fdca3312L, 0x1bab10e32dL, 0x3706b1677aL,
        0x644d626ffdL};

    private Descriptors() {
    }

    /** The 8-character BIP380 checksum of a descriptor without one. */
    public static String checksum(String descriptor) throws AddressException {
        long c = 1;
        int cls = 0;
        int clsCount = 0;
        for (int i = 0; i < descriptor.length(); i++) {
            int pos = INPUT_CHARSET.indexOf(descriptor.charAt(i));
            if (pos < 0) {
                throw new AddressException("Invalid characters in payload");
            }
            c = polymod(c, pos & 31);
            cls = cls * 3 + (pos >> 5);
            if (++clsCount == 3) {
                c = polymod(c, cls);
                cls = 0;
                clsCount = 0;
            }
        }
        if (clsCount > 0) {
            c = polymod(c, cls);
        }
        for (int i = 0; i < 8; i++) {
            c = polymod(c, 0);
        }
        c ^= 1;
        StringBuilder out = new StringBuilder(8);
        for (int j = 0; j < 8; j++) {
            out.append(CHECKSUM_CHARSET.charAt((int) ((c >> (5 * (7 - j))) & 31)));
        }
        return out.toString();
    }

    /** {@code descriptor#checksum}. */
    public static String withChecksum(String descriptor) {
        try {
            return descriptor + "#" + checksum(descriptor);
        } catch (AddressException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The descriptor Core infers for an output script when it knows no keys or scripts (Core's
     * InferDescriptor with an empty provider), with checksum.
     */
    public static String infer(byte[] script, Network network) {
        StandardScripts.Solution s = StandardScripts.solve(script);
        String body = switch (s.type()) {
            case PUBKEY -> validKey(s.data().get(0)) ? "pk(" + Hex.encode(s.data().get(0)) + ")" : null;
            case MULTISIG -> multi(s);
            case WITNESS_V1_TAPROOT -> "rawtr(" + Hex.encode(s.data().get(0)) + ")";
            default -> null;
        };
        if (body == null) {
            body = Addresses.fromScript(script, network).map(a -> "addr(" + a + ")")
                    .orElse("raw(" + Hex.encode(script) + ")");
        }
        return withChecksum(body);
    }

    private static String multi(StandardScripts.Solution s) {
        List<byte[]> data = s.data();
        List<String> parts = new ArrayList<>();
        parts.add(Integer.toString(data.get(0)[0] & 0xff));
        for (int i = 1; i < data.size() - 1; i++) {
            if (!validKey(data.get(i))) {
                return null;
            }
            parts.add(Hex.encode(data.get(i)));
        }
        return "multi(" + String.join(",", parts) + ")";
    }

    private static boolean validKey(byte[] key) {
        return Secp256k1Provider.get().isValidPubKey(key);
    }

    /**
     * The output script of a descriptor. A checksum, when present, must be right; without one the
     * descriptor is accepted (Core requires it only where it says so).
     */
    public static byte[] toScript(String descriptor, Network network, boolean requireChecksum) throws AddressException {
        String body = descriptor;
        int hash = descriptor.indexOf('#');
        if (hash >= 0) {
            body = descriptor.substring(0, hash);
            String given = descriptor.substring(hash + 1);
            if (given.length() != 8) {
                throw new AddressException("Expected 8 character checksum, not " + given.length() + " characters");
            }
            String expected = checksum(body);
            if (!given.equals(expected)) {
                throw new AddressException("Provided checksum '" + given + "' does not match computed checksum '"
                        + expected + "'");
            }
        } else if (requireChecksum) {
            throw new AddressException("Missing checksum");
        }
        return parse(body, network, true);
    }

    private static byte[] parse(String d, Network network, boolean top) throws AddressException {
        if (top && d.startsWith("addr(") && d.endsWith(")")) {
            return Addresses.toScript(inner(d, "addr"), network);
        }
        if (top && d.startsWith("raw(") && d.endsWith(")")) {
            String hex = inner(d, "raw");
            if (!Hex.isHex(hex)) {
                throw new AddressException("Raw script is not hex");
            }
            return Hex.decode(hex);
        }
        if (d.startsWith("pk(") && d.endsWith(")")) {
            byte[] key = key(inner(d, "pk"));
            byte[] s = new byte[key.length + 2];
            s[0] = (byte) key.length;
            System.arraycopy(key, 0, s, 1, key.length);
            s[s.length - 1] = (byte) 0xac; // OP_CHECKSIG
            return s;
        }
        if (d.startsWith("pkh(") && d.endsWith(")")) {
            return StandardScripts.payToPubkeyHash(Hashes.hash160(key(inner(d, "pkh"))));
        }
        if (d.startsWith("wpkh(") && d.endsWith(")")) {
            byte[] key = key(inner(d, "wpkh"));
            if (key.length != 33) {
                throw new AddressException("Uncompressed keys are not allowed");
            }
            return StandardScripts.witnessProgram(0, Hashes.hash160(key));
        }
        if (top && d.startsWith("sh(") && d.endsWith(")")) {
            byte[] redeem = parse(inner(d, "sh"), network, false);
            return StandardScripts.payToScriptHash(Hashes.hash160(redeem));
        }
        if (top && (d.startsWith("tr(") || d.startsWith("rawtr(")) && d.endsWith(")")) {
            boolean raw = d.startsWith("rawtr(");
            String arg = inner(d, raw ? "rawtr" : "tr");
            if (arg.contains(",")) {
                throw new AddressException("tr() with a script tree is not supported");
            }
            byte[] xonly = xOnly(arg);
            byte[] output = raw ? xonly : tweak(xonly);
            return StandardScripts.witnessProgram(1, output);
        }
        throw new AddressException("'" + d + "' is not a supported descriptor (addr, raw, pk, pkh, wpkh, sh(wpkh),"
                + " tr, rawtr with hex keys)");
    }

    private static String inner(String d, String name) {
        return d.substring(name.length() + 1, d.length() - 1);
    }

    private static byte[] key(String hex) throws AddressException {
        if (!Hex.isHex(hex) || !validKey(Hex.decode(hex))) {
            throw new AddressException("key '" + hex + "' is not valid");
        }
        return Hex.decode(hex);
    }

    private static byte[] xOnly(String hex) throws AddressException {
        if (!Hex.isHex(hex) || (hex.length() != 64 && hex.length() != 66)) {
            throw new AddressException("key '" + hex + "' is not valid");
        }
        byte[] k = Hex.decode(hex);
        if (k.length == 33) {
            key(hex);
            return java.util.Arrays.copyOfRange(k, 1, 33);
        }
        if (!validKey(Hex.decode("02" + hex))) {
            throw new AddressException("key '" + hex + "' is not valid");
        }
        return k;
    }

    /** BIP341 output key for a key-path-only output (BIP86: no script tree). */
    private static byte[] tweak(byte[] internal) throws AddressException {
        byte[] q = Secp256k1Provider.get().tweakXOnly(internal, Taproot.tweakHash(internal, null));
        if (q == null) {
            throw new AddressException("taproot tweak failed");
        }
        return java.util.Arrays.copyOfRange(q, 1, 33);
    }


    private static long polymod(long c, int val) {
        long c0 = c >>> 35;
        c = ((c & 0x7ffffffffL) << 5) ^ val;
        for (int i = 0; i < 5; i++) {
            if (((c0 >> i) & 1) != 0) {
                c ^= GENERATOR[i];
            }
        }
        return c;
    }
}
