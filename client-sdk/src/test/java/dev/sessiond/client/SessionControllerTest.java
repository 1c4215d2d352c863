package dev.sessiond.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.Session;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's bookkeeping against a fake sessiond, for the cases a real server does not
 * produce on demand (an open that fails while many threads wait for it). {@code SessionControllerIT}
 * shows the behaviour against the real server.
 */
class SessionControllerTest {

    private static final int THREADS = 32;

    private final FakeSessiond fake = new FakeSessiond();
    private final SessiondClient client = fake.client(b -> b.applicationId("svc"));

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    @Test
    void aFailedOpen_isSharedByEveryWaitingCaller_andNotRepeatedForEach() throws Exception {
        CountDownLatch opening = new CountDownLatch(1);
        CountDownLatch everyoneWaits = new CountDownLatch(1);
        fake.openSession = r -> {
            opening.countDown();
            await(everyoneWaits);
            throw Status.UNAUTHENTICATED.withDescription("login or password is wrong").asRuntimeException();
        };
        try (SessionController controller = SessionController.builder(client, SessionOpener.password("svc", "bad")).build()) {
            List<Optional<SessionLease>> results = concurrently(THREADS, controller::tryOpen, opening,
                    () -> awaitWaiting(controller, THREADS), everyoneWaits);

            assertThat(results).hasSize(THREADS).allMatch(Optional::isEmpty);
            assertThat(fake.count("OpenSession")).isEqualTo(1);

            fake.openSession = r -> opened("s2");
            assertThat(controller.tryOpen()).map(SessionLease::sessionId).contains("s2");
        }
    }

    @Test
    void anOpenerThatThrows_givesAnEmptyResult_notAnException() {
        SessionOpener broken = c -> {
            throw new IllegalStateException("no credentials configured");
        };
        try (SessionController controller = SessionController.builder(client, broken).build()) {
            assertThat(controller.tryOpen()).isEmpty();
        }
    }

    @Test
    void leases_shareOneSession_andTheLastCloseClosesItOnce() {
        fake.openSession = r -> opened("s1");
        try (SessionController controller = SessionController.builder(client, SessionOpener.password("svc", "pw")).build()) {
            SessionLease first = controller.tryOpen().orElseThrow();
            SessionLease second = controller.tryOpen().orElseThrow();
            assertThat(second.sessionId()).isEqualTo(first.sessionId());
            assertThat(second.token()).isEqualTo(first.token());

            first.close();
            first.close(); // idempotent: must not give back the second holder's share
            assertThat(fake.count("CloseSession")).isZero();

            second.close();
            assertThat(fake.count("CloseSession")).isEqualTo(1);
            assertThat(fake.lastHeaders().get(SessiondMetadata.AUTHORIZATION)).isEqualTo("Bearer token-s1");
            assertThat(fake.count("OpenSession")).isEqualTo(1);
        }
    }

    @Test
    void aSessionGoneBehindItsBack_isReplacedOnTheNextTryOpen() {
        fake.openSession = r -> opened("s" + (fake.count("OpenSession")));
        try (SessionController controller = SessionController.builder(client, SessionOpener.password("svc", "pw"))
                .revalidateAfter(Duration.ZERO).build()) {
            SessionLease old = controller.tryOpen().orElseThrow();
            assertThat(old.sessionId()).isEqualTo("s1");

            fake.updateLastActivity = r -> {
                throw Status.UNAUTHENTICATED.withDescription("the session was closed or never existed").asRuntimeException();
            };
            SessionLease fresh = controller.tryOpen().orElseThrow();

            assertThat(fresh.sessionId()).isEqualTo("s2");
            old.close();
            assertThat(fake.count("CloseSession")).as("the lost session is not closed again").isZero();
            fresh.close();
            assertThat(fake.count("CloseSession")).isEqualTo(1);
        }
    }

    @Test
    void aSessionTheServerCannotCheck_isKept() {
        fake.openSession = r -> opened("s1");
        try (SessionController controller = SessionController.builder(client, SessionOpener.password("svc", "pw"))
                .revalidateAfter(Duration.ZERO).build()) {
            SessionLease first = controller.tryOpen().orElseThrow();
            fake.updateLastActivity = r -> {
                throw Status.PERMISSION_DENIED.asRuntimeException();
            };

            assertThat(controller.tryOpen()).map(SessionLease::sessionId).contains("s1");
            assertThat(fake.count("OpenSession")).isEqualTo(1);
            first.close();
        }
    }

    @Test
    void close_closesTheOpenSession_andLaterTryOpenIsAnError() {
        fake.openSession = r -> opened("s1");
        SessionController controller = SessionController.builder(client, SessionOpener.password("svc", "pw")).build();
        SessionLease lease = controller.tryOpen().orElseThrow();

        controller.close();
        assertThat(fake.count("CloseSession")).isEqualTo(1);
        lease.close();
        assertThat(fake.count("CloseSession")).isEqualTo(1);
        assertThatThrownBy(controller::tryOpen).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keepAliveInterval_isAThirdOfTheTimeToIdleExpiry() {
        Session session = Session.newBuilder()
                .setLastActivityTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_000))
                .setExpireTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_000 + 30 * 60))
                .build();

        assertThat(SharedSession.keepAliveInterval(session)).isEqualTo(Duration.ofMinutes(10));
        assertThat(SharedSession.keepAliveInterval(Session.getDefaultInstance()))
                .isEqualTo(SharedSession.FALLBACK_KEEP_ALIVE);
    }

    private static OpenSessionResponse opened(String id) {
        return OpenSessionResponse.newBuilder().setToken("token-" + id).setSession(Session.newBuilder().setId(id)).build();
    }

    /**
     * Runs {@code task} on {@code n} threads: the first starts alone; once {@code started} says it
     * is inside the server, the others start; when {@code allWaiting} has seen them all wait,
     * {@code release} lets the server answer.
     */
    private static <T> List<T> concurrently(int n, Callable<T> task, CountDownLatch started, Runnable allWaiting,
            CountDownLatch release) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            futures.add(threads.submit(task));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < n; i++) {
                futures.add(threads.submit(task));
            }
            allWaiting.run();
            release.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(20, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    /** Polls (bounded: 10 s) until {@code n} callers wait for the controller's open. */
    private static void awaitWaiting(SessionController controller, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (controller.waiting() < n && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(controller.waiting()).isEqualTo(n);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
