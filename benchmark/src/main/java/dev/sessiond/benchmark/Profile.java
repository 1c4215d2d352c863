package dev.sessiond.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JFR recording of the server says about where its CPU went: samples by thread pool, by
 * component (the first frame from the top that belongs to a known library), by top frame (self
 * time), and by sessiond method on the stack (inclusive time).
 *
 * <p>The samples are CPU-time samples ({@code jdk.CPUTimeSample}, Java 25 on Linux) when the
 * recording has them. The older execution samples ({@code jdk.ExecutionSample}) are the fallback.
 * They see only threads running Java code when sampled, which misses much of the CPU of threads
 * that often enter the JVM or the kernel: in one open+close profile, 181 execution samples
 * against 734 CPU-time samples over the same seconds.
 *
 * @param samples the samples counted
 * @param sampleKind what they are, for the report: "CPU-time samples" or "execution samples"
 */
record Profile(String pass, Path file, int samples, String sampleKind, List<Share> threads, List<Share> components, List<Share> selfFrames,
        List<Share> sessiondFrames, List<Share> waits) {

    /** One line of a table: a name and its share of the samples (for waits: milliseconds and share of all waiting). */
    record Share(String name, long samples, double percent) {}

    /**
     * Where the threads that run calls blocked rather than ran: JFR records these when they last
     * longer than its threshold (10-20 ms), so short waits are not in them.
     */
    private static final List<String> WAIT_EVENTS = List.of("jdk.ThreadPark", "jdk.JavaMonitorEnter",
            "jdk.JavaMonitorWait", "jdk.SocketRead", "jdk.ThreadSleep");

    private static final int TOP = 20;

    /** Class-name prefixes, in the order they are tried against each frame from the top of the stack. */
    private static final Map<String, String> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("org.h2.", "H2 (embedded database)");
        COMPONENTS.put("org.postgresql.", "PostgreSQL JDBC driver");
        COMPONENTS.put("com.zaxxer.hikari.", "HikariCP (pool)");
        COMPONENTS.put("org.jdbi.", "Jdbi");
        COMPONENTS.put("org.bouncycastle.", "Bouncy Castle (Argon2)");
        COMPONENTS.put("com.sun.crypto.", "JDK crypto (HMAC, SHA-256)");
        COMPONENTS.put("sun.security.", "JDK crypto (HMAC, SHA-256)");
        COMPONENTS.put("javax.crypto.", "JDK crypto (HMAC, SHA-256)");
        COMPONENTS.put("ch.qos.logback.", "logging");
        COMPONENTS.put("org.slf4j.", "logging");
        COMPONENTS.put("com.google.protobuf.", "protobuf");
        COMPONENTS.put("io.grpc.netty.", "gRPC Netty transport");
        COMPONENTS.put("io.grpc.", "gRPC core");
        COMPONENTS.put("io.netty.", "Netty");
        COMPONENTS.put("dev.sessiond.", "sessiond");
        COMPONENTS.put("sun.nio.", "JDK I/O (sockets, epoll)");
        COMPONENTS.put("java.net.", "JDK I/O (sockets, epoll)");
    }

    static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";
    private static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";

    static Profile read(String pass, Path file) throws IOException {
        Tally cpuTime = new Tally();
        Tally execution = new Tally();
        Map<String, Long> waits = new HashMap<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                if (WAIT_EVENTS.contains(type)) {
                    String waiter = servesCalls(event.getThread()) ? waiter(event.getStackTrace()) : null;
                    if (waiter != null) {
                        waits.merge(type.substring(4) + " in " + waiter, event.getDuration().toMillis(), Long::sum);
                    }
                } else if (type.equals(CPU_TIME_SAMPLE)) {
                    cpuTime.add(event.getStackTrace(), event.getThread());
                } else if (type.equals(EXECUTION_SAMPLE)) {
                    execution.add(event.getStackTrace(), event.getThread("sampledThread"));
                }
            }
        }
        boolean cpu = cpuTime.samples > 0;
        Tally t = cpu ? cpuTime : execution;
        long waited = waits.values().stream().mapToLong(Long::longValue).sum();
        return new Profile(pass, file, t.samples, cpu ? "CPU-time samples" : "execution samples",
                top(t.threads, t.samples), top(t.components, t.samples), top(t.self, t.samples),
                top(t.sessiond, t.samples), top(waits, waited));
    }

    /** Samples of one kind, counted four ways. */
    private static final class Tally {
        final Map<String, Long> threads = new HashMap<>();
        final Map<String, Long> components = new HashMap<>();
        final Map<String, Long> self = new HashMap<>();
        final Map<String, Long> sessiond = new HashMap<>();
        int samples;

        void add(RecordedStackTrace stack, RecordedThread thread) {
            if (stack == null || stack.getFrames().isEmpty()) {
                return;
            }
            samples++;
            threads.merge(thread == null || thread.getJavaName() == null ? "?" : pool(thread.getJavaName()), 1L, Long::sum);
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0).getMethod()), 1L, Long::sum);
            components.merge(component(frames), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String method = name(frame.getMethod());
                if (method.startsWith("dev.sessiond.") && seen.add(method)) {
                    sessiond.merge(method, 1L, Long::sum);
                }
            }
        }
    }

    /**
     * Whether the thread runs calls (gRPC's event loops, sessiond's call threads): background
     * threads that wait for work by design (H2's writer, timers) are not a cost of the calls.
     */
    private static boolean servesCalls(RecordedThread thread) {
        return thread != null && thread.getJavaName() != null
                && (thread.getJavaName().startsWith("grpc-") || thread.getJavaName().startsWith("sessiond-call-"));
    }

    /**
     * The first frame that is not the JDK's locking or thread machinery: who waited. Null when
     * there is none: an idle pool thread waiting for work, which is not a cost.
     */
    private static String waiter(RecordedStackTrace stack) {
        if (stack == null) {
            return null;
        }
        for (RecordedFrame frame : stack.getFrames()) {
            String method = name(frame.getMethod());
            if (!method.startsWith("java.util.concurrent.") && !method.startsWith("jdk.internal.")
                    && !method.startsWith("java.lang.Thread.") && !method.startsWith("java.lang.Object.")
                    && !method.startsWith("sun.nio.") && !method.startsWith("java.net.")) {
                return method;
            }
        }
        return null;
    }

    /** {@code sessiond-call-12} and {@code sessiond-call-3} are one pool. */
    static String pool(String threadName) {
        return threadName.replaceAll("([-#]\\d+)+$", "");
    }

    private static String component(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod() == null ? "" : frame.getMethod().getType().getName();
            for (var entry : COMPONENTS.entrySet()) {
                if (type.startsWith(entry.getKey())) {
                    return entry.getValue();
                }
            }
        }
        return "JDK (other)";
    }

    private static String name(RecordedMethod method) {
        return method == null ? "?" : method.getType().getName() + "." + method.getName();
    }

    private static List<Share> top(Map<String, Long> counts, long total) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP)
                .map(e -> new Share(e.getKey(), e.getValue(), total == 0 ? 0 : 100.0 * e.getValue() / total))
                .toList();
    }
}
