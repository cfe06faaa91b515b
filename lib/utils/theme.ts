/**
 * Light, dark or the system's setting: the choice is kept in localStorage ("parley-theme"); the page carries the
 * resolved one as <html data-theme="light|dark">, which globals.css and Tailwind's `dark:` variant follow.
 */
export const THEME_CHOICES = ["light", "dark", "system"] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/**
 * Applies the stored choice to <html>. Self-contained (no outer names): its source is also inlined into the
 * root layout, where it runs before the first paint, so a dark page never flashes light.
 */
export function applyStoredTheme(): void {
  let choice: string | null = null;
  try {
    choice = window.localStorage.getItem("parley-theme");
  } catch {
    // Storage refused (privacy mode): follow the system.
  }
  const dark = choice === "dark" || (choice !== "light" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

/** The inline script: apply now, and again whenever the system setting changes (it matters under "system"). */
export const themeScript = `(${applyStoredTheme.toString()})();window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change",${applyStoredTheme.toString()});`;

export function readThemeChoice(): ThemeChoice {
  try {
    const stored = window.localStorage.getItem("parley-theme");
    return stored === "light" || stored === "dark" ? stored : "system";
  } catch {
    return "system";
  }
}

export function storeThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === "system") window.localStorage.removeItem("parley-theme");
    else window.localStorage.setItem("parley-theme", choice);
  } catch {
    // Not remembered, but still applied below for this page.
  }
  applyStoredTheme();
  if (choice !== "system") document.documentElement.dataset.theme = choice;
}
