// `seatkeeper agent` driven as a person would, in a real terminal (tmux): types the password,
// reads the S5 notice, watches the spinner and the live position, gets the support key when a
// seat frees, presses c when the customer connects, and sees the admin's end. Each screen is
// captured to test-results/agent-cli-<backend>.txt.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { TEST_PASSWORD } from "../support/app.js";
import { pool, sleep, until } from "../support/pool.js";
import { eachBackend } from "../support/suite.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const HAS_TMUX = spawnSync("tmux", ["-V"]).status === 0;

/** A terminal of 120×30 running `command`, on a tmux server of its own. */
function terminal(command: string[]) {
  const socket = `sk-agent-${randomBytes(4).toString("hex")}`;
  const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
  const shellLine = command.map((c) => `'${c.replace(/'/g, "'\\''")}'`).join(" ");
  tmux("new-session", "-d", "-s", "agent", "-x", "120", "-y", "30", "-c", ROOT, shellLine);
  tmux("set-option", "-t", "agent", "remain-on-exit", "on");
  return {
    screen: () => tmux("capture-pane", "-p", "-t", "agent"),
    type: (...keys: string[]) => void tmux("send-keys", "-t", "agent", ...keys),
    exited: () => tmux("display-message", "-p", "-t", "agent", "#{pane_dead}").trim() === "1",
    close: () => void spawnSync("tmux", ["-L", socket, "kill-server"]),
  };
}

eachBackend("seatkeeper agent in a terminal", ({ t, backend }) => {
  test("sign in, S5 notice, live position with a spinner, support key, connect, and the admin's end", { skip: !HAS_TMUX && "tmux is not installed" }, async () => {
    const base = await t().listen();
    const p = await pool(t(), 0, 1);
    const [holder, agent] = [await p.agent(), await p.agent("concurrent", "Terry Terminal")];
    const held = await p.start(holder);
    const term = terminal([process.execPath, "--import", "tsx", "src/cli/seatkeeper.ts", "agent", "--url", base, "--email", agent.email, "--product", p.product.slug, "--wait", "60"]);
    const screens: string[] = [];
    const see = async (what: RegExp, timeoutMs = 15_000) =>
      until(`the screen to show ${what}`, async () => {
        const screen = term.screen();
        if (!what.test(screen)) return false;
        screens.push(screen.trimEnd());
        return screen;
      }, timeoutMs).catch((error: Error) => {
        throw new Error(`${error.message}; the screen:\n${term.screen()}`);
      });
    try {
      await see(/Password for .+:\s*$/m);
      term.type(TEST_PASSWORD, "Enter");
      await see(/Signed in as Terry Terminal/);
      await see(/All shared seats are in use\. To start a session, please wait for a seat to become available\./);
      const waiting = await see(/Waiting for a seat of .+: position 1/);
      assert.doesNotMatch(waiting, new RegExp(TEST_PASSWORD), "the password is not echoed");
      const spinner = /([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]) Waiting/;
      const first = spinner.exec(waiting)![1];
      await until("the spinner to turn", async () => spinner.exec(term.screen())?.[1] !== first, 3000);

      await t().call("POST", `/api/v1/me/sessions/${held.body.id}/end`, { token: holder.token });
      const granted = await see(/Support key: \d{3} ?\d{3} ?\d{3}\n.*\nKeys: c = the customer connected/);
      assert.match(granted, /Lease: concurrent seat of .+ \(signature checked offline\)/);
      assert.doesNotMatch(granted, /Waiting for a seat/, "the status line is cleared");
      term.type("c");
      await see(/Customer connected \(attended, windows\)\./);
      const shared = await t().call("GET", "/api/v1/shared-sessions", { token: p.account.admin.token });
      const mine = shared.body.items.find((s) => s.user.id === agent.id)!;
      assert.equal(mine.state, "active");

      const sent = Date.now();
      await t().call("POST", "/api/v1/shared-sessions/end", { token: p.account.admin.token, body: { ids: [mine.id], reason: "customer finished" } });
      await see(/Session ended by Ada Admin: customer finished/, 5000);
      assert.ok(Date.now() - sent < 2000, "the admin's end shows within seconds");
      await see(/Signed out\./);
      await until("the agent to exit", async () => term.exited(), 5000);
      await sleep(100);
    } finally {
      mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
      writeFileSync(path.join(ROOT, "test-results", `agent-cli-${backend}.txt`), [...screens, term.screen().trimEnd()].join("\n\n--------\n\n"));
      term.close();
    }
  });
});
