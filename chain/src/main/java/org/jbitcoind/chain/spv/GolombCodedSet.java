package org.jbitcoind.chain.spv;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;

/**
 * BIP158 Golomb-coded set: each element is hashed with SipHash-2-4 into [0, N*M), the values are
 * sorted and their differences Golomb-Rice coded with parameter P. Serialized as CompactSize N
 * followed by the bit stream (most significant bit first, last byte zero-padded). Matching is
 * probabilistic with false-positive rate about 1/M and no false negatives.
 */
public final class GolombCodedSet {
    /** SipHash key (k0, k1), Golomb-Rice parameter P and inverse false-positive rate M. */
    public record Params(long k0, long k1, int p, long m) {
        public Params {
            if (p < 1 || p > 32 || m < 1 || m > 0xffffffffL) {
                throw new IllegalArgumentException("GCS parameters out of range: P=" + p + " M=" + m);
            }
        }
    }

    private final Params params;
    private final long[] values;
    private final byte[] encoded;

    private GolombCodedSet(Params params, long[] values, byte[] encoded) {
        this.params = params;
        this.values = values;
        this.encoded = encoded;
    }

    /** The set of the distinct {@code elements} (byte-wise equality), encoded. */
    public static GolombCodedSet build(Params params, Collection<byte[]> elements) {
        Set<ByteBuffer> distinct = new HashSet<>();
        for (byte[] e : elements) {
            distinct.add(ByteBuffer.wrap(e));
        }
        long range = (long) distinct.size() * params.m();
        long[] values = new long[distinct.size()];
        int i = 0;
        for (ByteBuffer e : distinct) {
            values[i++] = hashToRange(params, e.array(), range);
        }
        Arrays.sort(values); // all values are below 2^63, so signed order is numeric order
        ByteWriter w = new ByteWriter();
        w.writeCompactSize(values.length);
        BitWriter bits = new BitWriter(w);
        long previous = 0;
        for (long v : values) {
            golombRiceEncode(bits, params.p(), v - previous);
            previous = v;
        }
        bits.flush();
        return new GolombCodedSet(params, values, w.toByteArray());
    }

    /** Decodes a serialized set, rejecting truncated streams, impossible counts and trailing bytes. */
    public static GolombCodedSet decode(Params params, byte[] encoded) throws DecodeException {
        ByteReader r = new ByteReader(encoded);
        long n = r.readCompactSize();
        // Every element takes at least P+1 bits; checking first bounds the work and memory.
        if (Long.compareUnsigned(n, 0xffffffffL) > 0 || n * (params.p() + 1) > (long) r.remaining() * 8) {
            throw new DecodeException("GCS filter claims " + Long.toUnsignedString(n) + " elements in " + r.remaining()
                    + " bytes");
        }
        BitReader bits = new BitReader(encoded, r.position());
        long[] values = new long[(int) n];
        long value = 0;
        for (int i = 0; i < n; i++) {
            value += golombRiceDecode(bits, params.p());
            values[i] = value;
        }
        if (bits.bytePosition() != encoded.length) {
            throw new DecodeException("GCS filter has " + (encoded.length - bits.bytePosition()) + " trailing bytes");
        }
        return new GolombCodedSet(params, values, encoded.clone());
    }

    public Params params() {
        return params;
    }

    /** Number of (distinct-hash-range) elements N. */
    public int size() {
        return values.length;
    }

    /** CompactSize N followed by the Golomb-Rice bit stream. */
    public byte[] encoded() {
        return encoded.clone();
    }

    public boolean match(byte[] element) {
        long h = hashToRange(params, element, (long) values.length * params.m());
        return Arrays.binarySearch(values, h) >= 0;
    }

    /** True when any of {@code elements} is (probably) in the set: one merge pass over both sorted lists. */
    public boolean matchAny(Collection<byte[]> elements) {
        long range = (long) values.length * params.m();
        long[] queries = new long[elements.size()];
        int i = 0;
        for (byte[] e : elements) {
            queries[i++] = hashToRange(params, e, range);
        }
        Arrays.sort(queries);
        int a = 0;
        int b = 0;
        while (a < values.length && b < queries.length) {
            if (values[a] == queries[b]) {
                return true;
            }
            if (values[a] < queries[b]) {
                a++;
            } else {
                b++;
            }
        }
        return false;
    }

    /** Maps SipHash output uniformly onto [0, range) by taking the high half of the 128-bit product. */
    private static long hashToRange(Params params, byte[] element, long range) {
        long h = SipHash.hash(params.k0(), params.k1(), element);
        return unsignedMultiplyHigh(h, range);
    }

    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    private static void golombRiceEncode(BitWriter bits, int p, long x) {
        for (long q = x >>> p; q > 0; q--) {
            bits.write(1, 1);
        }
        bits.write(0, 1);
        bits.write(x & ((1L << p) - 1), p);
    }

    private static long golombRiceDecode(BitReader bits, int p) throws DecodeException {
        long q = 0;
        while (bits.read(1) == 1) {
            q++;
        }
        return q << p | bits.read(p);
    }

    /** Appends bits most-significant first. */
    private static final class BitWriter {
        private final ByteWriter out;
        private int pending;
        private int pendingBits;

        BitWriter(ByteWriter out) {
            this.out = out;
        }

        void write(long value, int count) {
            for (int i = count - 1; i >= 0; i--) {
                pending = pending << 1 | (int) (value >>> i & 1);
                if (++pendingBits == 8) {
                    out.writeU8(pending);
                    pending = 0;
                    pendingBits = 0;
                }
            }
        }

        void flush() {
            if (pendingBits > 0) {
                out.writeU8(pending << (8 - pendingBits));
                pending = 0;
                pendingBits = 0;
            }
        }
    }

    private static final class BitReader {
        private final byte[] in;
        private int bytePos;
        private int bitPos = 8; // bits of in[bytePos - 1] already consumed

        BitReader(byte[] in, int start) {
            this.in = in;
            this.bytePos = start;
        }

        long read(int count) throws DecodeException {
            long v = 0;
            for (int i = 0; i < count; i++) {
                if (bitPos == 8) {
                    if (bytePos >= in.length) {
                        throw new DecodeException("GCS filter bit stream is truncated");
                    }
                    bytePos++;
                    bitPos = 0;
                }
                v = v << 1 | ((in[bytePos - 1] >>> (7 - bitPos)) & 1);
                bitPos++;
            }
            return v;
        }

        int bytePosition() {
            return bytePos;
        }
    }
}
