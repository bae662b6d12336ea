package org.jbitcoind.node.relay;

import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.primitives.Transaction;

/**
 * What transaction relay needs of a connected peer. The daemon adapts a
 * {@link org.jbitcoind.node.peer.Peer} (see {@link TxRelayHandler}); unit tests use a fake.
 */
public interface RelayPeer {
    long id();

    boolean isInbound();

    /**
     * The connection type allows transactions at all: false for block-relay-only, feeler and
     * addr-fetch connections, which never get a tx inv and may not send us transactions.
     */
    boolean txRelayConnection();

    /** BIP339: both sides sent wtxidrelay, so transactions are announced and requested by wtxid. */
    boolean wtxidRelay();

    /** BIP133: the peer's feefilter in sat/kvB (0 when none). */
    long feeFilter();

    /**
     * Core's m_relay_txs: the peer wants transaction announcements (its version's relay flag, which
     * a BIP37 filterload or filterclear turns on).
     */
    boolean relayTxs();

    /**
     * The relay flag and, when the peer loaded one, its BIP37 filter, which a match updates: asked
     * once per transaction, just before it would be announced.
     */
    boolean wantsTransaction(Transaction tx);

    void send(Message message);

    void disconnect(String reason);

    void misbehaving(int score, String reason);

    /** BIP133: the peer's protocol version understands feefilter. */
    default boolean acceptsFeeFilter() {
        return true;
    }

    /** A transaction from this peer entered our mempool (getpeerinfo's last_transaction). */
    default void markNovelTransaction() {
    }
}
