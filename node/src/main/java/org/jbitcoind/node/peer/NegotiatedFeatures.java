package org.jbitcoind.node.peer;

/**
 * What a peer asked for during and after the handshake.
 *
 * @param sendHeaders          BIP130: announce new blocks with headers rather than inv
 * @param wtxidRelay           BIP339: both sides sent wtxidrelay before verack
 * @param addrV2               BIP155: the peer sent sendaddrv2 before verack
 * @param compactBlocks        BIP152: the peer sent sendcmpct with a version we speak (2)
 * @param compactHighBandwidth BIP152: the peer asked for high-bandwidth compact blocks
 * @param feeFilter            BIP133: minimum fee rate (sat/kvB) of transactions to announce, 0 if none
 */
public record NegotiatedFeatures(boolean sendHeaders, boolean wtxidRelay, boolean addrV2, boolean compactBlocks,
        boolean compactHighBandwidth, long feeFilter) {
}
