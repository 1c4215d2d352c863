package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.sessiond.proto.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A sessiond call failed. Every failure of the SDK's calls is one of these: {@link #code()} is
 * the gRPC status code, {@link #reason()} the {@code ErrorInfo.reason} of SPEC §2 as the
 * contract's {@link ErrorReason} ({@link ErrorReason#ERROR_REASON_UNSPECIFIED} when the failure
 * carried none, e.g. {@code UNIMPLEMENTED}, a deadline, or an unreachable server).
 *
 * <pre>{@code
 * try {
 *     client.openSession("alice", password);
 * } catch (SessionException e) {
 *     if (e.reason() == ErrorReason.LICENSE_LIMIT_REACHED) {
 *         e.sessionIdToDeactivate().ifPresent(id -> offerToDeactivate(id));
 *     }
 * }
 * }</pre>
 */
public final class SessionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Status.Code code;
    private final ErrorReason reason;
    private final String reasonName;
    private final String description;
    private final Map<String, String> errorMetadata;
    private final Duration retryDelay;

    SessionException(Status.Code code, String reasonName, String description, Map<String, String> errorMetadata,
            Duration retryDelay, Throwable cause) {
        super(message(code, reasonName, description), cause);
        this.code = requireNonNull(code, "code");
        this.reasonName = requireNonNull(reasonName, "reasonName");
        this.reason = reasonOf(reasonName);
        this.description = description == null ? "" : description;
        this.errorMetadata = Map.copyOf(errorMetadata);
        this.retryDelay = retryDelay;
    }

    /**
     * The SDK's view of any call failure: status code, description, and the sessiond
     * {@code ErrorInfo} and {@code RetryInfo} details of a gRPC status exception.
     */
    public static SessionException from(Throwable failure) {
        requireNonNull(failure, "failure");
        if (failure instanceof SessionException known) {
            return known;
        }
        Status status = Status.fromThrowable(failure);
        String reasonName = "";
        Map<String, String> metadata = Map.of();
        Duration retryDelay = null;
        com.google.rpc.Status details = StatusProto.fromThrowable(failure);
        if (details != null) {
            for (Any detail : details.getDetailsList()) {
                try {
                    if (detail.is(ErrorInfo.class)) {
                        ErrorInfo info = detail.unpack(ErrorInfo.class);
                        if (SessiondMetadata.ERROR_DOMAIN.equals(info.getDomain())) {
                            reasonName = info.getReason();
                            metadata = info.getMetadataMap();
                        }
                    } else if (detail.is(RetryInfo.class)) {
                        var delay = detail.unpack(RetryInfo.class).getRetryDelay();
                        retryDelay = Duration.ofSeconds(delay.getSeconds(), delay.getNanos());
                    }
                } catch (InvalidProtocolBufferException e) {
                    // a garbled detail is no reason to lose the status itself
                }
            }
        }
        return new SessionException(status.getCode(), reasonName, status.getDescription(), metadata, retryDelay, failure);
    }

    /** The gRPC status code. */
    public Status.Code code() {
        return code;
    }

    /**
     * Why the call failed, as the contract names it; {@link ErrorReason#ERROR_REASON_UNSPECIFIED}
     * when the failure had no sessiond reason or one this SDK does not know (see {@link #reasonName()}).
     */
    public ErrorReason reason() {
        return reason;
    }

    /** The reason exactly as the server sent it; empty when it sent none. */
    public String reasonName() {
        return reasonName;
    }

    /** The server's description of what was wrong (never a token or password); may be empty. */
    public String description() {
        return description;
    }

    /** For {@code LICENSE_LIMIT_REACHED}: a session that could be deactivated to free a seat. */
    public Optional<String> sessionIdToDeactivate() {
        return Optional.ofNullable(errorMetadata.get(SessiondMetadata.ERROR_SESSION_ID_TO_DEACTIVATE)).filter(s -> !s.isEmpty());
    }

    /** For {@code INVALID_ARGUMENT}: the request field or metadata key at fault. */
    /** Whether the failure is about the caller's own token (its authorization), not one in the request. */
    public boolean isAboutCallersToken() {
        return "authorization".equals(errorMetadata.get(SessiondMetadata.ERROR_TOKEN));
    }

    public Optional<String> field() {
        return Optional.ofNullable(errorMetadata.get(SessiondMetadata.ERROR_FIELD)).filter(s -> !s.isEmpty());
    }

    /** Every {@code ErrorInfo.metadata} entry of the failure. */
    public Map<String, String> errorMetadata() {
        return errorMetadata;
    }

    /** How long to wait before retrying, when the server said so ({@code RetryInfo}, e.g. for {@code LOGIN_THROTTLED}). */
    public Optional<Duration> retryDelay() {
        return Optional.ofNullable(retryDelay);
    }

    /** The status, code and description, without the details. */
    public Status status() {
        return Status.fromCode(code).withDescription(description.isEmpty() ? null : description);
    }

    static ErrorReason reasonOf(String name) {
        if (name.isEmpty() || name.equals(ErrorReason.UNRECOGNIZED.name())) {
            return ErrorReason.ERROR_REASON_UNSPECIFIED;
        }
        try {
            return ErrorReason.valueOf(name);
        } catch (IllegalArgumentException e) {
            return ErrorReason.ERROR_REASON_UNSPECIFIED;
        }
    }

    private static String message(Status.Code code, String reasonName, String description) {
        String head = reasonName.isEmpty() ? code.name() : reasonName + " (" + code.name() + ")";
        return description == null || description.isEmpty() ? head : head + ": " + description;
    }
}
