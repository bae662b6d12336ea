package org.jbitcoind.chain.script;

import java.security.MessageDigest;

import org.jbitcoind.chain.crypto.SignatureVerifier;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hashes;

/** BIP341 commitment hashes: leaves, branches, the output-key tweak and control-block checks. */
public final class Taproot {
    public static final int LEAF_TAPSCRIPT = 0xc0;
    public static final int LEAF_MASK = 0xfe;
    public static final int CONTROL_BASE_SIZE = 33;
    public static final int CONTROL_NODE_SIZE = 32;
    public static final int CONTROL_MAX_NODE_COUNT = 128;
    public static final int CONTROL_MAX_SIZE = CONTROL_BASE_SIZE + CONTROL_NODE_SIZE * CONTROL_MAX_NODE_COUNT;
    public static final int ANNEX_TAG = 0x50;

    private Taproot() {
    }

    /** TaggedHash("TapLeaf", leafVersion || compactSize(script) || script). */
    public static byte[] leafHash(int leafVersion, byte[] script) {
        ByteWriter w = new ByteWriter(script.length + 10);
        w.writeU8(leafVersion);
        w.writeVarBytes(script);
        return Hashes.taggedHash("TapLeaf", w.toByteArray());
    }

    /** TaggedHash("TapBranch", min(a,b) || max(a,b)): children sorted lexicographically. */
    public static byte[] branchHash(byte[] a, byte[] b) {
        boolean aFirst = compare(a, b) < 0;
        MessageDigest md = Hashes.taggedDigest("TapBranch");
        md.update(aFirst ? a : b);
        md.update(aFirst ? b : a);
        return md.digest();
    }

    /** TaggedHash("TapTweak", internalKey || merkleRoot); merkleRoot may be null (key path only). */
    public static byte[] tweakHash(byte[] internalKey32, byte[] merkleRoot) {
        MessageDigest md = Hashes.taggedDigest("TapTweak");
        md.update(internalKey32);
        if (merkleRoot != null) {
            md.update(merkleRoot);
        }
        return md.digest();
    }

    /** The merkle root implied by a control block's path and a leaf hash. */
    public static byte[] merkleRoot(byte[] control, byte[] leafHash) {
        byte[] k = leafHash;
        int nodes = (control.length - CONTROL_BASE_SIZE) / CONTROL_NODE_SIZE;
        for (int i = 0; i < nodes; i++) {
            byte[] node = new byte[32];
            System.arraycopy(control, CONTROL_BASE_SIZE + CONTROL_NODE_SIZE * i, node, 0, 32);
            k = branchHash(k, node);
        }
        return k;
    }

    /** BIP341 VerifyTaprootCommitment: the program is the internal key tweaked with the path's root. */
    static boolean verifyCommitment(SignatureVerifier verifier, byte[] control, byte[] program, byte[] leafHash) {
        byte[] internal = new byte[32];
        System.arraycopy(control, 1, internal, 0, 32);
        byte[] root = merkleRoot(control, leafHash);
        return verifier.checkTapTweak(program, control[0] & 1, internal, tweakHash(internal, root));
    }

    private static int compare(byte[] a, byte[] b) {
        for (int i = 0; i < 32; i++) {
            int x = a[i] & 0xff;
            int y = b[i] & 0xff;
            if (x != y) {
                return x < y ? -1 : 1;
            }
        }
        return 0;
    }
}
