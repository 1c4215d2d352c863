package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.audit.Actor;
import dev.sessiond.server.audit.AuditEvent;
import dev.sessiond.server.audit.AuditLog;
import dev.sessiond.server.audit.EventKind;
import dev.sessiond.server.auth.TokenCodec;
import dev.sessiond.server.auth.TokenCodec.Claims;
import dev.sessiond.server.auth.TokenCodec.IssuedToken;
import dev.sessiond.server.error.AccessDeniedException;
import dev.sessiond.server.error.AlreadyExistsException;
import dev.sessiond.server.error.AuthenticationException;
import dev.sessiond.server.error.LimitExceededException;
import dev.sessiond.server.error.NotFoundException;
import dev.sessiond.server.error.Reason;
import dev.sessiond.server.error.SessiondException;
import dev.sessiond.server.license.LicensePolicy;
import dev.sessiond.server.license.SeatPool;
import dev.sessiond.server.license.SeatWindow;
import dev.sessiond.server.session.ClosingDao.Closing;
import dev.sessiond.server.session.SessionDao.StoredSession;
import dev.sessiond.server.store.ChangeNotices;
import dev.sessiond.server.store.StoreErrors;
import dev.sessiond.server.user.LicenseType;
import dev.sessiond.server.user.User;
import dev.sessiond.server.user.UserSessionsCloser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Opens, validates and closes sessions (SPEC §3). Expiry is decided here, from the injected
 * clock: idle timeout (per client kind) and maximum lifetime, whichever ends first. Validation
 * reads the store but does not write it; activity goes through {@link ActivityRecorder}.
 * Thread-safe.
 */
public final class SessionService implements UserSessionsCloser {

    /** Slack for an activity write that runs late on a busy server, on top of two write intervals. */
    static final Duration WRITE_DELAY_ALLOWANCE = Duration.ofSeconds(5);

    /** The most sessions validation keeps in memory (about 1 KiB each: at most ~100 MiB of heap). */
    private static final int CACHE_ENTRIES = 100_000;

    /** The audit trail's authentication source of nested sessions. */
    public static final String AUTH_NESTED = "nested";

    /** How a session ends, for its audit event. */
    public enum CloseKind {
        /** By its owner or by trusted server code. */
        CLOSED(EventKind.CLOSED),
        /** By an administrator. */
        BY_ADMIN(EventKind.CLOSED_BY_ADMIN),
        /** Because all of its user's sessions were deleted. */
        USER_SESSIONS_DELETED(EventKind.USER_SESSIONS_DELETED);

        private final EventKind event;

        CloseKind(EventKind event) {
            this.event = event;
        }
    }

    private final Jdbi jdbi;
    private final TokenCodec tokens;
    private final SessionPolicy policy;
    private final ClientKinds clientKinds;
    private final ActivityRecorder activity;
    private final AuditLog audit;
    private final SeatPool seats;
    private final SessionActivation activation;
    private final SessionCache cache;
    private final Clock clock;
    private final SessionRecorder recorder;
    /**
     * The cache's store reads, made once: a method reference written at each call is an object
     * made at each call, and the JIT cannot leave it out, since the cache may hand it on to its
     * refresher thread.
     */
    private final Function<UUID, Optional<StoredSession>> sessionReader = this::load;
    private final LongSupplier configurationReader = this::readConfigurationVersion;

    public SessionService(Jdbi jdbi, TokenCodec tokens, SessionPolicy policy, ClientKinds clientKinds,
            ActivityRecorder activity, AuditLog audit, SeatPool seats, ChangeNotices notices, Clock clock,
            SessionRecorder recorder, Executor cacheRefresher) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.tokens = requireNonNull(tokens, "tokens");
        this.policy = requireNonNull(policy, "policy");
        this.clientKinds = requireNonNull(clientKinds, "clientKinds");
        this.activity = requireNonNull(activity, "activity");
        this.audit = requireNonNull(audit, "audit");
        this.seats = requireNonNull(seats, "seats");
        this.cache = new SessionCache(policy.cacheTtl(), CACHE_ENTRIES, notices, clock, cacheRefresher);
        this.activation = new SessionActivation(jdbi, seats, audit, cache);
        this.clock = requireNonNull(clock, "clock");
        this.recorder = requireNonNull(recorder, "recorder");
    }

    /** Session reads of validations (and TryGetSession, UpdateLastActivity) answered from the session cache. */
    public long cacheHits() {
        return cache.hits();
    }

    /** Session reads of validations that went to the store. */
    public long cacheMisses() {
        return cache.misses();
    }

    /** Session reads of validations that took the answer of another call's read of the same session from the store. */
    public long cacheSharedReads() {
        return cache.shared();
    }

    /** Cached sessions in use, and the configuration version, re-read in the background ahead of their expiry. */
    public long cacheRefreshes() {
        return cache.refreshes();
    }

    public String serverCode() {
        return tokens.serverCode();
    }

    public String instanceName() {
        return tokens.instanceName();
    }

    /**
     * Opens a session for {@code user}, who has been authenticated (or vouched for) already,
     * within the per-user session limit and the concurrent seat pool.
     *
     * @throws LimitExceededException LICENSE_LIMIT_REACHED when no seat is free or the user has
     *     too many sessions (with the deny_new policy)
     */
    public OpenedSession open(User user, OpenSpec spec) {
        try {
            return openSession(user, spec);
        } catch (SessiondException refused) {
            if (refused.reason() != null) {
                recorder.openRefused(refused.reason()); // opens that succeed are counted from their audit event
            }
            throw refused;
        }
    }

    private OpenedSession openSession(User user, OpenSpec spec) {
        if (user.isBlocked()) {
            throw AccessDeniedException.userBlocked();
        }
        Instant now = now();
        UUID id = spec.id().orElseGet(UUID::randomUUID);
        Instant lifetimeEnd = policy.lifetimeEnd(now);
        SessionType type = spec.type().orElse(user.isService() ? SessionType.SERVICE : SessionType.SERVER);
        boolean countsSeat = user.licenseType() == LicenseType.CONCURRENT && !user.isService()
                && spec.parentId().isEmpty();
        ClientContext client = spec.client();
        Session session = new Session(id, user, spec.parentId(), spec.applicationId(),
                clientKinds.of(spec.applicationId()), type, user.licenseType(), true, countsSeat, client,
                tokens.instanceName(), tokens.serverCode(), now, now, lifetimeEnd);
        IssuedToken token = tokens.issue(id, user.id(), lifetimeEnd);
        try {
            StoreErrors.guardRun(() -> jdbi.useTransaction(h -> {
                SeatWindow window = window(now);
                if (spec.parentId().isEmpty() && seats.policy().maxSessionsPerUser().isPresent()) {
                    // One user's opens run one at a time, so the per-user limit is exact.
                    if (h.attach(SessionDao.class).lockUser(user.id()).isEmpty()) {
                        throw userGone(user);
                    }
                    enforceSessionLimit(h, user, window, spec.actor());
                }
                boolean limitedSeat = countsSeat && seats.policy().concurrentLicenses().isPresent();
                int seatsInUse = 0;
                if (limitedSeat) {
                    seats.lock(h); // held to commit: the seat count cannot change under us
                    seatsInUse = seats.requireSeat(h, user.id(), client.clientAddress(), Optional.empty(), window);
                }
                OpeningDao.insert(h, session, token.secretHash());
                audit.record(h, AuditEvent.ofSession(now, EventKind.OPENED, id, user.id(), user.login(), spec.actor())
                        .withAuthSource(spec.authSource()));
                if (limitedSeat) {
                    seats.recordUsage(h, seatsInUse);
                }
            }));
        } catch (UnableToExecuteStatementException e) {
            if (StoreErrors.isUniqueViolation(e)) {
                throw new AlreadyExistsException("session.id: a session with id " + id + " exists already");
            }
            if (StoreErrors.isForeignKeyViolation(e)) {
                // The user was deleted, or the parent closed, while the session was being opened.
                throw spec.parentId().isPresent() ? notFound() : userGone(user);
            }
            throw e;
        }
        return new OpenedSession(token.token(), session);
    }

    /**
     * Opens a nested session for {@code user} inside the session of {@code parentToken}: it
     * inherits the parent's client (cultures, host, address) and deployment, and is closed
     * with its parent. It takes no seat of its own.
     */
    public OpenedSession openNested(String parentToken, User user, String applicationId, Actor actor) {
        Session parent = validate(parentToken);
        return open(user, new OpenSpec(Optional.empty(), applicationId, Optional.of(SessionType.SERVER),
                parent.client(), Optional.of(parent.id()), AUTH_NESTED, actor));
    }

    /** With {@code SESSIOND_MAX_SESSIONS_PER_USER}: refuses (deny_new) or closes the oldest (close_oldest). */
    private void enforceSessionLimit(Handle h, User user, SeatWindow window, Actor actor) {
        Optional<Integer> max = seats.policy().maxSessionsPerUser();
        if (max.isEmpty()) {
            return;
        }
        List<UUID> open = h.attach(SessionDao.class).liveTopLevelIds(user.id(), window.now().toEpochMilli(),
                window.idleCutoff().toEpochMilli(), window.desktopIdleCutoff().toEpochMilli());
        int excess = open.size() - max.get() + 1;
        if (excess <= 0) {
            return;
        }
        if (seats.policy().limitPolicy() == LicensePolicy.SessionLimitPolicy.DENY_NEW) {
            throw LimitExceededException.licenseLimit("the user has " + open.size() + " open sessions, the most "
                    + "SESSIOND_MAX_SESSIONS_PER_USER allows", Optional.of(open.get(0).toString()));
        }
        for (UUID oldest : open.subList(0, excess)) {
            deleteTree(h, oldest, CloseKind.CLOSED, actor, window.now(), true,
                    "closed to stay within SESSIOND_MAX_SESSIONS_PER_USER");
        }
    }

    /**
     * Validates a token completely and records the use (SPEC §3 "Validation").
     *
     * @throws AuthenticationException when the token or its session is not usable
     */
    public Session validate(String token) {
        Claims claims = tokens.verify(token);
        StoredSession stored = cache.get(claims.sessionId(), sessionReader)
                .filter(s -> s.session().user().id().equals(claims.userId()))
                .filter(s -> constantTimeEquals(s.secretHash(), claims.secretHash()))
                .orElseThrow(SessionService::notFound);
        Instant now = now();
        Session session = withLatestActivity(stored.session(), now).orElseThrow(SessionService::notFound);
        checkNotExpired(session, now);
        if (!session.isActive()) {
            session = activation.reactivate(session, window(now));
        }
        activity.record(session.id(), now);
        return session.withLastActivity(now);
    }

    /** Checks what the token carries by itself (format, signature, deployment, lifetime); no store access. */
    public Claims validateBasicFields(String token) {
        return tokens.verify(token);
    }

    /**
     * The open session with this id, without recording activity; empty when missing or expired.
     * Read like a validation reads it: from the session cache, which is exact.
     */
    public Optional<Session> tryGet(UUID id) {
        Instant now = now();
        return cache.get(id, sessionReader).flatMap(s -> withLatestActivity(s.session(), now))
                .filter(s -> !isExpired(s, now));
    }

    /** Records activity now, written through at once. @return whether the session was open */
    public boolean updateLastActivity(UUID id) {
        Instant now = now();
        Optional<Session> open = tryGet(id);
        if (open.isEmpty()) {
            return false;
        }
        StoreErrors.guard(() -> jdbi.withHandle(h -> ActivityDao.touch(h, id, now.toEpochMilli())));
        activity.record(id, now);
        return true;
    }

    /**
     * Sets whether an open session holds its seat (SPEC §4 SetSessionIsActive).
     *
     * @return whether the flag changed; false for a missing or expired session
     * @throws LimitExceededException LICENSE_LIMIT_REACHED when activating and no seat is free
     */
    public boolean setActive(UUID id, boolean active, Actor actor) {
        Optional<Session> session = tryGet(id);
        return session.isPresent() && activation.setActive(session.get(), active, actor, window(now()));
    }

    /** A session that could be deactivated to free a seat for the user (SPEC §4 TryGetSessionIdToDeactivate). */
    public Optional<UUID> candidateToDeactivate(UUID userId) {
        SeatWindow window = window(now());
        return StoreErrors.guard(() -> jdbi.withHandle(h ->
                seats.candidateToDeactivate(h, userId, Optional.empty(), window)));
    }

    /** Raises the store-wide configuration version by one, with an audit event. @return the new version */
    public long incrementConfigurationVersion(String platformVersion, Actor actor) {
        Instant now = now();
        return StoreErrors.guard(() -> jdbi.inTransaction(h -> {
            SessionDao dao = h.attach(SessionDao.class);
            dao.incrementConfigurationVersion(platformVersion);
            long version = SessionDao.readConfigurationVersion(h);
            audit.record(h, new AuditEvent(now, EventKind.CONFIGURATION_VERSION_INCREMENTED, Optional.empty(),
                    Optional.empty(), "", actor, "", "version " + version + ", platform " + platformVersion));
            cache.configurationChanged(h);
            return version;
        }));
    }

    /**
     * Closes a session and its nested sessions, with audit events.
     *
     * @return whether the session was open (existed and had not expired)
     */
    public boolean close(UUID id, CloseKind kind, Actor actor) {
        return end(id, kind, actor, true);
    }

    /** Deletes a session and its nested sessions without audit events. @return whether it was open */
    public boolean remove(UUID id) {
        return end(id, CloseKind.CLOSED, Actor.SERVER, false);
    }

    private boolean end(UUID id, CloseKind kind, Actor actor, boolean withAudit) {
        Instant now = now();
        return StoreErrors.guard(() -> jdbi.inTransaction(h -> {
            List<Closing> tree = ClosingDao.findTree(h, id);
            Optional<Closing> root = tree.stream().filter(c -> c.id().equals(id)).findFirst();
            if (root.isEmpty()) {
                return false;
            }
            Closing closing = root.get();
            boolean wasOpen = !isExpired(closing.clientKind(), latestActivity(id, closing.lastActivity()),
                    closing.lifetimeEnd(), now);
            int deleted = deleteTree(h, tree, id, kind, actor, now, withAudit, "");
            if (deleted > 0 && !withAudit) {
                h.afterCommit(() -> recorder.removed(deleted)); // audited ends are counted from their events
            }
            return deleted > 0 && wasOpen;
        }));
    }

    /** Closes every session of a user, with audit events. @return how many of the user's sessions were deleted */
    public int deleteUserSessions(UUID userId, Actor actor) {
        return StoreErrors.guard(() -> jdbi.inTransaction(h -> closeAll(h, userId, actor, "")));
    }

    @Override
    public int closeAll(Handle handle, UUID userId, Actor actor, String why) {
        Instant now = now();
        int closed = 0;
        for (UUID id : ClosingDao.findIdsByUser(handle, userId)) {
            // a nested session of the user may already have gone with its parent
            if (deleteTree(handle, id, CloseKind.USER_SESSIONS_DELETED, actor, now, true, why) > 0) {
                closed++;
            }
        }
        return closed;
    }

    /** The store-wide configuration version (remembered, exactly: every increment evicts it). */
    public long configurationVersion() {
        return cache.configurationVersion(configurationReader);
    }

    private int deleteTree(Handle h, UUID id, CloseKind kind, Actor actor, Instant now, boolean withAudit, String why) {
        return deleteTree(h, ClosingDao.findTree(h, id), id, kind, actor, now, withAudit, why);
    }

    /** Deletes session {@code id} and the sessions nested in it, which {@code tree} lists (read in this transaction). */
    private int deleteTree(Handle h, List<Closing> tree, UUID id, CloseKind kind, Actor actor, Instant now,
            boolean withAudit, String why) {
        int deleted = ClosingDao.delete(h, id);
        if (deleted == 0) {
            return 0;
        }
        if (withAudit) {
            List<AuditEvent> events = new ArrayList<>(tree.size());
            for (Closing closing : tree) {
                EventKind event = closing.id().equals(id) ? kind.event : EventKind.CLOSED_WITH_PARENT;
                events.add(AuditEvent.ofSession(now, event, closing.id(), closing.userId(), closing.login(), actor)
                        .withDetail(why));
            }
            audit.record(h, events);
        }
        forget(h, tree.stream().map(Closing::id).toList());
        return deleted;
    }

    /**
     * Which stored sessions surely are still open: a margin of two activity write intervals
     * plus {@link #WRITE_DELAY_ALLOWANCE} covers activity that other replicas remember but have
     * not written yet (a busy replica's write may run late).
     */
    SeatWindow window(Instant now) {
        Duration margin = policy.activityWriteInterval().multipliedBy(2).plus(WRITE_DELAY_ALLOWANCE);
        return new SeatWindow(now, now.minus(policy.idleTimeout(ClientKind.OTHER)).minus(margin),
                now.minus(policy.idleTimeout(ClientKind.DESKTOP)).minus(margin));
    }

    /** Sessions deleted in {@code h}'s transaction: no server may remember them once it commits. */
    void forget(Handle h, List<UUID> ids) {
        Runnable forgetActivity = () -> ids.forEach(activity::forget);
        forgetActivity.run();
        h.afterCommit(forgetActivity);
        cache.sessionsChanged(h, ids);
    }

    @Override
    public void userChanged(Handle h, UUID userId) {
        cache.userChanged(h, userId);
    }

    /** Times are stored in milliseconds; keep them so in memory too, so reads agree with writes. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private Optional<StoredSession> load(UUID id) {
        return StoreErrors.guard(() -> jdbi.withHandle(h -> SessionDao.readById(h, id)));
    }

    private long readConfigurationVersion() {
        return StoreErrors.guard(() -> jdbi.withHandle(SessionDao::readConfigurationVersion));
    }

    /**
     * A session as read (or cached), with the latest use this server knows of. When that still
     * leaves it idle past its timeout within its lifetime, it is read again: other servers may
     * have seen, and written, a later use. Empty when it is gone by then.
     */
    private Optional<Session> withLatestActivity(Session read, Instant now) {
        Session session = withRememberedActivity(read);
        if (isExpired(session, now) && now.isBefore(session.lifetimeEnd())) {
            return cache.reload(session.id(), sessionReader).map(s -> withRememberedActivity(s.session()));
        }
        return Optional.of(session);
    }

    private Session withRememberedActivity(Session session) {
        Instant latest = latestActivity(session.id(), session.lastActivity());
        return latest.equals(session.lastActivity()) ? session : session.withLastActivity(latest);
    }

    /** The later of the stored last activity and the one this server remembers and has not written yet. */
    private Instant latestActivity(UUID id, Instant stored) {
        return activity.latest(id).filter(t -> t.isAfter(stored)).orElse(stored);
    }

    /** When the session expires if it is not used again. */
    public Instant expireTime(Session session) {
        return policy.expireTime(session.clientKind(), session.lastActivity(), session.lifetimeEnd());
    }

    private boolean isExpired(Session session, Instant now) {
        return isExpired(session.clientKind(), session.lastActivity(), session.lifetimeEnd(), now);
    }

    private boolean isExpired(ClientKind kind, Instant lastActivity, Instant lifetimeEnd, Instant now) {
        return !now.isBefore(policy.expireTime(kind, lastActivity, lifetimeEnd));
    }

    private void checkNotExpired(Session session, Instant now) {
        if (!now.isBefore(session.lifetimeEnd())) {
            throw new AuthenticationException(Reason.SESSION_EXPIRED,
                    "the session reached its maximum lifetime at " + session.lifetimeEnd());
        }
        if (isExpired(session, now)) {
            throw new AuthenticationException(Reason.SESSION_EXPIRED,
                    "the session was idle for longer than " + policy.idleTimeout(session.clientKind()));
        }
    }

    private static NotFoundException userGone(User user) {
        return new NotFoundException("user_id: no user with id " + user.id());
    }

    private static AuthenticationException notFound() {
        return new AuthenticationException(Reason.SESSION_NOT_FOUND, "the session was closed or never existed");
    }

    /** Compares every character whatever the first difference (the lengths, of encoded hashes, are no secret). */
    private static boolean constantTimeEquals(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        int difference = 0;
        for (int i = 0; i < a.length(); i++) {
            difference |= a.charAt(i) ^ b.charAt(i);
        }
        return difference == 0;
    }
}
