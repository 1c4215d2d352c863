package dev.sessiond.server.api;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.audit.Actor;
import dev.sessiond.server.session.Session;
import dev.sessiond.server.user.User;
import java.util.Optional;

/** The authenticated caller of an RPC: the session behind its bearer token. */
record Caller(Session session, CallInfo call) {

    Caller {
        requireNonNull(session, "session");
        requireNonNull(call, "call");
    }

    User user() {
        return session.user();
    }

    /** The caller as recorded in audit events. */
    Actor actor() {
        return new Actor(Optional.of(user().id()), user().login(),
                call.clientHost().map(String::strip).orElse(session.client().clientHost()), call.peerAddress());
    }
}
