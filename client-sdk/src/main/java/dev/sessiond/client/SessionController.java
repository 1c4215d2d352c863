package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import dev.sessiond.proto.v1.Session;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares one sessiond session among the parts of a program that need one, for as long as any
 * of them does (the {@code ServerSessionController.TryOpenSessionAsync} seed):
 *
 * <pre>{@code
 * SessionController controller = SessionController.builder(sessiond, SessionOpener.password("svc-orders", secret)).build();
 * Optional<SessionLease> lease = controller.tryOpen();
 * if (lease.isPresent()) {
 *     try (SessionLease held = lease.get()) {
 *         held.client().server().validateAndGetSession(userToken);
 *     }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>The first {@link #tryOpen()} opens the session; later ones share it; the last
 *       {@link SessionLease#close()} closes it on the server. Any number of threads calling
 *       {@code tryOpen()} at once cause exactly one open: they wait for it and share its result.
 *   <li>A failure to open is an empty result and a logged reason, never an exception.
 *   <li>While leases are held, a keep-alive calls {@code UpdateLastActivity} every third of the
 *       session's idle timeout (or {@link Builder#keepAliveInterval}), so the session does not
 *       expire; it stops with the last lease. Like every {@code SessionServerService} call it
 *       needs the session's user to be a service account or an administrator; for other users
 *       it stops with a warning and the session lives as long as it is used.
 *   <li>When the keep-alive finds the session closed or expired behind the controller's back,
 *       or a {@code tryOpen()} does (it checks a session not confirmed for
 *       {@link Builder#revalidateAfter}, 5 s by default), the next {@code tryOpen()} opens a new
 *       session. Leases on the old one stay valid objects but their token no longer works.
 * </ul>
 *
 * <p>Thread-safe: {@code tryOpen()}, {@code SessionLease.close()} and {@code close()} may be
 * called from any thread. No network call is made while holding the controller's lock.
 */
public final class SessionController implements AutoCloseable {

    static final Duration DEFAULT_REVALIDATE_AFTER = Duration.ofSeconds(5);
    static final Duration MIN_KEEP_ALIVE = Duration.ofMillis(100);
    static final Duration FALLBACK_KEEP_ALIVE = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(SessionController.class);

    private final SessiondClient client;
    private final SessionOpener opener;
    private final Duration keepAliveInterval;
    private final Duration revalidateAfter;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor scheduler;

    private final ReentrantLock lock = new ReentrantLock();
    /** The session new leases join; null when none is open. Guarded by {@link #lock}. */
    private Shared current;
    /** The open (or the check of {@link #current}) in progress; null when none. Guarded by {@link #lock}. */
    private Flight flight;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    private SessionController(Builder builder) {
        this.client = builder.client;
        this.opener = builder.opener;
        this.keepAliveInterval = builder.keepAliveInterval;
        this.revalidateAfter = builder.revalidateAfter;
        this.clock = builder.clock;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sessiond-session-keep-alive");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /**
     * @param client the client to open, keep alive and close the session with
     * @param opener how to open the session
     */
    public static Builder builder(SessiondClient client, SessionOpener opener) {
        return new Builder(client, opener);
    }

    /**
     * A lease on the shared session, opening it if there is none; empty (with the reason
     * logged) when it cannot be opened. Blocks while the session is being opened or checked,
     * at most about two call deadlines.
     *
     * @throws IllegalStateException if the controller is closed
     */
    public Optional<SessionLease> tryOpen() {
        Flight joined;
        boolean leader = false;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("this SessionController is closed");
            }
            if (current != null && !current.lost && !isStale(current)) {
                current.leases++;
                return Optional.of(new SessionLease(this, current));
            }
            if (flight == null) {
                flight = new Flight(current);
                leader = true;
                if (current != null) {
                    current.leases++; // keeps it from being closed while it is checked
                }
            }
            joined = flight;
            joined.participants++;
        } finally {
            lock.unlock();
        }
        if (leader) {
            fly(joined);
        }
        Shared shared = joined.result.join(); // never fails: fly() completes it with null on failure
        return shared == null ? Optional.empty() : Optional.of(new SessionLease(this, shared));
    }

    /** How many callers wait for the open (or check) in progress; for tests. */
    int waiting() {
        lock.lock();
        try {
            return flight == null ? 0 : flight.participants;
        } finally {
            lock.unlock();
        }
    }

    /** Checks the current session or opens a new one, then hands the result to every participant. */
    private void fly(Flight f) {
        Shared target = f.target;
        boolean alive = target != null && confirm(target);
        Shared opened = alive ? null : open();
        Shared result;
        Runnable closeOpened = null;
        Runnable closeTarget = null;
        lock.lock();
        try {
            flight = null;
            if (closed) {
                result = null;
                if (opened != null) {
                    closeOpened = endIfUnused(opened);
                }
            } else if (alive) {
                result = target;
                target.leases += f.participants;
            } else {
                result = opened;
                if (opened != null) {
                    opened.leases = f.participants;
                    current = opened;
                    startKeepAlive(opened);
                } else if (current == target) {
                    current = null;
                }
            }
            if (target != null) {
                target.leases--;
                closeTarget = endIfUnused(target);
            }
        } finally {
            lock.unlock();
        }
        f.result.complete(result);
        if (closeOpened != null) {
            closeOpened.run();
        }
        if (closeTarget != null) {
            closeTarget.run();
        }
    }

    private Shared open() {
        try {
            OpenedSession opened = requireNonNull(opener.open(client), "the SessionOpener returned null");
            log.info("opened session {} of user '{}'", opened.sessionId(), opened.session().getUser().getLogin());
            return new Shared(opened, client.withToken(opened.token()), clock.instant());
        } catch (SessionException e) {
            log.warn("could not open a session: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("could not open a session: the SessionOpener failed", e);
        }
        return null;
    }

    /**
     * Whether {@code s} is still open, asking the server. Only a definite "gone" counts as
     * dead; when the server cannot tell (unreachable, no right to ask) the session is kept.
     */
    private boolean confirm(Shared s) {
        try {
            if (!s.asSession.server().updateLastActivity(s.sessionId())) {
                markLost(s, "the server says it is not open");
                return false;
            }
        } catch (SessionException e) {
            if (isGone(e)) {
                markLost(s, e.getMessage());
                return false;
            }
            log.debug("could not check session {}; keeping it: {}", s.sessionId(), e.getMessage());
        }
        confirmed(s);
        return true;
    }

    private void keepAlive(Shared s) {
        try {
            if (s.asSession.server().updateLastActivity(s.sessionId())) {
                confirmed(s);
            } else {
                markLost(s, "the server says it is not open");
            }
        } catch (SessionException e) {
            if (isGone(e)) {
                markLost(s, e.getMessage());
            } else if (e.code() == Status.Code.PERMISSION_DENIED) {
                log.warn("stopping the keep-alive of session {}: its user may not call UpdateLastActivity ({}); "
                        + "it now expires when it is idle for too long", s.sessionId(), e.getMessage());
                stopKeepAlive(s);
            } else {
                log.warn("keep-alive of session {} failed, trying again later: {}", s.sessionId(), e.getMessage());
            }
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again; keep trying instead
            log.warn("keep-alive of session {} failed, trying again later", s.sessionId(), e);
        }
    }

    /** Called under the lock for a fresh session. */
    private void startKeepAlive(Shared s) {
        Duration interval = keepAliveInterval != null ? keepAliveInterval : keepAliveInterval(s.opened.session());
        long millis = interval.toMillis();
        s.keepAlive = scheduler.scheduleWithFixedDelay(() -> keepAlive(s), millis, millis, TimeUnit.MILLISECONDS);
        log.debug("keeping session {} alive every {}", s.sessionId(), interval);
    }

    /** A third of the time the session has left until it expires for idleness, but not under 100 ms. */
    static Duration keepAliveInterval(Session session) {
        if (!session.hasExpireTime() || !session.hasLastActivityTime()) {
            return FALLBACK_KEEP_ALIVE;
        }
        Duration left = Duration.ofSeconds(
                session.getExpireTime().getSeconds() - session.getLastActivityTime().getSeconds(),
                session.getExpireTime().getNanos() - session.getLastActivityTime().getNanos());
        Duration third = left.dividedBy(3);
        return third.compareTo(MIN_KEEP_ALIVE) < 0 ? MIN_KEEP_ALIVE : third;
    }

    private static boolean isGone(SessionException e) {
        // the call authenticates with the session's own token: UNAUTHENTICATED means that token is dead
        return e.code() == Status.Code.UNAUTHENTICATED;
    }

    private boolean isStale(Shared s) {
        return !Duration.between(s.confirmedAt, clock.instant()).minus(revalidateAfter).isNegative();
    }

    private void confirmed(Shared s) {
        Instant now = clock.instant();
        lock.lock();
        try {
            s.confirmedAt = now;
        } finally {
            lock.unlock();
        }
    }

    private void markLost(Shared s, String why) {
        lock.lock();
        try {
            if (s.lost || s.ended) {
                return;
            }
            s.lost = true;
            cancelKeepAlive(s);
            if (current == s) {
                current = null;
            }
        } finally {
            lock.unlock();
        }
        log.info("session {} was closed or expired on the server ({}); the next tryOpen() opens a new one",
                s.sessionId(), why);
    }

    private void stopKeepAlive(Shared s) {
        lock.lock();
        try {
            cancelKeepAlive(s);
        } finally {
            lock.unlock();
        }
    }

    /** A lease ends. */
    void release(Shared s) {
        Runnable end;
        lock.lock();
        try {
            s.leases--;
            end = endIfUnused(s);
        } finally {
            lock.unlock();
        }
        if (end != null) {
            end.run();
        }
    }

    /**
     * Called under the lock: ends {@code s} if nothing holds it any more.
     *
     * @return the server call that closes it, to run after unlocking; null when there is none
     */
    private Runnable endIfUnused(Shared s) {
        if (s.leases > 0 || s.ended) {
            return null;
        }
        s.ended = true;
        cancelKeepAlive(s);
        if (current == s) {
            current = null;
        }
        return s.lost ? null : () -> closeOnServer(s);
    }

    private static void cancelKeepAlive(Shared s) {
        if (s.keepAlive != null) {
            s.keepAlive.cancel(false);
            s.keepAlive = null;
        }
    }

    private void closeOnServer(Shared s) {
        try {
            s.asSession.closeSession();
            log.info("closed session {}", s.sessionId());
        } catch (SessionException e) {
            if (isGone(e)) {
                log.debug("session {} was closed already: {}", s.sessionId(), e.getMessage());
            } else {
                log.warn("could not close session {}; it expires when idle: {}", s.sessionId(), e.getMessage());
            }
        }
    }

    /**
     * Closes the session on the server if one is open (leases still held become no-ops) and
     * stops the keep-alive. Later {@link #tryOpen()} calls throw {@link IllegalStateException}.
     */
    @Override
    public void close() {
        Runnable end = null;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            Shared s = current;
            current = null;
            if (s != null && !s.ended) {
                s.ended = true;
                cancelKeepAlive(s);
                end = s.lost ? null : () -> closeOnServer(s);
            }
        } finally {
            lock.unlock();
        }
        if (end != null) {
            end.run();
        }
        scheduler.shutdownNow();
    }

    /** One opened session and who holds it. Fields other than the finals are guarded by the controller's lock. */
    static final class Shared {
        final OpenedSession opened;
        /** The controller's client authenticating as this session. */
        final SessiondClient asSession;
        int leases;
        boolean lost;
        boolean ended;
        Instant confirmedAt;
        ScheduledFuture<?> keepAlive;

        Shared(OpenedSession opened, SessiondClient asSession, Instant confirmedAt) {
            this.opened = opened;
            this.asSession = asSession;
            this.confirmedAt = confirmedAt;
        }

        String sessionId() {
            return opened.sessionId();
        }
    }

    /** An open or check in progress, and the callers waiting for it. Guarded by the controller's lock. */
    private static final class Flight {
        /** The session being checked; null when a new one is opened straight away. */
        final Shared target;
        final CompletableFuture<Shared> result = new CompletableFuture<>();
        int participants;

        Flight(Shared target) {
            this.target = target;
        }
    }

    /** Configures a {@link SessionController}. Not thread-safe. */
    public static final class Builder {
        private final SessiondClient client;
        private final SessionOpener opener;
        private Duration keepAliveInterval;
        private Duration revalidateAfter = DEFAULT_REVALIDATE_AFTER;
        private Clock clock = Clock.systemUTC();

        private Builder(SessiondClient client, SessionOpener opener) {
            this.client = requireNonNull(client, "client");
            this.opener = requireNonNull(opener, "opener");
        }

        /** How often the keep-alive runs; default: a third of the opened session's time to idle expiry. */
        public Builder keepAliveInterval(Duration interval) {
            this.keepAliveInterval = SessiondClientBuilder.checkPositive("keepAliveInterval", interval);
            return this;
        }

        /**
         * How long a {@code tryOpen()} trusts that the session is still open without asking the
         * server (default 5 s); {@link Duration#ZERO} asks every time.
         */
        public Builder revalidateAfter(Duration after) {
            requireNonNull(after, "revalidateAfter");
            if (after.isNegative()) {
                throw new IllegalArgumentException("revalidateAfter: " + after + " (expected: >= 0)");
            }
            this.revalidateAfter = after;
            return this;
        }

        /** The clock {@link #revalidateAfter} is measured with (for tests). */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        public SessionController build() {
            return new SessionController(this);
        }
    }
}
