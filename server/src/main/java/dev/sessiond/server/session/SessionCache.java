package dev.sessiond.server.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessiond.server.session.SessionDao.StoredSession;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Stored sessions recently read for validation, so that validating the same session again
 * does not read the store. Exact on this server — every change this server makes to a
 * session (close, remove, deactivate, reactivate, a change of its user) evicts it — and at
 * most {@code ttl} behind a change made by another server sharing the database. A ttl of
 * zero turns the cache off. Bounded in size. Thread-safe.
 */
final class SessionCache {

    /** Null when the ttl is zero: there is nothing to cache then. */
    private final Cache<UUID, StoredSession> sessions;

    SessionCache(Duration ttl, long maxEntries, Clock clock) {
        this.sessions = ttl.isZero() ? null : Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(ttl)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /** The cached session, or what {@code load} finds (cached when present). */
    Optional<StoredSession> get(UUID id, Function<UUID, Optional<StoredSession>> load) {
        if (sessions == null) {
            return load.apply(id);
        }
        StoredSession cached = sessions.getIfPresent(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<StoredSession> loaded = load.apply(id);
        loaded.ifPresent(s -> sessions.put(id, s));
        return loaded;
    }

    void evict(UUID id) {
        if (sessions != null) {
            sessions.invalidate(id);
        }
    }

    /** Evicts every session of a user whose account changed (roles, name, licence type). */
    void evictUser(UUID userId) {
        if (sessions == null) {
            return;
        }
        sessions.asMap().values().removeIf(s -> s.session().user().id().equals(userId));
    }
}
