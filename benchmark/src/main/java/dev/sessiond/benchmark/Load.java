package dev.sessiond.benchmark;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The two kinds of pass, each a fixed time with an unmeasured warm-up first.
 *
 * <ul>
 *   <li><b>Maximum throughput</b> (closed loop): a fixed number of calls in flight; each
 *       completion starts the next call at once. Throughput counts the calls that completed
 *       inside the measured window with the expected outcome.
 *   <li><b>Paced</b> (open loop): calls start on a fixed schedule at a given rate, whatever the
 *       server does. Latency is measured from the moment a call was <em>due</em>, so a server
 *       that falls behind shows it in the percentiles (no coordinated omission).
 * </ul>
 */
final class Load {

    /** How long stragglers may take after a pass before it is reported without them. */
    private static final Duration DRAIN = Duration.ofMillis(Operation.DEADLINE_MILLIS + 5_000);
    /** Latency samples kept per pass and outcome (see {@link Samples}). */
    private static final int SAMPLES = 4_000_000;
    private static final int OTHER_SAMPLES = 200_000;

    private Load() {}

    /** The result of one pass of one operation. */
    record PassResult(
            String operation,
            String mode,
            int inFlight,
            double offeredRate,
            double seconds,
            long expected,
            double throughput,
            Samples.Latency latency,
            Map<String, Long> outcomes,
            Set<String> expectedOutcomes,
            Map<String, Samples.Latency> otherLatency,
            boolean drained,
            Samples.Latency sendLag) {

        PassResult {
            outcomes = Map.copyOf(outcomes);
            expectedOutcomes = Set.copyOf(expectedOutcomes);
            otherLatency = Map.copyOf(otherLatency);
        }

        long unexpected() {
            return unexpectedOutcomes().values().stream().mapToLong(Long::longValue).sum();
        }

        /** The outcomes other than the expected ones, sorted by key. */
        Map<String, Long> unexpectedOutcomes() {
            Map<String, Long> other = new TreeMap<>(outcomes);
            other.keySet().removeAll(expectedOutcomes);
            return other;
        }

        /** Unexpected outcomes as a fraction of all; 0 when nothing completed. */
        double unexpectedShare() {
            long all = outcomes.values().stream().mapToLong(Long::longValue).sum();
            return all == 0 ? 0 : (double) unexpected() / all;
        }
    }

    /** A maximum-throughput pass that is running; {@link #await()} waits for its end. */
    static final class Running {
        private final Operation op;
        private final int inFlight;
        private final Recorder recorder;
        private final CountDownLatch chains;
        private final double seconds;

        private Running(Operation op, int inFlight, Recorder recorder, CountDownLatch chains, double seconds) {
            this.op = op;
            this.inFlight = inFlight;
            this.recorder = recorder;
            this.chains = chains;
            this.seconds = seconds;
        }

        PassResult await() throws InterruptedException {
            long left = recorder.measureEnd - System.nanoTime() + DRAIN.toNanos();
            boolean drained = chains.await(Math.max(0, left), TimeUnit.NANOSECONDS);
            return recorder.result(op, "max", inFlight, Double.NaN, seconds, drained, null);
        }
    }

    /** Starts a maximum-throughput pass of {@code op} with {@code inFlight} calls in flight. */
    static Running maxThroughput(Operation op, int inFlight, Duration warmup, Duration measure) {
        long start = System.nanoTime();
        Recorder recorder = new Recorder(op, start + warmup.toNanos(), start + warmup.toNanos() + measure.toNanos());
        CountDownLatch chains = new CountDownLatch(inFlight);
        AtomicLong seq = new AtomicLong();
        for (int i = 0; i < inFlight; i++) {
            chain(op, recorder, chains, seq);
        }
        return new Running(op, inFlight, recorder, chains, measure.toNanos() / 1e9);
    }

    private static void chain(Operation op, Recorder recorder, CountDownLatch chains, AtomicLong seq) {
        long started = System.nanoTime();
        if (started - recorder.measureEnd >= 0) {
            chains.countDown();
            return;
        }
        op.invoke(seq.getAndIncrement(), outcome -> {
            long now = System.nanoTime();
            if (now - recorder.measureStart >= 0 && now - recorder.measureEnd < 0) {
                recorder.record(outcome, now - started);
            }
            chain(op, recorder, chains, seq);
        });
    }

    /**
     * A paced pass: {@code rate} calls per second on a fixed schedule, at most {@code maxInFlight}
     * outstanding (when that many are, the schedule waits, and the wait counts as latency).
     * Runs on the calling thread.
     */
    static PassResult paced(Operation op, double rate, Duration warmup, Duration measure, int maxInFlight)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureStart = start + warmup.toNanos();
        long end = measureStart + measure.toNanos();
        Recorder recorder = new Recorder(op, measureStart, end);
        // How late the driver itself handed each call to the transport, from when it was due: this part of a call's
        // latency is the load generator's (a late wake-up, its own collections, the cores it shares with the server).
        Samples sendLag = new Samples(SAMPLES);
        Semaphore permits = new Semaphore(maxInFlight);
        double interval = 1e9 / rate;
        for (long i = 0; ; i++) {
            long due = start + (long) (i * interval);
            if (due - end >= 0) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // a late wake-up sends the calls that fell due in a burst
            }
            if (!permits.tryAcquire(Math.max(0, end - System.nanoTime()) + DRAIN.toNanos(), TimeUnit.NANOSECONDS)) {
                break;
            }
            boolean measured = due - measureStart >= 0;
            op.invoke(i, outcome -> {
                if (measured) {
                    recorder.record(outcome, System.nanoTime() - due);
                }
                permits.release();
            });
            if (measured) {
                sendLag.add(System.nanoTime() - due);
            }
        }
        boolean drained = permits.tryAcquire(maxInFlight, DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        return recorder.result(op, "paced", maxInFlight, rate, measure.toNanos() / 1e9, drained,
                sendLag.latency());
    }

    /** Counts outcomes and keeps latencies, per outcome. Thread-safe. */
    private static final class Recorder {
        final long measureStart;
        final long measureEnd;
        private final Operation op;
        private final Samples expected = new Samples(SAMPLES);
        private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        private final Map<String, Samples> others = new ConcurrentHashMap<>();
        private final Set<String> expectedKeys = ConcurrentHashMap.newKeySet();

        Recorder(Operation op, long measureStart, long measureEnd) {
            this.op = op;
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
        }

        void record(Outcome outcome, long latencyNanos) {
            String key = outcome.key();
            counts.computeIfAbsent(key, k -> new LongAdder()).increment();
            if (op.expected(outcome)) {
                expectedKeys.add(key);
                expected.add(latencyNanos);
            } else {
                others.computeIfAbsent(key, k -> new Samples(OTHER_SAMPLES)).add(latencyNanos);
            }
        }

        PassResult result(Operation op, String mode, int inFlight, double offeredRate, double seconds, boolean drained,
                Samples.Latency sendLag) {
            Map<String, Long> outcomes = new TreeMap<>();
            counts.forEach((k, v) -> outcomes.put(k, v.sum()));
            Map<String, Samples.Latency> otherLatency = new TreeMap<>();
            others.forEach((k, v) -> otherLatency.put(k, v.latency()));
            long ok = expected.count();
            return new PassResult(op.name(), mode, inFlight, offeredRate, seconds, ok, ok / seconds, expected.latency(),
                    outcomes, expectedKeys, otherLatency, drained, sendLag);
        }
    }
}
