import type { z } from "zod";

/**
 * The first problem of a zod error as a readable message naming the field (no zod wording
 * such as "Invalid input: expected object, received undefined"). `input` is what was parsed:
 * zod issues do not carry it, and it tells a missing field from a wrong one.
 */
export function zodProblem(
  error: z.ZodError,
  input: unknown,
): { field: string | undefined; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: undefined, message: "invalid input" };
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : undefined;
  const name = field ?? "the input";
  const missing = _at(input, issue.path) === undefined;
  return { field, message: `${name} ${_describe(issue, missing)}` };
}

/** The value at `path` in `input`, or `undefined` when it is not there. */
function _at(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function _describe(issue: z.core.$ZodIssue, missing: boolean): string {
  switch (issue.code) {
    case "invalid_type":
      return missing ? "is required" : `must be ${_article(issue.expected)}`;
    case "too_small":
      return issue.origin === "string"
        ? `must be at least ${issue.minimum} characters`
        : issue.origin === "array"
        ? `must have at least ${issue.minimum} items`
        : `must be at least ${issue.minimum}`;
    case "too_big":
      return issue.origin === "string"
        ? `must be at most ${issue.maximum} characters`
        : issue.origin === "array"
        ? `must have at most ${issue.maximum} items`
        : `must be at most ${issue.maximum}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "unrecognized_keys":
      return `has unknown fields ${issue.keys.join(", ")}`;
    case "custom":
      return missing ? "is required" : issue.message;
    default:
      return "is invalid";
  }
}

function _article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
