package dev.sessiond.it.sdk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Real time plus an offset the test can move forward: the keep-alive tests need real time to
 * pass, the expiry and cache tests only need the server (or the interceptor) to believe it has.
 * Thread-safe.
 */
final class ShiftableClock extends Clock {

    private volatile Duration shift = Duration.ZERO;

    /** Moves this clock {@code by} ahead of real time, for good. */
    void advance(Duration by) {
        synchronized (this) {
            shift = shift.plus(by);
        }
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(shift);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the tests use UTC only");
    }
}
