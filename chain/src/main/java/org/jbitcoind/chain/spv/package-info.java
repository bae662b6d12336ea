/**
 * Serving light clients, the data-structure half: BIP37 bloom filters and filtered blocks
 * (partial merkle trees, merkleblock, Core's txout proofs) and BIP158 compact block filters
 * (Golomb-coded sets keyed with SipHash-2-4, filter headers). Nothing here knows about peers or
 * chain state; the P2P and RPC layers feed blocks and spent-output scripts in and send results
 * out. See docs/spv.md.
 */
package org.jbitcoind.chain.spv;
