package dev.sessiond.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on sessiond's error model: a status code plus an ErrorInfo reason. */
public final class Errors {

    private Errors() {}

    /** Runs {@code call}, asserts it fails with {@code code} and ErrorInfo {@code reason}, and returns the ErrorInfo. */
    public static ErrorInfo assertError(ThrowingCallable call, Status.Code code, String reason) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(e).as("expected the call to fail with %s/%s", code, reason).isNotNull();
        assertThat(e.getStatus().getCode()).as("status code (%s)", e.getStatus()).isEqualTo(code);
        ErrorInfo info = errorInfo(e);
        assertThat(info.getDomain()).isEqualTo("sessiond");
        assertThat(info.getReason()).as("reason (%s)", e.getStatus().getDescription()).isEqualTo(reason);
        return info;
    }

    /** Runs {@code call} and asserts it fails with {@code code} and no ErrorInfo (e.g. UNIMPLEMENTED). */
    public static StatusRuntimeException assertStatus(ThrowingCallable call, Status.Code code) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(e).as("expected the call to fail with %s", code).isNotNull();
        assertThat(e.getStatus().getCode()).as("status code (%s)", e.getStatus()).isEqualTo(code);
        return e;
    }

    public static ErrorInfo errorInfo(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).as("rich status of %s", e.getStatus()).isNotNull();
        return status.getDetailsList().stream()
                .filter(any -> any.is(ErrorInfo.class))
                .map(any -> {
                    try {
                        return any.unpack(ErrorInfo.class);
                    } catch (InvalidProtocolBufferException bad) {
                        throw new AssertionError(bad);
                    }
                })
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ErrorInfo in " + e.getStatus()));
    }
}
