package dev.sessiond.server.api;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;

/** Conversions of well-known protobuf types shared by the mappers. */
final class Protos {

    private Protos() {}

    static Timestamp timestamp(Instant time) {
        return Timestamp.newBuilder().setSeconds(time.getEpochSecond()).setNanos(time.getNano()).build();
    }

    static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    static Duration offset(ZoneOffset offset) {
        return Duration.newBuilder().setSeconds(offset.getTotalSeconds()).build();
    }
}
