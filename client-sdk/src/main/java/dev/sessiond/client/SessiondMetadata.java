package dev.sessiond.client;

import io.grpc.Metadata;

/**
 * The metadata keys of the sessiond contract (SPEC §2), in one place: the gRPC metadata the
 * client side ({@link SessiondClientInterceptor}) writes and the server side
 * ({@link SessionAuthInterceptor}) reads, and the keys of the {@code google.rpc.ErrorInfo} detail
 * that {@link SessionException} reads. Code that uses the generated stubs directly can use them too.
 */
public final class SessiondMetadata {

    /** {@code authorization: Bearer <token>}: who the caller is. */
    public static final Metadata.Key<String> AUTHORIZATION = ascii("authorization");

    /** {@code sessiond-client-culture}: the caller's culture as a BCP 47 tag, e.g. {@code ru-RU}. */
    public static final Metadata.Key<String> CLIENT_CULTURE = ascii("sessiond-client-culture");

    /** {@code sessiond-client-ui-culture}: the caller's UI culture as a BCP 47 tag. */
    public static final Metadata.Key<String> CLIENT_UI_CULTURE = ascii("sessiond-client-ui-culture");

    /** {@code sessiond-client-utc-offset}: the caller's offset from UTC, ISO-8601 ({@code +03:00}, {@code Z}). */
    public static final Metadata.Key<String> CLIENT_UTC_OFFSET = ascii("sessiond-client-utc-offset");

    /** {@code sessiond-client-host}: the name of the caller's machine. */
    public static final Metadata.Key<String> CLIENT_HOST = ascii("sessiond-client-host");

    /** The scheme in front of the token in {@link #AUTHORIZATION}, with its separating space. */
    public static final String BEARER_PREFIX = "Bearer ";

    /** The {@code google.rpc.ErrorInfo.domain} of sessiond's errors; details of other domains are not read. */
    public static final String ERROR_DOMAIN = "sessiond";

    /** The {@code ErrorInfo.metadata} key naming a session that could give up its licence seat. */
    public static final String ERROR_SESSION_ID_TO_DEACTIVATE = "session_id_to_deactivate";

    /** The {@code ErrorInfo.metadata} key naming the request field at fault (INVALID_ARGUMENT). */
    public static final String ERROR_FIELD = "field";

    /**
     * The {@code ErrorInfo.metadata} key saying which token failed: {@code "authorization"} when
     * it was the caller's own (the authorization metadata), absent when it was a token in the request.
     */
    public static final String ERROR_TOKEN = "token";

    private SessiondMetadata() {}

    private static Metadata.Key<String> ascii(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }
}
