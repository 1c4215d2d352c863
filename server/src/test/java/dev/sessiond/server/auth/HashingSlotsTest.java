package dev.sessiond.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sessiond.server.error.LimitExceededException;
import dev.sessiond.server.error.Reason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HashingSlotsTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        threads.shutdownNow();
    }

    /** A "hash" that holds its slot until the test releases it. */
    private String blockingHash() {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "hashed";
    }

    @Test
    void signIn_whenEverySlotAndQueuePlaceIsTaken_isRefusedAtOnce() throws Exception {
        HashingSlots slots = new HashingSlots(new HashingLimits(1, 1, Duration.ofHours(1)));
        CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> slots.runOrRefuse(this::blockingHash), threads);
        awaitUntil(() -> slots.running() == 1);
        CompletableFuture<String> queued = CompletableFuture.supplyAsync(() -> slots.runOrRefuse(this::blockingHash), threads);
        awaitUntil(() -> slots.waiting() == 1);

        long start = System.nanoTime();
        LimitExceededException refused = catchThrowableOfType(LimitExceededException.class,
                () -> slots.runOrRefuse(() -> "never run"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not after the 10 s hash").isLessThan(Duration.ofSeconds(5));
        assertThat(refused.reason()).isEqualTo(Reason.LOGIN_THROTTLED);
        assertThat(refused.metadata()).containsEntry("cause", "server_busy");
        assertThat(refused.retryAfter()).contains(Duration.ofSeconds(1));
        assertThat(slots.rejected()).isEqualTo(1);

        release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("hashed");
        assertThat(queued.get(10, TimeUnit.SECONDS)).as("the queued sign-in got its turn").isEqualTo("hashed");
        assertThat(slots.runOrRefuse(() -> "free again")).isEqualTo("free again");
        assertThat(slots.running()).isZero();
    }

    @Test
    void administrativeHashing_waitsForASlotInsteadOfBeingRefused() throws Exception {
        HashingSlots slots = new HashingSlots(new HashingLimits(1, 0, Duration.ofHours(1)));
        CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> slots.runOrRefuse(this::blockingHash), threads);
        awaitUntil(() -> slots.running() == 1);

        CompletableFuture<String> admin = CompletableFuture.supplyAsync(() -> slots.run(() -> "new password hash"), threads);
        awaitUntil(() -> slots.waiting() == 1);
        assertThat(admin).isNotDone();
        release.countDown();

        assertThat(admin.get(10, TimeUnit.SECONDS)).isEqualTo("new password hash");
        assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("hashed");
        assertThat(slots.rejected()).isZero();
    }

    @Test
    void signIn_whoseTurnIsExpectedLaterThanTheMaxWait_isRefusedAtOnce_thoughTheQueueHasRoom() throws Exception {
        AtomicLong now = new AtomicLong();
        HashingSlots slots = new HashingSlots(new HashingLimits(1, 100, Duration.ofMillis(100)), Runnable::run, now::get);
        // One hash measured at 60 ms sets the pace.
        slots.runOrRefuse(() -> now.addAndGet(Duration.ofMillis(60).toNanos()));
        CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> slots.runOrRefuse(this::blockingHash), threads);
        awaitUntil(() -> slots.running() == 1);

        // Next in line: its turn comes after one hash, ~60 ms: it waits.
        CompletableFuture<String> queued = CompletableFuture.supplyAsync(() -> slots.runOrRefuse(() -> "second"), threads);
        awaitUntil(() -> slots.waiting() == 1);
        // Behind it: after two hashes, ~120 ms, beyond the 100 ms allowed: refused, with 99 queue places free.
        LimitExceededException refused = catchThrowableOfType(LimitExceededException.class,
                () -> slots.runOrRefuse(() -> "never run"));

        assertThat(refused.reason()).isEqualTo(Reason.LOGIN_THROTTLED);
        assertThat(slots.rejected()).isEqualTo(1);
        release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("hashed");
        assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("second");
    }

    @Test
    void everyHashRun_isCountedWithItsTime_refusedSignInsAreNot() {
        AtomicLong now = new AtomicLong();
        HashingSlots slots = new HashingSlots(new HashingLimits(1, 0, Duration.ofHours(1)), Runnable::run, now::get);

        slots.runOrRefuse(() -> now.addAndGet(Duration.ofMillis(30).toNanos()));
        slots.run(() -> now.addAndGet(Duration.ofMillis(50).toNanos()));
        catchThrowableOfType(IllegalStateException.class, () -> slots.runOrRefuse(() -> {
            now.addAndGet(Duration.ofMillis(5).toNanos());
            throw new IllegalStateException("a failed hash took its time too");
        }));
        try (HashingSlots.Place place = slots.reserve()) {
            catchThrowableOfType(LimitExceededException.class, slots::reserve); // the only place is taken
        }

        assertThat(slots.hashed()).isEqualTo(3);
        assertThat(slots.hashedNanos()).isEqualTo(Duration.ofMillis(85).toNanos());
        assertThat(slots.rejected()).isEqualTo(1);
    }

    @Test
    void aPlaceReservedBeforehand_isTheOneTheHashUses_andIsFreedOnClose() throws Exception {
        HashingSlots slots = new HashingSlots(new HashingLimits(1, 0, Duration.ofHours(1)));

        try (HashingSlots.Place place = slots.reserve()) {
            // Another sign-in finds the only place taken before it reads anything.
            LimitExceededException refused = CompletableFuture.supplyAsync(() -> catchThrowableOfType(
                    LimitExceededException.class, slots::reserve), threads).get(10, TimeUnit.SECONDS);
            assertThat(refused).isNotNull();
            assertThat(slots.runOrRefuse(() -> "hashed in the reserved place")).isEqualTo("hashed in the reserved place");
        }

        try (HashingSlots.Place again = slots.reserve()) {
            assertThat(slots.rejected()).as("free again once closed").isEqualTo(1);
        }
    }

    @Test
    void hashes_runOnTheGivenThreads_whileTheSignInWaits_andTheirFailuresReachIt() throws Exception {
        ExecutorService hashThreads = Executors.newSingleThreadExecutor(task -> new Thread(task, "test-hash"));
        try {
            HashingSlots slots = new HashingSlots(new HashingLimits(1, 0, Duration.ofHours(1)), hashThreads);

            assertThat(slots.runOrRefuse(() -> Thread.currentThread().getName())).isEqualTo("test-hash");
            assertThat(slots.run(() -> Thread.currentThread().getName())).isEqualTo("test-hash");
            IllegalArgumentException failed = catchThrowableOfType(IllegalArgumentException.class,
                    () -> slots.runOrRefuse(() -> {
                        throw new IllegalArgumentException("bad salt");
                    }));
            assertThat(failed).hasMessage("bad salt");
            assertThat(slots.running()).as("every slot freed, the failed hash's too").isZero();
        } finally {
            hashThreads.shutdownNow();
        }
    }

    @Test
    void aSignInInterruptedWhileItsHashRuns_isRefused_andTheSlotStaysTakenUntilTheHashEnds() throws Exception {
        ExecutorService hashThreads = Executors.newCachedThreadPool();
        try {
            HashingSlots slots = new HashingSlots(new HashingLimits(1, 0, Duration.ofHours(1)), hashThreads);
            CompletableFuture<Thread> waiter = new CompletableFuture<>();
            CompletableFuture<Throwable> signIn = CompletableFuture.supplyAsync(() -> {
                waiter.complete(Thread.currentThread());
                return catchThrowableOfType(LimitExceededException.class, () -> slots.runOrRefuse(this::blockingHash));
            }, threads);
            awaitUntil(() -> slots.running() == 1);

            waiter.get(10, TimeUnit.SECONDS).interrupt(); // as when the server shuts down
            assertThat(signIn.get(10, TimeUnit.SECONDS)).isInstanceOf(LimitExceededException.class);
            assertThat(slots.running()).as("the hash still runs and holds its slot").isEqualTo(1);

            release.countDown();
            awaitUntil(() -> slots.running() == 0);
        } finally {
            hashThreads.shutdownNow();
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) { // bounded: 5 s
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition within 5 s").isTrue();
    }
}
