/**
 * Types and pure rules shared by actors, routes and infra.
 * @module
 */
export * from "./ids.ts";
export * from "./roles.ts";
export * from "./zod_problem.ts";
