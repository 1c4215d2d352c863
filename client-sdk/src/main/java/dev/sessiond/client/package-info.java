/**
 * The Java client SDK for sessiond. Until the SDK itself lands, Java callers use the generated
 * stubs of {@code dev.sessiond.proto.v1} (module {@code sessiond-proto}) directly.
 */
package dev.sessiond.client;
