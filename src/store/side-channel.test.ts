import assert from "node:assert/strict";
import { test } from "node:test";
import { postgresSideChannel } from "./side-channel.js";

const url = process.env.TEST_DATABASE_URL;

test("exactly one process leads the sweep; leadership passes on when the leader goes", { skip: !url && "TEST_DATABASE_URL is not set" }, async () => {
  const [a, b] = [postgresSideChannel(url!), postgresSideChannel(url!)];
  const key = 0x7e57;
  try {
    assert.equal(await a.tryLead(key), true);
    assert.equal(await b.tryLead(key), false);
    assert.equal(await a.tryLead(key), true, "the leader keeps leading");
    await a.close();
    assert.equal(await b.tryLead(key), true);
  } finally {
    await a.close();
    await b.close();
  }
});

test("a NOTIFY reaches every listening process", { skip: !url && "TEST_DATABASE_URL is not set" }, async () => {
  const [a, b] = [postgresSideChannel(url!), postgresSideChannel(url!)];
  try {
    const got = Promise.all([a, b].map((c) => new Promise<string>((resolve) => void c.listen(resolve))));
    await new Promise((r) => setTimeout(r, 200));
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: url });
    await client.connect();
    await client.query("SELECT pg_notify('seatkeeper', 'hello')");
    await client.end();
    assert.deepEqual(await got, ["hello", "hello"]);
  } finally {
    await a.close();
    await b.close();
  }
});
