package dev.sessiond.server.api;

import static java.util.Objects.requireNonNull;

import dev.sessiond.proto.v1.CreateUserRequest;
import dev.sessiond.proto.v1.CreateUserResponse;
import dev.sessiond.proto.v1.DeleteUserRequest;
import dev.sessiond.proto.v1.DeleteUserResponse;
import dev.sessiond.proto.v1.GetUserRequest;
import dev.sessiond.proto.v1.GetUserResponse;
import dev.sessiond.proto.v1.ListUsersRequest;
import dev.sessiond.proto.v1.ListUsersResponse;
import dev.sessiond.proto.v1.SetPasswordRequest;
import dev.sessiond.proto.v1.SetPasswordResponse;
import dev.sessiond.proto.v1.UpdateUserRequest;
import dev.sessiond.proto.v1.UpdateUserResponse;
import dev.sessiond.proto.v1.UserAdminServiceGrpc;
import dev.sessiond.server.error.InvalidArgumentException;
import dev.sessiond.server.user.NewUser;
import dev.sessiond.server.user.Page;
import dev.sessiond.server.user.User;
import dev.sessiond.server.user.UserChanges;
import dev.sessiond.server.user.UserService;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** {@code sessiond.v1.UserAdminService}: user accounts, for administrators. */
final class UserAdminGrpcService extends UserAdminServiceGrpc.UserAdminServiceImplBase {

    private static final String PAGE_TOKEN_PREFIX = "users:";
    private static final List<String> UPDATABLE = List.of("display_name", "is_admin", "is_service", "license_type", "is_blocked");

    private final UserService users;
    private final Access access;

    UserAdminGrpcService(UserService users, Access access) {
        this.users = requireNonNull(users, "users");
        this.access = requireNonNull(access, "access");
    }

    @Override
    public void createUser(CreateUserRequest request, StreamObserver<CreateUserResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.admin();
            User user = users.create(new NewUser(request.getLogin(), request.getPassword(), request.getDisplayName(),
                    request.getIsAdmin(), request.getIsService(),
                    UserMapper.fromProto("license_type", request.getLicenseType())), caller.actor());
            return CreateUserResponse.newBuilder().setUser(UserMapper.toProto(user)).build();
        });
    }

    @Override
    public void getUser(GetUserRequest request, StreamObserver<GetUserResponse> responses) {
        Rpc.unary(responses, () -> {
            access.admin();
            User user = users.get(Args.uuid("user_id", request.getUserId()));
            return GetUserResponse.newBuilder().setUser(UserMapper.toProto(user)).build();
        });
    }

    @Override
    public void listUsers(ListUsersRequest request, StreamObserver<ListUsersResponse> responses) {
        Rpc.unary(responses, () -> {
            access.admin();
            int pageSize = Args.pageSize(request.getPageSize());
            Page<User> page = users.list(decodePageToken(request.getPageToken()), pageSize);
            var out = ListUsersResponse.newBuilder();
            page.items().forEach(u -> out.addUsers(UserMapper.toProto(u)));
            page.nextAfter().ifPresent(after -> out.setNextPageToken(encodePageToken(after)));
            return out.build();
        });
    }

    @Override
    public void updateUser(UpdateUserRequest request, StreamObserver<UpdateUserResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.admin();
            var given = request.getUser();
            var id = Args.uuid("user.id", given.getId());
            if (request.getUpdateMask().getPathsCount() == 0) {
                throw new InvalidArgumentException("update_mask", "empty (expected: one or more of " + UPDATABLE + ")");
            }
            UserChanges changes = UserChanges.NONE;
            for (String path : request.getUpdateMask().getPathsList()) {
                changes = switch (path) {
                    case "display_name" -> changes.withDisplayName(given.getDisplayName().isEmpty()
                            ? users.get(id).login() : given.getDisplayName());
                    case "is_admin" -> changes.withAdmin(given.getIsAdmin());
                    case "is_service" -> changes.withService(given.getIsService());
                    case "license_type" -> changes.withLicenseType(UserMapper.fromProto("user.license_type",
                            given.getLicenseType()).orElseThrow(() -> new InvalidArgumentException("user.license_type",
                            "unspecified (expected: LICENSE_TYPE_PERSONAL or LICENSE_TYPE_CONCURRENT)")));
                    case "is_blocked" -> changes.withBlocked(given.getIsBlocked());
                    default -> throw new InvalidArgumentException("update_mask",
                            "'" + path + "' (expected: one of " + UPDATABLE + ")");
                };
            }
            User user = users.update(id, changes, caller.actor());
            return UpdateUserResponse.newBuilder().setUser(UserMapper.toProto(user)).build();
        });
    }

    @Override
    public void setPassword(SetPasswordRequest request, StreamObserver<SetPasswordResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.admin();
            users.setPassword(Args.uuid("user_id", request.getUserId()), request.getPassword(), caller.actor());
            return SetPasswordResponse.getDefaultInstance();
        });
    }

    @Override
    public void deleteUser(DeleteUserRequest request, StreamObserver<DeleteUserResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.admin();
            users.delete(Args.uuid("user_id", request.getUserId()), caller.actor());
            return DeleteUserResponse.getDefaultInstance();
        });
    }

    private static String encodePageToken(String afterLoginKey) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PAGE_TOKEN_PREFIX + afterLoginKey).getBytes(StandardCharsets.UTF_8));
    }

    private static String decodePageToken(String token) {
        if (token.isEmpty()) {
            return "";
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(PAGE_TOKEN_PREFIX)) {
                return decoded.substring(PAGE_TOKEN_PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidArgumentException("page_token", "not a token from ListUsers (expected: a next_page_token, or empty)");
    }
}
