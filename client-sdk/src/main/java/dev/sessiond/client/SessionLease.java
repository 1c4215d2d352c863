package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import dev.sessiond.proto.v1.Session;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One holder's share of a {@link SessionController}'s session. Closing it gives the share back;
 * the last share closes the session on the server. {@link #close()} is idempotent. The token
 * stays out of {@link #toString()}. Thread-safe.
 */
public final class SessionLease implements AutoCloseable {

    private final SessionController controller;
    private final SharedSession shared;
    private final AtomicBoolean closed = new AtomicBoolean();

    SessionLease(SessionController controller, SharedSession shared) {
        this.controller = requireNonNull(controller, "controller");
        this.shared = requireNonNull(shared, "shared");
    }

    /** The session's bearer token. */
    public String token() {
        return shared.opened.token();
    }

    /** The session as it was opened. */
    public Session session() {
        return shared.opened.session();
    }

    public String sessionId() {
        return shared.sessionId();
    }

    /** The controller's client, authenticating as this session. */
    public SessiondClient client() {
        return shared.asSession;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            controller.release(shared);
        }
    }

    @Override
    public String toString() {
        return "SessionLease[sessionId=" + sessionId() + (closed.get() ? ", closed" : "") + "]";
    }
}
