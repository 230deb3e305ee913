import { Hono } from "hono";
import { asyncApiDocument } from "./asyncapi.ts";
import type { TopicNames } from "./asyncapi_topics.ts";
import { openApiDocument } from "./openapi.ts";
import { pageSecurityHeaders } from "./pages_http_headers.ts";

/** Options of {@linkcode apiDocsHttpRoute}. */
export interface ApiDocsOptions {
  /** Whether the service runs with the dev secret (`POST /dev/token` is documented only then). */
  readonly dev: boolean;
  /** The Kafka topics' names, as configured. @default {DEFAULT_TOPIC_NAMES} */
  readonly topics?: TopicNames;
}

const _PAGE = new URL("../pages/api_docs.html", import.meta.url);

/**
 * The API describes itself: `GET /openapi.json` (OpenAPI 3.1, the REST routes),
 * `GET /asyncapi.json` (AsyncAPI 3.0, the WebSocket channels, whose server is the host the request
 * came to, and the Kafka topics) and `GET /docs`, a page that renders both (`pages/api_docs.js`, no CDN). Public.
 */
export function apiDocsHttpRoute(options: ApiDocsOptions): Hono {
  const app = new Hono();
  const openApi = openApiDocument({ dev: options.dev });
  app.get("/openapi.json", (c) => c.json(openApi));
  app.get("/asyncapi.json", (c) => {
    const url = new URL(c.req.url);
    return c.json(asyncApiDocument({
      host: url.host,
      protocol: url.protocol === "https:" ? "wss" : "ws",
      ...(options.topics && { topics: options.topics }),
    }));
  });
  app.get("/docs", async (c) =>
    new Response(await Deno.readFile(_PAGE), {
      headers: {
        ...pageSecurityHeaders({ host: new URL(c.req.url).host }),
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-cache",
      },
    }));
  return app;
}
