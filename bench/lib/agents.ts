// The bearer token of seeded agent `i`. The seed stores its SHA-256 (as the server stores
// tokens); the load generator rebuilds the tokens from the prefix, so 100,000 of them never
// cross a pipe.
export function agentToken(prefix: string, i: number): string {
  return `skt_${prefix}_${i}`;
}
