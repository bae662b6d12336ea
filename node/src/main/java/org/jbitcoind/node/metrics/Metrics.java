package org.jbitcoind.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jbitcoind.node.rpc.RpcRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's metrics, exposed in Prometheus text format by {@link MetricsServer}. Other parts register their
 * own counters and gauges here; names follow Prometheus conventions with a "jbitcoind_" prefix (counters get
 * "_total" and timers "_seconds" appended in the exposition). The metric list is in docs/metrics.md.
 *
 * <p>Gauges and function counters read their value at scrape time, so the parts they watch pay nothing on
 * their hot paths. A value that cannot be read (its service is not running) is reported as NaN.
 *
 * <p>The Prometheus registry is made at the first scrape, counter or RPC call, not at start-up: without
 * -metricsport a node (an import, say) would otherwise spend tens of milliseconds of its start loading and
 * initialising Micrometer for metrics nobody reads. Gauges and function meters registered before that are
 * kept and registered when the registry is made.
 */
public final class Metrics {
    private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);

    private PrometheusMeterRegistry registry;
    /** Registrations waiting for the registry; null once it exists. */
    private List<Consumer<MeterRegistry>> pending = new ArrayList<>();
    /** Micrometer holds function meters' state weakly; these keep it alive as long as the registry. */
    private final List<Object> functionStates = new CopyOnWriteArrayList<>();
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

    /** A counter, created on first use; tags are key/value pairs. */
    public Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry());
    }

    private synchronized PrometheusMeterRegistry registry() {
        if (registry == null) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            pending.forEach(r -> r.accept(registry));
            pending = null;
        }
        return registry;
    }

    /** Registers now if the registry exists, else when it is made. */
    private synchronized void register(Consumer<MeterRegistry> registration) {
        if (registry == null) {
            pending.add(registration);
        } else {
            registration.accept(registry);
        }
    }

    /** A gauge reading {@code value} at each scrape; tags are key/value pairs. */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        DoubleSupplier read = () -> value.get().doubleValue();
        register(r -> Gauge.builder(name, () -> readOrNaN(name, read)).description(description).tags(tags)
                .strongReference(true).register(r));
    }

    /**
     * A counter whose total is kept elsewhere and read at each scrape; {@code total} must never go down.
     * Register each name and tags once (Micrometer ignores a second registration, with a warning).
     */
    public void functionCounter(String name, String description, DoubleSupplier total, String... tags) {
        functionStates.add(total);
        register(r -> FunctionCounter.builder(name, total, t -> readOrNaN(name, t)).description(description)
                .tags(tags).register(r));
    }

    /**
     * A timer kept elsewhere (a count of events and their total duration), read at each scrape and
     * exposed as a summary {@code <name>_seconds} with {@code _count} and {@code _sum}.
     */
    public void functionTimer(String name, String description, LongSupplier count, LongSupplier totalNanos) {
        TimerSource source = new TimerSource(count, totalNanos);
        functionStates.add(source);
        register(r -> FunctionTimer.builder(name, source, s -> (long) readOrNaN(name, () -> s.count().getAsLong()),
                        s -> readOrNaN(name, () -> s.totalNanos().getAsLong()), TimeUnit.NANOSECONDS)
                .description(description).register(r));
    }

    private record TimerSource(LongSupplier count, LongSupplier totalNanos) {
    }

    /** Runs before every scrape, e.g. to register series for label values that appeared since the last one. */
    public void beforeScrape(Runnable hook) {
        beforeScrape.add(hook);
    }

    private static double readOrNaN(String name, DoubleSupplier read) {
        try {
            return read.getAsDouble();
        } catch (IllegalStateException e) {
            // The service behind this metric is not running (start-up, shutdown).
            LOG.debug("metric {} not available: {}", name, e.getMessage());
            return Double.NaN;
        }
    }

    /** Counts every RPC call per method and outcome, and times it. */
    public void instrument(RpcRegistry rpc) {
        rpc.setCallListener(this::rpcCall);
    }

    void rpcCall(String method, long nanos, boolean failed) {
        counter("jbitcoind_rpc_calls", "RPC calls executed", "method", method, "outcome",
                failed ? "error" : "ok").increment();
        Timer.builder("jbitcoind_rpc_call_duration").description("Time spent executing RPC calls")
                .tags("method", method).register(registry()).record(Duration.ofNanos(nanos));
    }

    /** The current values in Prometheus text exposition format. */
    public String scrape() {
        for (Runnable hook : beforeScrape) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.warn("metrics hook failed: {}", e.toString());
            }
        }
        return registry().scrape();
    }

    /** For tests and callers that want a single value. */
    public double counterValue(String name, String... tags) {
        Counter counter = registry().find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
