import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { sign } from "hono/jwt";
import { z } from "zod";
import { PERSON_ROLES } from "../domain/roles.ts";
import { pageSecurityHeaders } from "./pages_http_headers.ts";
import type { RegionOutline } from "../domain/region_outline.ts";
import { SHARED_DEFAULTS } from "../domain/shared_defaults.ts";
// Keeps leaflet in the module graph so its files are in Deno's npm cache; served from there.
import "leaflet/package.json" with { type: "json" };

/** What the page routes need. */
export interface PagesHttpDeps {
  /** The JWT secret; dev sign-in exists only when it equals `devSecret`. */
  readonly secret: string;
  /** The dev default secret (`DEV_JWT_SECRET`). */
  readonly devSecret: string;
  readonly tilesUrl: string;
  readonly tilesAttribution: string;
  readonly regions: readonly RegionOutline[];
  /** A driver position with no newer fix for this long is greyed on the fleet map, ms. */
  readonly staleAfterMs?: number;
  /** Hours a dev token lasts (default 12). */
  readonly devTokenHours?: number;
}

const PAGES_DIR = new URL("../pages/", import.meta.url);
const LEAFLET_DIR = new URL("./", import.meta.resolve("leaflet/dist/leaflet.js"));
const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  png: "image/png",
  svg: "image/svg+xml",
};
const ASSET_NAME = /^[a-z_]+\.(js|css|html|svg)$/;
const LEAFLET_FILES = new Set([
  "leaflet.js",
  "leaflet.css",
  "images/layers.png",
  "images/layers-2x.png",
  "images/marker-icon.png",
  "images/marker-icon-2x.png",
  "images/marker-shadow.png",
]);
/** Body of `POST /dev/token` (dev mode only). */
export const devTokenBodySchema = z.object({
  role: z.enum(PERSON_ROLES),
  sub: z.string().regex(/^[\w.:-]{1,128}$/),
});

/** The answer of `POST /dev/token`: an HS256 JWT for that role and id. */
export const devTokenAnswerSchema = z.object({ token: z.string() });

/**
 * The pages (`/`, `/track/:orderId`, `/restaurant/:restaurantId`, `/replay`), their scripts and
 * styles (`/pages/*`), Leaflet from the npm package (`/assets/leaflet/*`), the page configuration
 * (`/pages/config.json`: tiles, region outlines, whether dev sign-in exists, `staleAfterMs`, and
 * `serverNow`, the service's clock, so a page ages fixes without trusting its own) and, only while the
 * service runs with the dev secret, `POST /dev/token` (`{"role","sub"}` → `{"token"}`).
 * Pages are public; the data they show comes from the authenticated REST and socket routes.
 * Every answer here carries {@linkcode pageSecurityHeaders} (CSP, `Referrer-Policy`, nosniff).
 */
export function pagesHttpRoute(deps: PagesHttpDeps): Hono {
  const app = new Hono();
  const dev = deps.secret === deps.devSecret;
  const secure = (c: Context) =>
    pageSecurityHeaders({ tilesUrl: deps.tilesUrl, host: new URL(c.req.url).host });
  const page = (name: string) => (c: Context) =>
    _file(new URL(`${name}.html`, PAGES_DIR), "html", { headers: secure(c) });

  app.get("/", page("fleet"));
  app.get("/track/:orderId", page("track"));
  app.get("/restaurant/:restaurantId", page("restaurant"));
  app.get("/replay", page("replay"));
  app.get("/pages/config.json", (c) =>
    c.json(
      {
        tiles: {
          url: deps.tilesUrl === "none" ? null : deps.tilesUrl,
          attribution: deps.tilesAttribution,
        },
        regions: deps.regions,
        devSignIn: dev,
        staleAfterMs: deps.staleAfterMs ?? SHARED_DEFAULTS.staleAfterMs,
        serverNow: Date.now(),
      },
      200,
      secure(c),
    ));
  app.get("/pages/:name", (c) => {
    const name = c.req.param("name");
    if (!ASSET_NAME.test(name)) throw new HTTPException(404, { message: "no such file" });
    return _file(new URL(name, PAGES_DIR), name.split(".").pop()!, { headers: secure(c) });
  });
  app.get("/assets/leaflet/*", (c) => {
    const name = c.req.path.slice("/assets/leaflet/".length);
    if (!LEAFLET_FILES.has(name)) throw new HTTPException(404, { message: "no such file" });
    return _file(new URL(name, LEAFLET_DIR), name.split(".").pop()!, {
      headers: secure(c),
      cache: "public, max-age=86400",
    });
  });
  if (dev) {
    app.post("/dev/token", async (c) => {
      const body = devTokenBodySchema.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success) throw new HTTPException(400, { message: z.prettifyError(body.error) });
      const exp = Math.floor(Date.now() / 1000) + (deps.devTokenHours ?? 12) * 3600;
      const answer: z.infer<typeof devTokenAnswerSchema> = {
        token: await sign({ ...body.data, exp }, deps.secret, "HS256"),
      };
      return c.json(answer);
    });
  }
  return app;
}

async function _file(
  url: URL,
  ext: string,
  options: { headers: Record<string, string>; cache?: string },
): Promise<Response> {
  try {
    const body = await Deno.readFile(url);
    return new Response(body, {
      headers: {
        ...options.headers,
        "content-type": TYPES[ext] ?? "application/octet-stream",
        "cache-control": options.cache ?? "no-cache",
      },
    });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new HTTPException(404, { message: "no such file" });
    }
    throw error;
  }
}
