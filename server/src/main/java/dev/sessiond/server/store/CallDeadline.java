package dev.sessiond.server.store;

import io.grpc.Context;
import io.grpc.Deadline;
import java.util.concurrent.TimeUnit;

/** The time left to the gRPC call the current thread serves. Stateless. */
public final class CallDeadline {

    private CallDeadline() {}

    /** Nanoseconds until the current call's deadline (0 once it passed); {@code Long.MAX_VALUE} when it has none. */
    public static long remainingNanos() {
        Deadline deadline = Context.current().getDeadline();
        return deadline == null ? Long.MAX_VALUE : Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS));
    }
}
