package dev.sessiond.server.api;

import io.grpc.Metadata;

/** The metadata keys of the contract (SPEC §2). */
final class CallMetadata {

    static final Metadata.Key<String> AUTHORIZATION = ascii("authorization");
    static final Metadata.Key<String> CULTURE = ascii("sessiond-client-culture");
    static final Metadata.Key<String> UI_CULTURE = ascii("sessiond-client-ui-culture");
    static final Metadata.Key<String> UTC_OFFSET = ascii("sessiond-client-utc-offset");
    static final Metadata.Key<String> CLIENT_HOST = ascii("sessiond-client-host");

    private CallMetadata() {}

    private static Metadata.Key<String> ascii(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }
}
