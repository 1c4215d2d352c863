package dev.sessiond.server.license;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * The licence and session limits (SPEC §4).
 *
 * @param concurrentLicenses the size of the concurrent seat pool; empty = unlimited
 * @param reclaimIdle an active concurrent session idle for longer than this may be named for
 *     deactivation to free a seat for someone else; empty = only the user's own sessions
 * @param maxSessionsPerUser the most open sessions one user may have; empty = unlimited
 * @param limitPolicy what opening one session too many does
 */
public record LicensePolicy(
        Optional<Integer> concurrentLicenses,
        Optional<Duration> reclaimIdle,
        Optional<Integer> maxSessionsPerUser,
        SessionLimitPolicy limitPolicy) {

    /** What opening a session beyond {@code maxSessionsPerUser} does. */
    public enum SessionLimitPolicy {
        /** Refuse the new session with LICENSE_LIMIT_REACHED. */
        DENY_NEW,
        /** Close the user's oldest session to make room. */
        CLOSE_OLDEST
    }

    public static final LicensePolicy UNLIMITED =
            new LicensePolicy(Optional.empty(), Optional.empty(), Optional.empty(), SessionLimitPolicy.DENY_NEW);

    public LicensePolicy {
        requireNonNull(concurrentLicenses, "concurrentLicenses");
        requireNonNull(reclaimIdle, "reclaimIdle");
        requireNonNull(maxSessionsPerUser, "maxSessionsPerUser");
        requireNonNull(limitPolicy, "limitPolicy");
    }
}
