package dev.sessiond.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.sessiond.proto.v1.SessionServerServiceCloseSessionRequest;
import dev.sessiond.proto.v1.SessionServerServiceGrpc.SessionServerServiceBlockingStub;
import dev.sessiond.proto.v1.SessionServerServiceOpenSessionRequest;
import dev.sessiond.proto.v1.SessionServerServiceOpenSessionResponse;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several server processes on one PostgreSQL database (SPEC §4, §8): the rules hold across
 * replicas, revocation is seen everywhere at once, one reaper works at a time, and database
 * faults are survived without losing what was acknowledged.
 */
class ReplicasIT {

    @TempDir
    Path dir;

    PostgresDatabase database;
    final List<Replica> replicas = new ArrayList<>();

    @BeforeEach
    void createDatabase() {
        database = PostgresDatabase.create();
    }

    @AfterEach
    void stopEverything() {
        replicas.forEach(Replica::close);
        database.close();
    }

    private Map<String, String> shared(String dbUrl, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("SESSIOND_DB_URL", dbUrl);
        env.put("SESSIOND_DB_USER", database.user);
        env.put("SESSIOND_DB_PASSWORD", PostgresDatabase.password());
        env.put("SESSIOND_TOKEN_KEY_FILE", dir.resolve("token-keys").toString());
        env.put("SESSIOND_ADMIN_PASSWORD", "replica-admin-password");
        env.putAll(extra);
        return env;
    }

    /** Starts {@code n} replicas in parallel (they race to migrate and bootstrap the empty database). */
    private List<Replica> start(int n, String dbUrl, Map<String, String> extra) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<ServerProcess>> starting = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Path workDir = dir.resolve("replica-" + replicas.size() + "-" + i);
                starting.add(pool.submit(() -> ServerProcess.start(workDir, shared(dbUrl, extra))));
            }
            List<Replica> started = new ArrayList<>();
            for (Future<ServerProcess> process : starting) {
                Replica replica = new Replica(process.get(90, TimeUnit.SECONDS));
                replicas.add(replica);
                started.add(replica);
            }
            return started;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Concurrent-licence users created straight in the store: the test is about opens, not user admin. */
    private List<UUID> concurrentUsers(int n) {
        Jdbi db = database.jdbi();
        List<UUID> ids = new ArrayList<>();
        db.useHandle(h -> {
            var batch = h.prepareBatch("""
                    INSERT INTO users (id, login, login_key, display_name, password_hash, is_admin, is_service,
                                       license_type, is_blocked, create_time_ms, update_time_ms)
                    VALUES (:id, :login, :login, :login, NULL, FALSE, FALSE, 'CONCURRENT', FALSE, 0, 0)""");
            for (int i = 0; i < n; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                batch.bind("id", id).bind("login", "seat-user-" + i).add();
            }
            batch.execute();
        });
        return ids;
    }

    private static SessionServerServiceOpenSessionResponse open(Replica replica, UUID user) {
        return replica.server().withDeadlineAfter(30, TimeUnit.SECONDS).openSession(
                SessionServerServiceOpenSessionRequest.newBuilder()
                        .setUserId(user.toString()).setApplicationId("web-client").build());
    }

    private static String reason(StatusRuntimeException e) {
        var status = StatusProto.fromThrowable(e);
        if (status == null) {
            return e.getStatus().getCode().name();
        }
        return status.getDetailsList().stream().filter(a -> a.is(ErrorInfo.class)).map(a -> {
            try {
                return a.unpack(ErrorInfo.class).getReason();
            } catch (InvalidProtocolBufferException bad) {
                throw new AssertionError(bad);
            }
        }).findFirst().orElse(e.getStatus().getCode().name());
    }

    @Test
    void threeReplicas_holdTheSeatLimitExactly_andSeeEachOthersClosesAtOnce() throws Exception {
        List<Replica> three = start(3, database.url(), Map.of("SESSIOND_CONCURRENT_LICENSES", "50"));
        List<UUID> users = concurrentUsers(300);
        three.forEach(Replica::adminToken);

        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(300);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < users.size(); i++) {
                Replica replica = three.get(i % 3);
                UUID user = users.get(i);
                outcomes.add(pool.submit(() -> {
                    go.await();
                    try {
                        open(replica, user);
                        return "OK";
                    } catch (StatusRuntimeException e) {
                        return reason(e);
                    }
                }));
            }
            go.countDown();
            Map<String, Integer> counts = new HashMap<>();
            for (Future<String> outcome : outcomes) {
                counts.merge(outcome.get(120, TimeUnit.SECONDS), 1, Integer::sum);
            }
            assertThat(counts).containsEntry("OK", 50).containsEntry("LICENSE_LIMIT_REACHED", 250).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
        int seats = database.jdbi().withHandle(h -> h.createQuery("""
                SELECT COUNT(*) FROM (SELECT DISTINCT user_id, client_address FROM sessions
                                      WHERE counts_seat AND is_active) seats""").mapTo(Integer.class).one());
        assertThat(seats).isEqualTo(50);

        // Close on one replica; the others must refuse the token within one second.
        long worstNanos = 0;
        for (int i = 0; i < 20; i++) {
            Replica a = three.get(i % 3);
            var opened = a.server().openSession(SessionServerServiceOpenSessionRequest.newBuilder()
                    .setLogin("admin").setApplicationId("web-client").build());
            var validate = ValidateAndGetSessionRequest.newBuilder().setToken(opened.getToken()).build();
            for (Replica other : three) {
                other.server().validateAndGetSession(validate);
            }
            a.server().closeSession(SessionServerServiceCloseSessionRequest.newBuilder()
                    .setSessionId(opened.getSession().getId()).build());
            long closedAt = System.nanoTime();
            for (Replica other : three) {
                if (other == a) {
                    continue;
                }
                worstNanos = Math.max(worstNanos, nanosUntilRefused(other.server(), validate, closedAt));
            }
        }
        System.out.printf("ReplicasIT: worst close-to-refusal latency on another replica: %.3f ms%n",
                worstNanos / 1e6);
        assertThat(Duration.ofNanos(worstNanos)).isLessThan(Duration.ofSeconds(1));
    }

    /**
     * How long after {@code since} a validation was first refused, measured to the moment that
     * validation was sent: the server's staleness, not the time the refusing call itself took.
     */
    private static long nanosUntilRefused(SessionServerServiceBlockingStub service,
            ValidateAndGetSessionRequest validate, long since) {
        for (int attempt = 0; attempt < 10_000; attempt++) { // bounded: polls for at most ~2 s
            long sent = System.nanoTime();
            try {
                service.validateAndGetSession(validate);
            } catch (StatusRuntimeException e) {
                assertThat(reason(e)).isEqualTo("SESSION_NOT_FOUND");
                return sent - since;
            }
            if (System.nanoTime() - since > Duration.ofSeconds(2).toNanos()) {
                break;
            }
        }
        throw new AssertionError("a closed session still validated on another replica after 2 s");
    }

    @Test
    void expiredSessions_areReapedOnceAcrossReplicas() throws Exception {
        List<Replica> three = start(3, database.url(), Map.of(
                "SESSIOND_SESSION_IDLE_TIMEOUT", "3s",
                // The administrators' own sessions (application "cli", a desktop client) must outlive a slow seeding.
                "SESSIOND_DESKTOP_IDLE_TIMEOUT", "10m",
                "SESSIOND_ACTIVITY_WRITE_INTERVAL", "100ms",
                "SESSIOND_REAPER_INTERVAL", "200ms",
                "SESSIOND_REAPER_BATCH_SIZE", "20"));
        List<UUID> users = concurrentUsers(200);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            Replica replica = three.get(i % 3);
            ids.add(open(replica, users.get(i)).getSession().getId());
        }
        Jdbi db = database.jdbi();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long left;
        do { // bounded polling: the reapers run on their own schedule
            Thread.sleep(200);
            left = db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id"
                    + " WHERE u.login LIKE 'seat-user-%'").mapTo(Long.class).one());
        } while (left > 0 && System.nanoTime() < deadline);
        assertThat(left).as("every expired session reaped").isZero();

        List<String> expired = db.withHandle(h -> h.createQuery("""
                SELECT CAST(e.session_id AS VARCHAR) FROM session_events e
                WHERE e.kind = 'EXPIRED' AND e.user_login LIKE 'seat-user-%'""").mapTo(String.class).list());
        assertThat(expired).as("each expiry recorded once").hasSize(200).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aDatabaseCut_failsCallsFastWithUnavailable_andTheSameProcessServesAgain() throws Exception {
        try (TcpProxy proxy = new TcpProxy(database.host, database.port)) {
            Replica replica = start(1, database.url("127.0.0.1", proxy.port()), Map.of()).get(0);
            List<UUID> users = concurrentUsers(5);
            List<String> acknowledged = new ArrayList<>();
            for (UUID user : users) {
                acknowledged.add(open(replica, user).getToken());
            }
            String adminToken = replica.adminToken();

            proxy.cut();
            long start = System.nanoTime();
            StatusRuntimeException failure = null;
            try {
                Replica.as(adminToken, dev.sessiond.proto.v1.SessionServerServiceGrpc.newBlockingStub(replica.channel))
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .validateAndGetSession(ValidateAndGetSessionRequest.newBuilder()
                                .setToken(acknowledged.get(0)).build());
            } catch (StatusRuntimeException e) {
                failure = e;
            }
            long failedAfterMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("ReplicasIT: with the database cut, validation failed after %d ms%n", failedAfterMs);
            assertThat(failure).as("never 'valid' while the store is away").isNotNull();
            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(reason(failure)).isEqualTo("STORE_UNAVAILABLE");
            assertThat(failedAfterMs).isLessThan(10_000);
            assertThat(awaitHealth(replica, ServingStatus.NOT_SERVING)).isTrue();
            int ops = replica.process.metricsPort();
            assertThat(OpsHttp.get(ops, "/readyz")).as("readiness follows health")
                    .isEqualTo(new OpsHttp.Response(503, "not ready: the store is unreachable\n"));
            assertThat(OpsHttp.get(ops, "/healthz").status()).as("alive: a restart would not help").isEqualTo(200);
            assertThat(OpsHttp.get(ops, "/metrics").body()).as("still scraped, at once")
                    .contains("sessiond_store_reachable 0.0");

            proxy.restore();
            assertThat(awaitHealth(replica, ServingStatus.SERVING)).isTrue();
            assertThat(OpsHttp.get(ops, "/readyz")).isEqualTo(new OpsHttp.Response(200, "ready: serving\n"));
            for (String token : acknowledged) {
                assertThat(validateWithRetry(replica, token)).isTrue();
            }
        }
    }

    private static boolean awaitHealth(Replica replica, ServingStatus wanted) throws InterruptedException {
        for (int i = 0; i < 150; i++) { // bounded: up to 15 s
            if (replica.health() == wanted) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** After a restore the pool may still hand out one broken connection; a real client retries UNAVAILABLE. */
    private static boolean validateWithRetry(Replica replica, String token) throws InterruptedException {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                replica.server().validateAndGetSession(ValidateAndGetSessionRequest.newBuilder().setToken(token).build());
                return true;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
        return false;
    }

    @Test
    void killingAReplicaDuringOpens_losesNoAcknowledgedSession() throws Exception {
        List<Replica> two = start(2, database.url(), Map.of());
        Replica victim = two.get(0);
        Replica survivor = two.get(1);
        List<UUID> users = concurrentUsers(2000);
        survivor.adminToken();
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> streams = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                streams.add(pool.submit(() -> {
                    for (int i = offset; i < users.size() && !stop.get(); i += 4) {
                        try {
                            acknowledged.add(open(victim, users.get(i)).getToken());
                        } catch (StatusRuntimeException e) {
                            return null; // the replica died under us
                        }
                    }
                    return null;
                }));
            }
            for (int i = 0; i < 100 && acknowledged.size() < 100; i++) { // bounded: wait for a stream of opens
                Thread.sleep(50);
            }
            victim.process.kill(); // SIGKILL in the middle of the stream
            stop.set(true);
            for (Future<?> stream : streams) {
                stream.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("ReplicasIT: %d opens acknowledged before kill -9%n", acknowledged.size());
        assertThat(acknowledged).isNotEmpty();
        for (String token : acknowledged) {
            survivor.server().validateAndGetSession(ValidateAndGetSessionRequest.newBuilder().setToken(token).build());
        }
    }
}
