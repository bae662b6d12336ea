package org.jbitcoind.chain.spv;

import java.util.Arrays;

import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.FilterAddMessage;
import org.jbitcoind.protocol.message.FilterLoadMessage;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * A BIP37 bloom filter as a peer loads it with filterload (Core's CBloomFilter). It is mutable:
 * filteradd inserts elements and, depending on the update flags, matching a transaction inserts
 * the matched outpoints. Methods are synchronized because a peer's filter is read by relay and
 * written by that peer's message handling.
 */
public final class BloomFilter {
    public static final int MAX_FILTER_SIZE = FilterLoadMessage.MAX_FILTER_SIZE;
    public static final int MAX_HASH_FUNCTIONS = FilterLoadMessage.MAX_HASH_FUNCTIONS;
    public static final int MAX_ELEMENT_SIZE = FilterAddMessage.MAX_DATA_SIZE;

    /** BIP37 nFlags: never add outpoints of matched outputs. */
    public static final int UPDATE_NONE = 0;
    /** Add the outpoint of every output whose script has a matching data push. */
    public static final int UPDATE_ALL = 1;
    /** Add the outpoint only for matching pay-to-pubkey and bare multisig outputs. */
    public static final int UPDATE_P2PUBKEY_ONLY = 2;
    public static final int UPDATE_MASK = 3;

    private static final double LN2_SQUARED = 0.4804530139182014246671025263266649717305529515945455;
    private static final double LN2 = 0.6931471805599453094172321214581765680755001343602552;
    /** BIP37: spreads the per-function seeds apart. */
    private static final int SEED_MULTIPLIER = 0xFBA4C795;

    private final byte[] data;
    private final int hashFunctions;
    private final int tweak;
    private final int flags;

    private BloomFilter(byte[] data, int hashFunctions, int tweak, int flags) {
        this.data = data;
        this.hashFunctions = hashFunctions;
        this.tweak = tweak;
        this.flags = flags;
    }

    /**
     * A filter sized for {@code elements} items at false-positive rate {@code fpRate}, the way
     * Core sizes one (clamped to the protocol limits).
     */
    public static BloomFilter create(int elements, double fpRate, int tweak, int flags) {
        if (elements <= 0 || !(fpRate > 0 && fpRate < 1)) {
            throw new IllegalArgumentException("need elements > 0 and 0 < fpRate < 1");
        }
        long bits = Math.min((long) (-1 / LN2_SQUARED * elements * Math.log(fpRate)), MAX_FILTER_SIZE * 8L);
        int bytes = (int) (bits / 8);
        long funcs = Math.min((long) ((bytes * 8L / elements) * LN2), MAX_HASH_FUNCTIONS);
        return new BloomFilter(new byte[bytes], (int) funcs, tweak, flags & 0xff);
    }

    /** The filter a peer sent in filterload; over-limit filters are the peer's misbehaviour. */
    public static BloomFilter fromMessage(FilterLoadMessage msg) throws BloomFilterException {
        if (msg.filter().length > MAX_FILTER_SIZE) {
            throw new BloomFilterException("bloom filter of " + msg.filter().length + " bytes, max " + MAX_FILTER_SIZE);
        }
        if (msg.hashFunctions() < 0 || msg.hashFunctions() > MAX_HASH_FUNCTIONS) {
            throw new BloomFilterException("bloom filter with " + msg.hashFunctions() + " hash functions, max "
                    + MAX_HASH_FUNCTIONS);
        }
        return new BloomFilter(msg.filter().clone(), (int) msg.hashFunctions(), (int) msg.tweak(), msg.flags() & 0xff);
    }

    public synchronized FilterLoadMessage toMessage() {
        return new FilterLoadMessage(data.clone(), hashFunctions, tweak & 0xffffffffL, flags);
    }

    /** The filterload payload: filter bytes, nHashFuncs, nTweak, nFlags. */
    public byte[] serialize() {
        ByteWriter w = new ByteWriter();
        toMessage().write(w);
        return w.toByteArray();
    }

    public int sizeInBytes() {
        return data.length;
    }

    public int hashFunctions() {
        return hashFunctions;
    }

    public int flags() {
        return flags;
    }

    /** filteradd: the element must fit in a script push (BIP37), else the peer misbehaved. */
    public void add(FilterAddMessage msg) throws BloomFilterException {
        if (msg.data().length > MAX_ELEMENT_SIZE) {
            throw new BloomFilterException("filteradd element of " + msg.data().length + " bytes, max " + MAX_ELEMENT_SIZE);
        }
        insert(msg.data());
    }

    public synchronized void insert(byte[] element) {
        if (data.length == 0) {
            return; // avoids a modulo by zero (CVE-2013-5700)
        }
        for (int i = 0; i < hashFunctions; i++) {
            int bit = bitIndex(i, element);
            data[bit >>> 3] |= (byte) (1 << (bit & 7));
        }
    }

    public void insert(Hash256 hash) {
        insert(hash.bytes());
    }

    public void insert(OutPoint outpoint) {
        insert(serialize(outpoint));
    }

    public synchronized boolean contains(byte[] element) {
        if (data.length == 0) {
            return true; // an empty filter matches everything
        }
        for (int i = 0; i < hashFunctions; i++) {
            int bit = bitIndex(i, element);
            if ((data[bit >>> 3] & (1 << (bit & 7))) == 0) {
                return false;
            }
        }
        return true;
    }

    public boolean contains(Hash256 hash) {
        return contains(hash.bytes());
    }

    public boolean contains(OutPoint outpoint) {
        return contains(serialize(outpoint));
    }

    /** filterclear leaves no filter at all; this empties one in place (used by tests and reuse). */
    public synchronized void clear() {
        Arrays.fill(data, (byte) 0);
    }

    /**
     * BIP37 matching, with Core's IsRelevantAndUpdate semantics: the txid, any data push of any
     * output script (then, per the update flags, the outpoint is added so that spends are seen
     * too), any spent outpoint, any data push of any input script. Output scanning stops at the
     * first matching push of each output; inputs are only examined when nothing else matched.
     */
    public synchronized boolean isRelevantAndUpdate(Transaction tx) {
        if (data.length == 0) {
            return true;
        }
        Hash256 txid = tx.txid();
        boolean found = contains(txid);
        int updateMode = flags & UPDATE_MASK;
        for (int i = 0; i < tx.outputs().size(); i++) {
            TxOut out = tx.outputs().get(i);
            if (anyPushMatches(out.scriptPubKey())) {
                found = true;
                if (updateMode == UPDATE_ALL
                        || updateMode == UPDATE_P2PUBKEY_ONLY && PubKeyTemplates.isPayToPubKeyOrMultisig(out.scriptPubKey())) {
                    insert(new OutPoint(txid, i));
                }
            }
        }
        if (found) {
            return true;
        }
        for (TxIn in : tx.inputs()) {
            if (contains(in.prevout()) || anyPushMatches(in.scriptSig())) {
                return true;
            }
        }
        return false;
    }

    private boolean anyPushMatches(byte[] script) {
        ScriptOps ops = new ScriptOps(script);
        while (ops.next()) {
            byte[] push = ops.data();
            if (push.length != 0 && contains(push)) {
                return true;
            }
        }
        return false;
    }

    private int bitIndex(int hashNum, byte[] element) {
        int h = Murmur3.hash32(hashNum * SEED_MULTIPLIER + tweak, element);
        return (int) Long.remainderUnsigned(h & 0xffffffffL, data.length * 8L);
    }

    private static byte[] serialize(OutPoint outpoint) {
        ByteWriter w = new ByteWriter(OutPoint.SIZE);
        outpoint.write(w);
        return w.toByteArray();
    }
}
