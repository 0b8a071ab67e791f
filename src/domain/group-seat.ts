// Seats from SCIM groups (S7): which seat of one product a user should hold, given the
// mapped groups it belongs to. Pure; the service locks the subscription row, reads the
// inputs under that lock, and carries the decision out through the seat grant/revoke.
import type { SeatType } from "./seat-rules.js";

/** seat_assignments.source of a seat a group mapping granted (an admin's is "manual"). */
export const GROUP_SOURCE = "scim_group";

export interface GroupSeatInput {
  /** The mappings of the product among the user's groups, oldest first. */
  mapped: { groupId: string; type: SeatType }[];
  active: boolean;
  hasSubscription: boolean;
  current: { type: SeatType; source: string } | null;
  /** Named seats of the product not assigned to anyone. */
  namedLeft: number;
}

export type GroupSeatWarning = { groupId: string; code: "NO_NAMED_SEAT_AVAILABLE" | "NO_SUBSCRIPTION"; granted: "concurrent" | null };

export type GroupSeatDecision = {
  action: { kind: "keep" } | { kind: "grant"; type: SeatType } | { kind: "revoke" };
  warning: GroupSeatWarning | null;
};

const keep = { kind: "keep" } as const;

/**
 * A seat an admin granted by hand is never touched. An inactive user, or one in no mapped
 * group, loses the seat its groups gave. In two mapped groups of one product, named wins
 * while a named seat is left, else concurrent (with a warning); a named seat that cannot
 * be given is a warning, never an error.
 */
export function decideGroupSeat(input: GroupSeatInput): GroupSeatDecision {
  const { current, mapped } = input;
  if (current && current.source !== GROUP_SOURCE) return { action: keep, warning: null };
  if (!input.active || mapped.length === 0) return { action: current ? { kind: "revoke" } : keep, warning: null };
  if (!input.hasSubscription) return { action: keep, warning: { groupId: mapped[0].groupId, code: "NO_SUBSCRIPTION", granted: null } };
  const named = mapped.find((m) => m.type === "named");
  const concurrent = mapped.some((m) => m.type === "concurrent");
  const concurrentSeat = current?.type === "concurrent" ? keep : ({ kind: "grant", type: "concurrent" } as const);
  if (!named) return { action: concurrentSeat, warning: null };
  if (current?.type === "named") return { action: keep, warning: null };
  if (input.namedLeft > 0) return { action: { kind: "grant", type: "named" }, warning: null };
  if (concurrent) return { action: concurrentSeat, warning: { groupId: named.groupId, code: "NO_NAMED_SEAT_AVAILABLE", granted: "concurrent" } };
  return { action: current ? { kind: "revoke" } : keep, warning: { groupId: named.groupId, code: "NO_NAMED_SEAT_AVAILABLE", granted: null } };
}
