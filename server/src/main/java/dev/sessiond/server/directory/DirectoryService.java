package dev.sessiond.server.directory;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.audit.Actor;
import dev.sessiond.server.auth.TokenKeys;
import dev.sessiond.server.directory.DirectoryDao.Match;
import dev.sessiond.server.directory.DirectoryDao.Matched;
import dev.sessiond.server.directory.DirectoryDao.Scope;
import dev.sessiond.server.directory.DirectoryDao.StoredEntry;
import dev.sessiond.server.directory.PageTokens.Cursor;
import dev.sessiond.server.error.InvalidArgumentException;
import dev.sessiond.server.error.NotFoundException;
import dev.sessiond.server.session.ActivityRecorder;
import dev.sessiond.server.session.ClientKind;
import dev.sessiond.server.session.SessionPolicy;
import dev.sessiond.server.session.SessionService;
import dev.sessiond.server.session.SessionService.CloseKind;
import dev.sessiond.server.store.StoreErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The session directory (SPEC §5): who is connected from where, and ending sessions by machine
 * or by user, like NetSessionEnum / NetSessionGetInfo / NetSessionDel.
 *
 * <p>Only open sessions are shown: closed ones are gone from the store, and expired ones that
 * the reaper has not deleted yet are left out by the same rule {@link SessionService} applies.
 * Before reading, the activity this server remembers is written, so that a session kept alive
 * only by a use not yet written is not taken for expired. Closing goes through
 * {@link SessionService#close}, so nested sessions and audit events are handled in one place.
 * Thread-safe.
 */
public final class DirectoryService {

    private final Jdbi jdbi;
    private final SessionService sessions;
    private final ActivityRecorder activity;
    private final SessionPolicy policy;
    private final PageTokens pageTokens;
    private final Clock clock;

    public DirectoryService(Jdbi jdbi, SessionService sessions, ActivityRecorder activity, SessionPolicy policy,
            TokenKeys keys, Clock clock) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sessions = requireNonNull(sessions, "sessions");
        this.activity = requireNonNull(activity, "activity");
        this.policy = requireNonNull(policy, "policy");
        this.pageTokens = new PageTokens(requireNonNull(keys, "keys"));
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * One page of the open sessions matching {@code filter}, in (create time, id) order.
     *
     * @param pageSize at least 1
     * @param pageToken empty for the first page, else the {@link SessionPage#nextPageToken} of
     *     the previous page of a walk with the same filter
     * @throws InvalidArgumentException for a page token that is not one of ours for this filter
     */
    public SessionPage enumerate(SessionFilter filter, InfoLevel level, int pageSize, String pageToken) {
        requireNonNull(filter, "filter");
        requireNonNull(level, "level");
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize: " + pageSize + " (expected: >= 1)");
        }
        Optional<Cursor> after = pageToken.isEmpty() ? Optional.empty() : Optional.of(pageTokens.read(pageToken, filter));
        Instant now = now();
        activity.flush();
        return StoreErrors.guard(() -> jdbi.withHandle(h -> {
            DirectoryDao dao = h.attach(DirectoryDao.class);
            Optional<Scope> scope = scope(dao, filter, now);
            if (scope.isEmpty()) {
                return new SessionPage(List.of(), "", 0);
            }
            String openCount = openCount(level);
            Scope s = scope.get();
            List<StoredEntry> rows = dao.page(s.match().sql, s.match().ascending, openCount, s,
                    after.map(Cursor::createTimeMs).orElse(DirectoryDao.START_TIME),
                    after.map(Cursor::id).orElse(DirectoryDao.START_ID), pageSize + 1);
            // Counting with a filter costs a read of every matching session, so a walk counts once, on
            // its first page, and its tokens carry the figure: walking all pages stays linear in their number.
            int total = after.isPresent() ? after.get().totalSize() : dao.count(s);
            String next = "";
            if (rows.size() > pageSize) {
                rows = rows.subList(0, pageSize);
                StoredEntry last = rows.get(pageSize - 1);
                next = pageTokens.issue(filter, new Cursor(last.createTimeMs(), last.id(), total));
            }
            return new SessionPage(rows.stream().map(r -> entry(r, now)).toList(), next, total);
        }));
    }

    /**
     * The most recently opened open session of a user on a host.
     *
     * @throws InvalidArgumentException when the host or the user name is empty
     * @throws NotFoundException when there is no such session
     */
    public SessionEntry get(SessionFilter filter, InfoLevel level) {
        requireNonNull(level, "level");
        if (filter.clientHost().isEmpty()) {
            throw new InvalidArgumentException("client_host", "empty (expected: the client host of the session)");
        }
        if (filter.userName().isEmpty()) {
            throw new InvalidArgumentException("user_name", "empty (expected: the login of the session's user)");
        }
        Instant now = now();
        activity.flush();
        Optional<StoredEntry> found = StoreErrors.guard(() -> jdbi.withHandle(h -> {
            DirectoryDao dao = h.attach(DirectoryDao.class);
            return scope(dao, filter, now)
                    .flatMap(s -> dao.latest(s.match().sql, s.match().descending, openCount(level), s));
        }));
        return found.map(r -> entry(r, now)).orElseThrow(() -> new NotFoundException(
                "no open session of user '" + filter.userName() + "' from client host '" + filter.clientHost() + "'"));
    }

    /**
     * Closes every open session matching {@code filter} (and the sessions nested in them) with
     * CLOSED_BY_ADMIN audit events.
     *
     * @return how many matching sessions were closed
     * @throws InvalidArgumentException when the filter is empty: ending every session takes an explicit choice
     */
    public int delete(SessionFilter filter, Actor actor) {
        requireNonNull(actor, "actor");
        if (filter.isEmpty()) {
            throw new InvalidArgumentException("client_host",
                    "empty, and so is user_name (expected: at least one of them; every session is never deleted at once)");
        }
        Instant now = now();
        activity.flush();
        List<Matched> matched = StoreErrors.guard(() -> jdbi.withHandle(h -> {
            DirectoryDao dao = h.attach(DirectoryDao.class);
            return scope(dao, filter, now).map(s -> dao.matching(s.match().sql, s)).orElse(List.of());
        }));
        int closed = 0;
        for (UUID id : childrenFirst(matched)) {
            // Each close is its own transaction: a session closed concurrently (false) is simply not counted.
            if (sessions.close(id, CloseKind.BY_ADMIN, actor)) {
                closed++;
            }
        }
        return closed;
    }

    /**
     * The matched sessions ordered so that a session nested in another matched one is closed
     * before its parent: closing the parent first would end it as CLOSED_WITH_PARENT instead
     * of CLOSED_BY_ADMIN and leave nothing for its own close to count.
     */
    private static List<UUID> childrenFirst(List<Matched> matched) {
        Set<UUID> ids = new HashSet<>();
        matched.forEach(m -> ids.add(m.id()));
        Map<UUID, List<UUID>> children = new HashMap<>();
        List<UUID> roots = new ArrayList<>();
        for (Matched m : matched) {
            if (m.parentId().filter(ids::contains).isPresent()) {
                children.computeIfAbsent(m.parentId().get(), p -> new ArrayList<>()).add(m.id());
            } else {
                roots.add(m.id());
            }
        }
        List<UUID> order = new ArrayList<>(matched.size());
        Set<UUID> placed = new HashSet<>();
        for (UUID root : roots) {
            placeAfterDescendants(root, children, placed, order);
        }
        return order;
    }

    /** Depth-first post-order without recursion, so a deep nesting chain cannot overflow the stack. */
    private static void placeAfterDescendants(UUID root, Map<UUID, List<UUID>> children, Set<UUID> placed,
            List<UUID> order) {
        record Frame(UUID id, int next) {}
        List<Frame> stack = new ArrayList<>();
        stack.add(new Frame(root, 0));
        while (!stack.isEmpty()) {
            Frame top = stack.removeLast();
            List<UUID> kids = children.getOrDefault(top.id(), List.of());
            if (top.next() < kids.size()) {
                stack.add(new Frame(top.id(), top.next() + 1));
                UUID kid = kids.get(top.next());
                if (!placed.contains(kid)) {
                    stack.add(new Frame(kid, 0));
                }
            } else if (placed.add(top.id())) {
                order.add(top.id());
            }
        }
    }

    /** The query scope of a filter; empty when it names a user that does not exist, which matches nothing. */
    private Optional<Scope> scope(DirectoryDao dao, SessionFilter filter, Instant now) {
        UUID userId = null;
        if (filter.userKey().isPresent()) {
            Optional<UUID> user = dao.userIdByLoginKey(filter.userKey().get());
            if (user.isEmpty()) {
                return Optional.empty();
            }
            userId = user.get();
        }
        long nowMs = now.toEpochMilli();
        return Optional.of(new Scope(Match.of(filter.hostKey().isPresent(), userId != null),
                filter.hostKey().orElse(null), userId, nowMs,
                nowMs - policy.idleTimeout(ClientKind.WEB).toMillis(),
                nowMs - policy.idleTimeout(ClientKind.DESKTOP).toMillis()));
    }

    private static String openCount(InfoLevel level) {
        return level.countsNestedSessions() ? DirectoryDao.NESTED_OPEN_COUNT : "0";
    }

    private SessionEntry entry(StoredEntry row, Instant now) {
        Instant created = Instant.ofEpochMilli(row.createTimeMs());
        Instant lastUse = Instant.ofEpochMilli(row.lastActivityMs());
        Optional<Instant> remembered = activity.latest(row.id());
        if (remembered.isPresent() && remembered.get().isAfter(lastUse)) {
            lastUse = remembered.get();
        }
        return new SessionEntry(row.id(), row.clientHost(), row.login(), row.openCount(),
                nonNegative(Duration.between(created, now)), nonNegative(Duration.between(lastUse, now)),
                row.userIsAdmin(), row.isActive(), row.applicationId(), ClientKind.valueOf(row.clientKind()),
                row.transport(), row.clientAddress());
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Times are stored in milliseconds, like SessionService's. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
