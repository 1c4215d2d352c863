package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessiond.server.session.SessionDao.StoredSession;
import dev.sessiond.server.store.ChangeNotices;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;

/**
 * What validation remembers of the store — sessions recently read (with their users) and the
 * configuration version — so that validating again reads nothing.
 *
 * <p>Kept exact rather than merely short-lived: whoever changes a session, a user or the
 * configuration version says so through this class, in the changing transaction. This server
 * evicts at once and again after commit; every server sharing the store (this one included)
 * evicts when it hears the {@link ChangeNotices notice}, which commits with the change. While
 * notices are not {@link ChangeNotices#current() current}, the cache is bypassed; after notices
 * were lost, it is emptied. A read that overlaps an eviction of the same entry is not kept
 * (generation counters), so a row read before a change never outlives the change. Entries also
 * expire {@code ttl} after they were read: a bound on memory, and on how long a change made
 * directly in the database (not through sessiond) stays unseen. Thread-safe.
 */
final class SessionCache implements ChangeNotices.Listener {

    private static final int STRIPES = 1024;
    /** Session ids per notice: 37 characters each keeps a notice well under {@link ChangeNotices#MAX_MESSAGE}. */
    private static final int IDS_PER_NOTICE = 150;
    private static final String SESSIONS = "s:";
    private static final String USER = "u:";
    private static final String CONFIGURATION = "c";

    /** Null when the ttl is zero: there is nothing to cache then. */
    private final Cache<UUID, StoredSession> sessions;
    private final ChangeNotices notices;
    private final Clock clock;
    private final long ttlMillis;
    /** Evictions per stripe of session ids; a read is kept only if its stripe saw none meanwhile. */
    private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
    /** Evictions of many entries at once (a user's sessions, everything); they count for every stripe. */
    private final AtomicLong wholesale = new AtomicLong();
    private final AtomicLong configurationGeneration = new AtomicLong();
    /** The configuration version and when it was read, or null. */
    private volatile long[] configuration;

    SessionCache(Duration ttl, long maxEntries, ChangeNotices notices, Clock clock) {
        this.notices = requireNonNull(notices, "notices");
        this.clock = requireNonNull(clock, "clock");
        this.ttlMillis = ttl.toMillis();
        this.sessions = ttl.isZero() ? null : Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(ttl)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
        notices.listen(this);
    }

    /** The cached session, or what {@code load} finds (cached when present and nothing changed meanwhile). */
    Optional<StoredSession> get(UUID id, Function<UUID, Optional<StoredSession>> load) {
        if (sessions == null || !notices.current()) {
            return load.apply(id);
        }
        StoredSession cached = sessions.getIfPresent(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        return loadAndKeep(id, load);
    }

    /** Reads the session from the store again (e.g. for activity other servers wrote) and keeps what it finds. */
    Optional<StoredSession> reload(UUID id, Function<UUID, Optional<StoredSession>> load) {
        if (sessions == null) {
            return load.apply(id);
        }
        sessions.invalidate(id);
        return loadAndKeep(id, load);
    }

    private Optional<StoredSession> loadAndKeep(UUID id, Function<UUID, Optional<StoredSession>> load) {
        long before = generation(id);
        Optional<StoredSession> loaded = load.apply(id);
        if (loaded.isPresent()) {
            sessions.put(id, loaded.get());
            // An eviction bumps the generation, then evicts: either it sees this entry, or this sees its bump.
            if (generation(id) != before || !notices.current()) {
                sessions.invalidate(id);
            }
        }
        return loaded;
    }

    /** The configuration version, read with {@code load} unless remembered. */
    long configurationVersion(LongSupplier load) {
        long[] known = configuration;
        if (known != null && clock.millis() - known[1] < ttlMillis && notices.current()) {
            return known[0];
        }
        long before = configurationGeneration.get();
        long version = load.getAsLong();
        if (sessions != null) {
            configuration = new long[] {version, clock.millis()};
            if (configurationGeneration.get() != before || !notices.current()) {
                configuration = null;
            }
        }
        return version;
    }

    /** Sessions changed (closed, removed, (de)activated) in {@code handle}'s transaction. */
    void sessionsChanged(Handle handle, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        List<UUID> changed = List.copyOf(ids);
        List<String> messages = new ArrayList<>();
        for (int from = 0; from < changed.size(); from += IDS_PER_NOTICE) {
            List<UUID> part = changed.subList(from, Math.min(changed.size(), from + IDS_PER_NOTICE));
            messages.add(SESSIONS + String.join(",", part.stream().map(UUID::toString).toList()));
        }
        changedIn(handle, () -> changed.forEach(this::evict), messages);
    }

    /** A user's account (roles, name, licence type, blocked flag) changed in {@code handle}'s transaction. */
    void userChanged(Handle handle, UUID userId) {
        changedIn(handle, () -> evictUser(userId), List.of(USER + userId));
    }

    /** The configuration version changed in {@code handle}'s transaction. */
    void configurationChanged(Handle handle) {
        changedIn(handle, this::forgetConfiguration, List.of(CONFIGURATION));
    }

    /**
     * Forgets what a change in {@code handle}'s transaction made stale: here now and again once
     * the transaction ends (no read in between can keep the old row for long), and on every
     * server, this one included, through {@code messages} when it commits.
     */
    private void changedIn(Handle handle, Runnable forget, List<String> messages) {
        forget.run();
        handle.afterCommit(forget);
        handle.afterRollback(forget);
        notices.send(handle, messages);
    }

    @Override
    public void changed(String message) {
        if (message.startsWith(SESSIONS)) {
            for (String id : message.substring(SESSIONS.length()).split(",")) {
                evict(UUID.fromString(id));
            }
        } else if (message.startsWith(USER)) {
            evictUser(UUID.fromString(message.substring(USER.length())));
        } else if (message.equals(CONFIGURATION)) {
            forgetConfiguration();
        } else {
            missed(); // from a newer server version: play safe
        }
    }

    @Override
    public void missed() {
        wholesale.incrementAndGet();
        if (sessions != null) {
            sessions.invalidateAll();
        }
        forgetConfiguration();
    }

    private void evict(UUID id) {
        generations.incrementAndGet(stripe(id));
        if (sessions != null) {
            sessions.invalidate(id);
        }
    }

    private void evictUser(UUID userId) {
        wholesale.incrementAndGet();
        if (sessions != null) {
            sessions.asMap().values().removeIf(s -> s.session().user().id().equals(userId));
        }
    }

    private void forgetConfiguration() {
        configurationGeneration.incrementAndGet();
        configuration = null;
    }

    private long generation(UUID id) {
        return generations.get(stripe(id)) + wholesale.get();
    }

    private static int stripe(UUID id) {
        return id.hashCode() & (STRIPES - 1);
    }
}
