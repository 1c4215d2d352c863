package dev.sessiond.server.license;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.Errors.errorInfo;
import static dev.sessiond.server.testing.TestServer.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessiond.proto.v1.AddSessionRequest;
import dev.sessiond.proto.v1.AddSessionResponse;
import dev.sessiond.proto.v1.LicenseType;
import dev.sessiond.proto.v1.Session;
import dev.sessiond.proto.v1.SessionServerServiceCloseSessionRequest;
import dev.sessiond.proto.v1.SessionServerServiceGrpc.SessionServerServiceBlockingStub;
import dev.sessiond.proto.v1.SetSessionIsActiveRequest;
import dev.sessiond.proto.v1.TryGetSessionIdToDeactivateRequest;
import dev.sessiond.proto.v1.User;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.testing.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The concurrent seat pool of SPEC §4, exact under concurrency. */
class LicenseSeatsTest {

    @TempDir
    Path dir;

    TestServer sessiond;

    @AfterEach
    void stop() {
        if (sessiond != null) {
            sessiond.close();
        }
    }

    private void start(Map<String, String> settings) {
        sessiond = TestServer.start(dir, settings);
    }

    private SessionServerServiceBlockingStub service() {
        return as(sessiond.adminToken(), sessiond.server());
    }

    /** A session of {@code user} from the given client machine address (caller-described through AddSession). */
    private AddSessionResponse sessionFrom(User user, String address) {
        return service().addSession(AddSessionRequest.newBuilder().setSession(Session.newBuilder()
                .setUser(User.newBuilder().setId(user.getId()))
                .setApplicationId("desktop-client")
                .setClientAddress(address)
                .setClientHost("host-" + address)).build());
    }

    private Session validate(String token) {
        return service().validateAndGetSession(ValidateAndGetSessionRequest.newBuilder().setToken(token).build())
                .getSession();
    }

    private boolean setActive(String sessionId, boolean active) {
        return service().setSessionIsActive(SetSessionIsActiveRequest.newBuilder()
                .setSessionId(sessionId).setIsActive(active).build()).getChanged();
    }

    private List<String> kinds(String sessionId) {
        return sessiond.eventKinds(sessionId);
    }

    @Test
    void simultaneousOpens_takeExactlyTheSeatsThereAre() throws Exception {
        start(Map.of("SESSIOND_CONCURRENT_LICENSES", "50"));
        int users = 300;
        for (int i = 0; i < users; i++) {
            sessiond.createUser("c" + i, "pw-c" + i, LicenseType.LICENSE_TYPE_CONCURRENT);
        }
        CountDownLatch ready = new CountDownLatch(users);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(users);
        List<Future<Status.Code>> results = new ArrayList<>();
        try {
            for (int i = 0; i < users; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        sessiond.login("c" + n, "pw-c" + n, "web-client");
                        return Status.Code.OK;
                    } catch (StatusRuntimeException e) {
                        assertThat(errorInfo(e).getReason()).isEqualTo("LICENSE_LIMIT_REACHED");
                        return e.getStatus().getCode();
                    }
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            int ok = 0;
            int refused = 0;
            for (Future<Status.Code> result : results) {
                Status.Code code = result.get(60, TimeUnit.SECONDS);
                if (code == Status.Code.OK) {
                    ok++;
                } else {
                    assertThat(code).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    refused++;
                }
            }
            assertThat(ok).isEqualTo(50);
            assertThat(refused).isEqualTo(250);
            assertThat(sessiond.seatsInUse()).isEqualTo(50);
            long openEvents = sessiond.database().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM session_events WHERE kind = 'OPENED' AND user_login LIKE 'c%'")
                    .mapTo(Long.class).one());
            assertThat(openEvents).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closesRacingOpens_neverExceedTheLimit() throws Exception {
        start(Map.of("SESSIOND_CONCURRENT_LICENSES", "10"));
        int users = 40;
        for (int i = 0; i < users; i++) {
            sessiond.createUser("r" + i, "pw-r" + i, LicenseType.LICENSE_TYPE_CONCURRENT);
        }
        SessionServerServiceBlockingStub service = service();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger samples = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(users + 1);
        try {
            Future<?> sampler = pool.submit(() -> {
                while (running.get() && samples.get() < 100_000) {
                    maxSeen.accumulateAndGet(sessiond.seatsInUse(), Math::max);
                    samples.incrementAndGet();
                }
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                int n = i;
                workers.add(pool.submit(() -> {
                    for (int round = 0; round < 15; round++) { // bounded: 15 open/close cycles per user
                        try {
                            var session = sessiond.login("r" + n, "pw-r" + n, "web-client").getSession();
                            opened.incrementAndGet();
                            service.closeSession(SessionServerServiceCloseSessionRequest.newBuilder()
                                    .setSessionId(session.getId()).build());
                        } catch (StatusRuntimeException e) {
                            assertThat(errorInfo(e).getReason()).isEqualTo("LICENSE_LIMIT_REACHED");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(120, TimeUnit.SECONDS);
            }
            running.set(false);
            sampler.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(samples.get()).isPositive();
        assertThat(opened.get()).as("the race actually opened sessions").isGreaterThan(10);
        assertThat(maxSeen.get()).isBetween(1, 10);
    }

    @Test
    void sessionsOfOneUserFromOneAddress_shareASeat() {
        start(Map.of("SESSIOND_CONCURRENT_LICENSES", "1"));
        User ann = sessiond.createUser("ann", "pw-ann", LicenseType.LICENSE_TYPE_CONCURRENT);
        User bob = sessiond.createUser("bob", "pw-bob", LicenseType.LICENSE_TYPE_CONCURRENT);

        AddSessionResponse first = sessionFrom(ann, "10.0.0.1");
        // The candidate is the oldest activity; a tie at the same instant would be broken by the random id.
        sessiond.clock.advance(Duration.ofSeconds(1));
        sessionFrom(ann, "10.0.0.1");

        assertThat(sessiond.seatsInUse()).isEqualTo(1);
        var refusedOtherMachine = assertError(() -> sessionFrom(ann, "10.0.0.2"),
                Status.Code.RESOURCE_EXHAUSTED, "LICENSE_LIMIT_REACHED");
        assertThat(refusedOtherMachine.getMetadataMap())
                .containsEntry("session_id_to_deactivate", first.getSession().getId());
        var refusedOtherUser = assertError(() -> sessionFrom(bob, "10.0.0.1"),
                Status.Code.RESOURCE_EXHAUSTED, "LICENSE_LIMIT_REACHED");
        assertThat(refusedOtherUser.getMetadataMap()).doesNotContainKey("session_id_to_deactivate");
    }

    @Test
    void personalUsersAndServiceAccounts_holdNoSeat() {
        start(Map.of("SESSIOND_CONCURRENT_LICENSES", "1"));
        User cat = sessiond.createUser("cat", "pw-cat", LicenseType.LICENSE_TYPE_CONCURRENT);
        sessionFrom(cat, "10.0.0.1");

        sessiond.createUser("dan", "pw-dan", LicenseType.LICENSE_TYPE_PERSONAL);
        sessiond.login("dan", "pw-dan", "web-client");
        sessiond.serviceToken();

        assertThat(sessiond.seatsInUse()).isEqualTo(1);
    }

    @Test
    void deactivating_freesTheSeatAndActivating_takesItBack() {
        start(Map.of("SESSIOND_CONCURRENT_LICENSES", "1"));
        User eve = sessiond.createUser("eve", "pw-eve", LicenseType.LICENSE_TYPE_CONCURRENT);
        User fay = sessiond.createUser("fay", "pw-fay", LicenseType.LICENSE_TYPE_CONCURRENT);
        String eveSession = sessionFrom(eve, "10.0.0.1").getSession().getId();

        assertThat(setActive(eveSession, false)).isTrue();
        assertThat(setActive(eveSession, false)).as("no change").isFalse();
        AddSessionResponse faySession = sessionFrom(fay, "10.0.0.2");
        assertError(() -> setActive(eveSession, true), Status.Code.RESOURCE_EXHAUSTED, "LICENSE_LIMIT_REACHED");

        assertThat(setActive(faySession.getSession().getId(), false)).isTrue();
        assertThat(setActive(eveSession, true)).isTrue();
        assertThat(sessiond.seatsInUse()).isEqualTo(1);
        assertThat(kinds(eveSession)).containsExactly("OPENED", "DEACTIVATED", "ACTIVATED");
        assertThat(setActive(UUID.randomUUID().toString(), true)).as("unknown session").isFalse();
    }

    @Test
    void aUsersSeat_followsThemBetweenMachines() {
        start(Map.of("SESSIOND_CONCURRENT_LICENSES", "1"));
        User gus = sessiond.createUser("gus", "pw-gus", LicenseType.LICENSE_TYPE_CONCURRENT);
        AddSessionResponse office = sessionFrom(gus, "10.0.0.1");
        var refused = assertError(() -> sessionFrom(gus, "10.0.0.2"),
                Status.Code.RESOURCE_EXHAUSTED, "LICENSE_LIMIT_REACHED");
        setActive(refused.getMetadataMap().get("session_id_to_deactivate"), false);
        AddSessionResponse home = sessionFrom(gus, "10.0.0.2");

        for (int round = 0; round < 3; round++) { // ping-pong: the seat moves to whichever machine is used
            assertThat(validate(office.getToken()).getIsActive()).isTrue();
            assertThat(sessiond.seatsInUse()).isEqualTo(1);
            assertThat(validate(home.getToken()).getIsActive()).isTrue();
            assertThat(sessiond.seatsInUse()).isEqualTo(1);
        }
        assertThat(kinds(office.getSession().getId())).containsExactly("OPENED", "DEACTIVATED",
                "ACTIVATED", "DEACTIVATED", "ACTIVATED", "DEACTIVATED", "ACTIVATED", "DEACTIVATED");
    }

    @Test
    void aDeactivatedSession_withNoSeatToTake_cannotBeReactivated() {
        start(Map.of("SESSIOND_CONCURRENT_LICENSES", "1"));
        User hal = sessiond.createUser("hal", "pw-hal", LicenseType.LICENSE_TYPE_CONCURRENT);
        User ida = sessiond.createUser("ida", "pw-ida", LicenseType.LICENSE_TYPE_CONCURRENT);
        AddSessionResponse halSession = sessionFrom(hal, "10.0.0.1");
        setActive(halSession.getSession().getId(), false);
        sessionFrom(ida, "10.0.0.2");

        assertError(() -> validate(halSession.getToken()), Status.Code.FAILED_PRECONDITION, "CANT_REACTIVATE_SESSION");
        assertThat(kinds(halSession.getSession().getId())).containsExactly("OPENED", "DEACTIVATED");
    }

    @Test
    void tryGetSessionIdToDeactivate_prefersTheUsersOwnOldestThenLongIdleSessions() {
        start(Map.of("SESSIOND_CONCURRENT_LICENSES", "5", "SESSIOND_LICENSE_RECLAIM_IDLE", "10m"));
        User jan = sessiond.createUser("jan", "pw-jan", LicenseType.LICENSE_TYPE_CONCURRENT);
        User kim = sessiond.createUser("kim", "pw-kim", LicenseType.LICENSE_TYPE_CONCURRENT);
        String kimOld = sessionFrom(kim, "10.0.0.9").getSession().getId();
        sessiond.clock.advance(Duration.ofMinutes(1));
        String janOld = sessionFrom(jan, "10.0.0.1").getSession().getId();
        sessiond.clock.advance(Duration.ofMinutes(1));
        sessionFrom(jan, "10.0.0.2");

        assertThat(candidate(jan)).isEqualTo(janOld);
        User lea = sessiond.createUser("lea", "pw-lea", LicenseType.LICENSE_TYPE_CONCURRENT);
        assertThat(candidate(lea)).as("nobody idle for 10 minutes yet").isEmpty();
        sessiond.clock.advance(Duration.ofMinutes(11));
        assertThat(candidate(lea)).isEqualTo(kimOld);
        assertError(() -> service().tryGetSessionIdToDeactivate(TryGetSessionIdToDeactivateRequest.newBuilder()
                .setUserId(UUID.randomUUID().toString()).build()), Status.Code.NOT_FOUND, "NOT_FOUND");
    }

    private String candidate(User user) {
        return service().tryGetSessionIdToDeactivate(TryGetSessionIdToDeactivateRequest.newBuilder()
                .setUserId(user.getId()).build()).getSessionId();
    }

    @Test
    void perUserLimit_denyNew_refusesWithoutCountingAFailedLogin() {
        start(Map.of("SESSIOND_MAX_SESSIONS_PER_USER", "2", "SESSIOND_LOGIN_MAX_FAILURES", "2"));
        sessiond.createUser("max", "pw-max", LicenseType.LICENSE_TYPE_PERSONAL);
        sessiond.login("max", "pw-max", "web-client");
        sessiond.login("max", "pw-max", "web-client");

        for (int i = 0; i < 4; i++) {
            assertError(() -> sessiond.login("max", "pw-max", "web-client"),
                    Status.Code.RESOURCE_EXHAUSTED, "LICENSE_LIMIT_REACHED");
        }
        // Four denials, yet a wrong password now is only the first failure: still not throttled.
        assertError(() -> sessiond.login("max", "wrong", "web-client"), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        assertError(() -> sessiond.login("max", "pw-max", "web-client"),
                Status.Code.RESOURCE_EXHAUSTED, "LICENSE_LIMIT_REACHED");
    }

    @Test
    void perUserLimit_closeOldest_closesTheOldestSession() {
        start(Map.of("SESSIOND_MAX_SESSIONS_PER_USER", "2", "SESSIOND_SESSION_LIMIT_POLICY", "close_oldest"));
        sessiond.createUser("ned", "pw-ned", LicenseType.LICENSE_TYPE_PERSONAL);
        var oldest = sessiond.login("ned", "pw-ned", "web-client");
        sessiond.clock.advance(Duration.ofSeconds(1));
        var middle = sessiond.login("ned", "pw-ned", "web-client");
        sessiond.clock.advance(Duration.ofSeconds(1));
        var newest = sessiond.login("ned", "pw-ned", "web-client");

        assertError(() -> validate(oldest.getToken()), Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
        assertThat(validate(middle.getToken()).getId()).isEqualTo(middle.getSession().getId());
        assertThat(validate(newest.getToken()).getId()).isEqualTo(newest.getSession().getId());
        assertThat(kinds(oldest.getSession().getId())).containsExactly("OPENED", "CLOSED");
    }
}
