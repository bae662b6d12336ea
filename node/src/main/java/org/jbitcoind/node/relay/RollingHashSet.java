package org.jbitcoind.node.relay;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jbitcoind.protocol.crypto.Hash256;

/**
 * A set of hashes that forgets its oldest entries beyond a fixed size (the role of Core's
 * CRollingBloomFilter, without false positives): what a peer knows, what we announced to it,
 * what we recently rejected. Not thread-safe; owned by the relay thread.
 */
final class RollingHashSet {
    private final int capacity;
    private final LinkedHashMap<Hash256, Boolean> entries;

    RollingHashSet(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Hash256, Boolean> eldest) {
                return size() > RollingHashSet.this.capacity;
            }
        };
    }

    void add(Hash256 hash) {
        entries.put(hash, Boolean.TRUE);
    }

    boolean contains(Hash256 hash) {
        return entries.containsKey(hash);
    }

    int size() {
        return entries.size();
    }

    void clear() {
        entries.clear();
    }
}
