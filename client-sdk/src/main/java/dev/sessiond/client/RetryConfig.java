package dev.sessiond.client;

import dev.sessiond.proto.v1.SessionDirectoryServiceGrpc;
import dev.sessiond.proto.v1.SessionServerServiceGrpc;
import dev.sessiond.proto.v1.UserAdminServiceGrpc;
import io.grpc.MethodDescriptor;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The gRPC service config that makes the channel retry idempotent calls (gRFC A6). Only
 * {@code UNAVAILABLE} is retried: the server was unreachable or its store was
 * ({@code STORE_UNAVAILABLE}), so the call may well not have happened. Calls that create
 * something (OpenSession, AddSession, CreateUser, nested tokens, the configuration version)
 * or whose answer would change on a repeat (close, remove, delete: {@code was_open};
 * SetSessionIsActive: {@code changed}) are never retried. OpenSessionWindowsAuth least of all:
 * its Kerberos token is single-use, and a second sending is refused as a replay
 * ({@code INVALID_CREDENTIALS}), which would hide the real failure.
 *
 * <p>gRPC's transparent retry still applies to every call, but only to attempts that never
 * reached the server's application (a stream the server refused, a connection that failed
 * before the request went out), so no token reaches sessiond twice.
 */
final class RetryConfig {

    /** The calls that are safe to send twice: reads, and UpdateLastActivity. */
    static final List<MethodDescriptor<?, ?>> IDEMPOTENT = List.of(
            SessionServerServiceGrpc.getValidateAndGetSessionMethod(),
            SessionServerServiceGrpc.getValidateBasicFieldsMethod(),
            SessionServerServiceGrpc.getTryGetSessionMethod(),
            SessionServerServiceGrpc.getUpdateLastActivityMethod(),
            SessionServerServiceGrpc.getTryGetSessionIdToDeactivateMethod(),
            SessionDirectoryServiceGrpc.getEnumSessionsMethod(),
            SessionDirectoryServiceGrpc.getGetSessionInfoMethod(),
            SessionDirectoryServiceGrpc.getListSessionEventsMethod(),
            UserAdminServiceGrpc.getGetUserMethod(),
            UserAdminServiceGrpc.getListUsersMethod());

    static final Duration INITIAL_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    /** gRPC caps attempts at 5 unless the channel is told otherwise. */
    static final int MAX_ATTEMPTS = 5;

    private RetryConfig() {}

    /** The service config for {@code maxAttempts} attempts (2 to {@value #MAX_ATTEMPTS}). */
    static Map<String, ?> serviceConfig(int maxAttempts) {
        List<Map<String, String>> names = IDEMPOTENT.stream()
                .map(m -> Map.of("service", m.getServiceName(), "method", m.getBareMethodName()))
                .toList();
        Map<String, Object> retryPolicy = Map.of(
                "maxAttempts", (double) maxAttempts,
                "initialBackoff", seconds(INITIAL_BACKOFF),
                "maxBackoff", seconds(MAX_BACKOFF),
                "backoffMultiplier", 2.0,
                "retryableStatusCodes", List.of("UNAVAILABLE"));
        return Map.of("methodConfig", List.of(Map.of("name", names, "retryPolicy", retryPolicy)));
    }

    /** A duration as the service config writes it: decimal seconds with an {@code s}, e.g. {@code 0.2s}. */
    static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
    }
}
