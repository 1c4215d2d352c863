package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import dev.sessiond.proto.v1.Session;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session a {@link SessionController} opened, and the server calls about it, all made with
 * the session's own token. The mutable fields are the controller's bookkeeping and guarded by
 * its lock; the calls take no lock.
 */
final class SharedSession {

    static final Duration MIN_KEEP_ALIVE = Duration.ofMillis(100);
    static final Duration FALLBACK_KEEP_ALIVE = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(SharedSession.class);

    /** What the server said when asked to record activity. */
    enum Answer {
        /** Open; activity recorded. */
        OPEN,
        /** Closed or expired: its token no longer works. */
        GONE,
        /** The session's user may not call UpdateLastActivity (neither service account nor administrator). */
        NOT_ALLOWED,
        /** No answer (unreachable, deadline, store down): try again later. */
        NO_ANSWER
    }

    /** An answer and the server's words for it. */
    record Touch(Answer answer, String detail) {}

    final OpenedSession opened;
    /** The controller's client authenticating as this session. */
    final SessiondClient asSession;

    int leases;
    boolean lost;
    boolean ended;
    Instant confirmedAt;
    ScheduledFuture<?> keepAlive;

    SharedSession(OpenedSession opened, SessiondClient asSession, Instant confirmedAt) {
        this.opened = requireNonNull(opened, "opened");
        this.asSession = requireNonNull(asSession, "asSession");
        this.confirmedAt = requireNonNull(confirmedAt, "confirmedAt");
    }

    String sessionId() {
        return opened.sessionId();
    }

    /** Records activity on the server ({@code UpdateLastActivity}), which also tells whether the session is open. */
    Touch touch() {
        try {
            return asSession.server().updateLastActivity(sessionId())
                    ? new Touch(Answer.OPEN, "")
                    : new Touch(Answer.GONE, "the server says it is not open");
        } catch (SessionException e) {
            // the call authenticates with this session's token: UNAUTHENTICATED means that token is dead
            Answer answer = switch (e.code()) {
                case UNAUTHENTICATED -> Answer.GONE;
                case PERMISSION_DENIED -> Answer.NOT_ALLOWED;
                default -> Answer.NO_ANSWER;
            };
            return new Touch(answer, e.getMessage());
        }
    }

    /** Closes the session on the server; failures are logged, since an unclosed session still expires. */
    void closeOnServer() {
        try {
            asSession.closeSession();
            log.info("closed session {}", sessionId());
        } catch (SessionException e) {
            if (e.code() == Status.Code.UNAUTHENTICATED) {
                log.debug("session {} was closed already: {}", sessionId(), e.getMessage());
            } else {
                log.warn("could not close session {}; it expires when idle: {}", sessionId(), e.getMessage());
            }
        }
    }

    /** Called under the controller's lock. */
    void cancelKeepAlive() {
        if (keepAlive != null) {
            keepAlive.cancel(false);
            keepAlive = null;
        }
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
}
