package dev.sessiond.server.api;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.error.AccessDeniedException;
import dev.sessiond.server.error.AuthenticationException;
import dev.sessiond.server.session.SessionService;

/**
 * Authenticates callers by their bearer token (full validation, so a closed or expired session
 * loses its rights at once, and roles are read fresh from the store) and checks their role.
 * Thread-safe.
 */
final class Access {

    private final SessionService sessions;

    Access(SessionService sessions) {
        this.sessions = requireNonNull(sessions, "sessions");
    }

    /** Any open session. */
    Caller anySession() {
        CallInfo call = CallContextInterceptor.current();
        try {
            return new Caller(sessions.validate(call.bearerToken()), call);
        } catch (AuthenticationException e) {
            throw e.ofCaller();
        }
    }

    /** A session of an administrator. */
    Caller admin() {
        Caller caller = anySession();
        if (!caller.user().isAdmin()) {
            throw AccessDeniedException.missingRole("this call needs an administrator session");
        }
        return caller;
    }

    /** A session of a service account or an administrator. */
    Caller serviceOrAdmin() {
        Caller caller = anySession();
        if (!caller.user().isService() && !caller.user().isAdmin()) {
            throw AccessDeniedException.missingRole("this call needs a service account or administrator session");
        }
        return caller;
    }
}
