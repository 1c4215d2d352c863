package dev.sessiond.server.audit;

/** The kinds of audit events (SPEC §7). */
public enum EventKind {
    OPENED,
    LOGIN_FAILED,
    CLOSED,
    CLOSED_BY_ADMIN,
    CLOSED_WITH_PARENT,
    EXPIRED,
    DEACTIVATED,
    ACTIVATED,
    USER_SESSIONS_DELETED,
    USER_CHANGED,
    CONFIGURATION_VERSION_INCREMENTED
}
