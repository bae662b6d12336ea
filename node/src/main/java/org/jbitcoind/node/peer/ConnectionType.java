package org.jbitcoind.node.peer;

/** Why a connection exists; decides what is relayed over it (Core's ConnectionType). */
public enum ConnectionType {
    /** Accepted on our listening socket. */
    INBOUND,
    /** Automatic outbound connection relaying blocks, transactions and addresses. */
    OUTBOUND_FULL_RELAY,
    /** Automatic outbound connection that relays blocks only (no tx, no addr), harder to map. */
    BLOCK_RELAY,
    /** Asked for by the operator ({@code -connect}, {@code -addnode}). */
    MANUAL,
    /** Short-lived connection to a {@code -seednode}: ask for addresses, then disconnect. */
    ADDR_FETCH,
    /** Short-lived probe of an address from the new table: handshake, mark it good, disconnect. */
    FEELER;

    public boolean isInbound() {
        return this == INBOUND;
    }

    public boolean isOutbound() {
        return this != INBOUND;
    }

    /** Whether addresses are exchanged over this connection. */
    public boolean relaysAddresses() {
        return this != BLOCK_RELAY && this != FEELER;
    }

    /** Whether transactions are exchanged over this connection. */
    public boolean relaysTransactions() {
        return this != BLOCK_RELAY && this != ADDR_FETCH && this != FEELER;
    }
}
