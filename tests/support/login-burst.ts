import { POST as login } from "@/app/api/v1/auth/login/route";

/**
 * `count` wrong-password logins for one email through the REST route, all started before any has finished: a
 * throttle that reads its counter before the password check and writes it after lets every one of them through.
 * Resolves to the statuses; anything but 429 means a password was checked.
 */
export async function loginBurst(email: string, count: number, headers: Record<string, string> = {}): Promise<number[]> {
  const attempts = Array.from({ length: count }, (_, i) =>
    login(
      new Request("http://127.0.0.1:3000/api/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json", host: "127.0.0.1:3000", ...headers },
        body: JSON.stringify({ email, password: `wrong-password-${i}` }),
      }),
    ),
  );
  return (await Promise.all(attempts)).map((response) => response.status);
}
