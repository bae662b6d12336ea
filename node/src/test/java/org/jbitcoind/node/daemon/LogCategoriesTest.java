package org.jbitcoind.node.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.jbitcoind.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogCategoriesTest {
    @ParameterizedTest
    @ValueSource(strings = {"1", "all"})
    void allMeansTheWholeProject(String value) throws ConfigException {
        assertEquals(Set.of("org.jbitcoind"), LogCategories.loggers(List.of(value)));
    }

    @Test
    void categoriesAndLoggerNamesCombine() throws ConfigException {
        Set<String> loggers = LogCategories.loggers(List.of("mempool", "io.netty.handler"));
        assertEquals(Set.of("org.jbitcoind.chain.mempool", "org.jbitcoind.node.relay", "io.netty.handler"), loggers);
        assertTrue(LogCategories.loggers(List.of("net")).contains("org.jbitcoind.node.net"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "none"})
    void zeroOrNoneTurnsEverythingOff(String off) throws ConfigException {
        assertEquals(Set.of(), LogCategories.loggers(List.of("net", off, "rpc")));
        assertEquals(Set.of(), LogCategories.loggers(List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "", ".x", "x."})
    void unknownCategoryIsAnError(String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> LogCategories.loggers(List.of(value)));
        assertTrue(e.getMessage().startsWith("invalid value for -debug: '" + value + "' (expected 1, all, 0, none,"),
                e.getMessage());
    }
}
