package dev.sessiond.server.auth;

import java.time.Duration;

/**
 * Login throttling (SPEC §6): after {@code maxFailures} failed logins in a row for one login,
 * that login is refused for {@code lockout}.
 */
public record ThrottlePolicy(int maxFailures, Duration lockout) {
    public ThrottlePolicy {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures: " + maxFailures + " (expected: >= 1)");
        }
        if (lockout.isNegative() || lockout.isZero()) {
            throw new IllegalArgumentException("lockout: " + lockout + " (expected: > 0)");
        }
    }
}
