package dev.sessiond.server.api;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.sessiond.proto.v1.ErrorReason;
import dev.sessiond.server.error.AccessDeniedException;
import dev.sessiond.server.error.AlreadyExistsException;
import dev.sessiond.server.error.AuthenticationException;
import dev.sessiond.server.error.InvalidArgumentException;
import dev.sessiond.server.error.LimitExceededException;
import dev.sessiond.server.error.NotFoundException;
import dev.sessiond.server.error.NotImplementedException;
import dev.sessiond.server.error.Reason;
import dev.sessiond.server.error.SessiondException;
import dev.sessiond.server.error.StoreUnavailableException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorMapperTest {

    /** SPEC §2 "Errors", written out: reason → status code. */
    private static final Map<String, Status.Code> SPEC_TABLE = Map.ofEntries(
            entry("INVALID_CREDENTIALS", Status.Code.UNAUTHENTICATED),
            entry("USER_BLOCKED", Status.Code.PERMISSION_DENIED),
            entry("LOGIN_THROTTLED", Status.Code.RESOURCE_EXHAUSTED),
            entry("TOKEN_MALFORMED", Status.Code.UNAUTHENTICATED),
            entry("TOKEN_SIGNATURE_INVALID", Status.Code.UNAUTHENTICATED),
            entry("SESSION_EXPIRED", Status.Code.UNAUTHENTICATED),
            entry("SESSION_NOT_FOUND", Status.Code.UNAUTHENTICATED),
            entry("SERVER_CODE_MISMATCH", Status.Code.UNAUTHENTICATED),
            entry("INSTANCE_NAME_MISMATCH", Status.Code.UNAUTHENTICATED),
            entry("CANT_REACTIVATE_SESSION", Status.Code.FAILED_PRECONDITION),
            entry("LICENSE_LIMIT_REACHED", Status.Code.RESOURCE_EXHAUSTED),
            entry("PERMISSION_DENIED", Status.Code.PERMISSION_DENIED),
            entry("INVALID_ARGUMENT", Status.Code.INVALID_ARGUMENT),
            entry("NOT_FOUND", Status.Code.NOT_FOUND),
            entry("ALREADY_EXISTS", Status.Code.ALREADY_EXISTS),
            entry("STORE_UNAVAILABLE", Status.Code.UNAVAILABLE));

    @ParameterizedTest
    @EnumSource(Reason.class)
    void statusOf_givesTheStatusOfTheSpecTable(Reason reason) {
        assertThat(SPEC_TABLE).containsKey(reason.name());

        assertThat(ErrorMapper.statusOf(reason)).isEqualTo(SPEC_TABLE.get(reason.name()));
    }

    @Test
    void reasons_areExactlyTheReasonsOfTheSpecTable() {
        assertThat(Arrays.stream(Reason.values()).map(Reason::name))
                .containsExactlyInAnyOrderElementsOf(SPEC_TABLE.keySet());
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void everyReason_hasAProtoErrorReasonOfTheSameName(Reason reason) {
        assertThat(Arrays.stream(ErrorReason.values()).map(ErrorReason::name)).contains(reason.name());
    }

    @ParameterizedTest
    @EnumSource(value = ErrorReason.class, mode = EnumSource.Mode.EXCLUDE,
            names = {"ERROR_REASON_UNSPECIFIED", "UNRECOGNIZED"})
    void everyProtoErrorReason_hasAReasonOfTheSameName(ErrorReason protoReason) {
        assertThat(EnumSet.allOf(Reason.class).stream().map(Reason::name)).contains(protoReason.name());
    }

    @Test
    void toStatusException_ofAnInvalidArgument_namesTheFieldInErrorInfo() throws InvalidProtocolBufferException {
        StatusRuntimeException e = ErrorMapper.toStatusException(
                new InvalidArgumentException("page_size", "-1 (expected: >= 0)"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).isEqualTo("page_size: -1 (expected: >= 0)");
        ErrorInfo info = errorInfo(e).orElseThrow();
        assertThat(info.getDomain()).isEqualTo("sessiond");
        assertThat(info.getReason()).isEqualTo("INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsExactly(entry("field", "page_size"));
    }

    static Stream<SessiondException> domainFailures() {
        return Stream.of(
                new AuthenticationException(Reason.TOKEN_MALFORMED, "the token cannot be parsed"),
                AuthenticationException.invalidCredentials(),
                AccessDeniedException.userBlocked(),
                AccessDeniedException.missingRole("needs admin"),
                new NotFoundException("user 42 does not exist"),
                new AlreadyExistsException("login 'bob' is taken"),
                new StoreUnavailableException(new SQLTransientConnectionException("connection refused")));
    }

    @ParameterizedTest
    @MethodSource("domainFailures")
    void toStatusException_ofADomainFailure_carriesItsReasonAndStatus(SessiondException failure)
            throws InvalidProtocolBufferException {
        StatusRuntimeException e = ErrorMapper.toStatusException(failure);

        assertThat(e.getStatus().getCode()).isEqualTo(SPEC_TABLE.get(failure.reason().name()));
        assertThat(e.getStatus().getDescription()).isEqualTo(failure.getMessage());
        ErrorInfo info = errorInfo(e).orElseThrow();
        assertThat(info.getDomain()).isEqualTo("sessiond");
        assertThat(info.getReason()).isEqualTo(failure.reason().name());
    }

    @Test
    void aRepeatedFailure_getsTheSameAnswer_inTrailersOfItsOwn() throws InvalidProtocolBufferException {
        StatusRuntimeException first = ErrorMapper.toStatusException(
                new AuthenticationException(Reason.TOKEN_SIGNATURE_INVALID, "the signature is not valid"));
        first.getTrailers().put(Metadata.Key.of("grpc-status", Metadata.ASCII_STRING_MARSHALLER), "16");
        StatusRuntimeException second = ErrorMapper.toStatusException(
                new AuthenticationException(Reason.TOKEN_SIGNATURE_INVALID, "the signature is not valid"));

        assertThat(second.getTrailers()).isNotSameAs(first.getTrailers());
        assertThat(second.getTrailers().keys()).containsExactly("grpc-status-details-bin");
        assertThat(StatusProto.fromThrowable(second)).isEqualTo(StatusProto.fromThrowable(first));
        assertThat(errorInfo(second).orElseThrow().getReason()).isEqualTo("TOKEN_SIGNATURE_INVALID");
        assertThat(second.getStatus().getDescription()).isEqualTo("the signature is not valid");
    }

    @Test
    void failuresWithTheSameMessage_keepTheirOwnMetadataAndRetryDelay() throws InvalidProtocolBufferException {
        StatusRuntimeException soon = ErrorMapper.toStatusException(LimitExceededException.serverBusy(Duration.ofSeconds(1)));
        StatusRuntimeException later = ErrorMapper.toStatusException(LimitExceededException.serverBusy(Duration.ofSeconds(7)));

        assertThat(retryDelay(soon)).isEqualTo(com.google.protobuf.Duration.newBuilder().setSeconds(1).build());
        assertThat(retryDelay(later)).isEqualTo(com.google.protobuf.Duration.newBuilder().setSeconds(7).build());
        assertThat(errorInfo(ErrorMapper.toStatusException(new InvalidArgumentException("page_size", "-1"))).orElseThrow()
                .getMetadataMap()).containsExactly(entry("field", "page_size"));
        assertThat(errorInfo(ErrorMapper.toStatusException(new InvalidArgumentException("page_token", "-1"))).orElseThrow()
                .getMetadataMap()).containsExactly(entry("field", "page_token"));
    }

    @Test
    void failuresNamingWhatTheCallerSent_areAnsweredRight_pastTheAnswersKept() throws InvalidProtocolBufferException {
        for (int i = 0; i < 3 * ErrorMapper.KEPT_PER_REASON; i++) {
            StatusRuntimeException e = ErrorMapper.toStatusException(new AlreadyExistsException("login 'u" + i + "' is taken"));

            assertThat(e.getStatus().getDescription()).isEqualTo("login 'u" + i + "' is taken");
            assertThat(StatusProto.fromThrowable(e).getMessage()).isEqualTo("login 'u" + i + "' is taken");
        }
    }

    private static com.google.protobuf.Duration retryDelay(StatusRuntimeException e) throws InvalidProtocolBufferException {
        for (Any detail : StatusProto.fromThrowable(e).getDetailsList()) {
            if (detail.is(RetryInfo.class)) {
                return detail.unpack(RetryInfo.class).getRetryDelay();
            }
        }
        throw new AssertionError("no RetryInfo in " + e);
    }

    @Test
    void toStatusException_ofAnUnreachableDatabase_isUnavailable() throws InvalidProtocolBufferException {
        StatusRuntimeException e = ErrorMapper.toStatusException(
                new IllegalStateException("pool", new SQLTransientConnectionException("connection refused")));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(errorInfo(e).orElseThrow().getReason()).isEqualTo("STORE_UNAVAILABLE");
    }

    @Test
    void toStatusException_ofNotImplemented_isUnimplemented() {
        StatusRuntimeException e = ErrorMapper.toStatusException(new NotImplementedException("Kerberos login"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(e.getStatus().getDescription()).contains("Kerberos login");
    }

    @Test
    void toStatusException_ofAnUnexpectedFailure_isInternalWithoutItsMessage() throws InvalidProtocolBufferException {
        StatusRuntimeException e = ErrorMapper.toStatusException(new RuntimeException("secret detail"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(e.getStatus().getDescription()).isNotBlank().doesNotContain("secret detail");
        assertThat(e.getMessage()).doesNotContain("secret detail");
        assertThat(e.getStatus().getCause()).isNull();
        assertThat(errorInfo(e)).isEmpty();
    }

    private static Optional<ErrorInfo> errorInfo(StatusRuntimeException e) throws InvalidProtocolBufferException {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null) {
            return Optional.empty();
        }
        assertThat(status.getCode()).isEqualTo(e.getStatus().getCode().value());
        for (Any detail : status.getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                return Optional.of(detail.unpack(ErrorInfo.class));
            }
        }
        return Optional.empty();
    }
}
