package dev.sessiond.benchmark;

import static java.util.Objects.requireNonNull;

import dev.sessiond.proto.v1.CreateUserRequest;
import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.proto.v1.SessionServerServiceGrpc;
import dev.sessiond.proto.v1.SessionServerServiceOpenSessionRequest;
import dev.sessiond.proto.v1.SessionServerServiceOpenSessionResponse;
import dev.sessiond.proto.v1.UserAdminServiceGrpc;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import io.grpc.stub.StreamObserver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Fills the store: users and the validated sessions through the API, the way clients make
 * them (so their tokens are real), and the bulk of the stored sessions as filler rows written
 * straight into the {@code sessions} table with one {@code INSERT ... SELECT} per 100,000
 * rows. Fillers are open, unexpired sessions of the same users, with random ids, so the
 * validated sessions are spread among them in every index.
 */
final class Seeder {

    /** The password of every benchmark user (never a real one). */
    static final String PASSWORD = "bench-password-not-secret";
    /** Users who own the stored sessions; fillers and validated sessions are spread over them. */
    static final int HOLDERS = 100;
    private static final int API_IN_FLIGHT = 16;
    private static final int FILL_CHUNK = 100_000;
    private static final long SETUP_DEADLINE_SECONDS = 60;
    private static final List<String> APPLICATIONS = List.of("web-client", "desktop-client", "web-api", "erp-batch");

    private Seeder() {}

    /** What the API setup made: the callers' tokens, the login users, and the sessions to validate. */
    record Fixture(String adminToken, String serviceToken, List<String> logins, List<String> holderIds,
            List<Opened> sessions) {
        Fixture {
            requireNonNull(adminToken, "adminToken");
            requireNonNull(serviceToken, "serviceToken");
            logins = List.copyOf(logins);
            holderIds = List.copyOf(holderIds);
            sessions = List.copyOf(sessions);
        }
    }

    /** A session opened through the API: its id and token. */
    record Opened(String id, String token) {}

    /**
     * Signs the administrator in, creates a service account (the validating caller), {@code logins}
     * users with passwords (for OpenSession), {@link #HOLDERS} users without, and opens
     * {@code sessions} sessions for the holders through {@code SessionServerService.OpenSession}.
     */
    static Fixture setUp(Driver driver, String adminPassword, int logins, int sessions, Consumer<String> log)
            throws InterruptedException {
        String admin = clientSignIn(driver, "admin", adminPassword);
        var users = UserAdminServiceGrpc.newBlockingStub(driver.typed(admin))
                .withDeadlineAfter(SETUP_DEADLINE_SECONDS, TimeUnit.SECONDS);
        users.createUser(CreateUserRequest.newBuilder().setLogin("bench-service").setPassword(PASSWORD)
                .setIsService(true).build());
        List<String> loginNames = new ArrayList<>();
        for (int i = 0; i < logins; i++) {
            String login = String.format("bench-login-%02d", i);
            users.createUser(CreateUserRequest.newBuilder().setLogin(login).setPassword(PASSWORD).build());
            loginNames.add(login);
        }
        List<String> holders = new ArrayList<>();
        for (int i = 0; i < HOLDERS; i++) {
            holders.add(users.createUser(CreateUserRequest.newBuilder().setLogin(String.format("bench-user-%03d", i))
                    .build()).getUser().getId());
        }
        String service = clientSignIn(driver, "bench-service", PASSWORD);
        log.accept(String.format("created %d users; opening %,d sessions through the API", 1 + logins + HOLDERS, sessions));
        long start = System.nanoTime();
        List<Opened> opened = openSessions(driver, service, holders, sessions);
        log.accept(String.format("opened %,d sessions in %.1f s", opened.size(), (System.nanoTime() - start) / 1e9));
        checkValid(driver, service, opened.get(0));
        return new Fixture(admin, service, loginNames, holders, opened);
    }

    /** The request that opens session number {@code i} for a holder (also used by the open+close cycle). */
    static SessionServerServiceOpenSessionRequest openRequest(List<String> holderIds, long i) {
        return SessionServerServiceOpenSessionRequest.newBuilder()
                .setUserId(holderIds.get((int) (i % holderIds.size())))
                .setApplicationId(APPLICATIONS.get((int) (i % APPLICATIONS.size())))
                .build();
    }

    private static String clientSignIn(Driver driver, String login, String password) {
        return SessionClientServiceGrpc.newBlockingStub(driver.typed(""))
                .withDeadlineAfter(SETUP_DEADLINE_SECONDS, TimeUnit.SECONDS)
                .openSession(OpenSessionRequest.newBuilder().setLogin(login).setPassword(password)
                        .setApplicationId("cli").build())
                .getToken();
    }

    private static List<Opened> openSessions(Driver driver, String serviceToken, List<String> holders, int count)
            throws InterruptedException {
        var stub = SessionServerServiceGrpc.newStub(driver.typed(serviceToken));
        Semaphore inFlight = new Semaphore(API_IN_FLIGHT);
        var opened = new ConcurrentLinkedQueue<Opened>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < count && failure.get() == null; i++) {
            if (!inFlight.tryAcquire(SETUP_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("opening sessions through the API stalled");
            }
            stub.withDeadlineAfter(SETUP_DEADLINE_SECONDS, TimeUnit.SECONDS).openSession(openRequest(holders, i),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(SessionServerServiceOpenSessionResponse response) {
                            opened.add(new Opened(response.getSession().getId(), response.getToken()));
                        }

                        @Override
                        public void onError(Throwable t) {
                            failure.compareAndSet(null, t);
                            inFlight.release();
                        }

                        @Override
                        public void onCompleted() {
                            inFlight.release();
                        }
                    });
        }
        if (!inFlight.tryAcquire(API_IN_FLIGHT, SETUP_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("opening sessions through the API did not finish");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("SessionServerService.OpenSession failed: " + failure.get(), failure.get());
        }
        List<Opened> list = new ArrayList<>(opened);
        Collections.shuffle(list, new java.util.Random(42)); // validation order unrelated to creation order
        return list;
    }

    /** One typed validation first: the load passes only look at status codes. */
    private static void checkValid(Driver driver, String serviceToken, Opened session) {
        String id = SessionServerServiceGrpc.newBlockingStub(driver.typed(serviceToken))
                .withDeadlineAfter(SETUP_DEADLINE_SECONDS, TimeUnit.SECONDS)
                .validateAndGetSession(ValidateAndGetSessionRequest.newBuilder().setToken(session.token()).build())
                .getSession().getId();
        if (!id.equals(session.id())) {
            throw new IllegalStateException("ValidateAndGetSession returned session " + id + " for " + session.id());
        }
    }

    /**
     * Adds filler sessions until the store holds {@code total}. For H2 the server must be stopped.
     *
     * @return how many rows were added
     */
    static long fill(Store store, List<String> holderIds, long total, Consumer<String> log) throws SQLException {
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            long existing = count(s);
            long missing = total - existing;
            long start = System.nanoTime();
            long now = System.currentTimeMillis();
            long lifetimeEnd = now + Duration.ofDays(7).toMillis();
            for (long from = existing + 1; from <= total; from += FILL_CHUNK) {
                long to = Math.min(total, from + FILL_CHUNK - 1);
                s.executeUpdate(fillerInsert(store.kind(), holderIds, from, to, now, lifetimeEnd));
                if (missing > FILL_CHUNK) {
                    log.accept(String.format("  %,d of %,d filler sessions", to - existing, missing));
                }
            }
            s.execute(store.kind() == Store.Kind.H2 ? "ANALYZE" : "ANALYZE sessions");
            long after = count(s);
            if (missing > 0) {
                log.accept(String.format("stored sessions: %,d (%,d filler rows added in %.1f s)", after, missing,
                        (System.nanoTime() - start) / 1e9));
            }
            if (after < total) {
                throw new IllegalStateException("the store holds " + after + " sessions after filling up to " + total);
            }
            return Math.max(0, missing);
        }
    }

    private static long count(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sessions")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Rows {@code from..to}: row {@code x} belongs to holder {@code x % 100}, was created {@code x} ms
     * before now, was last active now and lives 7 days; what the server would have written for a
     * web session opened through the API. Numbers and ids are ours, so they are inlined.
     */
    static String fillerInsert(Store.Kind kind, List<String> holderIds, long from, long to, long now, long lifetimeEnd) {
        boolean h2 = kind == Store.Kind.H2;
        String holders = IntStream.range(0, holderIds.size())
                .mapToObj(i -> "(" + i + ", CAST('" + java.util.UUID.fromString(holderIds.get(i)) + "' AS UUID))")
                .collect(Collectors.joining(", "));
        return """
                INSERT INTO sessions (id, secret_hash, user_id, parent_session_id, application_id, client_kind,
                    session_type, license_type, is_active, counts_seat, client_culture, client_ui_culture,
                    client_utc_offset_s, client_host, client_host_key, client_address, transport, instance_name,
                    server_code, create_time_ms, last_activity_ms, lifetime_end_ms)
                SELECT %s, %s, u.id, NULL, 'web-client', 'WEB', 'SERVER', 'PERSONAL', TRUE, FALSE, 'en-US', 'en-US',
                    0, CONCAT('ws-', MOD(g.x, 5000)), CONCAT('ws-', MOD(g.x, 5000)),
                    CONCAT('10.1.', MOD(g.x, 250), '.', MOD(g.x / 250, 250)),
                    'grpc', 'default', 'sessiond', %d - g.x, %d, %d
                FROM %s JOIN (VALUES %s) AS u(n, id) ON u.n = MOD(g.x, %d)
                """.formatted(
                h2 ? "RANDOM_UUID()" : "gen_random_uuid()",
                h2 ? "RAWTOHEX(HASH('SHA-256', CAST(g.x AS VARCHAR)))"
                        : "encode(sha256(CAST(CAST(g.x AS VARCHAR) AS BYTEA)), 'hex')",
                now, now, lifetimeEnd,
                h2 ? "SYSTEM_RANGE(" + from + ", " + to + ") AS g"
                        : "generate_series(CAST(" + from + " AS BIGINT), CAST(" + to + " AS BIGINT)) AS g(x)",
                holders, holderIds.size());
    }
}
