package org.jbitcoind.node.addrmgr;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;

import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.LittleEndian;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;

/**
 * The address manager (Core's AddrMan, simplified): addresses heard of live in a "new" table,
 * addresses we completed a handshake with move to a "tried" table. Both tables are arrays of
 * buckets; the bucket of an address is a keyed hash of its network group (and, for new entries,
 * of the group of the peer that told us), so one peer or one operator's address range can fill
 * only a few buckets. The key is secret and random per node, so an attacker cannot aim for
 * buckets. Differences from Core (documented in docs/p2p.md): an address occupies one new-table
 * slot (Core allows up to eight), a collision in the tried table moves the old entry back to new
 * (Core tests the old one first), and selection weighs entries, not buckets, uniformly.
 *
 * <p>All methods are synchronized and fast (no I/O); persistence is {@link AddrManStore}.
 */
public final class AddrMan {
    public static final int NEW_BUCKETS = 1024;
    public static final int TRIED_BUCKETS = 256;
    public static final int BUCKET_SIZE = 64;
    /** Core's NEW_BUCKETS_PER_SOURCE_GROUP: one source group reaches at most this many new buckets. */
    public static final int NEW_BUCKETS_PER_SOURCE_GROUP = 64;
    /** Core's TRIED_BUCKETS_PER_GROUP: one address group reaches at most this many tried buckets. */
    public static final int TRIED_BUCKETS_PER_GROUP = 8;

    private final byte[] key;
    private final Random random;
    private final Map<Endpoint, AddrInfo> byEndpoint = new HashMap<>();
    private final AddrInfo[][] newTable = new AddrInfo[NEW_BUCKETS][BUCKET_SIZE];
    private final AddrInfo[][] triedTable = new AddrInfo[TRIED_BUCKETS][BUCKET_SIZE];
    private int newCount;
    private int triedCount;

    record Endpoint(NetAddress address, int port) {
        static Endpoint of(PeerAddress p) {
            return new Endpoint(p.address(), p.port());
        }

        byte[] serialize() {
            byte[] a = address.bytes();
            ByteWriter w = new ByteWriter(a.length + 3);
            return w.writeU8(address.network().id()).writeBytes(a).writeU16BE(port).toByteArray();
        }
    }

    /** A new, empty address manager with a fresh random bucketing key. */
    public AddrMan() {
        this(randomKey(), new SecureRandom());
    }

    AddrMan(byte[] key, Random random) {
        if (key.length != 32) {
            throw new IllegalArgumentException("bucketing key must be 32 bytes");
        }
        this.key = key.clone();
        this.random = random;
    }

    static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    byte[] key() {
        return key.clone();
    }

    public synchronized int size() {
        return newCount + triedCount;
    }

    public synchronized int newCount() {
        return newCount;
    }

    public synchronized int triedCount() {
        return triedCount;
    }

    public synchronized boolean contains(PeerAddress a) {
        return byEndpoint.containsKey(Endpoint.of(a));
    }

    /** Whether the address is in the tried table. */
    public synchronized boolean isTried(PeerAddress a) {
        AddrInfo info = byEndpoint.get(Endpoint.of(a));
        return info != null && info.inTried;
    }

    /**
     * Adds addresses heard from {@code source}. Unroutable addresses are ignored; known ones get
     * their time and services refreshed. Returns how many were new.
     */
    public synchronized int add(List<PeerAddress> addresses, NetAddress source, long now) {
        int added = 0;
        for (PeerAddress a : addresses) {
            if (addOne(a, source, now)) {
                added++;
            }
        }
        return added;
    }

    private boolean addOne(PeerAddress a, NetAddress source, long now) {
        if (!NetGroups.isRoutable(a.address()) || (a.port() == 0 && a.address().isAddrV1Compatible())) {
            return false;
        }
        long time = a.time();
        if (time < 100_000_000L || time > now + 10 * 60) {
            time = now - 5 * 86400; // unknown or bogus time: treat as five days old, as Core does
        }
        PeerAddress stamped = new PeerAddress(time, a.services(), a.address(), a.port());
        Endpoint ep = Endpoint.of(a);
        AddrInfo existing = byEndpoint.get(ep);
        if (existing != null) {
            PeerAddress old = existing.address;
            existing.address = new PeerAddress(Math.max(old.time(), time), old.services() | a.services(),
                    old.address(), old.port());
            return false;
        }
        AddrInfo info = new AddrInfo(stamped, source);
        int bucket = newBucket(a.address(), source);
        int pos = position(true, bucket, ep);
        AddrInfo occupant = newTable[bucket][pos];
        if (occupant != null) {
            if (!occupant.isTerrible(now)) {
                return false;
            }
            remove(occupant);
        }
        placeNew(info, bucket, pos);
        return true;
    }

    /** A connection attempt to {@code a} is starting. */
    public synchronized void attempt(PeerAddress a, long now) {
        AddrInfo info = byEndpoint.get(Endpoint.of(a));
        if (info != null) {
            info.lastTry = now;
            info.attempts++;
        }
    }

    /** The handshake with {@code a} completed: the address moves to the tried table. */
    public synchronized void good(PeerAddress a, long now) {
        AddrInfo info = byEndpoint.get(Endpoint.of(a));
        if (info == null) {
            return;
        }
        info.lastSuccess = now;
        info.lastTry = now;
        info.attempts = 0;
        PeerAddress p = info.address;
        info.address = new PeerAddress(now, p.services(), p.address(), p.port());
        if (info.inTried) {
            return;
        }
        clearSlot(info);
        makeTried(info);
    }

    private void makeTried(AddrInfo info) {
        Endpoint ep = Endpoint.of(info.address);
        int bucket = triedBucket(ep);
        int pos = position(false, bucket, ep);
        AddrInfo evicted = triedTable[bucket][pos];
        if (evicted != null) {
            clearSlot(evicted);
            byEndpoint.remove(Endpoint.of(evicted.address));
            // The displaced entry goes back to the new table if its slot there is free.
            int nb = newBucket(evicted.address.address(), evicted.source);
            int np = position(true, nb, Endpoint.of(evicted.address));
            if (newTable[nb][np] == null) {
                evicted.inTried = false;
                placeNew(evicted, nb, np);
            }
        }
        info.inTried = true;
        info.bucket = bucket;
        info.position = pos;
        triedTable[bucket][pos] = info;
        triedCount++;
        byEndpoint.put(ep, info);
    }

    private void placeNew(AddrInfo info, int bucket, int pos) {
        info.inTried = false;
        info.bucket = bucket;
        info.position = pos;
        newTable[bucket][pos] = info;
        newCount++;
        byEndpoint.put(Endpoint.of(info.address), info);
    }

    private void clearSlot(AddrInfo info) {
        if (info.inTried) {
            triedTable[info.bucket][info.position] = null;
            triedCount--;
        } else {
            newTable[info.bucket][info.position] = null;
            newCount--;
        }
    }

    private void remove(AddrInfo info) {
        clearSlot(info);
        byEndpoint.remove(Endpoint.of(info.address));
    }

    /**
     * Picks an address to connect to: from tried or new with equal odds when both have entries
     * (only new when {@code newOnly}), favouring addresses not tried recently and not failing.
     */
    public synchronized Optional<PeerAddress> select(boolean newOnly, Predicate<PeerAddress> filter, long now) {
        List<AddrInfo> tried = new ArrayList<>();
        List<AddrInfo> fresh = new ArrayList<>();
        for (AddrInfo info : byEndpoint.values()) {
            if (filter.test(info.address)) {
                (info.inTried ? tried : fresh).add(info);
            }
        }
        List<AddrInfo> from;
        if (newOnly || tried.isEmpty()) {
            from = fresh;
        } else if (fresh.isEmpty()) {
            from = tried;
        } else {
            from = random.nextBoolean() ? tried : fresh;
        }
        if (from.isEmpty()) {
            return Optional.empty();
        }
        double factor = 1.0;
        for (int i = 0; i < 10_000; i++) {
            AddrInfo candidate = from.get(random.nextInt(from.size()));
            if (random.nextDouble() < factor * candidate.chance(now)) {
                return Optional.of(candidate.address);
            }
            factor *= 1.2;
        }
        return Optional.of(from.get(random.nextInt(from.size())).address);
    }

    /**
     * Addresses to answer a getaddr with: a random sample of the non-terrible entries, at most
     * {@code maxCount} and at most {@code maxPercent} of all (Core: 1000 and 23%).
     */
    public synchronized List<PeerAddress> getAddresses(int maxCount, int maxPercent, Predicate<PeerAddress> filter,
            long now) {
        List<AddrInfo> all = new ArrayList<>(byEndpoint.values());
        Collections.shuffle(all, random);
        int limit = Math.min(maxCount, all.size() * maxPercent / 100);
        List<PeerAddress> out = new ArrayList<>();
        for (AddrInfo info : all) {
            if (out.size() >= limit) {
                break;
            }
            if (!info.isTerrible(now) && filter.test(info.address)) {
                out.add(info.address);
            }
        }
        return out;
    }

    /** Every entry, for persistence. */
    synchronized List<AddrInfo> snapshot() {
        List<AddrInfo> out = new ArrayList<>();
        for (AddrInfo info : byEndpoint.values()) {
            AddrInfo copy = new AddrInfo(info.address, info.source);
            copy.lastTry = info.lastTry;
            copy.lastSuccess = info.lastSuccess;
            copy.attempts = info.attempts;
            copy.inTried = info.inTried;
            out.add(copy);
        }
        return out;
    }

    /** Puts back an entry read from disk, into the table it was in (its slot is recomputed from our key). */
    synchronized void restore(AddrInfo info) {
        if (!NetGroups.isRoutable(info.address.address()) || byEndpoint.containsKey(Endpoint.of(info.address))) {
            return;
        }
        if (info.inTried) {
            makeTried(info);
            return;
        }
        int bucket = newBucket(info.address.address(), info.source);
        int pos = position(true, bucket, Endpoint.of(info.address));
        if (newTable[bucket][pos] == null) {
            placeNew(info, bucket, pos);
        }
    }

    /** The new-table bucket for an address heard from {@code source}. */
    public int newBucket(NetAddress address, NetAddress source) {
        byte[] sourceGroup = NetGroups.group(source);
        long h1 = hash("new1", NetGroups.group(address), sourceGroup);
        long slice = Long.remainderUnsigned(h1, NEW_BUCKETS_PER_SOURCE_GROUP);
        long h2 = hash("new2", sourceGroup, longBytes(slice));
        return (int) Long.remainderUnsigned(h2, NEW_BUCKETS);
    }

    /**
     * The new-table slot (bucket * BUCKET_SIZE + position) an address heard from {@code source}
     * would take. Two addresses with the same slot cannot both be kept, so tests that expect every
     * address to be stored choose addresses with distinct slots.
     */
    public int newSlot(PeerAddress address, NetAddress source) {
        int bucket = newBucket(address.address(), source);
        return bucket * BUCKET_SIZE + position(true, bucket, Endpoint.of(address));
    }

    /** The tried-table bucket for an address. */
    public int triedBucket(PeerAddress address) {
        return triedBucket(Endpoint.of(address));
    }

    private int triedBucket(Endpoint ep) {
        long h1 = hash("tried1", ep.serialize());
        long slice = Long.remainderUnsigned(h1, TRIED_BUCKETS_PER_GROUP);
        long h2 = hash("tried2", NetGroups.group(ep.address()), longBytes(slice));
        return (int) Long.remainderUnsigned(h2, TRIED_BUCKETS);
    }

    private int position(boolean isNew, int bucket, Endpoint ep) {
        long h = hash(isNew ? "posN" : "posT", longBytes(bucket), ep.serialize());
        return (int) Long.remainderUnsigned(h, BUCKET_SIZE);
    }

    /** SHA256(key || tag || each part length-prefixed), first 8 bytes. */
    private long hash(String tag, byte[]... parts) {
        ByteWriter w = new ByteWriter();
        w.writeBytes(key).writeVarBytes(tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (byte[] p : parts) {
            w.writeVarBytes(p);
        }
        return LittleEndian.getLong(Hashes.sha256(w.toByteArray()), 0);
    }

    private static byte[] longBytes(long v) {
        return new ByteWriter(8).writeI64LE(v).toByteArray();
    }

    @Override
    public synchronized String toString() {
        return "AddrMan[new=" + newCount + ", tried=" + triedCount + "]";
    }
}
