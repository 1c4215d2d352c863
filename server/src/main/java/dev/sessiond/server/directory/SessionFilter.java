package dev.sessiond.server.directory;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.user.UserService;
import java.util.Locale;
import java.util.Optional;

/**
 * Which sessions a directory call is about. Both parts are matched without regard to case;
 * an empty part matches any session.
 *
 * @param clientHost the client machine's name, as the client reported it; empty = any host
 * @param userName the login of the session's user; empty = any user
 */
public record SessionFilter(String clientHost, String userName) {

    public static final SessionFilter ANY = new SessionFilter("", "");

    public SessionFilter {
        requireNonNull(clientHost, "clientHost");
        requireNonNull(userName, "userName");
    }

    /** Whether the filter matches every session. */
    public boolean isEmpty() {
        return clientHost.isEmpty() && userName.isEmpty();
    }

    /** The host as stored in {@code sessions.client_host_key}. */
    Optional<String> hostKey() {
        return clientHost.isEmpty() ? Optional.empty() : Optional.of(clientHost.toLowerCase(Locale.ROOT));
    }

    /** The user name as stored in {@code users.login_key}. */
    Optional<String> userKey() {
        return userName.isEmpty() ? Optional.empty() : Optional.of(UserService.loginKey(userName));
    }
}
