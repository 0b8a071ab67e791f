// Migrations in order; names start with a timestamp. A static list (rather than a
// folder scan) works the same from TypeScript sources and from the built JavaScript.
import type { Migration } from "kysely";
import * as foundation from "./20261125_0001_foundation.js";
import * as seatEngine from "./20261125_0002_seat_engine.js";
import * as scim from "./20261125_0003_scim.js";
import * as scimUserNames from "./20261202_0004_scim_user_names.js";
import * as seatCore from "./20261202_0006_seat_core.js";
import * as leasesAndEvents from "./20261202_0007_leases_and_events.js";
import * as demand from "./20261202_0008_demand.js";
import * as userAdmin from "./20261202_0009_user_admin.js";
import * as releaseOutcomes from "./20261202_0010_release_outcomes.js";

export const migrations: Record<string, Migration> = {
  "20261125_0001_foundation": foundation,
  "20261125_0002_seat_engine": seatEngine,
  "20261125_0003_scim": scim,
  "20261202_0004_scim_user_names": scimUserNames,
  "20261202_0006_seat_core": seatCore,
  "20261202_0007_leases_and_events": leasesAndEvents,
  "20261202_0008_demand": demand,
  "20261202_0009_user_admin": userAdmin,
  "20261202_0010_release_outcomes": releaseOutcomes,
};
