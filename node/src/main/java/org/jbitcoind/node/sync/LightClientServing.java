package org.jbitcoind.node.sync;

import java.util.Objects;

import org.jbitcoind.chain.filterindex.FilterRequestHandler;
import org.jbitcoind.chain.state.ChainstateManager;

/**
 * What the sync manager serves to light clients.
 *
 * @param bloomFilters   BIP37 filterload/filteradd/filterclear and filtered blocks (-peerbloomfilters,
 *                       advertised as NODE_BLOOM); when off, a peer sending any of the three is disconnected
 * @param filterRequests BIP157 getcfilters/getcfheaders/getcfcheckpt ({@code ChainService.filterRequests()});
 *                       a handler without an index refuses every request, which disconnects the peer
 */
public record LightClientServing(boolean bloomFilters, FilterRequestHandler filterRequests) {
    public LightClientServing {
        Objects.requireNonNull(filterRequests, "filterRequests");
    }

    /** Core's defaults: neither bloom filters nor compact block filters are served. */
    public static LightClientServing off(ChainstateManager chain) {
        return new LightClientServing(false, FilterRequestHandler.of(chain, null));
    }
}
