package dev.sessiond.server.testing;

import static dev.sessiond.server.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the store that holds every read at its door until the test opens it, counting
 * the reads that came, so that a race with a read in flight can be staged deterministically.
 * Thread-safe.
 */
public final class StoreGate {

    private final AtomicInteger entered = new AtomicInteger();
    private final CountDownLatch opened = new CountDownLatch(1);

    /** Called by the stand-in read: counts it, then waits until the test opens the gate (at most 10 s). */
    public void pass() {
        entered.incrementAndGet();
        try {
            if (!opened.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never opened the store");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Lets every read held, and every later one, through. */
    public void open() {
        opened.countDown();
    }

    /** Reads that came to the door so far. */
    public int entered() {
        return entered.get();
    }

    /** Returns once {@code reads} reads have come to the door. */
    public void awaitEntered(int reads) {
        eventually(() -> assertThat(entered.get()).as("reads that came to the store").isGreaterThanOrEqualTo(reads));
    }

    /** Returns once {@code thread} is in one of {@code states}: held at the door, or behind a read that is. */
    public static void awaitState(Thread thread, Thread.State... states) {
        eventually(() -> assertThat(thread.getState()).as(thread.getName()).isIn((Object[]) states));
    }
}
