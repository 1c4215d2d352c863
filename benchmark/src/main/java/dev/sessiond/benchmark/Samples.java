package dev.sessiond.benchmark;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Latencies of one pass, kept exactly (not bucketed) so that p99 is the real p99: a pass of
 * 10 s at 40,000 calls/s is 400,000 longs. Beyond the capacity further samples are counted
 * but not kept, which {@link #dropped()} reports. Adding is thread-safe; read the
 * percentiles once the pass is over.
 */
final class Samples {

    private final long[] nanos;
    private final AtomicInteger next = new AtomicInteger();

    Samples(int capacity) {
        this.nanos = new long[capacity];
    }

    void add(long latencyNanos) {
        int i = next.getAndIncrement();
        if (i < nanos.length) {
            nanos[i] = latencyNanos;
        }
    }

    int count() {
        return next.get();
    }

    int dropped() {
        return Math.max(0, next.get() - nanos.length);
    }

    /** The latency distribution of what was added so far, in milliseconds. */
    Latency latency() {
        long[] sorted = Arrays.copyOf(nanos, Math.min(next.get(), nanos.length));
        Arrays.sort(sorted);
        return new Latency(sorted.length, millis(sorted, 0.50), millis(sorted, 0.90), millis(sorted, 0.99),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
    }

    /** Nearest-rank percentile. */
    private static double millis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /** Percentiles in milliseconds; NaN when there were no samples. */
    record Latency(int count, double p50, double p90, double p99, double max) {}
}
