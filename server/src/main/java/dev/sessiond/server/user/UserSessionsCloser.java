package dev.sessiond.server.user;

import dev.sessiond.server.audit.Actor;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Closes all sessions of a user inside the caller's transaction, with audit events. The
 * session capability provides it; users need it when a password changes, a user is blocked
 * or deleted.
 */
public interface UserSessionsCloser {

    /** @return how many of the user's sessions were closed */
    int closeAll(Handle handle, UUID userId, Actor actor, String why);

    /**
     * The user's account changed (roles, name, licence type, blocked) in {@code handle}'s
     * transaction: no server may remember the old account once it commits.
     */
    void userChanged(Handle handle, UUID userId);
}
