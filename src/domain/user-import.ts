// CSV user import, as pure rules: read the file into rows, check each row on its own,
// then plan the whole import against the account as it is (existing users, emails taken
// elsewhere, subscriptions, named seats left, admin and billing-contact guards). The
// service loads that state, asks here, and writes the plan only when it has no error.
import { checkUserChange, ROLES, type AccountGuards, type Actor, type Role } from "./access.js";
import { detectDelimiter, parseCsv, type CsvDelimiter } from "./csv.js";
import { validationFailed, type MessageParams } from "./errors.js";
import { SEAT_TYPES, type SeatType } from "./seat-rules.js";

export const IMPORT_COLUMNS = ["email", "name", "role", "seats", "password"] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly ImportColumn[] = ["email", "name"];

export const MAX_EMAIL_LENGTH = 254;
export const MAX_NAME_LENGTH = 200;
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 200;
/** A row lists each product once; far more than any catalogue holds is a mistake, refused in one error. */
export const MAX_SEATS_PER_ROW = 100;

// The "email" format of ajv-formats, which the JSON API validates with.
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** One data row. `row` is the line of the file where it starts: the header is line 1. */
export interface ImportRow {
  row: number;
  email: string;
  emailLower: string;
  name: string;
  /** null: the column is absent or the cell empty (new users become agents, existing ones keep theirs). */
  role: Role | null;
  /** null: no seats column, seats stay as they are; otherwise the seats listed, by product slug. */
  seats: Map<string, SeatType> | null;
  /** null: keep the current password (a new user gets none and cannot sign in until one is set). */
  password: string | null;
}

/** A row error before translation: `key` names a field message of ./messages.ts. */
export interface RowError {
  row: number;
  field: string;
  key: string;
  params?: MessageParams;
}

export interface ImportFile {
  rows: ImportRow[];
  errors: RowError[];
  hasSeatsColumn: boolean;
  /** Some row lists seats: the importer needs "manage seats". */
  listsSeats: boolean;
  delimiter: CsvDelimiter;
}

/**
 * What the seats column means: `replace`, each row lists the user's complete set (unlisted
 * seats are revoked; the default); `add`, the listed seats are granted (or switched to the
 * listed type) and nothing is revoked.
 */
export type SeatsMode = "replace" | "add";
export const SEATS_MODES: readonly SeatsMode[] = ["replace", "add"];

/**
 * Reads the file and checks each row on its own. A file that cannot be read as an import
 * (bad CSV, bad header, no data rows) is a 400 for the whole request.
 */
export function readImportFile(text: string): ImportFile {
  const delimiter = detectDelimiter(text);
  const csv = parseCsv(text, delimiter);
  if (!csv.ok) throw validationFailed("body", csv.key, { line: csv.line });
  if (csv.records.length === 0) throw validationFailed("body", "csvEmpty");
  const [header, ...data] = csv.records;
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const index = new Map<ImportColumn, number>();
  for (const [i, column] of columns.entries()) {
    if (!(IMPORT_COLUMNS as readonly string[]).includes(column)) {
      throw validationFailed("header", "csvUnknownColumn", { column: header.fields[i], columns: IMPORT_COLUMNS.join(", ") });
    }
    if (index.has(column as ImportColumn)) throw validationFailed("header", "csvDuplicateColumn", { column });
    index.set(column as ImportColumn, i);
  }
  for (const required of REQUIRED_COLUMNS) {
    if (!index.has(required)) throw validationFailed("header", "csvMissingColumn", { column: required });
  }
  if (data.length === 0) throw validationFailed("body", "csvNoRows");

  const errors: RowError[] = [];
  const rows: ImportRow[] = [];
  const firstRowOf = new Map<string, number>();
  let listsSeats = false;
  for (const record of data) {
    const row = record.line;
    if (record.fields.length !== columns.length) {
      errors.push({ row, field: "row", key: "csvFieldCount", params: { expected: columns.length, actual: record.fields.length } });
      continue;
    }
    const cell = (column: ImportColumn) => {
      const i = index.get(column);
      return i === undefined ? undefined : record.fields[i];
    };
    const before = errors.length;
    const email = cell("email")!.trim();
    if (email === "") errors.push({ row, field: "email", key: "required" });
    else if (email.length > MAX_EMAIL_LENGTH) errors.push({ row, field: "email", key: "maxLength", params: { limit: MAX_EMAIL_LENGTH } });
    else if (!EMAIL.test(email)) errors.push({ row, field: "email", key: "format", params: { format: "email" } });
    const emailLower = email.toLowerCase();
    if (errors.length === before) {
      const first = firstRowOf.get(emailLower);
      if (first !== undefined) errors.push({ row, field: "email", key: "importDuplicateEmail", params: { first } });
      else firstRowOf.set(emailLower, row);
    }

    const name = cell("name")!.trim();
    if (name === "") errors.push({ row, field: "name", key: "required" });
    else if (name.length > MAX_NAME_LENGTH) errors.push({ row, field: "name", key: "maxLength", params: { limit: MAX_NAME_LENGTH } });

    const roleCell = (cell("role") ?? "").trim().toLowerCase();
    let role: Role | null = null;
    if (roleCell !== "") {
      if ((ROLES as readonly string[]).includes(roleCell)) role = roleCell as Role;
      else errors.push({ row, field: "role", key: "enum", params: { values: ROLES.join(", ") } });
    }

    const seatsCell = cell("seats");
    let seats: Map<string, SeatType> | null = null;
    if (seatsCell !== undefined) {
      seats = new Map();
      // Seats are separated by ";"; in a ";"-separated file (a quoted cell) "," works too.
      const parts = seatsCell.split(delimiter === ";" ? /[;,]/ : ";").map((p) => p.trim()).filter(Boolean);
      if (parts.length > 0) listsSeats = true;
      if (parts.length > MAX_SEATS_PER_ROW) errors.push({ row, field: "seats", key: "importTooManySeats", params: { count: parts.length, max: MAX_SEATS_PER_ROW } });
      else for (const part of parts) {
        const colon = part.lastIndexOf(":");
        const slug = (colon < 0 ? part : part.slice(0, colon)).trim().toLowerCase();
        const type = colon < 0 ? "" : part.slice(colon + 1).trim().toLowerCase();
        if (colon < 0 || !SLUG.test(slug)) errors.push({ row, field: "seats", key: "importSeatFormat", params: { value: part } });
        else if (!(SEAT_TYPES as readonly string[]).includes(type)) errors.push({ row, field: "seats", key: "importSeatType", params: { value: part } });
        else if (seats.has(slug)) errors.push({ row, field: "seats", key: "importProductTwice", params: { product: slug } });
        else seats.set(slug, type as SeatType);
      }
    }

    const passwordCell = cell("password") ?? "";
    const password = passwordCell === "" ? null : passwordCell;
    if (password !== null && password.length < MIN_PASSWORD_LENGTH) errors.push({ row, field: "password", key: "minLength", params: { limit: String(MIN_PASSWORD_LENGTH) } });
    if (password !== null && password.length > MAX_PASSWORD_LENGTH) errors.push({ row, field: "password", key: "maxLength", params: { limit: MAX_PASSWORD_LENGTH } });

    rows.push({ row, email, emailLower, name, role, seats, password });
  }
  return { rows, errors, hasSeatsColumn: index.has("seats"), listsSeats, delimiter };
}

// ---------------------------------------------------------------------------------------
// Planning against the account

export interface ExistingUser {
  id: string;
  name: string;
  role: Role;
  privileges: readonly string[];
  billingContact: boolean;
  active: boolean;
  /** Current seats by product id. */
  seats: Map<string, SeatType>;
  /** Products whose seat a SCIM group mapping gave: the mapping owns it, an import leaves it be. */
  groupSeats: Set<string>;
  /** Open support sessions by product id: a revocation ends them. */
  openSessions: Map<string, number>;
}

export interface ImportState {
  actor: Actor;
  /** Users of this account, by lower-cased email. */
  existing: Map<string, ExistingUser>;
  /** Lower-cased emails used in other accounts (emails are unique across the deployment). */
  takenElsewhere: Set<string>;
  /** The catalogue, by slug. */
  products: Map<string, { id: string; slug: string }>;
  /** The account's subscription lines, by product id. */
  subscriptions: Map<string, { namedTotal: number; namedAssigned: number }>;
  guards: AccountGuards;
}

export interface PlannedCreate {
  row: number;
  email: string;
  name: string;
  role: Role;
  password: string | null;
}

export interface PlannedUpdate {
  row: number;
  emailLower: string;
  user: ExistingUser;
  name: string;
  role: Role;
  privileges: string[];
  billingContact: boolean;
  password: string | null;
  /** What changes, for the audit log: name, role, privileges, billingContact, password. */
  changed: string[];
}

export interface PlannedSeat {
  row: number;
  /** The row's email, lower-cased: new users have no id until they are written. */
  emailLower: string;
  productId: string;
  product: string;
  type: SeatType;
  /** The type held before, for a grant that changes type; for a revocation, the type revoked. */
  previous: SeatType | null;
  /** Open support sessions of the user on that product: a revocation ends them, a switch to concurrent may. */
  openSessions: number;
}

export interface ImportPlan {
  errors: RowError[];
  creates: PlannedCreate[];
  updates: PlannedUpdate[];
  unchanged: number;
  grants: PlannedSeat[];
  revokes: PlannedSeat[];
}

/** Plans every row; the errors say what keeps the import from being written. */
export function planImport(file: ImportFile, state: ImportState, seatsMode: SeatsMode = "replace"): ImportPlan {
  const errors: RowError[] = [...file.errors];
  // A row with an error of its own is not planned: what it would do is unknown.
  const badRows = new Set(file.errors.map((e) => e.row));
  const plan: ImportPlan = { errors, creates: [], updates: [], unchanged: 0, grants: [], revokes: [] };
  const slugs = new Map([...state.products.values()].map((p) => [p.id, p.slug]));
  const demotions: { row: number; billing: boolean }[] = [];
  let adminsGained = 0;
  /** Rows taking a named seat, in file order, and named seats the import frees, per product id. */
  const namedTaken = new Map<string, number[]>();
  const namedFreed = new Map<string, number>();

  for (const r of file.rows) {
    if (badRows.has(r.row)) continue;
    if (state.takenElsewhere.has(r.emailLower)) {
      errors.push({ row: r.row, field: "email", key: "importEmailTaken" });
      continue;
    }
    const user = state.existing.get(r.emailLower);

    const grants: PlannedSeat[] = [];
    const revokes: PlannedSeat[] = [];
    if (r.seats) {
      const current = user?.seats ?? new Map<string, SeatType>();
      for (const [slug, type] of r.seats) {
        const product = state.products.get(slug);
        if (!product) errors.push({ row: r.row, field: "seats", key: "importUnknownProduct", params: { product: slug } });
        else if (!state.subscriptions.has(product.id)) errors.push({ row: r.row, field: "seats", key: "importNoSubscription", params: { product: slug } });
        else if (user?.groupSeats.has(product.id) && current.get(product.id) !== type) {
          errors.push({ row: r.row, field: "seats", key: "importGroupSeat", params: { product: slug } });
        } else if (current.get(product.id) !== type) {
          const previous = current.get(product.id) ?? null;
          const openSessions = previous ? user?.openSessions.get(product.id) ?? 0 : 0;
          grants.push({ row: r.row, emailLower: r.emailLower, productId: product.id, product: slug, type, previous, openSessions });
        }
      }
      // In replace mode the seats column is the complete set: a seat it does not list is
      // revoked, unless a group mapping gave it (the identity provider's groups decide those).
      for (const [productId, type] of seatsMode === "replace" ? current : []) {
        const slug = slugs.get(productId) ?? productId;
        if (!r.seats.has(slug) && !user?.groupSeats.has(productId)) {
          revokes.push({ row: r.row, emailLower: r.emailLower, productId, product: slug, type, previous: type, openSessions: user?.openSessions.get(productId) ?? 0 });
        }
      }
    }

    if (!user) {
      const role = r.role ?? "agent";
      if (checkUserChange(state.actor, null, { role, privileges: [], billingContact: false })) errors.push({ row: r.row, field: "role", key: "importAdminOnly" });
      if (role === "admin") adminsGained++;
      plan.creates.push({ row: r.row, email: r.email, name: r.name, role, password: r.password });
    } else {
      const role = r.role ?? user.role;
      // Admins only can be billing contacts: a demotion ends that duty, as in PATCH /users.
      const billingContact = role === "admin" ? user.billingContact : false;
      const heldPrivileges = user.role === "manager" ? [...user.privileges] : [];
      const privileges = role === "manager" ? heldPrivileges : [];
      const changed = [
        ...(r.name !== user.name ? ["name"] : []),
        ...(role !== user.role ? ["role"] : []),
        ...(privileges.join() !== heldPrivileges.join() ? ["privileges"] : []),
        ...(billingContact !== user.billingContact ? ["billingContact"] : []),
        ...(r.password !== null ? ["password"] : []),
      ];
      const denied = changed.length > 0
        && checkUserChange(state.actor, { role: user.role, privileges: user.privileges, billingContact: user.billingContact }, { role, privileges, billingContact });
      // A user the importer does not cover is named by the row's email: the row may change
      // nothing about it, whatever the columns say.
      if (denied && denied.params.reason === "outranked") errors.push({ row: r.row, field: "email", key: "importOutranked" });
      else if (denied) errors.push({ row: r.row, field: "role", key: "importAdminOnly" });
      if (role !== user.role && user.active) {
        if (user.role === "admin") demotions.push({ row: r.row, billing: user.billingContact });
        if (role === "admin") adminsGained++;
      }
      if (changed.length > 0 || grants.length + revokes.length > 0) {
        plan.updates.push({ row: r.row, emailLower: r.emailLower, user, name: r.name, role, privileges, billingContact, password: r.password, changed });
      } else {
        plan.unchanged++;
      }
    }

    for (const g of grants) {
      if (g.type === "named") {
        const rows = namedTaken.get(g.productId) ?? [];
        rows.push(g.row);
        namedTaken.set(g.productId, rows);
      }
      if (g.previous === "named") namedFreed.set(g.productId, (namedFreed.get(g.productId) ?? 0) + 1);
    }
    for (const v of revokes) if (v.type === "named") namedFreed.set(v.productId, (namedFreed.get(v.productId) ?? 0) + 1);
    plan.grants.push(...grants);
    plan.revokes.push(...revokes);
  }

  // Named seats, counted over the whole import: the rows past what is left get the error.
  for (const [productId, rows] of namedTaken) {
    const line = state.subscriptions.get(productId)!;
    const kept = line.namedAssigned - (namedFreed.get(productId) ?? 0);
    const left = Math.max(0, line.namedTotal - kept);
    for (const row of rows.slice(left)) {
      errors.push({ row, field: "seats", key: "importNoNamedSeat", params: { product: slugs.get(productId)!, total: line.namedTotal, needed: kept + rows.length } });
    }
  }

  // The account keeps an active admin and a billing contact, whatever the import does.
  if (state.guards.activeAdmins - demotions.length + adminsGained < 1) {
    for (const d of demotions) errors.push({ row: d.row, field: "role", key: "importLastAdmin" });
  }
  if (state.guards.billingContacts - demotions.filter((d) => d.billing).length < 1) {
    for (const d of demotions.filter((x) => x.billing)) errors.push({ row: d.row, field: "role", key: "importLastBillingContact" });
  }

  errors.sort((a, b) => a.row - b.row);
  return plan;
}
