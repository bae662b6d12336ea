package org.jbitcoind.node.connmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeedPolicyTest {
    @ParameterizedTest(name = "dns={0} queried={1} seeds={2} known={3} t={4}s peers={5} -> {6}")
    @CsvSource({
            "true,false,true,0,0,0,true", // empty address manager: at once
            "true,false,true,50,0,0,false", // known addresses: wait first
            "true,false,true,50,11,1,true", // after 11 s with under two peers
            "true,false,true,50,11,2,false", // enough peers already
            "true,true,true,0,100,0,false", // only once
            "false,false,true,0,100,0,false", // -dnsseed=0
            "true,false,false,0,0,0,false"}) // network without DNS seeds (regtest)
    void dnsSeeding(boolean dns, boolean queried, boolean hasSeeds, int known, long t, long peers, boolean expected) {
        assertEquals(expected, SeedPolicy.shouldQueryDns(dns, queried, hasSeeds, known, t, peers));
    }

    @ParameterizedTest(name = "fixed={0} added={1} dns={2} known={3} t={4}s -> {5}")
    @CsvSource({
            "true,false,false,0,0,true", // -dnsseed=0: at once
            "true,false,true,0,0,false", // give DNS a minute
            "true,false,true,0,60,true", // DNS produced nothing in 60 s
            "true,false,true,5,60,false", // addresses known
            "true,true,false,0,0,false", // only once
            "false,false,false,0,100,false"}) // -fixedseeds=0
    void fixedSeeds(boolean fixed, boolean added, boolean dns, int known, long t, boolean expected) {
        assertEquals(expected, SeedPolicy.shouldAddFixedSeeds(fixed, added, dns, known, t));
    }
}
