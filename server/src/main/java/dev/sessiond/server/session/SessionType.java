package dev.sessiond.server.session;

/** Where a session's code runs. */
public enum SessionType {
    /** Opened by a client application with the user's credentials. */
    CLIENT,
    /** Opened by trusted server code, or nested in another session. */
    SERVER,
    /** Opened by a service account. */
    SERVICE
}
