package dev.sessiond.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessiond.server.config.Config.DatabaseConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work run inline on a transport's thread may not wait for the store, and moves to a thread that may. */
class NonBlockingTest {

    private final ExecutorService blocking = Executors.newSingleThreadExecutor(r -> new Thread(r, "may-wait"));
    private final NonBlocking inline = new NonBlocking(blocking);

    @AfterEach
    void stop() {
        blocking.shutdownNow();
    }

    @Test
    void runsTasksAtOnceOnTheCallingThread_withWaitingRefusedOnlyMeanwhile() {
        List<String> seen = new ArrayList<>();
        assertThat(NonBlocking.active()).isFalse();

        inline.execute(() -> {
            seen.add(Thread.currentThread().getName());
            assertThatThrownBy(NonBlocking::checkMayWait).isInstanceOf(NonBlocking.WouldWait.class);
            inline.execute(() -> seen.add("nested")); // a reentrant task leaves the outer one refused still
            assertThat(NonBlocking.active()).isTrue();
        });

        assertThat(seen).containsExactly(Thread.currentThread().getName(), "nested");
        assertThat(NonBlocking.active()).isFalse();
        assertThatCode(NonBlocking::checkMayWait).doesNotThrowAnyException();
    }

    @Test
    void runWhereMayWait_handsOnToTheBlockingExecutor_fromAThreadThatMustNotWait() throws Exception {
        AtomicReference<String> ranOn = new AtomicReference<>();
        AtomicReference<Boolean> refusedThere = new AtomicReference<>();
        inline.execute(() -> NonBlocking.runWhereMayWait(() -> {
            ranOn.set(Thread.currentThread().getName());
            refusedThere.set(NonBlocking.active());
        }));
        blocking.submit(() -> { }).get(5, TimeUnit.SECONDS); // the hand-over ran before this

        assertThat(ranOn.get()).isEqualTo("may-wait");
        assertThat(refusedThere.get()).isFalse();

        NonBlocking.runWhereMayWait(() -> ranOn.set(Thread.currentThread().getName()));
        assertThat(ranOn.get()).as("elsewhere it runs at once").isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void theStoreRefusesAConnection_onAThreadThatMustNotWait(@TempDir Path dir) throws Exception {
        try (Store store = Store.open(new DatabaseConfig("jdbc:h2:" + dir.resolve("db"), "sa", "", 2))) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            inline.execute(() -> {
                try {
                    store.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            });
            assertThat(failure.get()).isInstanceOf(NonBlocking.WouldWait.class);

            Future<Integer> there = blocking.submit(() -> store.jdbi().withHandle(h ->
                    h.createQuery("SELECT 1").mapTo(Integer.class).one()));
            assertThat(there.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }
}
