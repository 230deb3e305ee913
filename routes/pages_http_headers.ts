/** Options of {@linkcode pageSecurityHeaders}. */
export interface PageHeaderOptions {
  /** The map tiles' URL template (`MAP_TILES_URL`); `"none"` or absent for no tiles. */
  readonly tilesUrl?: string | undefined;
  /** The host the request came to (`Host`), so sockets to it are allowed by name too. */
  readonly host?: string | undefined;
}

// A host as a CSP host-source may name it: labels, an optional port; "*." only in front.
const _HOST_SOURCE = /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/i;
const _URL_START = /^(https?):\/\/([^/?#]+)/i;

/**
 * Where the map tiles come from, as a CSP source: `https://tile.openstreetmap.org`, with a
 * placeholder in the first label as `*` (`https://*.tile.example.org` for `{s}.tile...`), only
 * the scheme (`https:`) when the host cannot be named, and `undefined` for no tiles or tiles on
 * the service's own origin (a relative template), which `'self'` covers.
 */
export function tileSource(tilesUrl: string | undefined): string | undefined {
  if (tilesUrl === undefined || tilesUrl === "none") return undefined;
  const match = _URL_START.exec(tilesUrl);
  if (!match) return undefined;
  const [, scheme, host] = match as unknown as [string, string, string];
  const named = host.replace(/^\{[a-z]+\}\./i, "*.");
  return _HOST_SOURCE.test(named)
    ? `${scheme.toLowerCase()}://${named.toLowerCase()}`
    : `${scheme.toLowerCase()}:`;
}

/**
 * The Content-Security-Policy of every page: nothing by default; scripts, styles and images only
 * from the service itself (no inline script, no inline `style` attribute; Leaflet's own styles
 * are set through the CSSOM, which CSP does not restrict), map tiles from their host (and, with
 * tiles, `data:` images: Leaflet aborts a tile load by setting a `data:` GIF); fetches
 * and sockets to the service (`'self'`, and `ws:`/`wss:` to the request's host by name for
 * browsers that do not count sockets as `'self'`); no plugins, no `<base>`, no framing, no form
 * submission (the sign-in form is handled by script).
 */
export function contentSecurityPolicy(options: PageHeaderOptions = {}): string {
  const tiles = tileSource(options.tilesUrl);
  const host = options.host !== undefined && _HOST_SOURCE.test(options.host) &&
      !options.host.startsWith("*")
    ? options.host
    : undefined;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // Leaflet cancels a tile's download by pointing it at a data: GIF of its own.
    `img-src 'self'${tiles ? ` data: ${tiles}` : ""}`,
    `connect-src 'self'${host ? ` ws://${host} wss://${host}` : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join("; ");
}

/**
 * The headers of every page and every asset the pages load: {@linkcode contentSecurityPolicy},
 * `Referrer-Policy: no-referrer` (a page's address never travels in a `Referer`) and
 * `X-Content-Type-Options: nosniff`.
 */
export function pageSecurityHeaders(options: PageHeaderOptions = {}): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(options),
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
  };
}
