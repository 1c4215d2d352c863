package dev.sessiond.server.api;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.sessiond.server.error.LimitExceededException;
import dev.sessiond.server.error.NotImplementedException;
import dev.sessiond.server.error.Reason;
import dev.sessiond.server.error.SessiondException;
import dev.sessiond.server.error.StoreUnavailableException;
import dev.sessiond.server.store.StoreErrors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become gRPC statuses (AIP-193): a status code plus a
 * {@code google.rpc.ErrorInfo} with domain {@code sessiond} and the reason. Anything that is
 * not a {@link SessiondException} is a server bug: it is logged and answered with INTERNAL,
 * never UNKNOWN, and its message is not shown to the caller.
 */
public final class ErrorMapper {

    public static final String DOMAIN = "sessiond";

    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    /**
     * The trailer {@code StatusProto} writes (and clients read) the {@code google.rpc.Status} into:
     * {@code grpc-status-details-bin}.
     */
    private static final Metadata.Key<byte[]> DETAILS = Metadata.Key.of("grpc-status-details-bin",
            Metadata.BINARY_BYTE_MARSHALLER);

    /** Answers kept per reason, by message (see {@link #kept}). */
    static final int KEPT_PER_REASON = 64;

    private static final Map<Reason, ConcurrentMap<String, Answer>> KEPT = keptAnswers();

    private ErrorMapper() {}

    /** The status code that goes with each reason (SPEC §2 "Errors"). */
    public static Status.Code statusOf(Reason reason) {
        return switch (reason) {
            case INVALID_CREDENTIALS, TOKEN_MALFORMED, TOKEN_SIGNATURE_INVALID, SESSION_EXPIRED, SESSION_NOT_FOUND,
                    SERVER_CODE_MISMATCH, INSTANCE_NAME_MISMATCH -> Status.Code.UNAUTHENTICATED;
            case USER_BLOCKED, PERMISSION_DENIED -> Status.Code.PERMISSION_DENIED;
            case LOGIN_THROTTLED, LICENSE_LIMIT_REACHED -> Status.Code.RESOURCE_EXHAUSTED;
            case CANT_REACTIVATE_SESSION -> Status.Code.FAILED_PRECONDITION;
            case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
            case STORE_UNAVAILABLE -> Status.Code.UNAVAILABLE;
        };
    }

    /** The status exception to send for {@code failure}. */
    public static StatusRuntimeException toStatusException(Throwable failure) {
        SessiondException known = asKnown(failure);
        if (known == null) {
            log.error("internal error while serving a call", failure);
            return Status.INTERNAL.withDescription("internal error; the server log has the details").asRuntimeException();
        }
        if (known instanceof NotImplementedException) {
            return Status.UNIMPLEMENTED.withDescription(known.getMessage()).asRuntimeException();
        }
        boolean sameEveryTime = known.metadata().isEmpty() && !(known instanceof LimitExceededException);
        return (sameEveryTime ? kept(known) : answer(known)).exception();
    }

    /**
     * The answer to a failure with nothing but its reason and message, built once: a service
     * sending wrongly signed or expired tokens gets the same answer on every call, and building
     * and encoding its {@code google.rpc.Status} was 4 % of the server's CPU in a profile of such
     * calls. Most messages are constant; those that name what the caller sent stop being kept
     * after {@link #KEPT_PER_REASON} per reason.
     */
    private static Answer kept(SessiondException known) {
        ConcurrentMap<String, Answer> answers = KEPT.get(known.reason());
        Answer answer = answers.get(known.getMessage());
        if (answer == null) {
            answer = answer(known);
            if (answers.size() < KEPT_PER_REASON) {
                answers.putIfAbsent(known.getMessage(), answer);
            }
        }
        return answer;
    }

    private static Answer answer(SessiondException known) {
        ErrorInfo info = ErrorInfo.newBuilder()
                .setDomain(DOMAIN)
                .setReason(known.reason().name())
                .putAllMetadata(known.metadata())
                .build();
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(statusOf(known.reason()).value())
                .setMessage(known.getMessage())
                .addDetails(Any.pack(info));
        if (known instanceof LimitExceededException limit) {
            limit.retryAfter().ifPresent(delay -> status.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(Duration.newBuilder().setSeconds(delay.getSeconds()).setNanos(delay.getNano()))
                    .build())));
        }
        com.google.rpc.Status details = status.build();
        return new Answer(Status.fromCodeValue(details.getCode()).withDescription(details.getMessage()),
                details.toByteArray());
    }

    /** A status and its encoded {@code google.rpc.Status}, both immutable, so one may serve many calls. */
    private record Answer(Status status, byte[] details) {

        /** The exception for one call: trailers are its own, since the transport adds {@code grpc-status} to them. */
        StatusRuntimeException exception() {
            Metadata trailers = new Metadata();
            trailers.put(DETAILS, details);
            return new Answered(status, trailers);
        }
    }

    /**
     * A failure the caller is told about: its stack trace (the transport's, 40-odd frames) says
     * nothing and was filled in for every wrongly signed token a service sent.
     */
    private static final class Answered extends StatusRuntimeException {
        private static final long serialVersionUID = 1L;

        Answered(Status status, Metadata trailers) {
            super(status, trailers);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private static Map<Reason, ConcurrentMap<String, Answer>> keptAnswers() {
        Map<Reason, ConcurrentMap<String, Answer>> kept = new EnumMap<>(Reason.class);
        for (Reason reason : Reason.values()) {
            kept.put(reason, new ConcurrentHashMap<>());
        }
        return Collections.unmodifiableMap(kept);
    }

    private static SessiondException asKnown(Throwable failure) {
        if (failure instanceof SessiondException known) {
            return known;
        }
        if (StoreErrors.isUnavailable(failure)) {
            return new StoreUnavailableException(failure);
        }
        return null;
    }
}
