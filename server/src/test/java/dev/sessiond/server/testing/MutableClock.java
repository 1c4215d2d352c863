package dev.sessiond.server.testing;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, so that time-dependent behaviour
 * (expiry, idle timeouts) is tested instantly and without sleeping. Clocks derived with
 * {@link #withZone} share the same time. Thread-safe.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock in UTC that reads {@code start} until it is moved. */
    public static MutableClock at(Instant start) {
        return new MutableClock(new AtomicReference<>(requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    /** A clock at an arbitrary fixed instant with whole milliseconds, as stored times have. */
    public static MutableClock atSomeFixedInstant() {
        return at(Instant.parse("2025-03-01T10:15:30.123Z"));
    }

    /** Moves the clock forward (or backward, for a negative amount) and returns the new time. */
    public Instant advance(Duration amount) {
        requireNonNull(amount, "amount");
        return now.updateAndGet(t -> t.plus(amount));
    }

    /** Sets the clock to {@code instant}. */
    public void set(Instant instant) {
        now.set(requireNonNull(instant, "instant"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new MutableClock(now, requireNonNull(newZone, "newZone"));
    }

    @Override
    public String toString() {
        return "MutableClock[" + now.get() + ", " + zone + "]";
    }
}
