import { z } from "zod";

/** Longest id accepted anywhere (driver, customer, restaurant, order), in UTF-16 code units. */
export const ID_MAX_CHARS = 128;

// Cc: C0 controls (NUL included), DEL and C1 controls.
const _CONTROL = /\p{Cc}/u;
// Cf: format characters (bidi overrides and isolates, zero-width characters, BOM); Co: private
// use; Cn: unassigned; and the noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF): all show as
// nothing, as something else or as a box, so two ids that look the same could differ. (Cs, a
// lone surrogate, is the well-formedness check.)
const _INVISIBLE = /[\p{Cf}\p{Co}\p{Cn}\p{Noncharacter_Code_Point}]/u;
// Printable ASCII: nothing more to check (the common case, kept cheap).
const _PLAIN = /^[\x20-\x7e]*$/;

/**
 * The one rule for ids that arrive from outside (a token's `sub`, an `orderId` in a driver frame,
 * REST path and body ids): a string of 1 to {@linkcode ID_MAX_CHARS} characters, well-formed
 * Unicode, without control characters (a NUL byte makes PostgreSQL refuse the text), and
 * without format characters (bidi controls such as U+202E, zero-width ones), private-use,
 * unassigned or noncharacter code points (U+FFFF), which let one id pass for another.
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
  if (_PLAIN.test(value)) return undefined;
  if (_CONTROL.test(value)) return "must not contain control characters";
  if (!value.isWellFormed()) return "must be well-formed Unicode (no lone surrogates)";
  const invisible = _INVISIBLE.exec(value);
  if (invisible) {
    const hex = invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    return "must not contain invisible format characters (such as bidi controls), private-use, " +
      `unassigned or noncharacter code points: it has U+${hex}`;
  }
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
    `An id: 1 to ${ID_MAX_CHARS} characters, well-formed Unicode, no control or format ` +
    "characters (bidi controls, zero-width), private-use, unassigned or noncharacter code points.",
});
