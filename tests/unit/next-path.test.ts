import { describe, expect, it } from "vitest";
import { LANDING_PATH, loginUrlFor, safeNextPath } from "@/lib/auth/next-path";

describe("safeNextPath", () => {
  it.each(["/", "/projects/abc", "/?q=hello%20world", "/settings#danger", "/a/b?c=d&e=f"])(
    "keeps the same-origin path %s",
    (path) => {
      expect(safeNextPath(path)).toBe(path);
    },
  );

  it.each([
    "https://evil.example/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/%0d%0aSet-Cookie:x",
    "/foo\nbar",
    "/\tevil",
    "",
    " /projects",
    "http:/evil.example",
    "/login",
    "/login?next=/x",
    "/register",
    "/reset-password?token=abc",
  ])("refuses %j", (value) => {
    const result = safeNextPath(value);
    if (value === "/%0d%0aSet-Cookie:x") {
      // Percent-encoded bytes stay encoded: still a path on our own origin, harmless.
      expect(result.startsWith("/")).toBe(true);
      expect(result).not.toMatch(/[\r\n]/);
      return;
    }
    expect(result).toBe(LANDING_PATH);
  });

  // #12: the URL parser resolves dot segments after the input was checked, so these became "//evil.test"
  // (another host to a browser). The normalised output is what gets judged now.
  it.each([
    "/.//evil.test",
    "/%2e//evil.test",
    "/a/..//evil.test",
    "/a/%2e%2e//evil.test",
    "/./\\evil.test",
    "/a/b/../..//evil.test?x=1#y",
  ])("#12 refuses %j, which normalises to a protocol-relative URL", (value) => {
    expect(safeNextPath(value)).toBe(LANDING_PATH);
    expect(loginUrlFor(value)).toBe("/login");
  });

  it("#12 still normalises harmless dot segments to a same-origin path", () => {
    expect(safeNextPath("/a/../projects/1")).toBe("/projects/1");
    expect(safeNextPath("/./settings")).toBe("/settings");
    expect(safeNextPath("/a/..%2f/evil.test")).toBe("/a/..%2f/evil.test");
  });

  it("#18 refuses control characters that the URL parser would silently drop, and anything under an auth page", () => {
    // new URL() removes tabs and line breaks: "/sett\tings" would come out as "/settings" if only the result were checked.
    expect(safeNextPath("/sett\tings")).toBe(LANDING_PATH);
    expect(safeNextPath("/settings\n")).toBe(LANDING_PATH);
    expect(safeNextPath("/login/anything")).toBe(LANDING_PATH);
    expect(safeNextPath("/reset-password/token")).toBe(LANDING_PATH);
    // A path that merely ends like an auth page is not one.
    expect(safeNextPath("/projects/login/")).toBe("/projects/login/");
  });

  it("accepts a path of 2,048 characters and refuses one longer", () => {
    const longest = `/${"a".repeat(2047)}`;
    expect(safeNextPath(longest)).toBe(longest);
    expect(safeNextPath(`${longest}a`)).toBe(LANDING_PATH);
  });

  it("refuses non-strings and very long values", () => {
    expect(safeNextPath(undefined)).toBe(LANDING_PATH);
    expect(safeNextPath(["/a"])).toBe(LANDING_PATH);
    expect(safeNextPath(`/${"a".repeat(3000)}`)).toBe(LANDING_PATH);
    expect(safeNextPath("//x", "/fallback")).toBe("/fallback");
  });

  it("builds login URLs that bring the visitor back", () => {
    expect(loginUrlFor("/projects/1?tab=chat")).toBe("/login?next=%2Fprojects%2F1%3Ftab%3Dchat");
    expect(loginUrlFor("/")).toBe("/login");
    expect(loginUrlFor("//evil.example")).toBe("/login");
  });
});
