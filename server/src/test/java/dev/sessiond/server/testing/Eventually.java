package dev.sessiond.server.testing;

import java.time.Duration;

/**
 * Retries a check that becomes true asynchronously (a notice heard, a connection replaced),
 * bounded in time: not a timing assertion, only a ceiling on how long a test waits.
 */
public final class Eventually {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private Eventually() {}

    /** Runs {@code check} until it stops throwing AssertionError; after ten seconds its last failure is thrown. */
    public static void eventually(Runnable check) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
