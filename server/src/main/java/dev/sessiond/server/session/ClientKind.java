package dev.sessiond.server.session;

/** What kind of client application opened a session. */
public enum ClientKind {
    DESKTOP,
    WEB,
    OTHER
}
