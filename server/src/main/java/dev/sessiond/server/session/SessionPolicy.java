package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * When sessions expire, and how often validation may write last-activity times.
 *
 * @param idleTimeout a session expires after this long without activity
 * @param desktopIdleTimeout the idle timeout of desktop-client sessions
 * @param maxLifetime a session expires this long after it was opened
 * @param activityWriteInterval the least time between two activity writes of one session;
 *     at most a tenth of the shortest idle timeout, so a stored last-activity time is never
 *     more than 10 % of the idle timeout behind
 * @param cacheTtl how long validation may reuse a session it read (changes through sessiond evict
 *     it sooner, see SessionCache); zero = always read the store
 */
public record SessionPolicy(
        Duration idleTimeout,
        Duration desktopIdleTimeout,
        Duration maxLifetime,
        Duration activityWriteInterval,
        Duration cacheTtl) {

    public SessionPolicy {
        requireNonNull(idleTimeout, "idleTimeout");
        requireNonNull(desktopIdleTimeout, "desktopIdleTimeout");
        requireNonNull(maxLifetime, "maxLifetime");
        requireNonNull(activityWriteInterval, "activityWriteInterval");
        requireNonNull(cacheTtl, "cacheTtl");
    }

    public Duration idleTimeout(ClientKind kind) {
        return kind == ClientKind.DESKTOP ? desktopIdleTimeout : idleTimeout;
    }

    /** The end of the absolute lifetime of a session opened at {@code createTime}. */
    public Instant lifetimeEnd(Instant createTime) {
        return createTime.plus(maxLifetime);
    }

    /** When a session expires if it is not used again: the earlier of the idle and lifetime ends. */
    public Instant expireTime(ClientKind kind, Instant lastActivity, Instant lifetimeEnd) {
        Instant idleEnd = lastActivity.plus(idleTimeout(kind));
        return idleEnd.isBefore(lifetimeEnd) ? idleEnd : lifetimeEnd;
    }
}
