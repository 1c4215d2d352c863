package dev.sessiond.benchmark;

import io.grpc.Status;

/**
 * How one call (or one cycle of calls) ended.
 *
 * @param code the gRPC status code
 * @param reason the sessiond {@code ErrorInfo.reason}, empty when there is none
 * @param response the response message's bytes; null unless the call succeeded
 */
record Outcome(Status.Code code, String reason, byte[] response) {

    /** The key outcomes are counted under: {@code OK}, or {@code CODE/REASON}. */
    String key() {
        return reason.isEmpty() ? code.name() : code.name() + "/" + reason;
    }
}
