package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessiond.server.session.SessionDao.StoredSession;
import dev.sessiond.server.store.CallDeadline;
import dev.sessiond.server.store.ChangeNotices;
import dev.sessiond.server.store.NonBlocking;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * directly in the database (not through sessiond) stays unseen.
 *
 * <p>A session in use is not left to expire, though. A hit in the last quarter of its entry's
 * ttl also hands a re-read of it to the refresher (one thread, the calls do not wait for it),
 * which keeps what it reads by the same rules as a miss; the configuration version likewise.
 * Validations of sessions in use then keep being answered from memory, on the transport's
 * thread: without it, every entry read in one burst (a server's first minute, a cache emptied)
 * expired in the same second, and every validation of them went to the store on a call thread
 * at once (README "Performance"). Entries not hit in that last quarter expire as before.
 *
 * <p>Calls that miss the same session at once share one read of it, and so do calls that find
 * the configuration version expired: a service's own session behind every call it makes, or a
 * user's token validated by every service one request reaches, would otherwise be read once per
 * call after a restart, an emptied cache or a change of the user. The first call reads; the
 * others wait for that read (at most until their own deadline) and take its answer, unless the
 * entry was evicted between the read's start and their arrival: then the read may predate a
 * change they must see, and the next of them reads afresh for itself and those after it. A call
 * on the transport's thread never waits for another's read: its own read stops short of the
 * store, and it starts again where it may wait.
 * Thread-safe.
 */
final class SessionCache implements ChangeNotices.Listener {

    private static final int STRIPES = 1024;
    /** Session ids per notice: 37 characters each keeps a notice well under {@link ChangeNotices#MAX_MESSAGE}. */
    private static final int IDS_PER_NOTICE = 150;
    private static final String SESSIONS = "s:";
    private static final String USER = "u:";
    private static final String CONFIGURATION = "c";
    /** Re-reads queued or running at most; a hit beyond that leaves its entry to a later hit, or to expire. */
    private static final int MAX_REFRESHES = 1_024;
    /** The configuration version's place among the session ids of {@link #refreshing} and {@link #reading}. */
    private static final Object CONFIGURATION_KEY = "the configuration version";

    private static final Logger log = LoggerFactory.getLogger(SessionCache.class);

    /** Null when the ttl is zero: there is nothing to cache then. */
    private final Cache<UUID, Kept> sessions;
    private final ChangeNotices notices;
    private final Clock clock;
    private final long ttlMillis;
    /** How long after its read an entry's hits start re-reading it: three quarters of the ttl. */
    private final long refreshAfterMillis;
    private final Executor refresher;
    /** Session ids (and {@link #CONFIGURATION_KEY}) whose re-read is queued or running: one at a time each. */
    private final Set<Object> refreshing = ConcurrentHashMap.newKeySet();
    /** Session ids (and {@link #CONFIGURATION_KEY}) being read from the store for a call, and that read's answer. */
    private final ConcurrentMap<Object, SharedRead> reading = new ConcurrentHashMap<>();
    /**
     * Reads answered from memory, reads that went to the store for a call, reads that took the
     * answer of another call's read of the same session, and re-reads ahead of expiry.
     */
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder shared = new LongAdder();
    private final LongAdder refreshes = new LongAdder();
    /** Evictions per stripe of session ids; a read is kept only if its stripe saw none meanwhile. */
    private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
    /** Evictions of many entries at once (a user's sessions, everything); they count for every stripe. */
    private final AtomicLong wholesale = new AtomicLong();
    private final AtomicLong configurationGeneration = new AtomicLong();
    /** The configuration version and when it was read, or null. */
    private volatile long[] configuration;

    /** @param refresher where sessions in use are re-read ahead of their expiry; one thread is enough */
    SessionCache(Duration ttl, long maxEntries, ChangeNotices notices, Clock clock, Executor refresher) {
        this.notices = requireNonNull(notices, "notices");
        this.clock = requireNonNull(clock, "clock");
        this.refresher = requireNonNull(refresher, "refresher");
        this.ttlMillis = ttl.toMillis();
        this.refreshAfterMillis = ttlMillis - ttlMillis / 4;
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
            return fromStore(load.apply(id));
        }
        Kept kept = sessions.getIfPresent(id);
        if (kept != null) {
            hits.increment();
            if (clock.millis() >= kept.refreshFrom() && claimRefresh(id)) {
                refresh(id, () -> {
                    if (loadAndKeep(id, load).isEmpty()) {
                        sessions.invalidate(id); // removed from the store directly: gone before its ttl ends
                    }
                });
            }
            return Optional.of(kept.stored());
        }
        return readOnce(id, () -> generation(id), () -> fromStore(loadAndKeep(id, load)), shared::increment);
    }

    /** Reads the session from the store again (e.g. for activity other servers wrote) and keeps what it finds. */
    Optional<StoredSession> reload(UUID id, Function<UUID, Optional<StoredSession>> load) {
        if (sessions == null) {
            return fromStore(load.apply(id));
        }
        sessions.invalidate(id);
        return fromStore(loadAndKeep(id, load));
    }

    /**
     * Counts a read from the store that came back. One that stopped short, to start again off the
     * transport's thread, read nothing and is not counted.
     */
    private Optional<StoredSession> fromStore(Optional<StoredSession> read) {
        misses.increment();
        return read;
    }

    private Optional<StoredSession> loadAndKeep(UUID id, Function<UUID, Optional<StoredSession>> load) {
        long before = generation(id);
        Optional<StoredSession> loaded = load.apply(id);
        if (loaded.isPresent()) {
            sessions.put(id, new Kept(loaded.get(), clock.millis() + refreshAfterMillis));
            // An eviction bumps the generation, then evicts: either it sees this entry, or this sees its bump.
            if (generation(id) != before || !notices.current()) {
                sessions.invalidate(id);
            }
        }
        return loaded;
    }

    /**
     * What {@code read} answers, or what a read of {@code key} running already for another call
     * answers when it began after the last change of {@code generation} before this call
     * arrived: such a read is as fresh as one of this call's own. One that began before an
     * eviction is replaced by this call's read, which the calls after it share in turn. When the
     * shared read fails or outlasts this call's deadline, {@code read} runs for this call alone.
     * {@code whenShared} runs when this call took another's answer.
     */
    private <T> T readOnce(Object key, LongSupplier generation, Supplier<T> read, Runnable whenShared) {
        if (NonBlocking.active()) {
            return read.get(); // stops short of the store, to start again where waiting is allowed
        }
        SharedRead mine = new SharedRead(generation.getAsLong(), new CompletableFuture<>());
        while (true) {
            SharedRead running = reading.putIfAbsent(key, mine);
            if (running == null) {
                break;
            }
            // Generations only grow: equal, nothing was evicted between its start and this call's arrival; greater,
            // it began after this call arrived.
            if (running.generation() >= mine.generation()) {
                if (!running.awaited()) {
                    return read.get();
                }
                whenShared.run();
                @SuppressWarnings("unchecked") // the key's reads all answer the same type
                T answer = (T) running.answer().join();
                return answer;
            }
            if (reading.replace(key, running, mine)) {
                break;
            }
        }
        try {
            T answer = read.get();
            mine.answer().complete(answer);
            return answer;
        } catch (RuntimeException | Error e) {
            mine.answer().completeExceptionally(e);
            throw e;
        } finally {
            reading.remove(key, mine);
        }
    }

    /** Claims the re-read of {@code key}: false when one is queued already, or too many are. */
    private boolean claimRefresh(Object key) {
        return refreshing.size() < MAX_REFRESHES && refreshing.add(key);
    }

    /**
     * Hands the claimed re-read of {@code key} to the refresher. It reads only while notices are
     * current (else what is cached is bypassed now, and will be emptied). A failure leaves the
     * entry to its ttl; the call that misses it then meets the error itself.
     */
    private void refresh(Object key, Runnable read) {
        try {
            refresher.execute(() -> {
                try {
                    if (notices.current()) {
                        read.run();
                        refreshes.increment();
                    }
                } catch (RuntimeException e) {
                    log.debug("re-reading {} ahead of its expiry failed: {}", key, e.toString());
                } finally {
                    refreshing.remove(key);
                }
            });
        } catch (RejectedExecutionException stopping) {
            refreshing.remove(key);
        }
    }

    /** Session reads answered from memory. */
    long hits() {
        return hits.sum();
    }

    /** Session reads that went to the store for a call: not cached, expired, evicted, bypassed, or read again. */
    long misses() {
        return misses.sum();
    }

    /** Session reads that took the answer of another call's read of the same session, running when they missed. */
    long shared() {
        return shared.sum();
    }

    /** Sessions, and the configuration version, re-read in the background ahead of their entry's expiry. */
    long refreshes() {
        return refreshes.sum();
    }

    /** The configuration version, read with {@code load} unless remembered. */
    long configurationVersion(LongSupplier load) {
        if (sessions == null || !notices.current()) {
            return loadConfiguration(load);
        }
        long[] known = configuration;
        long age = known == null ? Long.MAX_VALUE : clock.millis() - known[1];
        if (age >= ttlMillis) {
            return readOnce(CONFIGURATION_KEY, configurationGeneration::get, () -> loadConfiguration(load), () -> {});
        }
        if (age >= refreshAfterMillis && claimRefresh(CONFIGURATION_KEY)) {
            refresh(CONFIGURATION_KEY, () -> loadConfiguration(load));
        }
        return known[0];
    }

    private long loadConfiguration(LongSupplier load) {
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
            sessions.asMap().values().removeIf(k -> k.stored().session().user().id().equals(userId));
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

    /** A session as read, and from when a hit re-reads it. */
    private record Kept(StoredSession stored, long refreshFrom) {}

    /** A read from the store for a call, the generation of its entry when it began, and its answer to come. */
    private record SharedRead(long generation, CompletableFuture<Object> answer) {

        /** Waits for the answer; false when the read failed or the current call's deadline came first. */
        boolean awaited() {
            try {
                long nanos = CallDeadline.remainingNanos();
                if (nanos == Long.MAX_VALUE) {
                    answer.get();
                } else {
                    answer.get(nanos, TimeUnit.NANOSECONDS);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            }
        }
    }
}
