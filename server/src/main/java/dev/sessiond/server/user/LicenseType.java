package dev.sessiond.server.user;

/** The licence a user's sessions take (SPEC §4). */
public enum LicenseType {
    /** A named seat, never counted against the concurrent pool. */
    PERSONAL,
    /** A seat from the shared pool while the session is active. */
    CONCURRENT
}
