package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

/**
 * A session opened by Windows (Kerberos/SPNEGO) sign-in.
 *
 * @param opened the session and its token
 * @param spnegoResponse the mutual-authentication token for the client's security context
 */
public record WindowsOpenedSession(OpenedSession opened, byte[] spnegoResponse) {
    public WindowsOpenedSession {
        requireNonNull(opened, "opened");
        requireNonNull(spnegoResponse, "spnegoResponse");
    }

    @Override
    public String toString() {
        return "WindowsOpenedSession[" + opened + "]";
    }
}
