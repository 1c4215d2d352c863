package dev.sessiond.server.testing;

import dev.sessiond.proto.v1.CreateUserRequest;
import dev.sessiond.proto.v1.LicenseType;
import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.proto.v1.SessionDirectoryServiceGrpc;
import dev.sessiond.proto.v1.SessionServerServiceGrpc;
import dev.sessiond.proto.v1.User;
import dev.sessiond.proto.v1.UserAdminServiceGrpc;
import dev.sessiond.server.SessiondServer;
import dev.sessiond.server.auth.PasswordHasher;
import dev.sessiond.server.config.Config;
import dev.sessiond.server.config.ConfigLoader;
import dev.sessiond.server.session.SessionReaper;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * A real sessiond server on the in-process transport, over a private in-memory H2 database,
 * with a {@link MutableClock}. Tests talk to it through real generated stubs.
 */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "admin-password-1";
    /** Cheap Argon2id parameters: the tests are about behaviour, not hashing cost. */
    public static final PasswordHasher.Cost TEST_COST = new PasswordHasher.Cost(256, 1, 1);

    public final MutableClock clock;
    public final Config config;
    private final String name = "sessiond-test-" + UUID.randomUUID();
    private final SessiondServer server;
    private final ManagedChannel channel;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private final TestDatabase.Store store;
    /** A replica uses another server's store and leaves it alone on close. */
    private final boolean replica;

    private TestServer(Map<String, String> env, MutableClock clock, TestDatabase.Store store, boolean replica) {
        this.clock = clock;
        this.store = store;
        this.replica = replica;
        this.config = ConfigLoader.load(env);
        this.server = new SessiondServer(config, InProcessServerBuilder.forName(name), clock, TEST_COST,
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.channel = InProcessChannelBuilder.forName(name).build();
    }

    /** A server with its own database, data directory and key file under {@code dir}. */
    public static TestServer start(Path dir) {
        return start(dir, Map.of());
    }

    /** As {@link #start(Path)}, with extra settings (environment variable names). */
    public static TestServer start(Path dir, Map<String, String> settings) {
        return start(dir, settings, MutableClock.atSomeFixedInstant());
    }

    public static TestServer start(Path dir, Map<String, String> settings, MutableClock clock) {
        Map<String, String> env = new HashMap<>();
        env.put("SESSIOND_DATA_DIR", dir.resolve("data").toString());
        env.put("SESSIOND_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("SESSIOND_METRICS_PORT", "0"); // many servers share one machine
        // Tests open hundreds of sessions at once on a busy machine; the hashing wait bound has tests of its own.
        env.put("SESSIOND_PASSWORD_HASH_MAX_WAIT", "1h");
        TestDatabase.Store store = null;
        if (!settings.containsKey("SESSIOND_DB_URL")) {
            store = TestDatabase.create();
            env.put("SESSIOND_DB_URL", store.url());
            env.put("SESSIOND_DB_USER", store.user());
            env.put("SESSIOND_DB_PASSWORD", store.password());
        }
        env.putAll(settings);
        return new TestServer(env, clock, store, false);
    }

    /**
     * Another server on this one's store, token key file and clock — a replica, as behind a load
     * balancer in production. Close it before this server, which owns the store.
     */
    public TestServer replica(Path dir, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        env.put("SESSIOND_DATA_DIR", dir.resolve("data").toString());
        env.put("SESSIOND_METRICS_PORT", "0");
        env.put("SESSIOND_DB_URL", config.database().url());
        env.put("SESSIOND_DB_USER", config.database().user());
        env.put("SESSIOND_DB_PASSWORD", config.database().password());
        env.put("SESSIOND_TOKEN_KEY_FILE", config.tokenKeyFile().toString());
        env.putAll(settings);
        return new TestServer(env, clock, null, true);
    }

    /** Whether this server runs on PostgreSQL (else H2). */
    public boolean onPostgres() {
        return store != null && store.postgres();
    }

    /** Direct access to the server's database, for checking what was stored. */
    public Jdbi database() {
        return Jdbi.create(config.database().url(), config.database().user(), config.database().password())
                .installPlugin(new SqlObjectPlugin());
    }

    /** The HTTP port of /metrics, /healthz and /readyz. */
    public int metricsPort() {
        return server.metricsPort();
    }

    /** The server's expired-session reaper, to run by hand after moving the clock. */
    public SessionReaper reaper() {
        return server.reaper();
    }

    /** Creates a user with the given licence type as the bootstrap administrator. */
    public User createUser(String login, String password, LicenseType licenseType) {
        return as(adminToken(), users()).createUser(CreateUserRequest.newBuilder()
                .setLogin(login).setPassword(password).setLicenseType(licenseType).build()).getUser();
    }

    /** Number of seats held now, counted straight from the store (sessions of one user and address share one). */
    public int seatsInUse() {
        return database().withHandle(h -> h.createQuery("""
                SELECT COUNT(*) FROM (SELECT DISTINCT user_id, client_address FROM sessions
                                      WHERE counts_seat AND is_active) seats""").mapTo(Integer.class).one());
    }

    /** What the server printed to standard error. */
    public String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    public SessionClientServiceGrpc.SessionClientServiceBlockingStub client() {
        return SessionClientServiceGrpc.newBlockingStub(channel);
    }

    public SessionServerServiceGrpc.SessionServerServiceBlockingStub server() {
        return SessionServerServiceGrpc.newBlockingStub(channel);
    }

    public SessionDirectoryServiceGrpc.SessionDirectoryServiceBlockingStub directory() {
        return SessionDirectoryServiceGrpc.newBlockingStub(channel);
    }

    public UserAdminServiceGrpc.UserAdminServiceBlockingStub users() {
        return UserAdminServiceGrpc.newBlockingStub(channel);
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** {@code stub} sending {@code authorization: Bearer <token>}. */
    public static <S extends AbstractStub<S>> S as(String token, S stub) {
        return with(stub, Map.of("authorization", "Bearer " + token));
    }

    /** {@code stub} sending the given metadata. */
    public static <S extends AbstractStub<S>> S with(S stub, Map<String, String> headers) {
        Metadata metadata = new Metadata();
        headers.forEach((k, v) -> metadata.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
    }

    public OpenSessionResponse login(String login, String password, String applicationId) {
        return client().openSession(OpenSessionRequest.newBuilder()
                .setLogin(login).setPassword(password).setApplicationId(applicationId).build());
    }

    public String adminToken() {
        return login("admin", ADMIN_PASSWORD, "admin-console").getToken();
    }

    /** Creates a user as the bootstrap administrator. */
    public User createUser(String login, String password, boolean admin, boolean service) {
        return as(adminToken(), users()).createUser(CreateUserRequest.newBuilder()
                .setLogin(login).setPassword(password).setIsAdmin(admin).setIsService(service)
                .setLicenseType(LicenseType.LICENSE_TYPE_UNSPECIFIED).build()).getUser();
    }

    /** A service account's token, for SessionServerService calls. */
    public String serviceToken() {
        String login = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        createUser(login, "service-password", false, true);
        return login(login, "service-password", "web-api").getToken();
    }

    /** Audit event kinds recorded for a session, oldest first. */
    public List<String> eventKinds(String sessionId) {
        return database().withHandle(h -> h.createQuery(
                        "SELECT kind FROM session_events WHERE session_id = :id ORDER BY id")
                .bind("id", UUID.fromString(sessionId)).mapTo(String.class).list());
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        if (replica) {
            return;
        }
        if (store != null) {
            store.drop().run();
        } else if (config.database().url().startsWith("jdbc:h2:")) {
            // A database the test chose itself (an H2 file): close it so the next start can open it.
            try (Connection c = DriverManager.getConnection(config.database().url(), config.database().user(),
                    config.database().password()); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException e) {
                throw new IllegalStateException("could not close the test database", e);
            }
        }
    }
}
