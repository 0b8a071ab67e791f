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

interface AttributeDefinition {
  name: string;
  type: "string" | "boolean" | "complex" | "dateTime" | "reference";
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: "readOnly" | "readWrite" | "immutable" | "writeOnly";
  returned: "always" | "never" | "default" | "request";
  uniqueness: "none" | "server" | "global";
  description: string;
  subAttributes?: AttributeDefinition[];
  referenceTypes?: string[];
}

function attr(name: string, type: AttributeDefinition["type"], description: string, options: Partial<AttributeDefinition> = {}): AttributeDefinition {
  return {
    name, type, description, multiValued: false, required: false, caseExact: false, mutability: "readWrite",
    returned: "default", uniqueness: "none", ...options,
  };
}

const userAttributes: AttributeDefinition[] = [
  attr("userName", "string", "The user's email address, unique across the deployment (case-insensitive).", { required: true, uniqueness: "server" }),
  attr("name", "complex", "The user's name.", {
    subAttributes: [
      attr("formatted", "string", "The full name."),
      attr("givenName", "string", "Given name."),
      attr("familyName", "string", "Family name."),
    ],
  }),
  attr("displayName", "string", "The name shown in the admin center."),
  attr("active", "boolean", "false suspends the user: tokens revoked, shared sessions ended, seats freed."),
  attr("password", "string", "Becomes the user's sign-in password (8 characters or more).", { mutability: "writeOnly", returned: "never" }),
  attr("emails", "complex", "The userName, as the primary work address (read from userName).", {
    multiValued: true,
    subAttributes: [attr("value", "string", "The address."), attr("type", "string", "Always work."), attr("primary", "boolean", "Always true.")],
  }),
  attr("groups", "complex", "The groups the user is a member of.", {
    multiValued: true,
    mutability: "readOnly",
    subAttributes: [
      attr("value", "string", "The group's id.", { mutability: "readOnly", caseExact: true }),
      attr("$ref", "reference", "The group's URI.", { mutability: "readOnly", referenceTypes: ["Group"] }),
      attr("display", "string", "The group's displayName.", { mutability: "readOnly" }),
    ],
  }),
];

const enterpriseAttributes: AttributeDefinition[] = [
  attr("employeeNumber", "string", "Stored and returned as sent."),
  attr("costCenter", "string", "Stored and returned as sent."),
  attr("organization", "string", "Stored and returned as sent."),
  attr("division", "string", "Stored and returned as sent."),
  attr("department", "string", "Stored and returned as sent."),
  attr("manager", "complex", "Stored and returned as sent.", {
    subAttributes: [attr("value", "string", "The manager's id."), attr("displayName", "string", "The manager's name.", { mutability: "readOnly" })],
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

export function serviceProviderConfig(base: string, documentationUri: string) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_URN],
    documentationUri,
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
