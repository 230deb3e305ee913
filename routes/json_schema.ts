import { z } from "zod";

/** Options of {@linkcode jsonSchema}. */
export interface JsonSchemaOptions {
  /**
   * `input` for what clients send (unknown keys are stripped, so they are not refused), `output`
   * for what the server sends (exactly these keys).
   * @default {"output"}
   */
  readonly io?: "input" | "output";
  /**
   * The JSON Schema dialect: 2020-12 for OpenAPI 3.1, draft-07 for AsyncAPI 3 payloads.
   * @default {"draft-2020-12"}
   */
  readonly target?: "draft-2020-12" | "draft-07";
}

/**
 * The JSON Schema of a zod schema, without `$schema`, to embed in an API document. A schema zod
 * cannot represent (a `z.custom`) is written from its `meta`, or as `{}` (anything) without one.
 */
export function jsonSchema(
  schema: z.ZodType,
  options: JsonSchemaOptions = {},
): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io: options.io ?? "output",
    target: options.target ?? "draft-2020-12",
    // A `z.custom` is written from its `meta` (`{ type: "number" }`); `json_schema_test.ts`
    // checks the driver fixes come out typed.
    unrepresentable: "any",
  });
  return rest;
}
