package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.audit.Actor;
import java.util.Optional;
import java.util.UUID;

/**
 * How to open a session for an already authenticated user.
 *
 * @param id the session id to use; empty = a new random one
 * @param applicationId the application the session is for
 * @param type the session type; empty = SERVICE for service accounts, else {@code defaultType}
 * @param client the client the session is opened for
 * @param parentId the parent session of a nested session
 * @param authSource how the user authenticated, for the audit trail ({@code local}, {@code trusted})
 * @param actor who opens it, for the audit trail
 */
public record OpenSpec(
        Optional<UUID> id,
        String applicationId,
        Optional<SessionType> type,
        ClientContext client,
        Optional<UUID> parentId,
        String authSource,
        Actor actor) {

    public OpenSpec {
        requireNonNull(id, "id");
        requireNonNull(applicationId, "applicationId");
        requireNonNull(type, "type");
        requireNonNull(client, "client");
        requireNonNull(parentId, "parentId");
        requireNonNull(authSource, "authSource");
        requireNonNull(actor, "actor");
    }
}
