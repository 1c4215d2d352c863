/**
 * The Java client SDK for sessiond (SPEC §9).
 *
 * <ul>
 *   <li>{@link dev.sessiond.client.SessiondClient}: typed calls of every sessiond RPC, failures as
 *       {@link dev.sessiond.client.SessionException}, list RPCs as {@link dev.sessiond.client.Paged};
 *       Windows (Kerberos/SPNEGO) sign-in with the JVM's Kerberos credentials, see
 *       {@link dev.sessiond.client.KerberosLogin};
 *   <li>{@link dev.sessiond.client.SessiondClientInterceptor}: the token and the caller's
 *       {@link dev.sessiond.client.ClientCulture} on every call, keys in
 *       {@link dev.sessiond.client.SessiondMetadata};
 *   <li>{@link dev.sessiond.client.SessionController}: one shared, kept-alive session handed out as
 *       reference-counted {@link dev.sessiond.client.SessionLease}s;
 *   <li>{@link dev.sessiond.client.SessionAuthInterceptor}: sessiond tokens for other services'
 *       gRPC servers, with {@link dev.sessiond.client.SessionContext} for their handlers;
 *   <li>{@link dev.sessiond.client.Sessions}: questions about a session, nested sessions.
 * </ul>
 */
package dev.sessiond.client;
