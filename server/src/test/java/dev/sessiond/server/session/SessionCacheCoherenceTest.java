package dev.sessiond.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sessiond.server.session.SessionDao.StoredSession;
import dev.sessiond.server.store.ChangeNotices;
import dev.sessiond.server.store.NonBlocking;
import dev.sessiond.server.testing.MutableClock;
import dev.sessiond.server.testing.StoreGate;
import dev.sessiond.server.user.LicenseType;
import dev.sessiond.server.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The session cache's bookkeeping, driven the way its callers drive it: reads through a loader
 * (here counting its calls instead of reading a store) and notices as the change feed delivers
 * them. The races are staged deterministically — a notice heard while a read is in flight, calls
 * that miss while another call's read is held in the loader.
 */
class SessionCacheCoherenceTest {

    final MutableClock clock = MutableClock.atSomeFixedInstant();
    final HeldTasks refresher = new HeldTasks();
    final SessionCache cache = new SessionCache(Duration.ofHours(1), 1_000, ChangeNotices.none(), clock, refresher);
    final User alice = user("alice");
    final User bob = user("bob");

    @Test
    void aSessionReadOnce_isServedFromMemoryAfterwards() {
        StoredSession stored = session(alice);
        CountingLoader loader = new CountingLoader(stored);

        cache.get(stored.session().id(), loader);
        cache.get(stored.session().id(), loader);

        assertThat(loader.calls).hasValue(1);
    }

    @Test
    void aReadThatOverlapsANoticeAboutItsSession_isNotKept() {
        StoredSession stored = session(alice);
        UUID id = stored.session().id();
        // The close commits (and its notice arrives) while the read of the old row is in flight.
        CountingLoader loader = new CountingLoader(stored, () -> cache.changed("s:" + id));

        assertThat(cache.get(id, loader)).contains(stored);
        cache.get(id, loader);

        assertThat(loader.calls).as("the second validation read the store again").hasValue(2);
    }

    @Test
    void aNoticeNamesSessions_andEvictsJustThose() {
        StoredSession first = session(alice);
        StoredSession second = session(alice);
        StoredSession third = session(bob);
        CountingLoader loader = new CountingLoader(null);
        for (StoredSession s : new StoredSession[] {first, second, third}) {
            cache.get(s.session().id(), id -> Optional.of(s));
        }

        cache.changed("s:" + first.session().id() + "," + third.session().id());

        cache.get(first.session().id(), loader);
        cache.get(second.session().id(), loader);
        cache.get(third.session().id(), loader);
        assertThat(loader.calls).as("first and third were read again, second was not").hasValue(2);
    }

    @Test
    void aNoticeAboutAUser_evictsEverySessionOfThatUser() {
        StoredSession alices = session(alice);
        StoredSession bobs = session(bob);
        cache.get(alices.session().id(), id -> Optional.of(alices));
        cache.get(bobs.session().id(), id -> Optional.of(bobs));

        cache.changed("u:" + alice.id());

        CountingLoader loader = new CountingLoader(null);
        cache.get(alices.session().id(), loader);
        cache.get(bobs.session().id(), loader);
        assertThat(loader.calls).hasValue(1);
    }

    @Test
    void lostNotices_emptyTheCache() {
        StoredSession stored = session(alice);
        cache.get(stored.session().id(), id -> Optional.of(stored));

        cache.missed();

        CountingLoader loader = new CountingLoader(stored);
        cache.get(stored.session().id(), loader);
        assertThat(loader.calls).hasValue(1);
    }

    @Test
    void aNoticeOfAnUnknownKind_playsSafeAndEmptiesTheCache() {
        StoredSession stored = session(alice);
        cache.get(stored.session().id(), id -> Optional.of(stored));

        cache.changed("x:something a newer server says");

        CountingLoader loader = new CountingLoader(stored);
        cache.get(stored.session().id(), loader);
        assertThat(loader.calls).hasValue(1);
    }

    @Test
    void theConfigurationVersion_isRememberedUntilANoticeSaysItChanged() {
        AtomicLong stored = new AtomicLong(7);
        AtomicInteger reads = new AtomicInteger();

        assertThat(cache.configurationVersion(() -> read(stored, reads))).isEqualTo(7);
        stored.set(8);
        assertThat(cache.configurationVersion(() -> read(stored, reads))).as("remembered").isEqualTo(7);

        cache.changed("c");

        assertThat(cache.configurationVersion(() -> read(stored, reads))).isEqualTo(8);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aConfigurationReadThatOverlapsANotice_isNotKept() {
        AtomicLong stored = new AtomicLong(7);
        cache.configurationVersion(() -> {
            long version = stored.get();
            stored.set(8);
            cache.changed("c"); // the increment commits while the old version is on its way back
            return version;
        });

        assertThat(cache.configurationVersion(stored::get)).isEqualTo(8);
    }

    @Test
    void theConfigurationVersion_inTheTtlsLastQuarter_isReReadAheadOfItsExpiry() {
        AtomicLong stored = new AtomicLong(7);
        AtomicInteger reads = new AtomicInteger();
        cache.configurationVersion(() -> read(stored, reads));
        stored.set(8); // raised directly in the database: no notice

        clock.advance(Duration.ofMinutes(46));
        assertThat(cache.configurationVersion(() -> read(stored, reads))).as("answered at once").isEqualTo(7);
        cache.configurationVersion(() -> read(stored, reads));
        assertThat(refresher.held).hasSize(1);
        refresher.runAll();

        clock.advance(Duration.ofMinutes(30));
        assertThat(cache.configurationVersion(() -> read(stored, reads))).isEqualTo(8);
        assertThat(reads).as("the first read and the re-read").hasValue(2);
        assertThat(cache.refreshes()).isEqualTo(1);
    }

    @Test
    void entriesExpireAfterTheTtl_evenWithoutNotices() {
        StoredSession stored = session(alice);
        CountingLoader loader = new CountingLoader(stored);
        cache.get(stored.session().id(), loader);

        clock.advance(Duration.ofHours(1).plusMillis(1));
        cache.get(stored.session().id(), loader);

        assertThat(loader.calls).hasValue(2);
    }

    @Test
    void aHitInTheTtlsLastQuarter_reReadsTheSessionAheadOfItsExpiry() {
        StoredSession first = session(alice);
        UUID id = first.session().id();
        StoredSession renamed = new StoredSession(first.session(), "secret-hash-after-a-direct-update");
        cache.get(id, new CountingLoader(first));

        clock.advance(Duration.ofMinutes(44));
        CountingLoader reReader = new CountingLoader(renamed);
        assertThat(cache.get(id, reReader)).contains(first);
        assertThat(refresher.held).as("before the last quarter: nothing to re-read").isEmpty();

        clock.advance(Duration.ofMinutes(2));
        assertThat(cache.get(id, reReader)).as("the hit is answered at once").contains(first);
        assertThat(cache.get(id, reReader)).contains(first);
        assertThat(refresher.held).as("one re-read per session at a time").hasSize(1);
        refresher.runAll();
        assertThat(reReader.calls).hasValue(1);

        clock.advance(Duration.ofMinutes(30)); // 76 minutes after the first read, 30 after the re-read
        CountingLoader later = new CountingLoader(null);
        assertThat(cache.get(id, later)).as("kept from the re-read").contains(renamed);
        assertThat(later.calls).hasValue(0);
        assertThat(cache.misses()).as("the first read").isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(4);
        assertThat(cache.refreshes()).isEqualTo(1);
    }

    @Test
    void aReadThatStopsShortOfTheStore_isNotCountedAsAMiss() {
        StoredSession stored = session(alice);
        UUID id = stored.session().id();

        assertThatThrownBy(() -> cache.get(id, unused -> {
            throw new IllegalStateException("to start again where waiting is allowed");
        }));
        cache.get(id, new CountingLoader(stored));
        cache.get(id, new CountingLoader(stored));

        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void aReReadThatOverlapsANoticeAboutItsSession_isNotKept() {
        StoredSession stored = session(alice);
        UUID id = cachedIntoTheTtlsLastQuarter(stored);

        cache.get(id, new CountingLoader(stored, () -> cache.changed("s:" + id)));
        refresher.runAll();

        CountingLoader loader = new CountingLoader(null);
        assertThat(cache.get(id, loader)).as("read again, and gone").isEmpty();
        assertThat(loader.calls).hasValue(1);
    }

    @Test
    void aReReadThatFindsTheSessionGone_dropsItsEntry() {
        StoredSession stored = session(alice);
        UUID id = cachedIntoTheTtlsLastQuarter(stored);

        cache.get(id, new CountingLoader(null)); // deleted from the store directly
        refresher.runAll();

        CountingLoader loader = new CountingLoader(null);
        assertThat(cache.get(id, loader)).isEmpty();
        assertThat(loader.calls).hasValue(1);
    }

    @Test
    void aReReadThatFails_leavesTheEntryToItsTtl() {
        StoredSession stored = session(alice);
        UUID id = cachedIntoTheTtlsLastQuarter(stored);

        cache.get(id, unused -> {
            throw new IllegalStateException("the store is away");
        });
        refresher.runAll();

        CountingLoader loader = new CountingLoader(stored);
        assertThat(cache.get(id, loader)).as("still cached").contains(stored);
        clock.advance(Duration.ofMinutes(11));
        cache.get(id, loader);
        assertThat(loader.calls).as("read on the first hit after the ttl").hasValue(1);
    }

    @Test
    void callsThatMissTheSameSessionAtOnce_shareOneRead() throws Exception {
        StoredSession stored = session(alice);
        UUID id = stored.session().id();
        StoreGate store = new StoreGate();
        Function<UUID, Optional<StoredSession>> loader = unused -> {
            store.pass();
            return Optional.of(stored);
        };

        Call<Optional<StoredSession>> first = new Call<>(() -> cache.get(id, loader));
        store.awaitEntered(1);
        Call<Optional<StoredSession>> second = new Call<>(() -> cache.get(id, loader)).awaitBlocked();
        Call<Optional<StoredSession>> third = new Call<>(() -> cache.get(id, loader)).awaitBlocked();
        store.open();

        assertThat(List.of(first.result(), second.result(), third.result())).containsOnly(Optional.of(stored));
        assertThat(store.entered()).as("one read for the three calls").isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.shared()).isEqualTo(2);
        cache.get(id, loader);
        assertThat(cache.hits()).as("and the read was kept").isEqualTo(1);
    }

    @Test
    void aCallThatMissesAfterANotice_doesNotTakeAReadThatBeganBeforeIt() throws Exception {
        StoredSession stored = session(alice);
        UUID id = stored.session().id();
        StoreGate store = new StoreGate();
        AtomicInteger reads = new AtomicInteger();
        // The first read finds the session open; the close commits, and its notice arrives, while it is in flight.
        Function<UUID, Optional<StoredSession>> loader = unused -> {
            boolean first = reads.incrementAndGet() == 1;
            store.pass();
            return first ? Optional.of(stored) : Optional.empty();
        };

        Call<Optional<StoredSession>> first = new Call<>(() -> cache.get(id, loader));
        store.awaitEntered(1);
        cache.changed("s:" + id);
        Call<Optional<StoredSession>> second = new Call<>(() -> cache.get(id, loader));
        store.awaitEntered(2);
        Call<Optional<StoredSession>> third = new Call<>(() -> cache.get(id, loader)).awaitBlocked();
        store.open();

        assertThat(first.result()).as("began before the close").contains(stored);
        assertThat(second.result()).as("read afresh after the notice: closed").isEmpty();
        assertThat(third.result()).as("took the fresh read").isEmpty();
        assertThat(reads).hasValue(2);
        assertThat(cache.shared()).isEqualTo(1);
    }

    @Test
    void aCallWaitingForAReadThatFails_readsForItself() throws Exception {
        StoredSession stored = session(alice);
        UUID id = stored.session().id();
        StoreGate store = new StoreGate();
        AtomicInteger reads = new AtomicInteger();
        Function<UUID, Optional<StoredSession>> loader = unused -> {
            store.pass();
            if (reads.incrementAndGet() == 1) {
                throw new IllegalStateException("the store is away");
            }
            return Optional.of(stored);
        };

        Call<Optional<StoredSession>> first = new Call<>(() -> cache.get(id, loader));
        store.awaitEntered(1);
        Call<Optional<StoredSession>> second = new Call<>(() -> cache.get(id, loader)).awaitBlocked();
        store.open();

        assertThatThrownBy(first::result).hasRootCauseMessage("the store is away");
        assertThat(second.result()).as("its own read, not the first one's failure").contains(stored);
        assertThat(reads).hasValue(2);
    }

    @Test
    void onTheTransportsThread_aMissDoesNotWaitForAnotherCallsRead() throws Exception {
        StoredSession stored = session(alice);
        UUID id = stored.session().id();
        StoreGate store = new StoreGate();
        Call<Optional<StoredSession>> first = new Call<>(() -> cache.get(id, unused -> {
            store.pass();
            return Optional.of(stored);
        }));
        store.awaitEntered(1);
        AtomicInteger transportReads = new AtomicInteger();
        NonBlocking transport = new NonBlocking(Runnable::run);

        // Waiting here would hang the transport's thread until the first read ends (the test would time out).
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> transport.execute(() ->
                cache.get(id, unused -> {
                    transportReads.incrementAndGet();
                    NonBlocking.checkMayWait(); // what the store does before it takes a connection
                    return Optional.of(stored);
                }))).isInstanceOf(NonBlocking.WouldWait.class));
        store.open();

        assertThat(transportReads).as("stopped short of the store at once").hasValue(1);
        assertThat(first.result()).contains(stored);
    }

    @Test
    void callsThatFindTheConfigurationVersionExpiredAtOnce_shareOneRead() throws Exception {
        StoreGate store = new StoreGate();
        LongSupplier version = () -> {
            store.pass();
            return 7;
        };

        Call<Long> first = new Call<>(() -> cache.configurationVersion(version));
        store.awaitEntered(1);
        Call<Long> second = new Call<>(() -> cache.configurationVersion(version)).awaitBlocked();
        store.open();

        assertThat(first.result()).isEqualTo(7L);
        assertThat(second.result()).isEqualTo(7L);
        assertThat(store.entered()).isEqualTo(1);
    }

    /** Reads {@code stored} into the cache, then lets 50 of its 60 minutes pass; its id. */
    private UUID cachedIntoTheTtlsLastQuarter(StoredSession stored) {
        UUID id = stored.session().id();
        cache.get(id, new CountingLoader(stored));
        clock.advance(Duration.ofMinutes(50));
        return id;
    }

    private static long read(AtomicLong stored, AtomicInteger reads) {
        reads.incrementAndGet();
        return stored.get();
    }

    /** A loader standing in for the store: answers {@code answer}, counts calls, runs {@code during} mid-read. */
    private static final class CountingLoader implements Function<UUID, Optional<StoredSession>> {
        final AtomicInteger calls = new AtomicInteger();
        private final StoredSession answer;
        private final Runnable during;

        CountingLoader(StoredSession answer) {
            this(answer, () -> {});
        }

        CountingLoader(StoredSession answer, Runnable during) {
            this.answer = answer;
            this.during = during;
        }

        @Override
        public Optional<StoredSession> apply(UUID id) {
            calls.incrementAndGet();
            during.run();
            return Optional.ofNullable(answer);
        }
    }

    /** A call on a thread of its own, so that it can wait while the test goes on. */
    private static final class Call<T> {
        private final FutureTask<T> task;
        private final Thread thread;

        Call(Callable<T> body) {
            task = new FutureTask<>(body);
            thread = new Thread(task, "call");
            thread.setDaemon(true);
            thread.start();
        }

        /** Returns once the call waits: for another call's read, or at the store's door. */
        Call<T> awaitBlocked() {
            StoreGate.awaitState(thread, Thread.State.WAITING, Thread.State.TIMED_WAITING);
            return this;
        }

        T result() throws Exception {
            return task.get(10, TimeUnit.SECONDS);
        }
    }

    /** An executor that holds its tasks until the test runs them, so a re-read can be staged. */
    private static final class HeldTasks implements Executor {
        final List<Runnable> held = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            held.add(task);
        }

        void runAll() {
            List<Runnable> now = List.copyOf(held);
            held.clear();
            now.forEach(Runnable::run);
        }
    }

    private static User user(String login) {
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        return new User(UUID.randomUUID(), login, login, false, false, LicenseType.PERSONAL, false, created, created);
    }

    private static StoredSession session(User user) {
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        Session session = new Session(UUID.randomUUID(), user, Optional.empty(), "web-client", ClientKind.WEB,
                SessionType.CLIENT, LicenseType.PERSONAL, true, false,
                new ClientContext("", "", Optional.empty(), "host", "127.0.0.1", "plaintext"), "test", "code",
                created, created, created.plus(Duration.ofDays(7)));
        return new StoredSession(session, "secret-hash");
    }
}
