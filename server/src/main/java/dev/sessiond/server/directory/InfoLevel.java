package dev.sessiond.server.directory;

/**
 * How much a directory call reports about each session, like the SESSION_INFO_* levels of
 * NetSessionEnum (SPEC §5). The service reads only what the level needs; which fields a level
 * shows is decided where entries become messages.
 */
public enum InfoLevel {
    /** The client host. */
    LEVEL_0,
    /** Host, user, open nested sessions, active and idle time, flags. */
    LEVEL_1,
    /** Level 1 plus the client application. */
    LEVEL_2,
    /** Host, user, active and idle time. */
    LEVEL_10,
    /** Level 2 plus transport and client address. */
    LEVEL_502;

    /** Whether the level reports the number of open nested sessions, which costs a count per session. */
    boolean countsNestedSessions() {
        return this == LEVEL_1 || this == LEVEL_2 || this == LEVEL_502;
    }
}
