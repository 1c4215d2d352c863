package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.store.StoreErrors;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces last-activity writes so that validation does not write to the database on every
 * call. Each use of a session is remembered in memory (the latest time wins) and
 * {@link #flush()} — run every activity write interval — writes each remembered session once.
 *
 * <p>The bound: a session's stored last activity is at most one write interval (plus the time
 * of one flush) behind its true last use, and the interval is at most a tenth of the idle
 * timeout. This server decides expiry from the true time it remembers, so only other
 * replicas see the lag. Thread-safe.
 */
public final class ActivityRecorder {

    private static final Logger log = LoggerFactory.getLogger(ActivityRecorder.class);

    private final Jdbi jdbi;
    private final Map<UUID, Long> pending = new ConcurrentHashMap<>();

    public ActivityRecorder(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
    }

    /** Remembers a use of the session at {@code time}. */
    public void record(UUID sessionId, Instant time) {
        long millis = time.toEpochMilli();
        Long known = pending.get(sessionId);
        // A service validating many tokens uses its own session on every call: within one millisecond
        // those uses need no write, and the lock-free read spares the map's per-entry lock.
        if (known == null || known < millis) {
            pending.merge(sessionId, millis, Math::max);
        }
    }

    /** The latest use remembered but maybe not yet written. */
    public Optional<Instant> latest(UUID sessionId) {
        Long time = pending.get(sessionId);
        return time == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(time));
    }

    /** Forgets a session that was deleted. */
    public void forget(UUID sessionId) {
        pending.remove(sessionId);
    }

    /**
     * Writes every remembered use in one batch. Entries stay visible to {@link #latest} until
     * they are written, and an entry that moved on while writing stays for the next flush.
     *
     * @return how many sessions were written
     */
    public int flush() {
        if (pending.isEmpty()) {
            return 0;
        }
        Map<UUID, Long> writing = new LinkedHashMap<>(pending); // a snapshot, in the order it was read
        try {
            StoreErrors.guardRun(() -> jdbi.useTransaction(h -> ActivityDao.touchAll(h, writing)));
        } catch (RuntimeException e) {
            log.warn("could not write the last activity of {} session(s); will retry: {}", writing.size(), e.toString());
            return 0;
        }
        writing.forEach(pending::remove);
        return writing.size();
    }

    /** How many sessions wait for their activity to be written. */
    public int pendingCount() {
        return pending.size();
    }
}
