/** The one answer the rest of the app needs from auth. */
export interface AuthUser {
  id: string;
  email: string;
  fullName: string;
}

export const ACCESS_COOKIE = "parley_access";
export const REFRESH_COOKIE = "parley_refresh";
