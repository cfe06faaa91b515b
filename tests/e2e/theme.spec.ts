import { expect, test, type Page } from "@playwright/test";
import { loginAs } from "./support/session";

/**
 * Light / Dark / System in Settings: remembered in the browser, applied before the first paint (no flash of the
 * other theme), and under System following the operating system's setting as it changes.
 */

const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test("the theme switch is remembered and applied before the page paints", async ({ page, context }) => {
  await loginAs(context, "Theme User");
  // Records the theme at the moment <body> is created, i.e. before anything could be painted.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (!document.body) return;
      (window as unknown as { themeAtBody?: string }).themeAtBody = document.documentElement.dataset.theme;
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/settings");
  const switcher = page.getByRole("group", { name: /Colour theme/ });
  await expect(switcher.getByRole("radio", { name: "System" })).toBeChecked();
  expect(await theme(page)).toBe("light");

  await switcher.getByText("Dark").click();
  await expect(switcher.getByRole("radio", { name: "Dark" })).toBeChecked();
  expect(await theme(page)).toBe("dark");
  expect(await background(page)).toBe("rgb(15, 17, 21)");

  // Reloaded on a light system: dark from the first paint on.
  await page.reload();
  expect(await page.evaluate(() => (window as unknown as { themeAtBody?: string }).themeAtBody)).toBe("dark");
  await expect(switcher.getByRole("radio", { name: "Dark" })).toBeChecked();

  // Light wins over a dark system.
  await switcher.getByText("Light").click();
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await theme(page)).toBe("light");

  // System follows the system, as it changes.
  await switcher.getByText("System").click();
  await expect.poll(() => theme(page)).toBe("dark");
  await page.emulateMedia({ colorScheme: "light" });
  await expect.poll(() => theme(page)).toBe("light");
  expect(await page.evaluate(() => localStorage.getItem("parley-theme"))).toBeNull();
});
