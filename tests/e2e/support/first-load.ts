import { expect, type Page, type Response } from "@playwright/test";

export interface FirstLoadJs {
  scripts: { path: string; bytes: number }[];
  /** Compressed bytes (as sent over the wire) of every script the page fetched until the network went idle. */
  total: number;
}

/**
 * Opens `url` and sums the compressed bodies of the scripts it loads until it is interactive (the composer is
 * editable, and `ready` if given: what the page loads after hydration, e.g. a highlighted code block) and the
 * network is idle: the chat page's "first-load JS" of #16, for the e2e budget and the UI audit.
 */
export async function measureFirstLoadJs(page: Page, url: string, ready?: () => Promise<void>): Promise<FirstLoadJs> {
  const pending: Promise<{ path: string; bytes: number }>[] = [];
  const onResponse = (response: Response) => {
    if (response.request().resourceType() !== "script") return;
    const path = new URL(response.url()).pathname;
    pending.push(
      response
        .request()
        .sizes()
        .then((sizes) => ({ path, bytes: sizes.responseBodySize })),
    );
  };
  page.on("response", onResponse);
  await page.goto(url);
  await expect(page.getByRole("textbox", { name: "Message", exact: true })).toBeEditable();
  await ready?.();
  await page.waitForLoadState("networkidle");
  page.off("response", onResponse);
  const scripts = await Promise.all(pending);
  return { scripts, total: scripts.reduce((sum, script) => sum + script.bytes, 0) };
}

/** The budget for a chat page's first load (#16). */
export const FIRST_LOAD_BUDGET = 350 * 1024;
