package dev.sessiond.server.audit;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.UUID;

/**
 * Who caused a change and from where, as recorded in the audit trail.
 *
 * @param userId the acting user; empty for the server itself or an anonymous caller
 * @param login the acting user's login; empty when {@code userId} is
 * @param clientHost the client machine's name the call reported
 * @param clientAddress the call's peer IP address
 */
public record Actor(Optional<UUID> userId, String login, String clientHost, String clientAddress) {

    public static final Actor SERVER = new Actor(Optional.empty(), "", "", "");

    public Actor {
        requireNonNull(userId, "userId");
        requireNonNull(login, "login");
        requireNonNull(clientHost, "clientHost");
        requireNonNull(clientAddress, "clientAddress");
    }

    /** An anonymous caller (before login) at the given client. */
    public static Actor anonymous(String clientHost, String clientAddress) {
        return new Actor(Optional.empty(), "", clientHost, clientAddress);
    }
}
