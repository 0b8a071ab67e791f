import assert from "node:assert/strict";
import { test } from "node:test";
import { startReceiver } from "../../test/support/webhook-receiver.js";
import { send } from "./webhook-delivery.js";

test("a name that resolves to loopback is refused at connect time unless private targets are allowed", async () => {
  const receiver = await startReceiver();
  try {
    const url = receiver.url.replace("127.0.0.1", "localhost");
    const base = { url, body: "{}", headers: {}, timeoutMs: 2000, allowHttp: true };
    const refused = await send({ ...base, allowPrivate: false });
    assert.equal(refused.status, null);
    assert.match(String(refused.error), /refused/);
    assert.equal(receiver.received.length, 0, "nothing reached the receiver");
    const allowed = await send({ ...base, allowPrivate: true });
    assert.equal(allowed.status, 200);
    assert.equal(receiver.received.length, 1);
  } finally {
    await receiver.close();
  }
});

test("an answer that does not come within the deadline is a timeout", async () => {
  const receiver = await startReceiver();
  receiver.answer(() => "hang");
  try {
    const started = Date.now();
    const r = await send({ url: receiver.url, body: "{}", headers: {}, timeoutMs: 300, allowHttp: true, allowPrivate: true });
    assert.match(String(r.error), /timeout/);
    assert.ok(Date.now() - started < 2000);
  } finally {
    await receiver.close();
  }
});
