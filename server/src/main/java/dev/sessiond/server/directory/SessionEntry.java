package dev.sessiond.server.directory;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.session.ClientKind;
import java.time.Duration;
import java.util.UUID;

/**
 * A session as the directory reports it, read at one instant.
 *
 * @param id the session's id
 * @param clientHost the client machine's name as the client reported it
 * @param userName the login of the session's user, as stored
 * @param openCount the open sessions nested directly in this one; 0 when the level does not ask for it
 * @param active how long ago the session was opened
 * @param idle how long ago the session was last used
 * @param userIsAdmin whether the session's user is an administrator
 * @param isActive whether the session holds its licence seat
 * @param applicationId the application that opened the session
 * @param clientKind the kind of that application
 * @param transport {@code grpc} or {@code grpc+tls}
 * @param clientAddress the peer IP address of the opening call
 */
public record SessionEntry(
        UUID id,
        String clientHost,
        String userName,
        int openCount,
        Duration active,
        Duration idle,
        boolean userIsAdmin,
        boolean isActive,
        String applicationId,
        ClientKind clientKind,
        String transport,
        String clientAddress) {

    /** The transport of TLS connections; everything else is plaintext. */
    public static final String TLS_TRANSPORT = "grpc+tls";

    public SessionEntry {
        requireNonNull(id, "id");
        requireNonNull(clientHost, "clientHost");
        requireNonNull(userName, "userName");
        requireNonNull(active, "active");
        requireNonNull(idle, "idle");
        requireNonNull(applicationId, "applicationId");
        requireNonNull(clientKind, "clientKind");
        requireNonNull(transport, "transport");
        requireNonNull(clientAddress, "clientAddress");
        if (openCount < 0) {
            throw new IllegalArgumentException("openCount: " + openCount + " (expected: >= 0)");
        }
    }

    public boolean isPlaintext() {
        return !TLS_TRANSPORT.equals(transport);
    }
}
