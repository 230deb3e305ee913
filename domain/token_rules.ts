/** How long a token may live and how far ahead of this server's clock its `iat` may be. */
export interface TokenRules {
  /**
   * Longest lifetime accepted, seconds: `exp - iat`, or `exp - now` for a token without `iat`
   * (`JWT_MAX_TTL_S`).
   */
  readonly maxTtlS: number;
  /** How far `iat` may be ahead of this server's clock, seconds (the issuer's clock skew). */
  readonly clockSkewS: number;
}

/**
 * The defaults of {@linkcode TokenRules}: 7 days (`JWT_MAX_TTL_S`; everything the project mints,
 * `deno task token`, the demo, the bench and the dev sign-in, lives less) and 60 s of skew.
 * `infra/config.ts` and `routes/auth.ts` both take them from here.
 */
export const TOKEN_RULE_DEFAULTS: TokenRules = { maxTtlS: 7 * 24 * 3600, clockSkewS: 60 };
