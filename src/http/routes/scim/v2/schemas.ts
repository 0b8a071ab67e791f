// The SCIM routes' request schemas, for the OpenAPI document only: SCIM bodies have
// case-insensitive attribute names, Entra's "True"/"False" booleans and ignored unknown
// attributes, which src/domain/scim reads and checks itself (answering SCIM errors). The
// User schema is derived from the attribute definitions /Schemas serves.
import { IdParam } from "../../../schemas.js";
import { Type, type TSchema } from "typebox";
import { MAX_FILTER_LENGTH } from "../../../../domain/scim/filter.js";
import {
  MAX_ATTRIBUTES_SIZE, MAX_BINARY_LENGTH, MAX_IDENTIFIER_LENGTH, MAX_MEMBERS_PER_REQUEST, MAX_PATCH_OPERATIONS, MAX_STRING_LENGTH,
  MAX_USER_NAME_LENGTH, MAX_VALUES, MIN_SCIM_PASSWORD_LENGTH,
} from "../../../../domain/scim/resources.js";
import {
  CORE_USER_URN, ENTERPRISE_USER_URN, enterpriseAttributes, userAttributes, type AttributeDefinition,
} from "../../../../domain/scim/schemas.js";

export const DOCUMENTATION_ONLY =
  "Documentation: the SCIM server reads the body itself (attribute names and URNs in any case, unknown attributes ignored) and answers bad data with a SCIM error.";

/** A JSON Schema pattern matching these words in any case (JSON Schema patterns have no flags). */
function anyCase(...words: string[]): string {
  const letters = (w: string) => [...w].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c)).join("");
  return `^(${words.map(letters).join("|")})$`;
}

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const ScimBoolean = Type.Union([Type.Boolean(), Type.String({ pattern: anyCase("true", "false") })], {
  description: 'true or false; the strings "True" and "False" (Entra ID) too',
});

/**
 * An object with these optional properties. A property named `$ref` is written as a pattern:
 * OpenAPI tools read a `$ref` key anywhere as a reference.
 */
function objectOf(properties: [string, TSchema][], description?: string): TSchema {
  const plain = properties.filter(([name]) => name !== "$ref");
  const ref = properties.find(([name]) => name === "$ref");
  return Type.Object(Object.fromEntries(plain.map(([name, schema]) => [name, Type.Optional(schema)])), {
    additionalProperties: true,
    ...(ref && { patternProperties: { "^\\$ref$": ref[1] } }),
    ...(description && { description }),
  });
}

const ATTRIBUTE_NAMES = new Set(["userName", "active", "password"]);

function valueSchema(definition: AttributeDefinition): TSchema {
  switch (definition.type) {
    case "boolean":
      return ScimBoolean;
    case "binary":
      return Type.String({ maxLength: MAX_BINARY_LENGTH, pattern: "^[A-Za-z0-9+/=\\s]*$", description: definition.description });
    case "complex": {
      const subs = definition.subAttributes!.filter((s) => s.mutability !== "readOnly");
      const object = objectOf(subs.map((s) => [s.name, nullable(valueSchema(s))]), definition.description);
      if (definition.multiValued) {
        return Type.Union([Type.Array(object, { maxItems: MAX_VALUES }), object], { description: `${definition.description} A single value is a list of one.` });
      }
      // A manager may be its bare id, or a list of one.
      return subs.some((s) => s.name === "value") ? Type.Union([object, Type.String({ maxLength: MAX_STRING_LENGTH }), Type.Array(object, { minItems: 1, maxItems: 1 })]) : object;
    }
    default:
      return Type.String({ maxLength: MAX_STRING_LENGTH, description: definition.description });
  }
}

function kept(definitions: AttributeDefinition[]): Record<string, TSchema> {
  return Object.fromEntries(
    definitions.filter((d) => !ATTRIBUTE_NAMES.has(d.name)).map((d) => [d.name, Type.Optional(nullable(d.mutability === "readOnly" ? Type.Array(Type.Unknown(), { description: `${d.description} Ignored when written.` }) : valueSchema(d)))]),
  );
}

export const ScimUserBody = Type.Object(
  {
    schemas: Type.Optional(Type.Array(Type.String(), { description: `Must list ${CORE_USER_URN} when present` })),
    id: Type.Optional(Type.String({ description: "Ignored on POST; on PUT, the id of the path when present" })),
    externalId: Type.Optional(nullable(Type.String({ maxLength: MAX_IDENTIFIER_LENGTH, description: "The provider's id for the user: stored as sent, not unique" }))),
    userName: Type.String({ minLength: 1, maxLength: MAX_USER_NAME_LENGTH, pattern: "\\S", description: "Any string, unique in the account (case-insensitive)" }),
    active: Type.Optional(nullable(ScimBoolean)),
    password: Type.Optional(Type.String({ minLength: MIN_SCIM_PASSWORD_LENGTH, maxLength: 200, description: "Becomes the user's sign-in password; never returned" })),
    ...kept(userAttributes),
    [ENTERPRISE_USER_URN]: Type.Optional(nullable(Type.Object(kept(enterpriseAttributes), { additionalProperties: true }))),
    meta: Type.Optional(Type.Unknown({ description: "Read-only: ignored" })),
  },
  { additionalProperties: true, description: `A SCIM User (RFC 7643 §4.1). The kept attributes take at most ${MAX_ATTRIBUTES_SIZE} characters of JSON. ${DOCUMENTATION_ONLY}` },
);

const Member = Type.Intersect([
  Type.Object({ value: Type.String({ minLength: 1, description: "A user id of the account" }) }),
  objectOf([["display", nullable(Type.String())], ["type", nullable(Type.String())], ["$ref", nullable(Type.String())]]),
]);

export const ScimGroupBody = Type.Object(
  {
    schemas: Type.Optional(Type.Array(Type.String(), { description: "Must list urn:ietf:params:scim:schemas:core:2.0:Group when present" })),
    id: Type.Optional(Type.String()),
    displayName: Type.String({ minLength: 1, maxLength: 200, pattern: "\\S" }),
    externalId: Type.Optional(nullable(Type.String({ maxLength: MAX_IDENTIFIER_LENGTH, description: "Stored as sent, not unique" }))),
    members: Type.Optional(nullable(Type.Array(Member, { maxItems: MAX_MEMBERS_PER_REQUEST }))),
    meta: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: true, description: `A SCIM Group (RFC 7643 §4.2). ${DOCUMENTATION_ONLY}` },
);

export const ScimPatchBody = Type.Object(
  {
    schemas: Type.Optional(Type.Array(Type.String(), { description: "Must list urn:ietf:params:scim:api:messages:2.0:PatchOp when present" })),
    Operations: Type.Array(
      Type.Object(
        {
          op: Type.String({ pattern: anyCase("add", "replace", "remove"), description: "add, replace or remove, in any case (Entra ID sends Add, Replace, Remove)" }),
          path: Type.Optional(Type.String({ maxLength: MAX_FILTER_LENGTH, description: 'An attribute path, e.g. name.givenName, emails[type eq "work"].value, members[value eq "usr_…"]; required by remove' })),
          value: Type.Optional(Type.Unknown({ description: "Required by add and replace; without a path, an object of attributes" })),
        },
        { additionalProperties: true },
      ),
      { minItems: 1, maxItems: MAX_PATCH_OPERATIONS },
    ),
  },
  { additionalProperties: true, description: `A SCIM PatchOp (RFC 7644 §3.5.2). ${DOCUMENTATION_ONLY}` },
);

const integer = (description: string) => Type.Integer({ minimum: -999_999_999, maximum: 999_999_999, description });
const Attributes = {
  attributes: Type.Optional(Type.String({ description: "Comma-separated attributes to return (id and schemas always are)" })),
  excludedAttributes: Type.Optional(Type.String({ description: "Comma-separated attributes not to return" })),
};

export const ScimListQuery = Type.Object(
  {
    filter: Type.Optional(Type.String({ maxLength: MAX_FILTER_LENGTH, description: 'e.g. userName eq "bjensen", emails[type eq "work"].value eq "b@example.com"' })),
    startIndex: Type.Optional(integer("1-based; below 1 means 1")),
    count: Type.Optional(integer("Default 100, at most 500; below 0 means 0")),
    sortBy: Type.Optional(Type.String({ description: "A single-valued attribute, or emails (by the sign-in email)" })),
    sortOrder: Type.Optional(Type.String({ pattern: anyCase("ascending", "descending") })),
    ...Attributes,
  },
  { additionalProperties: true, description: "Parameter names are case-insensitive" },
);

export const ScimResourceQuery = Type.Object(Attributes, { additionalProperties: true });

export const IfMatchHeaders = Type.Object(
  { "if-match": Type.Optional(Type.String({ description: "A meta.version (ETag) or *: another version is 412" })) },
  { additionalProperties: true },
);

export const IdParams = Type.Object({ id: IdParam });
