package dev.sessiond.server.license;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Which stored sessions still count as live when seats are counted: those whose lifetime has
 * not ended and whose stored last activity is after the cutoff of their client kind. The
 * cutoffs lie a safety margin before the idle timeouts, because stored activity may lag the
 * true activity (coalesced writes): a session is only ever treated as gone once it surely is,
 * so the pool is never overbooked.
 */
public record SeatWindow(Instant now, Instant idleCutoff, Instant desktopIdleCutoff) {
    public SeatWindow {
        requireNonNull(now, "now");
        requireNonNull(idleCutoff, "idleCutoff");
        requireNonNull(desktopIdleCutoff, "desktopIdleCutoff");
    }
}
