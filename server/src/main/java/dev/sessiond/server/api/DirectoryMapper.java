package dev.sessiond.server.api;

import dev.sessiond.proto.v1.SessionClientType;
import dev.sessiond.proto.v1.SessionInfo;
import dev.sessiond.proto.v1.SessionInfoFlag;
import dev.sessiond.proto.v1.SessionInfoLevel;
import dev.sessiond.server.directory.InfoLevel;
import dev.sessiond.server.directory.SessionEntry;
import dev.sessiond.server.error.InvalidArgumentException;

/** The session directory between the domain and the contract: levels, and entries as SessionInfo. */
final class DirectoryMapper {

    private DirectoryMapper() {}

    /** UNSPECIFIED means level 0 (the contract says so); values this server does not know are INVALID_ARGUMENT. */
    static InfoLevel fromProto(SessionInfoLevel level) {
        return switch (level) {
            case SESSION_INFO_LEVEL_UNSPECIFIED, SESSION_INFO_LEVEL_0 -> InfoLevel.LEVEL_0;
            case SESSION_INFO_LEVEL_1 -> InfoLevel.LEVEL_1;
            case SESSION_INFO_LEVEL_2 -> InfoLevel.LEVEL_2;
            case SESSION_INFO_LEVEL_10 -> InfoLevel.LEVEL_10;
            case SESSION_INFO_LEVEL_502 -> InfoLevel.LEVEL_502;
            case UNRECOGNIZED -> throw new InvalidArgumentException("level",
                    "unknown value (expected: a SessionInfoLevel, e.g. SESSION_INFO_LEVEL_10)");
        };
    }

    /** The entry with exactly the fields of {@code level} filled (SPEC §5); the others keep their defaults. */
    static SessionInfo toProto(SessionEntry entry, InfoLevel level) {
        SessionInfo.Builder out = SessionInfo.newBuilder().setClientHost(entry.clientHost());
        switch (level) {
            case LEVEL_0 -> { }
            case LEVEL_10 -> times(out.setUserName(entry.userName()), entry);
            case LEVEL_1 -> level1(out, entry);
            case LEVEL_2 -> level2(out, entry);
            case LEVEL_502 -> level2(out, entry)
                    .setTransport(entry.transport())
                    .setClientAddress(entry.clientAddress());
        }
        return out.build();
    }

    private static SessionInfo.Builder level1(SessionInfo.Builder out, SessionEntry entry) {
        times(out.setUserName(entry.userName()).setOpenCount(entry.openCount()), entry);
        if (entry.userIsAdmin()) {
            out.addFlags(SessionInfoFlag.SESSION_INFO_FLAG_ADMIN);
        }
        if (!entry.isActive()) {
            out.addFlags(SessionInfoFlag.SESSION_INFO_FLAG_INACTIVE);
        }
        if (entry.isPlaintext()) {
            out.addFlags(SessionInfoFlag.SESSION_INFO_FLAG_PLAINTEXT_TRANSPORT);
        }
        return out;
    }

    private static SessionInfo.Builder level2(SessionInfo.Builder out, SessionEntry entry) {
        return level1(out, entry).setClientType(SessionClientType.newBuilder()
                .setApplicationId(entry.applicationId())
                .setClientKind(SessionMapper.toProto(entry.clientKind())));
    }

    private static SessionInfo.Builder times(SessionInfo.Builder out, SessionEntry entry) {
        return out.setActiveSeconds(entry.active().toSeconds()).setIdleSeconds(entry.idle().toSeconds());
    }
}
