// Accessibility checks with axe-core (Deque's engine), run inside the page through the
// DevTools protocol, so that the admin center's Content-Security-Policy stays as it ships.
import fs from "node:fs";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Every WCAG 2.x A and AA rule axe knows, against what the page shows now; fails listing each violation. */
export async function assertNoAxeViolations(page: Page, where: string): Promise<void> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  const lines = violations.flatMap((v) => v.nodes.slice(0, 5).map((n) => `${v.id} (${v.impact}): ${v.help} — ${n.target.join(" ")}\n    ${n.failureSummary ?? ""}`));
  assert.equal(violations.length, 0, `axe found ${violations.length} violation(s) on ${where}:\n${lines.join("\n")}`);
}
