// Links in SCIM answers come from the configured public URL: a client's Host header is not
// to be trusted with what other clients are told to follow.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eachBackend } from "../support/suite.js";
import { scimClient, uniqueEmail, USER_URN } from "../support/scim.js";

eachBackend(
  "SCIM links use SEATKEEPER_PUBLIC_URL, never the Host header",
  ({ t }) => {
    test("meta.location, Location and $ref are built from the configured public URL", async () => {
      const scim = await scimClient(t());
      const base = "https://seats.example.com/seatkeeper/scim/v2";
      const created = await t().call("POST", "/scim/v2/Users", {
        token: scim.token,
        body: { schemas: [USER_URN], userName: uniqueEmail("linked") },
        headers: { host: "attacker.example", "x-forwarded-host": "attacker.example" },
      });
      assert.equal(created.status, 201);
      assert.equal(created.headers.location, `${base}/Users/${created.body.id}`);
      assert.equal(created.body.meta.location, `${base}/Users/${created.body.id}`);
      const group = await scim.group("Linked", [created.body.id]);
      assert.equal(group.members[0].$ref, `${base}/Users/${created.body.id}`);
      const user = await t().call("GET", `/scim/v2/Users/${created.body.id}`, { token: scim.token, headers: { host: "attacker.example" } });
      assert.equal(user.body.groups[0].$ref, `${base}/Groups/${group.id}`);
      const config = await t().call("GET", "/scim/v2/ServiceProviderConfig", { token: scim.token, headers: { host: "attacker.example" } });
      assert.equal(config.body.meta.location, `${base}/ServiceProviderConfig`);
      const schema = await t().call("GET", `/scim/v2/Schemas/${USER_URN}`, { token: scim.token, headers: { host: "attacker.example" } });
      assert.equal(schema.body.meta.location, `${base}/Schemas/${USER_URN}`);
    });
  },
  { SEATKEEPER_PUBLIC_URL: "https://seats.example.com/seatkeeper/" },
);
