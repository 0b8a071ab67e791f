// @seatkeeper/client: the typed client for Seatkeeper agent apps.
export { SeatkeeperClient } from "./client.js";
export type {
  Actor, ClientEvents, ClientOptions, Connection, MySeat, ReleaseRequest, SeatNotice, SignInResult, StartOptions, SupportSession,
} from "./client.js";
export { isSeatkeeperError, NetworkError, SeatkeeperError } from "./errors.js";
export type { ErrorCode, Problem } from "./errors.js";
export { LEASE_TOKEN_TYPE, LeaseVerificationError, verifyLeaseToken } from "./lease.js";
export type { Jwk, JwkSet, LeaseClaims, LeaseRefusal } from "./lease.js";
export type { paths } from "./openapi.js";
