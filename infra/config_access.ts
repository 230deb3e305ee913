import { z } from "zod";
import { TOKEN_RULE_DEFAULTS } from "../domain/token_rules.ts";
import { choice, flag, int, setting } from "./config_setting.ts";

/** Tokens, dev mode, the metrics token, and the logs. */
export const ACCESS_SETTINGS = {
  JWT_SECRET: setting(z.string().optional(), {
    type: "string",
    shown: "required; the dev secret under `deno task dev`",
    doc: "HS256 secret, 32+ bytes",
  }),
  JWT_MAX_TTL_S: int(TOKEN_RULE_DEFAULTS.maxTtlS, {
    unit: "s",
    shown: "`604800` (7 days)",
    oldNames: ["JWT_MAX_TTL"],
    doc: "longest token lifetime accepted: `exp - iat`, or `exp` - now for a token without " +
      "`iat`; longer: 401 `token_lifetime_too_long`. An `iat` more than 60 s ahead of the " +
      "clock is 401 `token_issued_in_future` (docs/errors.md)",
  }),
  SHARE_TTL_S: int(24 * 3600, {
    unit: "s",
    shown: "`86400` (24 h)",
    doc: "a share link's token (`POST /orders/:id/share`) lives this long at most, never past " +
      "`JWT_MAX_TTL_S`; it also ends at delivery or cancellation",
  }),
  TRACKING_DEV: flag(false, {
    shown: "`0` (`1` in `deno task dev`)",
    doc: "dev mode: allows the dev JWT secret, and makes `pretty` the default `LOG_FORMAT`",
  }),
  METRICS_TOKEN: setting(z.string().min(16, "at least 16 characters").optional(), {
    type: "string",
    shown: "unset: `/metrics` open",
    doc: "16+ characters; `GET /metrics` then needs `Authorization: Bearer <METRICS_TOKEN>`",
  }),
  LOG_LEVEL: choice(["debug", "info", "warn", "error"], "info", {
    doc: "the lowest level logged (docs/operations.md)",
  }),
  LOG_FORMAT: setting(z.enum(["json", "pretty"]).optional(), {
    type: "`json`, `pretty`",
    shown: "`json` (`pretty` when `TRACKING_DEV` is on)",
    doc: "`json` lines or `pretty` ones for people, on stderr (docs/operations.md)",
  }),
  NO_COLOR: setting(z.string().optional().transform((v) => v !== undefined), {
    type: "any text",
    shown: "unset",
    emptyIsSet: true,
    doc: "set (even empty): no colours in `pretty` logs, which have them only on a terminal",
  }),
};
