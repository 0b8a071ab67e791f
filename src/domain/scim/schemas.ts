// The SCIM discovery documents (RFC 7643 §5–7): what this server supports, described
// once here and served by /ServiceProviderConfig, /ResourceTypes and /Schemas.

export const CORE_USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";
export const CORE_GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE_USER_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_OP_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";
export const SERVICE_PROVIDER_CONFIG_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
export const RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
export const SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema";

export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 500;

export interface AttributeDefinition {
  name: string;
  type: "string" | "boolean" | "complex" | "dateTime" | "reference" | "binary";
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: "readOnly" | "readWrite" | "immutable" | "writeOnly";
  returned: "always" | "never" | "default" | "request";
  uniqueness: "none" | "server" | "global";
  description: string;
  subAttributes?: AttributeDefinition[];
  referenceTypes?: string[];
  canonicalValues?: string[];
}

function attr(name: string, type: AttributeDefinition["type"], description: string, options: Partial<AttributeDefinition> = {}): AttributeDefinition {
  return {
    name, type, description, multiValued: false, required: false, caseExact: false, mutability: "readWrite",
    returned: "default", uniqueness: "none", ...options,
  };
}

const KEPT = "Kept and returned as written.";

/** A multi-valued attribute of RFC 7643 §2.4: elements with value, display, type and primary. */
function plural(name: string, description: string, value: AttributeDefinition, types: string[]): AttributeDefinition {
  return attr(name, "complex", description, {
    multiValued: true,
    subAttributes: [
      value,
      attr("display", "string", "A human-readable name. Kept as written."),
      attr("type", "string", "A label for the value's function. Kept as written.", types.length > 0 ? { canonicalValues: types } : {}),
      attr("primary", "boolean", "The primary value: at most one value is primary."),
    ],
  });
}

export const userAttributes: AttributeDefinition[] = [
  attr("userName", "string", "Any string the identity provider chooses, unique in the account (case-insensitive). Also the sign-in email when the user has no email.", { required: true, uniqueness: "server" }),
  attr("name", "complex", "The user's name; formatted, else givenName and familyName, names the user when displayName is absent.", {
    subAttributes: [
      attr("formatted", "string", "The full name."),
      attr("familyName", "string", "Family name."),
      attr("givenName", "string", "Given name."),
      attr("middleName", "string", `Middle name. ${KEPT}`),
      attr("honorificPrefix", "string", `Honorific prefix. ${KEPT}`),
      attr("honorificSuffix", "string", `Honorific suffix. ${KEPT}`),
    ],
  }),
  attr("displayName", "string", "The name shown in the admin center."),
  attr("nickName", "string", KEPT),
  attr("profileUrl", "reference", KEPT, { referenceTypes: ["external"] }),
  attr("title", "string", KEPT),
  attr("userType", "string", KEPT),
  attr("preferredLanguage", "string", KEPT),
  attr("locale", "string", KEPT),
  attr("timezone", "string", KEPT),
  attr("active", "boolean", "false suspends the user: tokens revoked, shared sessions ended, seats freed."),
  attr("password", "string", "Becomes the user's sign-in password (8 to 200 characters).", { mutability: "writeOnly", returned: "never" }),
  plural(
    "emails",
    "Kept as written. The sign-in email is the primary one, else the first of type work, else userName when it is an email address; a user without one is provisioned and holds seats but cannot sign in.",
    attr("value", "string", "An email address."),
    ["work", "home", "other"],
  ),
  plural("phoneNumbers", KEPT, attr("value", "string", "A phone number, as written."), ["work", "home", "mobile", "fax", "pager", "other"]),
  plural("ims", KEPT, attr("value", "string", "An instant messaging address."), ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]),
  plural("photos", KEPT, attr("value", "reference", "The URL of a photo.", { referenceTypes: ["external"] }), ["photo", "thumbnail"]),
  attr("addresses", "complex", KEPT, {
    multiValued: true,
    subAttributes: [
      attr("formatted", "string", "The full address."),
      attr("streetAddress", "string", "Street address."),
      attr("locality", "string", "City or locality."),
      attr("region", "string", "State or region."),
      attr("postalCode", "string", "Postal code."),
      attr("country", "string", "Country."),
      attr("type", "string", "A label for the address.", { canonicalValues: ["work", "home", "other"] }),
      attr("primary", "boolean", "The primary address: at most one is primary."),
    ],
  }),
  attr("groups", "complex", "The groups the user is a member of (change them through the Groups endpoint).", {
    multiValued: true,
    mutability: "readOnly",
    subAttributes: [
      attr("value", "string", "The group's id.", { mutability: "readOnly", caseExact: true }),
      attr("$ref", "reference", "The group's URI.", { mutability: "readOnly", referenceTypes: ["Group"] }),
      attr("display", "string", "The group's displayName.", { mutability: "readOnly" }),
    ],
  }),
  plural("entitlements", KEPT, attr("value", "string", "An entitlement."), []),
  plural("roles", `${KEPT} Seatkeeper roles are set in the admin center.`, attr("value", "string", "A role."), []),
  plural("x509Certificates", KEPT, attr("value", "binary", "A DER certificate, base64-encoded."), []),
];

export const enterpriseAttributes: AttributeDefinition[] = [
  attr("employeeNumber", "string", KEPT),
  attr("costCenter", "string", KEPT),
  attr("organization", "string", KEPT),
  attr("division", "string", KEPT),
  attr("department", "string", KEPT),
  attr("manager", "complex", `${KEPT} A manager written as a bare id (as Entra ID sends it) is its value.`, {
    subAttributes: [
      attr("value", "string", "The manager's id."),
      attr("$ref", "reference", "The manager's URI.", { referenceTypes: ["User"] }),
      attr("displayName", "string", "The manager's name (read-only: not kept).", { mutability: "readOnly" }),
    ],
  }),
];

const groupAttributes: AttributeDefinition[] = [
  attr("displayName", "string", "The group's name.", { required: true }),
  attr("members", "complex", "Users of the account (nested groups are not supported).", {
    multiValued: true,
    subAttributes: [
      attr("value", "string", "The user's id.", { mutability: "immutable", caseExact: true }),
      attr("$ref", "reference", "The user's URI.", { mutability: "immutable", referenceTypes: ["User"] }),
      attr("display", "string", "The user's name.", { mutability: "readOnly" }),
      attr("type", "string", "Always User.", { mutability: "immutable" }),
    ],
  }),
];

function schema(id: string, name: string, description: string, attributes: AttributeDefinition[], base: string) {
  return { schemas: [SCHEMA_URN], id, name, description, attributes, meta: { resourceType: "Schema", location: `${base}/Schemas/${id}` } };
}

export function schemaDocuments(base: string) {
  return [
    schema(CORE_USER_URN, "User", "User Account", userAttributes, base),
    schema(CORE_GROUP_URN, "Group", "Group", groupAttributes, base),
    schema(ENTERPRISE_USER_URN, "EnterpriseUser", "Enterprise User", enterpriseAttributes, base),
  ];
}

export function resourceTypeDocuments(base: string) {
  return [
    {
      schemas: [RESOURCE_TYPE_URN], id: "User", name: "User", endpoint: "/Users", description: "User Account", schema: CORE_USER_URN,
      schemaExtensions: [{ schema: ENTERPRISE_USER_URN, required: false }],
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [RESOURCE_TYPE_URN], id: "Group", name: "Group", endpoint: "/Groups", description: "Group", schema: CORE_GROUP_URN,
      schemaExtensions: [],
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/Group` },
    },
  ];
}

export function serviceProviderConfig(base: string) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_URN],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: true },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      { type: "oauthbearertoken", name: "Bearer token", description: "A SCIM token made by an admin of the account (Settings → SCIM provisioning).", primary: true },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
  };
}
