// Schemas shared by routes: they validate requests and document the API (/openapi.json).
import { Type, type TSchema } from "typebox";
import { DEFAULT_LIMIT, MAX_LIMIT } from "../store/pagination.js";

export const MIN_PASSWORD_LENGTH = 8;

export const Slug = Type.String({ pattern: "^[a-z0-9][a-z0-9-]{0,62}$", description: "product slug, e.g. remote-support-v5" });
export const Email = Type.String({ format: "email", maxLength: 254 });
export const Name = Type.String({ minLength: 1, maxLength: 200 });
export const Password = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 200 });
/** A string enum that validates with one clear error ("must be one of: …"). */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });
}

export const Role = StringEnum(["admin", "manager", "agent"]);
export const PrivilegeList = Type.Array(StringEnum(["users:write", "seats:manage"]), { uniqueItems: true, maxItems: 2 });
export const SeatType = StringEnum(["named", "concurrent"]);
export const Id = Type.String({ maxLength: 100 });
/** An id in a path: any string, so that an unknown or malformed one, however long, is a 404 (never a 400). */
export const IdParam = Type.String({ description: "an id; an unknown or malformed one is a 404" });
/** RFC 3339; as input, only what a Date and the database hold exactly (src/domain/timestamp.ts). */
export const Timestamp = Type.String({ format: "date-time" });

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }),
  cursor: Type.Optional(Type.String({ maxLength: 1000 })),
};

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, description: "application/problem+json" },
);

export function page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

/** Extension: null for a user provisioned by SCIM without an email (it cannot sign in until it has one). */
export const SignInEmail = Type.Union([Type.String(), Type.Null()], {
  description: "the sign-in email; null for a user provisioned by SCIM without one, who cannot sign in until it has one",
});

export const UserSummary = Type.Object({
  id: Type.String(),
  email: SignInEmail,
  name: Type.String(),
  role: Role,
  privileges: PrivilegeList,
  billingContact: Type.Boolean(),
});

export const User = Type.Object({
  ...UserSummary.properties,
  userName: Type.String({ description: "extension: the SCIM userName, which is the email for users SCIM never wrote" }),
  active: Type.Boolean(),
  hasPassword: Type.Boolean(),
  externalId: Type.Union([Type.String(), Type.Null()]),
  seats: Type.Array(Type.Object({ product: Type.String(), type: SeatType, source: Type.String() })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const Product = Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String(), createdAt: Timestamp });

export const AccountSettings = Type.Object({
  leaseTtlSeconds: Type.Integer({ minimum: 5, maximum: 3600 }),
  pendingTimeoutSeconds: Type.Integer({ minimum: 5, maximum: 86400 }),
  endedCooldownSeconds: Type.Integer({ minimum: 0, maximum: 3600 }),
});

export const Account = Type.Object({ id: Type.String(), name: Type.String(), settings: AccountSettings, createdAt: Timestamp });

/** Problem responses for the given statuses, for the OpenAPI document. */
export function problems(...statuses: number[]): Record<number, typeof Problem> {
  return Object.fromEntries(statuses.map((s) => [s, Problem]));
}

export const NoContent = Type.Null({ description: "No Content" });

/** Extension: a release request as its agent sees it, with how it closed (GET /me/release-requests). */
export const ReleaseOutcome = StringEnum(["seat_granted", "gave_up", "dismissed", "resolved"], {
  description: "seat_granted: the agent got a seat; gave_up: its queue place lapsed or its seat went; dismissed / resolved: by an admin, with a note",
});

export const ClosedReleaseRequest = Type.Object({
  id: Type.String(),
  product: Type.String(),
  productName: Type.String(),
  message: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  status: StringEnum(["open", "closed"]),
  closedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  outcome: Type.Union([ReleaseOutcome, Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()], { description: "the admin's note to the agent" }),
  closedBy: Type.Union([Type.String(), Type.Null()], { description: "the name of the admin who closed it" }),
});
