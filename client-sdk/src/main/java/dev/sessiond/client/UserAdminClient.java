package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.FieldMask;
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
import dev.sessiond.proto.v1.User;
import dev.sessiond.proto.v1.UserAdminServiceGrpc;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code UserAdminService}: user accounts. The client's token must belong to an administrator.
 * Obtained from {@link SessiondClient#users()}; shares its client's channel, token and culture.
 * Thread-safe.
 */
public final class UserAdminClient {

    private final Calls calls;

    UserAdminClient(Calls calls) {
        this.calls = requireNonNull(calls, "calls");
    }

    // --- CreateUser

    public CreateUserResponse createUser(CreateUserRequest request) {
        return calls.blocking(UserAdminServiceGrpc.getCreateUserMethod(), request);
    }

    /** Creates a user with the server's default licence type and no roles. */
    public User createUser(String login, String password, String displayName) {
        return createUser(CreateUserRequest.newBuilder()
                .setLogin(login).setPassword(password).setDisplayName(displayName).build()).getUser();
    }

    public CompletableFuture<CreateUserResponse> createUserAsync(CreateUserRequest request) {
        return calls.async(UserAdminServiceGrpc.getCreateUserMethod(), request);
    }

    // --- GetUser

    public GetUserResponse getUser(GetUserRequest request) {
        return calls.blocking(UserAdminServiceGrpc.getGetUserMethod(), request);
    }

    public User getUser(String userId) {
        return getUser(GetUserRequest.newBuilder().setUserId(userId).build()).getUser();
    }

    public CompletableFuture<GetUserResponse> getUserAsync(GetUserRequest request) {
        return calls.async(UserAdminServiceGrpc.getGetUserMethod(), request);
    }

    // --- ListUsers

    /** The users ordered by login, from the request's page on, fetched page by page. */
    public Paged<User> listUsers(ListUsersRequest request) {
        return new Paged<>(request.getPageToken(), token -> {
            ListUsersResponse page = listUsersPage(request.toBuilder().setPageToken(token).build());
            return new Paged.Page<>(page.getUsersList(), page.getNextPageToken());
        });
    }

    /** Every user, ordered by login, fetched page by page. */
    public Paged<User> listUsers() {
        return listUsers(ListUsersRequest.getDefaultInstance());
    }

    /** One page, for callers that keep page tokens themselves. */
    public ListUsersResponse listUsersPage(ListUsersRequest request) {
        return calls.blocking(UserAdminServiceGrpc.getListUsersMethod(), request);
    }

    /** One page. */
    public CompletableFuture<ListUsersResponse> listUsersAsync(ListUsersRequest request) {
        return calls.async(UserAdminServiceGrpc.getListUsersMethod(), request);
    }

    // --- UpdateUser

    public UpdateUserResponse updateUser(UpdateUserRequest request) {
        return calls.blocking(UserAdminServiceGrpc.getUpdateUserMethod(), request);
    }

    /**
     * Applies the fields of {@code user} named by {@code paths} ({@code display_name},
     * {@code is_admin}, {@code is_service}, {@code license_type}, {@code is_blocked}) to the user
     * with {@code user}'s id.
     */
    public User updateUser(User user, List<String> paths) {
        return updateUser(UpdateUserRequest.newBuilder()
                .setUser(user).setUpdateMask(FieldMask.newBuilder().addAllPaths(paths)).build()).getUser();
    }

    public CompletableFuture<UpdateUserResponse> updateUserAsync(UpdateUserRequest request) {
        return calls.async(UserAdminServiceGrpc.getUpdateUserMethod(), request);
    }

    // --- SetPassword

    /** Sets a user's password; closes the user's sessions. */
    public SetPasswordResponse setPassword(SetPasswordRequest request) {
        return calls.blocking(UserAdminServiceGrpc.getSetPasswordMethod(), request);
    }

    public void setPassword(String userId, String password) {
        setPassword(SetPasswordRequest.newBuilder().setUserId(userId).setPassword(password).build());
    }

    public CompletableFuture<SetPasswordResponse> setPasswordAsync(SetPasswordRequest request) {
        return calls.async(UserAdminServiceGrpc.getSetPasswordMethod(), request);
    }

    // --- DeleteUser

    /** Deletes a user; closes the user's sessions. */
    public DeleteUserResponse deleteUser(DeleteUserRequest request) {
        return calls.blocking(UserAdminServiceGrpc.getDeleteUserMethod(), request);
    }

    public void deleteUser(String userId) {
        deleteUser(DeleteUserRequest.newBuilder().setUserId(userId).build());
    }

    public CompletableFuture<DeleteUserResponse> deleteUserAsync(DeleteUserRequest request) {
        return calls.async(UserAdminServiceGrpc.getDeleteUserMethod(), request);
    }
}
