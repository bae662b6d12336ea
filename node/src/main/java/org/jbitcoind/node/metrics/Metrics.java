package org.jbitcoind.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import org.jbitcoind.node.rpc.RpcRegistry;

/**
 * The node's metrics, exposed in Prometheus text format by {@link MetricsServer}. Other parts register their
 * own counters and gauges here; names follow Prometheus conventions with a "jbitcoind_" prefix.
 */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** A counter, created on first use; tags are key/value pairs. */
    public Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /** A gauge reading {@code value} at each scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
    }

    /** Counts every RPC call per method and outcome, and times it. */
    public void instrument(RpcRegistry rpc) {
        rpc.setCallListener(this::rpcCall);
    }

    void rpcCall(String method, long nanos, boolean failed) {
        counter("jbitcoind_rpc_calls", "RPC calls executed", "method", method, "outcome",
                failed ? "error" : "ok").increment();
        Timer.builder("jbitcoind_rpc_call_duration").description("Time spent executing RPC calls")
                .tags("method", method).register(registry).record(Duration.ofNanos(nanos));
    }

    /** The current values in Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    /** For tests and callers that want a single value. */
    public double counterValue(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
