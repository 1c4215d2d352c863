package dev.sessiond.server.session;

import java.time.Duration;

/**
 * How the expired-session reaper runs.
 *
 * @param interval the pause between two runs
 * @param batchSize how many sessions one transaction deletes; small batches keep each
 *     transaction short, so validation is never held up behind the reaper
 */
public record ReaperSettings(Duration interval, int batchSize) {
    public ReaperSettings {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: >= 1)");
        }
    }
}
