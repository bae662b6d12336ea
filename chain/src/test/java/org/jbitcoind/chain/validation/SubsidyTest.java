package org.jbitcoind.chain.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.config.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubsidyTest {
    @ParameterizedTest(name = "height {0}")
    @CsvSource({
        "0, 5000000000", "1, 5000000000", "209999, 5000000000", "210000, 2500000000", "419999, 2500000000",
        "420000, 1250000000", "630000, 625000000", "840000, 312500000", "866342, 312500000", "1050000, 156250000",
        "6719999, 2", "6720000, 1", "6929999, 1", "6930000, 0", "13229999, 0", "13230000, 0", "2147483647, 0",
    })
    void mainnetHalvings(int height, long subsidy) {
        assertEquals(subsidy, Subsidy.getBlockSubsidy(height, ChainParams.of(Network.MAIN)));
    }

    @ParameterizedTest(name = "height {0}")
    @CsvSource({"0, 5000000000", "149, 5000000000", "150, 2500000000", "299, 2500000000", "300, 1250000000",
        "9599, 0", "9600, 0", "4949, 1", "4950, 0"})
    void regtestHalvesEvery150(int height, long subsidy) {
        assertEquals(subsidy, Subsidy.getBlockSubsidy(height, ChainParams.of(Network.REGTEST)));
    }

    @Test
    void totalSupplyStaysBelow21Million() {
        ChainParams main = ChainParams.of(Network.MAIN);
        long total = 0;
        for (int period = 0; period < 64; period++) {
            total += 210_000L * Subsidy.getBlockSubsidy(period * 210_000, main);
        }
        assertEquals(2_099_999_997_690_000L, total);
        assertEquals(true, Consensus.moneyRange(total));
    }
}
