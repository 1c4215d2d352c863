package dev.sessiond.client;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.sessiond.proto.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SessionExceptionTest {

    /** SPEC §2 "Errors": every reason with the status code that goes with it. */
    private static final Map<ErrorReason, Status.Code> SPEC = Map.ofEntries(
            entry(ErrorReason.INVALID_CREDENTIALS, Status.Code.UNAUTHENTICATED),
            entry(ErrorReason.USER_BLOCKED, Status.Code.PERMISSION_DENIED),
            entry(ErrorReason.LOGIN_THROTTLED, Status.Code.RESOURCE_EXHAUSTED),
            entry(ErrorReason.TOKEN_MALFORMED, Status.Code.UNAUTHENTICATED),
            entry(ErrorReason.TOKEN_SIGNATURE_INVALID, Status.Code.UNAUTHENTICATED),
            entry(ErrorReason.SESSION_EXPIRED, Status.Code.UNAUTHENTICATED),
            entry(ErrorReason.SESSION_NOT_FOUND, Status.Code.UNAUTHENTICATED),
            entry(ErrorReason.SERVER_CODE_MISMATCH, Status.Code.UNAUTHENTICATED),
            entry(ErrorReason.INSTANCE_NAME_MISMATCH, Status.Code.UNAUTHENTICATED),
            entry(ErrorReason.CANT_REACTIVATE_SESSION, Status.Code.FAILED_PRECONDITION),
            entry(ErrorReason.LICENSE_LIMIT_REACHED, Status.Code.RESOURCE_EXHAUSTED),
            entry(ErrorReason.PERMISSION_DENIED, Status.Code.PERMISSION_DENIED),
            entry(ErrorReason.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT),
            entry(ErrorReason.NOT_FOUND, Status.Code.NOT_FOUND),
            entry(ErrorReason.ALREADY_EXISTS, Status.Code.ALREADY_EXISTS),
            entry(ErrorReason.STORE_UNAVAILABLE, Status.Code.UNAVAILABLE));

    static Stream<Arguments> everyReason() {
        return SPEC.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @Test
    void table_coversEveryReasonOfTheContract() {
        var contract = EnumSet.allOf(ErrorReason.class);
        contract.removeAll(EnumSet.of(ErrorReason.ERROR_REASON_UNSPECIFIED, ErrorReason.UNRECOGNIZED));
        assertThat(SPEC.keySet()).containsExactlyInAnyOrderElementsOf(contract);
    }

    @ParameterizedTest
    @MethodSource("everyReason")
    void from_mapsEveryReasonAndItsCode(ErrorReason reason, Status.Code code) {
        SessionException e = SessionException.from(failure(code, "what went wrong", ErrorInfo.newBuilder()
                .setDomain("sessiond").setReason(reason.name()).build()));

        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.reasonName()).isEqualTo(reason.name());
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.description()).isEqualTo("what went wrong");
        assertThat(e.getMessage()).isEqualTo(reason.name() + " (" + code.name() + "): what went wrong");
    }

    @Test
    void from_readsTheSessionToDeactivate() {
        SessionException e = SessionException.from(failure(Status.Code.RESOURCE_EXHAUSTED, "no licence is free",
                ErrorInfo.newBuilder().setDomain("sessiond").setReason("LICENSE_LIMIT_REACHED")
                        .putMetadata("session_id_to_deactivate", "5f0c6d7e-0000-4000-8000-000000000001").build()));

        assertThat(e.reason()).isEqualTo(ErrorReason.LICENSE_LIMIT_REACHED);
        assertThat(e.sessionIdToDeactivate()).contains("5f0c6d7e-0000-4000-8000-000000000001");
    }

    @Test
    void from_hasNoSessionToDeactivateWhenTheServerNamedNone() {
        SessionException e = SessionException.from(failure(Status.Code.RESOURCE_EXHAUSTED, "no licence is free",
                ErrorInfo.newBuilder().setDomain("sessiond").setReason("LICENSE_LIMIT_REACHED").build()));

        assertThat(e.sessionIdToDeactivate()).isEmpty();
    }

    @Test
    void from_readsTheRetryDelay() {
        var status = com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.RESOURCE_EXHAUSTED.value())
                .setMessage("too many failed logins")
                .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain("sessiond").setReason("LOGIN_THROTTLED").build()))
                .addDetails(Any.pack(RetryInfo.newBuilder()
                        .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(30).setNanos(500_000_000))
                        .build()))
                .build();

        SessionException e = SessionException.from(StatusProto.toStatusRuntimeException(status));

        assertThat(e.reason()).isEqualTo(ErrorReason.LOGIN_THROTTLED);
        assertThat(e.retryDelay()).contains(Duration.ofMillis(30_500));
    }

    @Test
    void from_readsTheFieldOfAnInvalidArgument() {
        SessionException e = SessionException.from(failure(Status.Code.INVALID_ARGUMENT, "page_size: -1 (expected: >= 0)",
                ErrorInfo.newBuilder().setDomain("sessiond").setReason("INVALID_ARGUMENT")
                        .putMetadata("field", "page_size").build()));

        assertThat(e.field()).contains("page_size");
        assertThat(e.errorMetadata()).containsEntry("field", "page_size");
    }

    @Test
    void from_ignoresErrorInfoOfAnotherDomain() {
        SessionException e = SessionException.from(failure(Status.Code.UNAUTHENTICATED, "nope",
                ErrorInfo.newBuilder().setDomain("example.com").setReason("SESSION_NOT_FOUND").build()));

        assertThat(e.reason()).isEqualTo(ErrorReason.ERROR_REASON_UNSPECIFIED);
        assertThat(e.reasonName()).isEmpty();
        assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void from_keepsAReasonThisSdkDoesNotKnowByName() {
        SessionException e = SessionException.from(failure(Status.Code.FAILED_PRECONDITION, "new in v2",
                ErrorInfo.newBuilder().setDomain("sessiond").setReason("SOMETHING_NEW").build()));

        assertThat(e.reason()).isEqualTo(ErrorReason.ERROR_REASON_UNSPECIFIED);
        assertThat(e.reasonName()).isEqualTo("SOMETHING_NEW");
    }

    @Test
    void from_neverReportsTheProtobufPlaceholderAsAReason() {
        assertThat(SessionException.reasonOf("UNRECOGNIZED")).isEqualTo(ErrorReason.ERROR_REASON_UNSPECIFIED);
        assertThat(SessionException.reasonOf("ERROR_REASON_UNSPECIFIED")).isEqualTo(ErrorReason.ERROR_REASON_UNSPECIFIED);
    }

    @Test
    void from_mapsAStatusWithoutDetails() {
        SessionException e = SessionException.from(
                Status.UNIMPLEMENTED.withDescription("nested sessions are not implemented").asRuntimeException());

        assertThat(e.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(e.reason()).isEqualTo(ErrorReason.ERROR_REASON_UNSPECIFIED);
        assertThat(e.getMessage()).isEqualTo("UNIMPLEMENTED: nested sessions are not implemented");
        assertThat(e.retryDelay()).isEmpty();
        assertThat(e.status().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void from_mapsAnythingElseAsUnknownKeepingTheCause() {
        IllegalStateException cause = new IllegalStateException("boom");

        SessionException e = SessionException.from(cause);

        assertThat(e.code()).isEqualTo(Status.Code.UNKNOWN);
        assertThat(e).hasCause(cause);
    }

    @Test
    void from_returnsASessionExceptionUnchanged() {
        SessionException e = SessionException.from(Status.UNAVAILABLE.asRuntimeException());

        assertThat(SessionException.from(e)).isSameAs(e);
    }

    private static StatusRuntimeException failure(Status.Code code, String message, ErrorInfo info) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(code.value()).setMessage(message).addDetails(Any.pack(info)).build());
    }
}
