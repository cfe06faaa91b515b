import { ApiError } from "@/lib/api/errors";

/** The same answer for an unknown email and a wrong password: no account enumeration. */
export const invalidCredentials = () => new ApiError("unauthorized", "auth", "Invalid email or password");
export const invalidResetToken = () => new ApiError("bad_request", "auth", "This reset link is invalid, expired or already used");
export const wrongCurrentPassword = () =>
  new ApiError("validation", "auth", "The current password is not correct", {
    errors: [{ path: "current_password", message: "The current password is not correct" }],
  });
/** Only after the password was checked (or with a valid session): it tells nothing to someone without them. */
export const accountDisabled = () =>
  new ApiError("forbidden", "account", "This account is disabled. Ask an administrator of this Parley to enable it.");
export const signupClosed = () =>
  new ApiError("forbidden", "signup", "Sign-up is closed on this Parley. Ask an administrator to create your account.");
