package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

    private static final Logger log = LoggerFactory.getLogger(SessionController.class);

    private final SessiondClient client;
    private final SessionOpener opener;
    private final Duration keepAliveInterval;
    private final Duration revalidateAfter;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor scheduler;

    private final ReentrantLock lock = new ReentrantLock();
    /** The session new leases join; null when none is open. Guarded by {@link #lock}. */
    private SharedSession current;
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
        SharedSession shared = joined.result.join(); // never fails: fly() completes it with null on failure
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
        SharedSession target = f.target;
        boolean alive = target != null && confirm(target);
        SharedSession opened = alive ? null : open();
        SharedSession result;
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

    private SharedSession open() {
        try {
            OpenedSession opened = requireNonNull(opener.open(client), "the SessionOpener returned null");
            log.info("opened session {} of user '{}'", opened.sessionId(), opened.session().getUser().getLogin());
            return new SharedSession(opened, client.withToken(opened.token()), clock.instant());
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
    private boolean confirm(SharedSession s) {
        SharedSession.Touch touch;
        try {
            touch = s.touch();
        } catch (RuntimeException e) {
            touch = new SharedSession.Touch(SharedSession.Answer.NO_ANSWER, e.toString());
        }
        if (touch.answer() == SharedSession.Answer.GONE) {
            markLost(s, touch.detail());
            return false;
        }
        if (touch.answer() != SharedSession.Answer.OPEN) {
            log.debug("could not check session {}; keeping it: {}", s.sessionId(), touch.detail());
        }
        confirmed(s);
        return true;
    }

    private void keepAlive(SharedSession s) {
        SharedSession.Touch touch;
        try {
            touch = s.touch();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again; keep trying instead
            log.warn("keep-alive of session {} failed, trying again later", s.sessionId(), e);
            return;
        }
        switch (touch.answer()) {
            case OPEN -> confirmed(s);
            case GONE -> markLost(s, touch.detail());
            case NOT_ALLOWED -> {
                log.warn("stopping the keep-alive of session {}: its user may not call UpdateLastActivity ({}); "
                        + "it now expires when it is idle for too long", s.sessionId(), touch.detail());
                stopKeepAlive(s);
            }
            case NO_ANSWER -> log.warn("keep-alive of session {} failed, trying again later: {}",
                    s.sessionId(), touch.detail());
        }
    }

    /** Called under the lock for a fresh session. */
    private void startKeepAlive(SharedSession s) {
        Duration interval = keepAliveInterval != null ? keepAliveInterval
                : SharedSession.keepAliveInterval(s.opened.session());
        long millis = interval.toMillis();
        s.keepAlive = scheduler.scheduleWithFixedDelay(() -> keepAlive(s), millis, millis, TimeUnit.MILLISECONDS);
        log.debug("keeping session {} alive every {}", s.sessionId(), interval);
    }

    private boolean isStale(SharedSession s) {
        return !Duration.between(s.confirmedAt, clock.instant()).minus(revalidateAfter).isNegative();
    }

    private void confirmed(SharedSession s) {
        Instant now = clock.instant();
        lock.lock();
        try {
            s.confirmedAt = now;
        } finally {
            lock.unlock();
        }
    }

    private void markLost(SharedSession s, String why) {
        lock.lock();
        try {
            if (s.lost || s.ended) {
                return;
            }
            s.lost = true;
            s.cancelKeepAlive();
            if (current == s) {
                current = null;
            }
        } finally {
            lock.unlock();
        }
        log.info("session {} was closed or expired on the server ({}); the next tryOpen() opens a new one",
                s.sessionId(), why);
    }

    private void stopKeepAlive(SharedSession s) {
        lock.lock();
        try {
            s.cancelKeepAlive();
        } finally {
            lock.unlock();
        }
    }

    /** A lease ends. */
    void release(SharedSession s) {
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
    private Runnable endIfUnused(SharedSession s) {
        if (s.leases > 0 || s.ended) {
            return null;
        }
        s.ended = true;
        s.cancelKeepAlive();
        if (current == s) {
            current = null;
        }
        return s.lost ? null : s::closeOnServer;
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
            SharedSession s = current;
            current = null;
            if (s != null && !s.ended) {
                s.ended = true;
                s.cancelKeepAlive();
                end = s.lost ? null : s::closeOnServer;
            }
        } finally {
            lock.unlock();
        }
        if (end != null) {
            end.run();
        }
        scheduler.shutdownNow();
    }

    /** An open or check in progress, and the callers waiting for it. Guarded by the controller's lock. */
    private static final class Flight {
        /** The session being checked; null when a new one is opened straight away. */
        final SharedSession target;
        final CompletableFuture<SharedSession> result = new CompletableFuture<>();
        int participants;

        Flight(SharedSession target) {
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
