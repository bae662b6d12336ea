package org.jbitcoind.node.peer;

import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.Set;

import org.jbitcoind.protocol.net.PeerAddress;

/**
 * Per-peer address-gossip bookkeeping (Core keeps the same on its Peer): whether we relay
 * addresses to this peer, which addresses it already knows, its rate-limit bucket, and whether
 * its getaddr was answered. Guarded by its own monitor; touched briefly from I/O threads.
 */
public final class AddrRelayState {
    /** Core's MAX_ADDR_RATE_PER_SECOND. */
    public static final double TOKENS_PER_SECOND = 0.1;
    /** Core's MAX_ADDR_PROCESSING_TOKEN_BUCKET. */
    public static final double MAX_TOKENS = 1000;
    private static final int KNOWN_LIMIT = 5000;

    private final Set<String> known = new LinkedHashSet<>();
    private boolean relayEnabled;
    private boolean getAddrAnswered;
    private boolean getAddrSent;
    private double tokens = 1;
    private long tokensUpdatedNanos = System.nanoTime();

    public synchronized boolean relayEnabled() {
        return relayEnabled;
    }

    public synchronized void enableRelay() {
        relayEnabled = true;
    }

    /** Marks the getaddr answered; returns false if it already was (Core answers once per connection). */
    public synchronized boolean claimGetAddrAnswer() {
        if (getAddrAnswered) {
            return false;
        }
        getAddrAnswered = true;
        return true;
    }

    public synchronized boolean getAddrSent() {
        return getAddrSent;
    }

    /** We asked this peer for addresses: its answer may be large, so it gets a full bucket (as Core). */
    public synchronized void markGetAddrSent() {
        getAddrSent = true;
        tokens = Math.min(MAX_TOKENS, tokens + MAX_TOKENS);
    }

    /** Takes one token for processing one address; false means the address is dropped. */
    public synchronized boolean takeToken() {
        long now = System.nanoTime();
        double elapsed = (now - tokensUpdatedNanos) / 1e9;
        tokensUpdatedNanos = now;
        tokens = Math.min(MAX_TOKENS, tokens + elapsed * TOKENS_PER_SECOND);
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    public synchronized void addKnown(PeerAddress a) {
        if (known.add(key(a)) && known.size() > KNOWN_LIMIT) {
            Iterator<String> it = known.iterator();
            it.next();
            it.remove();
        }
    }

    public synchronized boolean isKnown(PeerAddress a) {
        return known.contains(key(a));
    }

    private static String key(PeerAddress a) {
        return a.toHostPort();
    }
}
