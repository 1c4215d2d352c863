package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

/**
 * How a {@link SessionController} opens its session: any RPC that opens one. The controller
 * calls it from one thread at a time; a {@link SessionException} (or any other exception) means
 * "could not open", which the controller logs and reports as an empty {@code tryOpen()}.
 */
@FunctionalInterface
public interface SessionOpener {

    /**
     * Opens a session.
     *
     * @param client the controller's client
     */
    OpenedSession open(SessiondClient client);

    /** Signs in with login and password ({@code SessionClientService.OpenSession}) for the client's application id. */
    static SessionOpener password(String login, String password) {
        requireNonNull(login, "login");
        requireNonNull(password, "password");
        return client -> OpenedSession.of(client.openSession(login, password));
    }

    /** Signs a directory domain user in with their domain password (OpenSession with {@code domain}). */
    static SessionOpener password(String login, String password, String domain) {
        requireNonNull(login, "login");
        requireNonNull(password, "password");
        requireNonNull(domain, "domain");
        return client -> OpenedSession.of(client.openSession(login, password, domain));
    }

    /** Signs in with Kerberos ({@link SessiondClient#openSessionWithKerberos}), with a fresh token each time. */
    static SessionOpener kerberos(KerberosLogin login) {
        requireNonNull(login, "login");
        return client -> OpenedSession.of(client.openSessionWithKerberos(login));
    }
}
