import { z } from "zod";

/** Longest id accepted anywhere (driver, customer, restaurant, order), in UTF-16 code units. */
export const ID_MAX_CHARS = 128;

// Cc: C0 controls (NUL included), DEL and C1 controls.
const _CONTROL = /\p{Cc}/u;

/**
 * The one rule for ids that arrive from outside (a token's `sub`, an `orderId` in a driver frame,
 * REST path and body ids): a string of 1 to {@linkcode ID_MAX_CHARS} characters, well-formed
 * Unicode, without control characters (a NUL byte makes PostgreSQL refuse the text).
 * Returns what is wrong, or `undefined` when the id is acceptable.
 *
 * @example
 * ```ts
 * idProblem("d-17"); // undefined
 * idProblem("d\u0000"); // "must not contain control characters"
 * ```
 */
export function idProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return "must be a string";
  if (value.length === 0) return "must not be empty";
  if (value.length > ID_MAX_CHARS) return `must be at most ${ID_MAX_CHARS} characters`;
  if (_CONTROL.test(value)) return "must not contain control characters";
  if (!value.isWellFormed()) return "must be well-formed Unicode (no lone surrogates)";
  return undefined;
}

/** {@linkcode idProblem} as a zod schema, for frames and bodies. */
export const idSchema: z.ZodType<string> = z.string().check((ctx) => {
  const problem = idProblem(ctx.value);
  if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
}).meta({
  // What the check above enforces, said in JSON Schema for the API documents.
  minLength: 1,
  maxLength: ID_MAX_CHARS,
  description:
    `An id: 1 to ${ID_MAX_CHARS} characters, well-formed Unicode, no control characters.`,
});
