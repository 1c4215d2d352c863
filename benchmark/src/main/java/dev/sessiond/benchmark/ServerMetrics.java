package dev.sessiond.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server's own {@code /metrics} says: the calls it ended, per method and status code,
 * the bytes its JVM allocated, the password hashes it ran and the sessions it read from the
 * store. Stateless.
 */
final class ServerMetrics {

    private static final String CALLS = "grpc_server_processing_duration_seconds_count{";
    /** Micrometer's JvmGcMetrics: the young generation's growth, added at each collection. */
    private static final String ALLOCATED = "jvm_gc_memory_allocated_bytes_total";
    /** sessiond's password hashes: how many ran, and their time together. */
    private static final String HASHES = "sessiond_password_hash_duration_seconds_count ";
    private static final String HASH_SECONDS = "sessiond_password_hash_duration_seconds_sum ";
    /** sessiond's session reads that went to the store (the session cache missed). */
    private static final String STORE_READS = "sessiond_session_cache_reads_total{result=\"miss\"} ";
    /** sessiond's re-reads of cached sessions in use (and the configuration version) ahead of their expiry. */
    private static final String RE_READS = "sessiond_session_cache_refreshes_total ";
    private static final Pattern STATUS_CODE = Pattern.compile("status_code=\"([A-Z_]+)\"");

    private ServerMetrics() {}

    /**
     * The server's calls, allocation, password hashes, and session reads from the store for calls
     * and ahead of expiry, at one moment; the reads are -1 from a server that does not count them.
     */
    record Sample(long calls, double allocatedBytes, long hashes, double hashSeconds, long storeReads, long reReads) {
        static Sample of(String scrape) {
            long calls = 0;
            double allocated = 0;
            long hashes = 0;
            double hashSeconds = 0;
            long storeReads = -1;
            long reReads = -1;
            for (String line : scrape.split("\n")) {
                if (line.startsWith(CALLS)) {
                    calls += (long) value(line);
                } else if (line.startsWith(ALLOCATED)) {
                    allocated += value(line);
                } else if (line.startsWith(HASHES)) {
                    hashes = (long) value(line);
                } else if (line.startsWith(HASH_SECONDS)) {
                    hashSeconds = value(line);
                } else if (line.startsWith(STORE_READS)) {
                    storeReads = (long) value(line);
                } else if (line.startsWith(RE_READS)) {
                    reReads = (long) value(line);
                }
            }
            return new Sample(calls, allocated, hashes, hashSeconds, storeReads, reReads);
        }
    }

    /**
     * Bytes the server allocated per call it ended between two samples; NaN without calls. The
     * allocation counter moves at each young collection, so each end is off by up to one young
     * generation (tens of MiB): over a pass of hundreds of thousands of calls, a few per cent.
     */
    static double bytesPerCall(Sample before, Sample after) {
        long calls = after.calls() - before.calls();
        return calls > 0 ? (after.allocatedBytes() - before.allocatedBytes()) / calls : Double.NaN;
    }

    /**
     * How long the server's password hashes took on average between two samples, in
     * milliseconds, each from its start on a hashing thread to its end; NaN without hashes.
     */
    static double hashMillis(Sample before, Sample after) {
        long hashes = after.hashes() - before.hashes();
        return hashes > 0 ? (after.hashSeconds() - before.hashSeconds()) * 1e3 / hashes : Double.NaN;
    }

    /** The sessions read from the store between two samples; empty when the server does not count them. */
    static Optional<Results.StoreReads> storeReads(Sample before, Sample after) {
        if (before.storeReads() < 0 || after.storeReads() < 0) {
            return Optional.empty();
        }
        return Optional.of(new Results.StoreReads(after.storeReads() - before.storeReads(),
                after.reReads() - before.reReads()));
    }

    /** The text of {@code /metrics} on the loopback {@code port}. */
    static String scrape(int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("/metrics answered " + response.statusCode());
        }
        return response.body();
    }

    /** The server's count of ended calls of {@code fullMethodName}, per status code. */
    static Map<String, Long> callCounts(String scrape, String fullMethodName) {
        int slash = fullMethodName.lastIndexOf('/');
        String service = "service=\"" + fullMethodName.substring(0, slash) + "\"";
        String method = "method=\"" + fullMethodName.substring(slash + 1) + "\"";
        Map<String, Long> counts = new HashMap<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(CALLS) || !line.contains(service) || !line.contains(method)) {
                continue;
            }
            Matcher m = STATUS_CODE.matcher(line);
            if (m.find()) {
                counts.merge(m.group(1), (long) value(line), Long::sum);
            }
        }
        return counts;
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
