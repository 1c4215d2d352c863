package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import dev.sessiond.proto.v1.AddSessionResponse;
import dev.sessiond.proto.v1.CreateNestedSessionTokenResponse;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.OpenSessionWindowsAuthResponse;
import dev.sessiond.proto.v1.Session;
import dev.sessiond.proto.v1.SessionServerServiceOpenSessionResponse;

/**
 * A session just opened: its token and the session as the server stored it. Whichever RPC
 * opened it. {@link #toString()} leaves the token out.
 *
 * @param token the bearer token of the session
 * @param session the session
 */
public record OpenedSession(String token, Session session) {

    public OpenedSession {
        requireNonNull(token, "token");
        requireNonNull(session, "session");
        if (token.isEmpty()) {
            throw new IllegalArgumentException("token: empty (expected: the token of an open-session response)");
        }
    }

    public static OpenedSession of(OpenSessionResponse response) {
        return new OpenedSession(response.getToken(), response.getSession());
    }

    public static OpenedSession of(OpenSessionWindowsAuthResponse response) {
        return new OpenedSession(response.getToken(), response.getSession());
    }

    public static OpenedSession of(SessionServerServiceOpenSessionResponse response) {
        return new OpenedSession(response.getToken(), response.getSession());
    }

    public static OpenedSession of(AddSessionResponse response) {
        return new OpenedSession(response.getToken(), response.getSession());
    }

    public static OpenedSession of(CreateNestedSessionTokenResponse response) {
        return new OpenedSession(response.getToken(), response.getSession());
    }

    /** The session's id. */
    public String sessionId() {
        return session.getId();
    }

    @Override
    public String toString() {
        return "OpenedSession[sessionId=" + session.getId() + ", user=" + session.getUser().getLogin() + "]";
    }
}
