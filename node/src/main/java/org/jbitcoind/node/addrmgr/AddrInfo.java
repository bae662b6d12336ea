package org.jbitcoind.node.addrmgr;

import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;

/** One known address with its history; mutable, owned and guarded by {@link AddrMan}. */
final class AddrInfo {
    PeerAddress address;
    final NetAddress source;
    /** Unix seconds of the last connection attempt, 0 if never. */
    long lastTry;
    /** Unix seconds of the last successful handshake, 0 if never. */
    long lastSuccess;
    int attempts;
    boolean inTried;
    /** Table slot (bucket, position) this entry occupies. */
    int bucket = -1;
    int position = -1;

    AddrInfo(PeerAddress address, NetAddress source) {
        this.address = address;
        this.source = source;
    }

    /**
     * Core's IsTerrible: an address not worth keeping when its slot is wanted for another. Never
     * true for an address tried in the last minute.
     */
    boolean isTerrible(long now) {
        if (lastTry != 0 && now - lastTry <= 60) {
            return false;
        }
        long seen = address.time();
        if (seen > now + 10 * 60) {
            return true; // claims to come from the future
        }
        if (seen == 0 || now - seen > 30L * 86400) {
            return true; // not seen in 30 days
        }
        if (lastSuccess == 0 && attempts >= 3) {
            return true; // tried three times, never worked
        }
        return now - lastSuccess > 7L * 86400 && attempts >= 10; // ten failures in the last week
    }

    /** Core's GetChance: relative probability of being selected, lower after recent or failed attempts. */
    double chance(long now) {
        double chance = 1.0;
        if (now - lastTry < 10 * 60) {
            chance *= 0.01;
        }
        return chance * Math.pow(0.66, Math.min(attempts, 8));
    }
}
