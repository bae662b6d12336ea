package org.jbitcoind.chain.spv;

/**
 * MurmurHash3, the 32-bit x86 variant, which BIP37 bloom filters use to pick bit positions.
 * All arithmetic is modulo 2^32, so Java's wrapping {@code int} operations are exactly right.
 */
public final class Murmur3 {
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Murmur3() {
    }

    public static int hash32(int seed, byte[] data) {
        return hash32(seed, data, 0, data.length);
    }

    public static int hash32(int seed, byte[] data, int offset, int length) {
        int h = seed;
        int blocksEnd = offset + (length & ~3);
        for (int i = offset; i < blocksEnd; i += 4) {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
            h ^= mixK(k);
            h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
        }
        int k = 0;
        switch (length & 3) {
            case 3:
                k ^= (data[blocksEnd + 2] & 0xff) << 16;
                // fall through
            case 2:
                k ^= (data[blocksEnd + 1] & 0xff) << 8;
                // fall through
            case 1:
                k ^= data[blocksEnd] & 0xff;
                h ^= mixK(k);
                break;
            default:
                break;
        }
        h ^= length;
        return finalMix(h);
    }

    private static int mixK(int k) {
        return Integer.rotateLeft(k * C1, 15) * C2;
    }

    private static int finalMix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
