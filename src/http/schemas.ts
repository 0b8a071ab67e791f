// Request schemas shared by routes: they validate requests and document the API
// (/openapi.json). Response shapes live in src/domain/shapes.ts.
import { Type } from "typebox";
import { Problem } from "../domain/shapes.js";
import { DEFAULT_LIMIT, MAX_LIMIT } from "../store/pagination.js";

export const MIN_PASSWORD_LENGTH = 8;

export const Slug = Type.String({ pattern: "^[a-z0-9][a-z0-9-]{0,62}$", description: "product slug, e.g. remote-support-v5" });
export const Email = Type.String({ format: "email", maxLength: 254 });
export const Name = Type.String({ minLength: 1, maxLength: 200 });
export const Password = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 200 });
export const Id = Type.String({ maxLength: 100 });
/** An id in a path: any string, so that an unknown or malformed one, however long, is a 404 (never a 400). */
export const IdParam = Type.String({ description: "an id; an unknown or malformed one is a 404" });

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }),
  cursor: Type.Optional(Type.String({ maxLength: 1000 })),
};

/** Problem responses for the given statuses. */
export function problems(...statuses: number[]): Record<number, typeof Problem> {
  return Object.fromEntries(statuses.map((s) => [s, Problem]));
}

export const NoContent = Type.Null({ description: "No Content" });
