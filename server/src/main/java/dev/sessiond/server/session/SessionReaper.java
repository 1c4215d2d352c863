package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.audit.Actor;
import dev.sessiond.server.audit.AuditEvent;
import dev.sessiond.server.audit.AuditLog;
import dev.sessiond.server.audit.EventKind;
import dev.sessiond.server.license.SeatWindow;
import dev.sessiond.server.session.ReaperDao.Doomed;
import dev.sessiond.server.store.StoreErrors;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired sessions in the background, in batches of {@link ReaperSettings#batchSize()}
 * sessions per short transaction, writing one EXPIRED event per expired session (and
 * CLOSED_WITH_PARENT for sessions nested in one). A session is reaped only once it surely
 * expired: past its lifetime, or idle for longer than its idle timeout plus a margin of two
 * activity write intervals and {@link SessionService#WRITE_DELAY_ALLOWANCE} (more than another
 * replica's unwritten activity can lag). Sessions
 * this server saw in use are spared. Validation never waits for the reaper: it only reads,
 * and each batch commits quickly. Servers sharing a database reap one at a time: a batch
 * holds the {@code reaper_lock} row, which other servers skip ({@code FOR UPDATE SKIP LOCKED})
 * instead of waiting for. Thread-safe.
 */
public final class SessionReaper {

    private static final Logger log = LoggerFactory.getLogger(SessionReaper.class);
    /** One run stops after this many batches, so that a huge backlog does not monopolise the store. */
    private static final int MAX_BATCHES_PER_RUN = 1_000;

    private final Jdbi jdbi;
    private final SessionService sessions;
    private final ActivityRecorder activity;
    private final AuditLog audit;
    private final ReaperSettings settings;
    private final Clock clock;
    private final SessionRecorder recorder;

    public SessionReaper(Jdbi jdbi, SessionService sessions, ActivityRecorder activity, AuditLog audit,
            ReaperSettings settings, Clock clock, SessionRecorder recorder) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sessions = requireNonNull(sessions, "sessions");
        this.activity = requireNonNull(activity, "activity");
        this.audit = requireNonNull(audit, "audit");
        this.settings = requireNonNull(settings, "settings");
        this.clock = requireNonNull(clock, "clock");
        this.recorder = requireNonNull(recorder, "recorder");
    }

    /** Reaps until no expired session is left (or the per-run bound is reached). @return sessions deleted */
    public int runOnce() {
        int total = 0;
        try {
            for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
                int deleted = reapBatch();
                total += deleted;
                if (deleted == 0) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            recorder.reaperRun(false, total);
            throw e;
        }
        recorder.reaperRun(true, total);
        if (total > 0) {
            log.info("reaper deleted {} expired session(s)", total);
        }
        return total;
    }

    /** For the scheduler: a failed run is logged and retried next time, never propagated. */
    public void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("reaper run failed; will retry: {}", e.toString());
        }
    }

    /** Deletes one batch of expired sessions. @return how many sessions were deleted (including nested ones) */
    int reapBatch() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        SeatWindow window = sessions.window(now);
        return StoreErrors.guard(() -> jdbi.inTransaction(h -> {
            ReaperDao dao = h.attach(ReaperDao.class);
            if (dao.tryLock().isEmpty()) {
                return 0; // another server is reaping right now; it will get to these sessions
            }
            int limit = settings.batchSize();
            Set<UUID> expired = new LinkedHashSet<>(dao.pastLifetime(now.toEpochMilli(), limit));
            List<UUID> idle = new ArrayList<>();
            if (expired.size() < limit) {
                idle.addAll(dao.idleNonDesktop(window.idleCutoff().toEpochMilli(), limit - expired.size()));
            }
            if (expired.size() + idle.size() < limit) {
                idle.addAll(dao.idleDesktop(window.desktopIdleCutoff().toEpochMilli(), limit - expired.size() - idle.size()));
            }
            // Spare idle candidates this server saw in use after the cutoff: their activity is not written yet.
            Instant earliestCutoff = window.idleCutoff().isBefore(window.desktopIdleCutoff())
                    ? window.idleCutoff() : window.desktopIdleCutoff();
            idle.removeIf(id -> activity.latest(id).filter(t -> t.isAfter(earliestCutoff)).isPresent());
            expired.addAll(idle);
            if (expired.isEmpty()) {
                return 0;
            }
            List<Doomed> trees = dao.trees(List.copyOf(expired));
            Map<UUID, Doomed> byId = trees.stream().collect(Collectors.toMap(Doomed::id, Function.identity(), (a, b) -> a));
            // Delete the deepest batch members first, so each expired session is deleted (and
            // recorded) by its own delete rather than by its parent's cascade.
            Set<UUID> nestedMembers = trees.stream()
                    .filter(d -> !d.root().equals(d.id()) && expired.contains(d.id()))
                    .map(Doomed::id).collect(Collectors.toSet());
            List<UUID> order = new ArrayList<>(expired);
            order.sort(Comparator.comparing(id -> !nestedMembers.contains(id)));
            int[] counts = dao.delete(order);
            List<AuditEvent> events = new ArrayList<>();
            int deleted = 0;
            for (int i = 0; i < order.size(); i++) {
                if (counts[i] == 0) {
                    continue; // another replica's reaper got there first
                }
                UUID root = order.get(i);
                Doomed member = byId.get(root);
                if (member == null) {
                    continue;
                }
                events.add(AuditEvent.ofSession(now, EventKind.EXPIRED, root, member.userId(), member.login(),
                        Actor.SERVER));
                deleted++;
                for (Doomed nested : trees) {
                    if (nested.root().equals(root) && !nested.id().equals(root) && !expired.contains(nested.id())) {
                        events.add(AuditEvent.ofSession(now, EventKind.CLOSED_WITH_PARENT, nested.id(),
                                nested.userId(), nested.login(), Actor.SERVER));
                        deleted++;
                    }
                }
            }
            audit.record(h, events);
            sessions.forget(h, trees.stream().map(Doomed::id).toList());
            return deleted;
        }));
    }
}
