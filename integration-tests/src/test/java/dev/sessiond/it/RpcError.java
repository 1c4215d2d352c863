package dev.sessiond.it;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An error status as buf curl prints it: {@code {"code": "unauthenticated", "message": ...,
 * "details": [...]}}.
 *
 * @param code the status code in buf's spelling, e.g. {@code unauthenticated}
 * @param message the status message
 * @param errorInfos the {@code google.rpc.ErrorInfo} details
 */
record RpcError(String code, String message, List<ErrorInfo> errorInfos) {

    private static final String ERROR_INFO_TYPE = "google.rpc.ErrorInfo";

    RpcError {
        requireNonNull(code, "code");
        requireNonNull(message, "message");
        errorInfos = List.copyOf(errorInfos);
    }

    /** Reads buf's JSON error; {@code details} of other types are ignored. */
    static RpcError of(JsonNode json) {
        List<ErrorInfo> infos = new ArrayList<>();
        for (JsonNode detail : json.path("details")) {
            if (ERROR_INFO_TYPE.equals(detail.path("type").asText())) {
                infos.add(decodeErrorInfo(detail.path("value").asText()));
            }
        }
        return new RpcError(json.path("code").asText(), json.path("message").asText(), infos);
    }

    /** The single ErrorInfo that sessiond attaches to every error it reports (SPEC §2 "Errors"). */
    ErrorInfo errorInfo() {
        if (errorInfos.size() != 1) {
            throw new AssertionError("expected exactly one " + ERROR_INFO_TYPE + " detail in " + this);
        }
        return errorInfos.get(0);
    }

    /**
     * buf cannot resolve google.rpc.ErrorInfo through sessiond's reflection (no sessiond file
     * imports it), so it prints the detail as the serialized message in base64. Accepts the
     * standard and the URL-safe alphabet, with or without padding, as buf versions differ.
     */
    private static ErrorInfo decodeErrorInfo(String base64) {
        // The basic decoder takes missing padding; only the URL-safe letters need translating.
        byte[] bytes = Base64.getDecoder().decode(base64.replace('-', '+').replace('_', '/'));
        try {
            return ErrorInfo.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("the " + ERROR_INFO_TYPE + " detail '" + base64 + "' is no ErrorInfo", e);
        }
    }
}
