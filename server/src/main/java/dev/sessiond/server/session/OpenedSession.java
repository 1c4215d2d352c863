package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

/** A session just created, with the token that proves it (shown to the caller once). */
public record OpenedSession(String token, Session session) {
    public OpenedSession {
        requireNonNull(token, "token");
        requireNonNull(session, "session");
    }

    @Override
    public String toString() {
        return "OpenedSession[session=" + session.id() + "]";
    }
}
