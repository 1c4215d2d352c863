package dev.sessiond.server.session;

import dev.sessiond.server.error.Reason;

/**
 * Hears what the audit trail does not record: refused opens, removals without an event, and
 * the reaper's runs. (Committed opens, failed logins and closes are heard from the audit log
 * instead, after they commit.) Implementations are thread-safe and never throw.
 */
public interface SessionRecorder {

    /** Records nothing. */
    SessionRecorder NONE = new SessionRecorder() {};

    /** An attempt to open a session was refused for {@code reason}. */
    default void openRefused(Reason reason) {}

    /** A login was refused because it is throttled (or the server is too busy to check it). */
    default void loginThrottled() {}

    /** Sessions were deleted without an audit event (RemoveSession). */
    default void removed(int sessions) {}

    /** The reaper finished a run: {@code deleted} sessions, or failed ({@code ok} false). */
    default void reaperRun(boolean ok, int deleted) {}
}
