import axe from "axe-core";
import { expect, test, type Page } from "@playwright/test";

/**
 * axe-core (WCAG 2.1 A and AA rules) on a page state, in light and dark: any critical or serious violation fails
 * the test, naming the rule and the offending nodes. axe's source is injected as an inline script (the CSP allows
 * inline scripts for Next's bootstrap), so no wrapper package is needed.
 */

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
/** Best-practice rules that also fail the test (the list: headings that skip a level). */
const ALSO_ENFORCED = ["heading-order"];
const SCHEMES = ["light", "dark"] as const;

interface Finding {
  id: string;
  tags: string[];
  impact: string;
  help: string;
  nodes: string[];
}

async function audit(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: typeof axe }).axe.run(document, {
        runOnly: { type: "tag", values: tags },
        resultTypes: ["violations"],
      }),
    WCAG_TAGS,
  );
  return results.violations.map((v) => ({
    id: v.id,
    tags: v.tags,
    impact: v.impact ?? "unknown",
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1).join(" ").trim() ?? ""}`),
  }));
}

/** Audits the page as it is now in both colour schemes; fails on critical/serious findings, listing them. */
export async function expectAccessible(page: Page, state: string) {
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    // The page switches theme on the media change (lib/utils/theme.ts), at its next rendering opportunity.
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(colorScheme);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    // Colours change with a transition: measured halfway, contrast is wrong. Wait for the finite animations.
    await page.evaluate(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
          .map((a) => a.finished.catch(() => undefined)),
      ),
    );
    const findings = await audit(page);
    const blocking = findings.filter(
      (f) =>
        ((f.impact === "critical" || f.impact === "serious") && f.tags.some((tag) => WCAG_TAGS.includes(tag))) ||
        ALSO_ENFORCED.includes(f.id),
    );
    // Every finding is recorded in the report (moderate and minor ones do not fail the test).
    for (const f of findings)
      test
        .info()
        .annotations.push({ type: `axe ${f.impact}`, description: `${state} (${colorScheme}): ${f.id} ×${f.nodes.length}` });
    const report = blocking.map((f) => `${f.impact} ${f.id} (${f.help}):\n    ${f.nodes.join("\n    ")}`).join("\n  ");
    expect(blocking, `${state} (${colorScheme}) has axe violations:\n  ${report}`).toEqual([]);
  }
}
