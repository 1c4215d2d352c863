package dev.sessiond.server;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.api.CallContextInterceptor;
import dev.sessiond.server.api.GrpcApi;
import dev.sessiond.server.audit.AuditLog;
import dev.sessiond.server.auth.PasswordHasher;
import dev.sessiond.server.auth.TokenCodec;
import dev.sessiond.server.auth.TokenKeys;
import dev.sessiond.server.config.Config;
import dev.sessiond.server.directory.DirectoryService;
import dev.sessiond.server.session.ActivityRecorder;
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
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the server's lifecycle: opens the store, wires the capabilities, serves them on the
 * given {@link ServerBuilder} (Netty in production, in-process in tests) together with health
 * and reflection, and shuts down gracefully. Not reusable: one {@link #start()}, one {@link #close()}.
 */
public final class SessiondServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessiondServer.class);

    private final Config config;
    private final ServerBuilder<?> builder;
    private final Clock clock;
    private final PasswordHasher.Cost hashCost;
    private final PrintStream stderr;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sessiond-activity-writer");
        t.setDaemon(true);
        return t;
    });

    private Store store;
    private ActivityRecorder activity;
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
        store = Store.open(config.database());
        TokenKeys keys = TokenKeys.loadOrCreate(config.tokenKeyFile());
        TokenCodec tokens = new TokenCodec(keys, config.serverCode(), config.instanceName(), clock);
        AuditLog audit = new AuditLog();
        activity = new ActivityRecorder(store.jdbi());
        SessionService sessions = new SessionService(store.jdbi(), tokens, config.sessionPolicy(),
                config.clientKinds(), activity, audit, clock);
        UserService users = new UserService(store.jdbi(), new PasswordHasher(hashCost), audit, sessions,
                config.defaultLicenseType(), clock);
        SignInService signIn = new SignInService(users, sessions, audit, store.jdbi(), clock);
        DirectoryService directory = new DirectoryService(store.jdbi(), sessions, activity, config.sessionPolicy(),
                keys, clock);
        AdminBootstrap.run(users, config.adminLogin(), config.adminPassword(), stderr);

        List<BindableService> services = new ArrayList<>(GrpcApi.services(sessions, signIn, users, directory));
        services.forEach(builder::addService);
        builder.addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(legacyReflection())
                .intercept(new CallContextInterceptor());
        server = builder.build().start();

        for (BindableService service : services) {
            health.setStatus(service.bindService().getServiceDescriptor().getName(), ServingStatus.SERVING);
        }
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        long interval = config.sessionPolicy().activityWriteInterval().toMillis();
        scheduler.scheduleWithFixedDelay(activity::flush, interval, interval, TimeUnit.MILLISECONDS);
        log.info("sessiond serving on port {} (server code '{}', instance '{}')",
                server.getPort(), config.serverCode(), config.instanceName());
        return this;
    }

    @SuppressWarnings("deprecation") // v1alpha reflection stays for older grpcurl releases
    private static BindableService legacyReflection() {
        return ProtoReflectionService.newInstance();
    }

    /** The port the server listens on (-1 for in-process servers). */
    public int port() {
        return server.getPort();
    }

    /** Blocks until the server has terminated. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /**
     * Graceful shutdown: reports NOT_SERVING, refuses new calls, lets in-flight calls finish
     * within the grace period, writes the remembered activity, and closes the store.
     */
    @Override
    public void close() {
        health.enterTerminalState();
        if (server != null) {
            server.shutdown();
            try {
                if (!server.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("in-flight calls did not finish within {}; cancelling them", config.shutdownGrace());
                    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                server.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        scheduler.shutdownNow();
        if (activity != null) {
            activity.flush();
        }
        if (store != null) {
            store.close();
        }
        log.info("sessiond stopped");
    }
}
