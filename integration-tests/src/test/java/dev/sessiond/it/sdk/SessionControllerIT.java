package dev.sessiond.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessiond.client.SessionController;
import dev.sessiond.client.SessionException;
import dev.sessiond.client.SessionLease;
import dev.sessiond.client.SessionOpener;
import dev.sessiond.client.SessiondClient;
import dev.sessiond.proto.v1.ErrorReason;
import dev.sessiond.proto.v1.User;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SessionController} against a real server: opens are counted from the server's audit
 * table ({@code session_events}), not from the SDK.
 */
class SessionControllerIT {

    private static final String SERVICE_PASSWORD = "service-password";
    private static final int THREADS = 32;

    @TempDir
    Path dir;

    /** A service account, so that the controller's keep-alive may call UpdateLastActivity. */
    private static User serviceAccount(SdkTestServer server, SessiondClient client) {
        return server.createUser(client, "svc-orders", SERVICE_PASSWORD, false, true);
    }

    @Test
    void thirtyTwoThreadsCallingTryOpenAtOnce_openExactlyOneSession() throws Exception {
        try (SdkTestServer server = SdkTestServer.start(dir);
                SessiondClient client = server.client(b -> b.applicationId("orders-service"))) {
            User svc = serviceAccount(server, client);
            List<SessionLease> leases;
            try (SessionController controller = SessionController.builder(client,
                    SessionOpener.password("svc-orders", SERVICE_PASSWORD)).build()) {
                leases = allAtOnce(THREADS, controller);

                assertThat(leases).hasSize(THREADS);
                assertThat(leases).extracting(SessionLease::sessionId).containsOnly(leases.get(0).sessionId());
                assertThat(server.eventCount("OPENED", svc.getId())).isEqualTo(1);

                leases.forEach(SessionLease::close);
            }
            assertThat(server.eventKinds(leases.get(0).sessionId())).containsExactly("OPENED", "CLOSED");
        }
    }

    @Test
    void closingTheLastLease_closesTheSession_earlierOnesDoNot() {
        try (SdkTestServer server = SdkTestServer.start(dir);
                SessiondClient client = server.client(b -> b.applicationId("orders-service"));
                SessionController controller = SessionController.builder(client,
                        SessionOpener.password("svc-orders", SERVICE_PASSWORD)).build()) {
            serviceAccount(server, client);
            SessiondClient admin = client.withToken(server.adminToken(client));
            SessionLease first = controller.tryOpen().orElseThrow();
            SessionLease second = controller.tryOpen().orElseThrow();
            SessionLease third = controller.tryOpen().orElseThrow();
            String id = first.sessionId();

            first.close();
            third.close();
            assertThat(admin.server().tryGetSession(id)).isPresent();

            second.close();
            assertThat(admin.server().tryGetSession(id)).isEmpty();
            assertThat(server.eventKinds(id)).containsExactly("OPENED", "CLOSED");
            assertThatThrownBy(() -> admin.server().validateAndGetSession(first.token()))
                    .isInstanceOfSatisfying(SessionException.class,
                            e -> assertThat(e.reason()).isEqualTo(ErrorReason.SESSION_NOT_FOUND));

            // and the next tryOpen() starts over with a new session
            try (SessionLease again = controller.tryOpen().orElseThrow()) {
                assertThat(again.sessionId()).isNotEqualTo(id);
            }
        }
    }

    @Test
    void aLeaseHeldPastTheIdleTimeout_keepsTheSessionAlive() throws Exception {
        Duration idle = Duration.ofSeconds(2);
        try (SdkTestServer server = SdkTestServer.start(dir, Map.of(
                        "SESSIOND_SESSION_IDLE_TIMEOUT", "2s",
                        "SESSIOND_ACTIVITY_WRITE_INTERVAL", "200ms"));
                SessiondClient client = server.client(b -> b.applicationId("orders-service"));
                SessionController controller = SessionController.builder(client,
                        SessionOpener.password("svc-orders", SERVICE_PASSWORD)).build()) {
            serviceAccount(server, client);
            SessionLease lease = controller.tryOpen().orElseThrow();
            // the control: a session of the same user that nothing keeps alive
            String unattended = client.openSession("svc-orders", SERVICE_PASSWORD).getToken();

            Thread.sleep(idle.multipliedBy(5).dividedBy(2).toMillis()); // real time must pass: 2.5 idle timeouts

            SessiondClient admin = client.withToken(server.adminToken(client));
            assertThat(admin.server().validateAndGetSession(lease.token()).getSession().getId())
                    .isEqualTo(lease.sessionId());
            assertThatThrownBy(() -> admin.server().validateAndGetSession(unattended))
                    .isInstanceOfSatisfying(SessionException.class,
                            e -> assertThat(e.reason()).isEqualTo(ErrorReason.SESSION_EXPIRED));
            Map<String, Object> stored = server.database().withHandle(h -> h.createQuery(
                            "SELECT create_time_ms, last_activity_ms FROM sessions WHERE id = CAST(:id AS UUID)")
                    .bind("id", lease.sessionId()).mapToMap().one());
            assertThat((Long) stored.get("last_activity_ms") - (Long) stored.get("create_time_ms"))
                    .as("activity the keep-alive wrote after the idle timeout had passed")
                    .isGreaterThan(idle.toMillis());

            lease.close();
            assertThat(admin.server().tryGetSession(lease.sessionId())).isEmpty();
            assertThat(server.eventKinds(lease.sessionId())).containsExactly("OPENED", "CLOSED");
        }
    }

    @Test
    void aSessionClosedBehindItsBack_isReplacedByTheNextTryOpen() {
        try (SdkTestServer server = SdkTestServer.start(dir);
                SessiondClient client = server.client(b -> b.applicationId("orders-service"));
                SessionController controller = SessionController.builder(client,
                        SessionOpener.password("svc-orders", SERVICE_PASSWORD))
                        .revalidateAfter(Duration.ZERO).build()) {
            User svc = serviceAccount(server, client);
            SessiondClient admin = client.withToken(server.adminToken(client));
            SessionLease old = controller.tryOpen().orElseThrow();

            assertThat(admin.closeSessionAsAdmin(old.sessionId())).isTrue();
            SessionLease fresh = controller.tryOpen().orElseThrow();

            assertThat(fresh.sessionId()).isNotEqualTo(old.sessionId());
            assertThat(admin.server().validateAndGetSession(fresh.token()).getSession().getId())
                    .isEqualTo(fresh.sessionId());
            assertThat(server.eventCount("OPENED", svc.getId())).isEqualTo(2);

            old.close();
            assertThat(admin.server().tryGetSession(fresh.sessionId())).as("the old lease does not end the new session")
                    .isPresent();
            fresh.close();
            assertThat(server.eventKinds(fresh.sessionId())).containsExactly("OPENED", "CLOSED");
            assertThat(server.eventKinds(old.sessionId())).containsExactly("OPENED", "CLOSED_BY_ADMIN");
        }
    }

    @Test
    void aFailedOpen_isAnEmptyResult_notAnException() {
        try (SdkTestServer server = SdkTestServer.start(dir);
                SessiondClient client = server.client(b -> b.applicationId("orders-service"));
                SessionController controller = SessionController.builder(client,
                        SessionOpener.password("svc-orders", "wrong-password")).build()) {
            User svc = serviceAccount(server, client);

            Optional<SessionLease> lease = controller.tryOpen();

            assertThat(lease).isEmpty();
            assertThat(server.eventCount("LOGIN_FAILED", svc.getId())).isEqualTo(1);
            assertThat(server.eventCount("OPENED", svc.getId())).isZero();
        }
    }

    /** Calls tryOpen() on {@code n} threads released together; every call must give a lease. */
    private static List<SessionLease> allAtOnce(int n, SessionController controller) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<SessionLease>>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(threads.submit(() -> {
                    ready.countDown();
                    go.await(10, TimeUnit.SECONDS);
                    return controller.tryOpen();
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<SessionLease> leases = new ArrayList<>();
            for (Future<Optional<SessionLease>> call : calls) {
                leases.add(call.get(30, TimeUnit.SECONDS).orElseThrow());
            }
            return leases;
        } finally {
            threads.shutdownNow();
        }
    }
}
