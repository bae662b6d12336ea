package org.jbitcoind.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the registry writes: Prometheus text format with HELP and TYPE lines, names, labels, lazy values. */
class MetricsFormatTest {

    @Test
    void gaugesCountersAndTimersCarryHelpTypeAndTheirValues() {
        Metrics metrics = new Metrics();
        AtomicLong height = new AtomicLong(7);
        AtomicLong bytes = new AtomicLong(1234);
        AtomicLong count = new AtomicLong(3);
        AtomicLong nanos = new AtomicLong(1_500_000_000L);
        metrics.gauge("jbitcoind_blocks", "Height of the tip", height::get);
        metrics.functionCounter("jbitcoind_p2p_received_bytes", "Bytes received", bytes::get, "msg", "block");
        metrics.functionTimer("jbitcoind_block_connect", "Connect time", count::get, nanos::get);

        String text = metrics.scrape();
        PrometheusText parsed = PrometheusText.parse(text);
        assertTrue(text.contains("# HELP jbitcoind_blocks Height of the tip\n"), text);
        assertTrue(text.contains("# TYPE jbitcoind_blocks gauge\n"), text);
        assertEquals(7.0, parsed.value("jbitcoind_blocks").orElseThrow());
        assertEquals("counter", parsed.families().get("jbitcoind_p2p_received_bytes_total").type(), text);
        assertEquals(1234.0, parsed.value("jbitcoind_p2p_received_bytes_total", "msg", "block").orElseThrow());
        assertEquals("summary", parsed.families().get("jbitcoind_block_connect_seconds").type(), text);
        assertEquals(3.0, parsed.value("jbitcoind_block_connect_seconds_count").orElseThrow());
        assertEquals(1.5, parsed.value("jbitcoind_block_connect_seconds_sum").orElseThrow(), 1e-9);

        // Values are read at scrape time, not at registration.
        height.set(8);
        bytes.addAndGet(100);
        count.incrementAndGet();
        PrometheusText again = PrometheusText.parse(metrics.scrape());
        assertEquals(8.0, again.value("jbitcoind_blocks").orElseThrow());
        assertEquals(1334.0, again.value("jbitcoind_p2p_received_bytes_total", "msg", "block").orElseThrow());
        assertEquals(4.0, again.value("jbitcoind_block_connect_seconds_count").orElseThrow());
    }

    @Test
    void labelValuesAndHelpAreEscaped() {
        Metrics metrics = new Metrics();
        String nasty = "say \"hi\" \\ then\nbye";
        metrics.counter("jbitcoind_test_events", "Line one\nline \\two", "what", nasty).increment(2);
        String text = metrics.scrape();
        assertTrue(text.contains("what=\"say \\\"hi\\\" \\\\ then\\nbye\""), text);
        assertTrue(text.contains("# HELP jbitcoind_test_events_total Line one\\nline \\\\two\n"), text);
        PrometheusText parsed = PrometheusText.parse(text);
        assertEquals(2.0, parsed.value("jbitcoind_test_events_total", "what", nasty).orElseThrow());
        assertEquals("Line one\nline \\two", parsed.families().get("jbitcoind_test_events_total").help());
    }

    @Test
    void aValueWhoseServiceIsNotRunningIsNaN() {
        Metrics metrics = new Metrics();
        metrics.gauge("jbitcoind_mempool_transactions", "Transactions", () -> {
            throw new IllegalStateException("mempool is not running");
        });
        metrics.functionCounter("jbitcoind_p2p_sent_bytes", "Bytes sent", () -> {
            throw new IllegalStateException("P2P is not running");
        }, "msg", "tx");
        PrometheusText parsed = PrometheusText.parse(metrics.scrape());
        assertTrue(parsed.value("jbitcoind_mempool_transactions").orElseThrow().isNaN());
        assertTrue(parsed.value("jbitcoind_p2p_sent_bytes_total", "msg", "tx").orElseThrow().isNaN());
    }

    @Test
    void gaugesWithTagsShareOneFamily() {
        Metrics metrics = new Metrics();
        metrics.gauge("jbitcoind_peers", "Peers", () -> 2, "direction", "inbound");
        metrics.gauge("jbitcoind_peers", "Peers", () -> 5, "direction", "outbound");
        String text = metrics.scrape();
        PrometheusText parsed = PrometheusText.parse(text);
        assertEquals(2, parsed.families().get("jbitcoind_peers").samples().size(), text);
        assertEquals(2.0, parsed.value("jbitcoind_peers", "direction", "inbound").orElseThrow());
        assertEquals(5.0, parsed.value("jbitcoind_peers", "direction", "outbound").orElseThrow());
        assertEquals(1, text.split("# TYPE jbitcoind_peers ", -1).length - 1, text);
    }

    @Test
    void hooksRunBeforeEachScrapeAndMayAddSeries() {
        Metrics metrics = new Metrics();
        AtomicInteger runs = new AtomicInteger();
        metrics.beforeScrape(() -> {
            if (runs.incrementAndGet() == 2) {
                metrics.functionCounter("jbitcoind_late", "Appears on the second scrape", () -> 9);
            }
        });
        assertTrue(PrometheusText.parse(metrics.scrape()).value("jbitcoind_late_total").isEmpty());
        assertEquals(9.0, PrometheusText.parse(metrics.scrape()).value("jbitcoind_late_total").orElseThrow());
        assertEquals(2, runs.get());
    }

    /** The checker the daemon test relies on must itself refuse broken text. */
    @ParameterizedTest
    @ValueSource(strings = {
        "jbitcoind_x 1\n",                                              // sample before any TYPE
        "# TYPE jbitcoind_x gauge\njbitcoind_y 1\n",                    // sample of another family
        "# TYPE jbitcoind_x gauge\njbitcoind_x{a=\"b\"c\"} 1\n",       // unescaped quote
        "# TYPE jbitcoind_x gauge\njbitcoind_x{a=\"b\",a=\"c\"} 1\n",  // repeated label
        "# TYPE jbitcoind_x gauge\njbitcoind_x{1a=\"b\"} 1\n",          // bad label name
        "# TYPE jbitcoind_x gauge\njbitcoind_x one\n",                  // bad value
        "# TYPE jbitcoind_x gauge\n# TYPE jbitcoind_x gauge\n",         // second TYPE
        "# TYPE jbitcoind_x meter\n",                                   // unknown type
        "# TYPE jbitcoind_x gauge\njbitcoind_x{a=\"b} 1\n",             // unterminated label value
    })
    void theCheckerRefusesMalformedText(String text) {
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(text));
    }
}
