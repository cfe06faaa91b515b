// Section 4: the browser. JavaScript the dashboard and the chat page ship, and the time Chromium takes to show
// a 2,000-message chat (beside a 20-message one), each load in a fresh context (cold cache).
import { chromium } from "@playwright/test";
import { percentile } from "../lib/chart.mjs";
import { seed } from "./data.mjs";

/**
 * @import { Browser, Response } from "@playwright/test"
 * @import { BenchUser } from "../lib/client.mjs"
 * @import { BenchContext, BenchServer } from "../lib/harness.mjs"
 */

/** @typedef {{ visible: number, domContentLoaded: number, rendered: number }} ChatLoad */

const SAMPLES = 7;
const LAUNCH = {
  executablePath: process.env.BENCH_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
};

/**
 * @param {Browser} browser
 * @param {BenchServer} server
 * @param {BenchUser} user
 */
async function newSignedInPage(browser, server, user) {
  const context = await browser.newContext();
  await context.addCookies([
    { name: "parley_access", value: await user.token(), url: server.url, httpOnly: true, sameSite: "Lax" },
  ]);
  return { context, page: await context.newPage() };
}

/**
 * Every script the page loads (its own and what it fetches on start), compressed and not.
 * @param {Browser} browser
 * @param {BenchServer} server
 * @param {BenchUser} user
 * @param {string} path
 */
async function scriptsOf(browser, server, user, path) {
  const { context, page } = await newSignedInPage(browser, server, user);
  /** @type {Response[]} */
  const scripts = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") scripts.push(response);
  });
  await page.goto(`${server.url}${path}`, { waitUntil: "networkidle" });
  let transferBytes = 0;
  let decodedBytes = 0;
  for (const response of scripts) {
    transferBytes += (await response.request().sizes()).responseBodySize;
    decodedBytes += (await response.body()).byteLength;
  }
  await context.close();
  return { scripts: scripts.length, transferBytes, decodedBytes };
}

/**
 * Navigation start → the newest message on screen; plus how many messages the page rendered.
 * @param {Browser} browser
 * @param {BenchServer} server
 * @param {BenchUser} user
 * @param {string} path
 * @param {string} newest
 * @returns {Promise<ChatLoad>}
 */
async function renderChat(browser, server, user, path, newest) {
  const { context, page } = await newSignedInPage(browser, server, user);
  const started = performance.now();
  await page.goto(`${server.url}${path}`, { waitUntil: "commit" });
  await page.getByText(newest, { exact: false }).first().waitFor({ state: "visible", timeout: 60_000 });
  const visible = performance.now() - started;
  const { domContentLoaded, rendered } = await page.evaluate(() => ({
    domContentLoaded:
      /** @type {PerformanceNavigationTiming | undefined} */ (performance.getEntriesByType("navigation")[0])
        ?.domContentLoadedEventEnd ?? NaN,
    rendered: document.body.innerText.split("of a seeded chat").length - 1,
  }));
  await context.close();
  return { visible, domContentLoaded, rendered };
}

/** @param {BenchContext} context */
export async function browser({ server, db, user, scale }) {
  const sql = db.sql;
  const shapes = [
    { name: "short chat", tag: "browser short", messages: 20 },
    { name: "long chat", tag: "browser long", messages: 2000 },
  ];
  /** @type {Array<{ name: string, tag: string, messages: number, path: string }>} */
  const chats = [];
  for (const chat of shapes) {
    await seed(sql, user.id, { tag: chat.tag, projects: 1, sessionsPerProject: 1, messagesPerSession: chat.messages });
    /** @type {Array<{ project_id: string, session_id: string }>} */
    const [row] = await sql`
      select p.id as project_id, cs.id as session_id from parley.chat_sessions cs join parley.projects p on p.id = cs.project_id
      where p.owner_id = ${user.id} and p.name = ${`${chat.tag} project 1`}`;
    chats.push({ ...chat, path: `/projects/${row.project_id}/chats/${row.session_id}` });
  }
  const samples = Math.max(3, Math.round(SAMPLES * scale));
  const instance = await chromium.launch(LAUNCH);
  try {
    const pages = [];
    for (const [name, path] of [
      ["dashboard /", "/"],
      ["chat page", chats[1].path],
    ])
      pages.push({ name, ...(await scriptsOf(instance, server, user, path)) });
    const newest = (/** @type {{ messages: number }} */ chat) => `Message ${chat.messages} of a seeded chat`;
    for (const chat of chats) await renderChat(instance, server, user, chat.path, newest(chat)); // warm-up (server caches, JIT)
    // Short and long loads alternate, so a busy moment of the machine falls on both alike.
    const loads = chats.map(() => /** @type {ChatLoad[]} */ ([]));
    for (let i = 0; i < samples; i++)
      for (const [j, chat] of chats.entries()) loads[j].push(await renderChat(instance, server, user, chat.path, newest(chat)));
    const stat = (/** @type {number[]} */ values) => ({ median: percentile(values, 50), p95: percentile(values, 95) });
    const render = chats.map((chat, j) => ({
      name: chat.name,
      messages: chat.messages,
      rendered: loads[j][0].rendered,
      visible: stat(loads[j].map((l) => l.visible)),
      domContentLoaded: stat(loads[j].map((l) => l.domContentLoaded)),
    }));
    return {
      browserVersion: instance.version(),
      samples,
      pages,
      render,
      note: "The chat page renders the newest page of messages and loads older ones while scrolling up, so a 2,000-message chat costs about what a short one does on first paint.",
    };
  } finally {
    await instance.close();
  }
}
