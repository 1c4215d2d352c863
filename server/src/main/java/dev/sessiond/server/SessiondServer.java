package dev.sessiond.server;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.api.CallContextInterceptor;
import dev.sessiond.server.api.CallExecutors;
import dev.sessiond.server.api.CallThreads;
import dev.sessiond.server.api.GrpcApi;
import dev.sessiond.server.audit.AuditLog;
import dev.sessiond.server.audit.AuditTrail;
import dev.sessiond.server.audit.StateChangeLog;
import dev.sessiond.server.auth.HashingSlots;
import dev.sessiond.server.auth.LoginThrottle;
import dev.sessiond.server.auth.PasswordHasher;
import dev.sessiond.server.auth.TokenCodec;
import dev.sessiond.server.auth.TokenKeys;
import dev.sessiond.server.auth.domain.DomainSignIn;
import dev.sessiond.server.config.Config;
import dev.sessiond.server.license.SeatPool;
import dev.sessiond.server.directory.DirectoryService;
import dev.sessiond.server.metrics.Metrics;
import dev.sessiond.server.metrics.SessionMetrics;
import dev.sessiond.server.metrics.StoreGauges;
import dev.sessiond.server.ops.InFlightCalls;
import dev.sessiond.server.ops.OpsHttpServer;
import dev.sessiond.server.ops.Readiness;
import dev.sessiond.server.ops.RpcLogInterceptor;
import dev.sessiond.server.session.ActivityRecorder;
import dev.sessiond.server.session.SessionCensus;
import dev.sessiond.server.session.SessionReaper;
import dev.sessiond.server.session.SessionService;
import dev.sessiond.server.session.SignInService;
import dev.sessiond.server.store.Store;
import dev.sessiond.server.user.AdminBootstrap;
import dev.sessiond.server.user.UserService;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the server's lifecycle: opens the store, wires the capabilities, serves them on the
 * given {@link ServerBuilder} (Netty in production, in-process in tests) together with health
 * and reflection, serves metrics and health over HTTP ({@link OpsHttpServer}), and shuts down
 * gracefully. Not reusable: one {@link #start()}, one {@link #close()}.
 */
public final class SessiondServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessiondServer.class);

    private final Config config;
    private final ServerBuilder<?> builder;
    private final Clock clock;
    private final PasswordHasher.Cost hashCost;
    private final PrintStream stderr;
    private final HealthStatusManager health = new HealthStatusManager();
    /** Reaper and health checks. */
    private final ScheduledExecutorService scheduler = daemonScheduler("sessiond-background");
    /**
     * Activity writes on a thread of their own: other servers judge expiry by them, so a long
     * reaper run or a slow health check must never delay them.
     */
    private final ScheduledExecutorService activityWriter = daemonScheduler("sessiond-activity-writer");
    /** The threads of calls that may wait (for the store, for a password hash); validations run on the transport's. */
    private final ExecutorService calls = CallThreads.newPool();
    /** The threads password hashes run on, nicer still than the call threads that wait for them. */
    private final ExecutorService hashes = CallThreads.newHashPool();
    /** Where cached sessions in use are re-read ahead of their expiry, so their validations never wait for it. */
    private final ExecutorService cacheRefresher = CallThreads.newCacheRefresher();

    /** After the calls drained, how long streams (health watches) may take to end before they are cancelled. */
    private static final long STREAM_SETTLE_MS = 500;
    /** How often health re-checks that the store answers. */
    private static final long STORE_CHECK_MS = 1_000;

    private final List<String> serviceNames = new ArrayList<>();
    private final Metrics metrics = new Metrics();
    private final InFlightCalls inFlight = new InFlightCalls();
    private volatile boolean storeReachable = true;
    /** What /readyz says; follows the overall grpc.health.v1 status. */
    private volatile Readiness readiness = new Readiness(false, "starting");
    private boolean closing; // guarded by this
    private OpsHttpServer ops;
    private Store store;
    private ActivityRecorder activity;
    private SessionReaper reaper;
    private Server server;

    public SessiondServer(Config config, ServerBuilder<?> builder, Clock clock, PasswordHasher.Cost hashCost,
            PrintStream stderr) {
        this.config = requireNonNull(config, "config");
        this.builder = requireNonNull(builder, "builder");
        this.clock = requireNonNull(clock, "clock");
        this.hashCost = requireNonNull(hashCost, "hashCost");
        this.stderr = requireNonNull(stderr, "stderr");
    }

    /** Opens the store, bootstraps the first administrator if needed, and starts serving. */
    public SessiondServer start() throws IOException {
        try {
            return startServing();
        } catch (IOException | RuntimeException e) {
            close(); // release what was opened (the pool above all) before reporting
            throw e;
        }
    }

    private SessiondServer startServing() throws IOException {
        store = Store.open(config.database(), metrics.registry());
        TokenKeys keys = TokenKeys.loadOrCreate(config.tokenKeyFile());
        TokenCodec tokens = new TokenCodec(keys, config.serverCode(), config.instanceName(), clock);
        SessionMetrics counters = metrics.sessions();
        AuditLog audit = new AuditLog(List.of(counters, new StateChangeLog()));
        activity = new ActivityRecorder(store.jdbi());
        SeatPool seats = new SeatPool(config.licensePolicy());
        SessionService sessions = new SessionService(store.jdbi(), tokens, config.sessionPolicy(),
                config.clientKinds(), activity, audit, seats, store.notices(), clock, counters, cacheRefresher);
        HashingSlots hashing = new HashingSlots(config.hashing(), hashes);
        UserService users = new UserService(store.jdbi(), new PasswordHasher(hashCost, hashing), audit, sessions,
                config.defaultLicenseType(), clock);
        DomainSignIn domains;
        try {
            domains = DomainSignIn.start(config.domainSignIn(), users);
        } catch (GeneralSecurityException e) {
            throw new IOException("a directory trust store is unusable: " + e.getMessage(), e);
        }
        LoginThrottle throttle = new LoginThrottle(store.jdbi(), config.throttlePolicy());
        SignInService signIn = new SignInService(users, domains, sessions, throttle, hashing, audit, store.jdbi(), clock,
                counters);
        reaper = new SessionReaper(store.jdbi(), sessions, activity, audit, config.reaper(), clock, counters);
        AdminBootstrap.run(users, config.adminLogin(), config.adminPassword(), stderr);
        DirectoryService directory = new DirectoryService(store.jdbi(), sessions, activity, config.sessionPolicy(),
                keys, clock);

        metrics.hashing(hashing);
        metrics.sessionCache(sessions);
        metrics.storeReachable(() -> storeReachable);
        StoreGauges gauges = new StoreGauges(metrics.registry(),
                new SessionCensus(store.jdbi(), sessions, seats, config.sessionPolicy(), clock)::take,
                config.licensePolicy().concurrentLicenses(), config.metricsStoreMaxAge(), clock);
        // Up before the gRPC port, so orchestrators polling /readyz hear "starting" rather than nothing.
        ops = OpsHttpServer.start(config.metricsPort(), metrics, gauges::refresh, () -> readiness);

        List<BindableService> services = new ArrayList<>(GrpcApi.services(sessions, signIn, users,
                new AuditTrail(store.jdbi()), directory, version()));
        services.forEach(builder::addService);
        CallExecutors.install(builder, calls);
        builder.addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(legacyReflection())
                // the last added runs first: metrics and the call log see each call whole
                .intercept(new CallContextInterceptor())
                .intercept(inFlight)
                .intercept(new RpcLogInterceptor())
                .intercept(metrics.grpcInterceptor());
        server = builder.build().start();

        for (BindableService service : services) {
            serviceNames.add(service.bindService().getServiceDescriptor().getName());
            metrics.preregister(service.bindService());
        }
        serviceNames.add(HealthStatusManager.SERVICE_NAME_ALL_SERVICES);
        setHealth(ServingStatus.SERVING);
        scheduler.scheduleWithFixedDelay(this::checkStore, STORE_CHECK_MS, STORE_CHECK_MS, TimeUnit.MILLISECONDS);
        long interval = config.sessionPolicy().activityWriteInterval().toMillis();
        activityWriter.scheduleWithFixedDelay(activity::flush, interval, interval, TimeUnit.MILLISECONDS);
        long reaperInterval = config.reaper().interval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            reaper.runQuietly();
            throttle.purgeStaleQuietly(clock.instant());
        }, reaperInterval, reaperInterval, TimeUnit.MILLISECONDS);
        log.info("sessiond serving on port {} ({}; metrics and health on HTTP port {}; server code '{}', instance '{}')",
                server.getPort(), config.transport().tls().isPresent() ? "TLS" : "plaintext", ops.port(),
                config.serverCode(), config.instanceName());
        return this;
    }

    private static ScheduledExecutorService daemonScheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Health follows the store: NOT_SERVING while it cannot be reached, SERVING again once it can. */
    private void checkStore() {
        boolean reachable = store.checkReachable(2);
        if (reachable != storeReachable) {
            storeReachable = reachable;
            if (reachable) {
                log.info("the store is reachable again; serving");
            } else {
                log.warn("the store is unreachable; health reports NOT_SERVING until it is back");
            }
            setHealth(reachable ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
        }
    }

    private synchronized void setHealth(ServingStatus status) {
        if (closing) {
            return; // shutting down is final
        }
        // /readyz first: whoever sees the gRPC status change finds /readyz changed already
        readiness = status == ServingStatus.SERVING
                ? new Readiness(true, "serving")
                : new Readiness(false, "the store is unreachable");
        for (String name : serviceNames) {
            health.setStatus(name, status);
        }
    }

    @SuppressWarnings("deprecation") // v1alpha reflection stays for older grpcurl releases
    private static BindableService legacyReflection() {
        return ProtoReflectionService.newInstance();
    }

    /** The expired-session reaper, which also runs on its own schedule; tests run it by hand. */
    public SessionReaper reaper() {
        return reaper;
    }

    /** The version of this build, e.g. {@code 0.1.0}; also the platform version recorded with configuration changes. */
    public static String version() {
        try (InputStream in = SessiondServer.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The port the server listens on (-1 for in-process servers). */
    public int port() {
        return server.getPort();
    }

    /** The HTTP port of /metrics, /healthz and /readyz. */
    public int metricsPort() {
        return ops.port();
    }

    /** Blocks until the server has terminated. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /**
     * Graceful shutdown: reports NOT_SERVING (gRPC health and /readyz), refuses new calls, lets
     * in-flight calls finish within the grace period, then ends what is left (health watches,
     * and calls that outran the grace), writes the remembered activity, and closes the store.
     */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            readiness = new Readiness(false, "shutting down");
            health.enterTerminalState();
        }
        if (server != null) {
            log.info("sessiond shutting down: NOT_SERVING, refusing new calls, letting in-flight calls finish "
                    + "within {}", config.shutdownGrace());
            server.shutdown();
            try {
                // Unary calls do the work; streams (health watches) would hold the drain for the whole grace.
                if (!inFlight.awaitNone(config.shutdownGrace())) {
                    log.warn("{} call(s) did not finish within {}; cancelling them", inFlight.count(),
                            config.shutdownGrace());
                }
                // A moment for the last responses to be written; then end whatever still holds a transport open.
                if (!server.awaitTermination(STREAM_SETTLE_MS, TimeUnit.MILLISECONDS)) {
                    server.shutdownNow();
                    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                        log.warn("the gRPC server did not terminate within 5 s of cancelling its calls");
                    }
                }
            } catch (InterruptedException e) {
                server.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        scheduler.shutdownNow();
        activityWriter.shutdownNow();
        calls.shutdownNow();
        hashes.shutdownNow();
        cacheRefresher.shutdownNow();
        if (activity != null) {
            activity.flush();
        }
        if (ops != null) {
            ops.close();
        }
        if (store != null) {
            store.close();
        }
        metrics.close();
        log.info("sessiond stopped");
    }
}
