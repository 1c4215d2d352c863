package dev.sessiond.server.metrics;

import dev.sessiond.server.auth.HashingSlots;
import dev.sessiond.server.session.SessionService;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The server's metrics: one Prometheus registry per server, with the JVM and process binders,
 * gRPC server call counts and latency histograms per method and status, and sessiond's own
 * meters. Names follow Prometheus conventions once exported ({@code sessiond.session.opens} is
 * scraped as {@code sessiond_session_opens_total}); label names are snake_case. Thread-safe.
 */
public final class Metrics implements AutoCloseable {

    static final String PROCESS_CPU = "process.cpu";
    static final String STORE_REACHABLE = "sessiond.store.reachable";
    static final String HASHES_RUNNING = "sessiond.password.hashes.running";
    static final String HASHES_WAITING = "sessiond.password.hashes.waiting";
    static final String HASHES_REJECTED = "sessiond.password.hashes.rejected";
    static final String HASH_DURATION = "sessiond.password.hash.duration";
    static final String CACHE_READS = "sessiond.session.cache.reads";
    static final String CACHE_REFRESHES = "sessiond.session.cache.refreshes";

    /** Micrometer's gRPC meters, renamed to Prometheus' snake_case label names. */
    private static final String GRPC_SERVER = "grpc.server";
    private static final String GRPC_SERVER_DURATION = "grpc.server.processing.duration";
    /** Latency buckets of gRPC calls: validation takes milliseconds, sign-in (Argon2id) tens to hundreds. */
    private static final List<Duration> LATENCY_BUCKETS = List.of(Duration.ofMillis(1), Duration.ofNanos(2_500_000),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10));

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final SessionMetrics sessions;
    private final MetricCollectingServerInterceptor grpc;

    public Metrics() {
        registry.config()
                .meterFilter(MeterFilter.renameTag(GRPC_SERVER, "methodType", "method_type"))
                .meterFilter(MeterFilter.renameTag(GRPC_SERVER, "statusCode", "status_code"))
                .meterFilter(latencyHistogram())
                // Two of Micrometer's names fail promtool's lint: the CPU time in "ns" (an abbreviated unit; the
                // Prometheus name is process_cpu_seconds_total, below) and a gauge named like a histogram's _count.
                .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
                    }
                });
        for (MeterBinder binder : List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new JvmInfoMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics())) {
            binder.bindTo(registry);
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder(PROCESS_CPU, os, bean -> bean.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time used by the process")
                    .register(registry);
        }
        sessions = new SessionMetrics(registry);
        grpc = new MetricCollectingServerInterceptor(registry);
    }

    private static MeterFilter latencyHistogram() {
        double[] buckets = LATENCY_BUCKETS.stream().mapToDouble(d -> d.toNanos()).toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(GRPC_SERVER_DURATION)) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(false)
                        .serviceLevelObjectives(buckets)
                        .build()
                        .merge(config);
            }
        };
    }

    /** The registry, for binders of other parts (the connection pool). */
    public MeterRegistry registry() {
        return registry;
    }

    /** The session counters, to hand to the services and the audit log. */
    public SessionMetrics sessions() {
        return sessions;
    }

    /** Counts and times every call; install it outermost, so it times everything the server does for a call. */
    public ServerInterceptor grpcInterceptor() {
        return grpc;
    }

    /** Creates the call meters of a service's methods up front, so they are scraped as zeros before the first call. */
    public void preregister(ServerServiceDefinition service) {
        grpc.preregisterService(service);
    }

    /** Whether the store answered its last health check, as a 1/0 gauge. */
    public void storeReachable(BooleanSupplier reachable) {
        Gauge.builder(STORE_REACHABLE, () -> reachable.getAsBoolean() ? 1 : 0)
                .description("1 while the store answers the health check, else 0 (health is then NOT_SERVING)")
                .register(registry);
    }

    /** The password-hashing pool: slots in use, sign-ins waiting, sign-ins refused, hashes and their time. */
    public void hashing(HashingSlots slots) {
        Gauge.builder(HASHES_RUNNING, slots, HashingSlots::running)
                .description("Password hashes being computed now")
                .register(registry);
        Gauge.builder(HASHES_WAITING, slots, HashingSlots::waiting)
                .description("Password hashes waiting for a hashing slot")
                .register(registry);
        FunctionCounter.builder(HASHES_REJECTED, slots, HashingSlots::rejected)
                .description("Sign-ins refused at once because every hashing slot and queue place was taken")
                .register(registry);
        FunctionTimer.builder(HASH_DURATION, slots, HashingSlots::hashed, HashingSlots::hashedNanos,
                        TimeUnit.NANOSECONDS)
                .description("Argon2id hashes computed, and the time they took (from their start on a hashing thread)")
                .register(registry);
    }

    /** How validations found their sessions: in the session cache or in the store, and the re-reads ahead of expiry. */
    public void sessionCache(SessionService sessions) {
        String help = "Session reads of validations, TryGetSession and UpdateLastActivity: hit = answered from the "
                + "session cache, miss = read from the store, shared = waited for another call's read of the same "
                + "session from the store";
        FunctionCounter.builder(CACHE_READS, sessions, SessionService::cacheHits)
                .tag("result", "hit")
                .description(help)
                .register(registry);
        FunctionCounter.builder(CACHE_READS, sessions, SessionService::cacheMisses)
                .tag("result", "miss")
                .description(help)
                .register(registry);
        FunctionCounter.builder(CACHE_READS, sessions, SessionService::cacheSharedReads)
                .tag("result", "shared")
                .description(help)
                .register(registry);
        FunctionCounter.builder(CACHE_REFRESHES, sessions, SessionService::cacheRefreshes)
                .description("Cached sessions in use, and the configuration version, read again in the background "
                        + "in the last quarter of their ttl")
                .register(registry);
    }

    /** Writes the Prometheus text exposition (format 0.0.4, or OpenMetrics when {@code contentType} asks for it). */
    public void scrape(OutputStream out, String contentType) throws IOException {
        registry.scrape(out, contentType);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
