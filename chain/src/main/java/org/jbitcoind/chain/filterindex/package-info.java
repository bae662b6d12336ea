/**
 * The BIP157/158 block filter index (Core's BlockFilterIndex on top of BaseIndex): the basic
 * filter of every connected block with its filter hash and filter header, kept in the chain
 * database next to the chain state and brought up to the active chain on a thread of its own;
 * and the serving rules for the getcfilters, getcfheaders and getcfcheckpt P2P requests. See
 * docs/spv.md.
 */
package org.jbitcoind.chain.filterindex;
