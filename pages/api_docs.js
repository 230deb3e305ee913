// Renders /openapi.json and /asyncapi.json; nothing else is loaded.

/** An element with text or children. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) {
    if (child !== undefined && child !== null) node.append(child);
  }
  return node;
}

/** Text with `code` spans, as the documents write them (no HTML is interpreted). */
function prose(tag, text = "", attrs = {}) {
  const parts = String(text).split("`");
  return el(tag, attrs, ...parts.map((part, i) => (i % 2 ? el("code", {}, part) : part)));
}

/** A schema folded under a one-line summary. */
function schemaBlock(label, schema) {
  return el(
    "details",
    {},
    prose("summary", label),
    el("pre", {}, JSON.stringify(schema, null, 2)),
  );
}

function renderOperation(path, method, op) {
  const section = el(
    "section",
    { class: "op", id: op.operationId ?? `${method}${path}` },
    el("h3", {}, el("span", { class: `method ${method}` }, method), el("code", {}, path)),
    prose("p", op.summary),
  );
  if (op.description) section.append(prose("p", op.description, { class: "muted" }));
  const auth = (op.security ?? []).map((s) => Object.keys(s)[0] ?? "none").join(" or ");
  section.append(el("p", {}, `Auth: ${auth || "none"}`));
  if (op.parameters?.length) {
    const rows = op.parameters.map((p) =>
      el(
        "tr",
        {},
        el("td", {}, el("code", {}, p.name)),
        el("td", {}, p.in),
        el("td", {}, p.required ? "required" : "optional"),
        prose("td", p.description ?? JSON.stringify(p.schema)),
      )
    );
    section.append(el("table", {}, ...rows));
  }
  const body = op.requestBody?.content?.["application/json"]?.schema;
  if (body) section.append(schemaBlock("Request body (JSON)", body));
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    const types = Object.keys(response.content ?? {});
    const media = response.content?.[types[0]];
    const label = `${status}: ${response.description}${
      types.length ? ` (${types.join(", ")})` : ""
    }`;
    section.append(media?.schema ? schemaBlock(label, media.schema) : prose("p", label));
  }
  return section;
}

function renderChannel(name, channel, operations) {
  const socket = Boolean(channel.bindings?.ws);
  const section = el(
    "section",
    { class: "op", id: `channel-${name}` },
    el(
      "h3",
      {},
      el("span", { class: "method get" }, socket ? "ws" : "kafka"),
      el("code", {}, channel.address),
    ),
    prose("p", channel.description),
  );
  for (const op of Object.values(operations)) {
    if (op.channel.$ref !== `#/channels/${name}`) continue;
    const who = op.action === "receive" ? "client → server" : "server → client";
    section.append(el("h4", {}, el("span", { class: `method ${op.action}` }, op.action), who));
    for (const ref of op.messages) {
      const key = decodeURIComponent(ref.$ref.split("/").pop());
      const message = channel.messages[key];
      section.append(schemaBlock(`"type": "${message.name}": ${message.summary}`, message.payload));
    }
  }
  if (!socket) return section; // a Kafka topic: no close codes, no upgrade
  const closes = Object.entries(channel["x-close-codes"] ?? {}).map(([code, why]) =>
    el("tr", {}, el("td", {}, el("code", {}, code)), prose("td", why))
  );
  section.append(el("h4", {}, "Close codes"), el("table", {}, ...closes));
  const refusals = (channel["x-handshake-errors"] ?? []).map((line) => prose("li", line));
  section.append(el("h4", {}, "Refused before the upgrade"), el("ul", {}, ...refusals));
  return section;
}

/** A Kafka topic: partitioning, key, headers and the value of each kind of record. */
function renderTopic(name, channel) {
  const section = el(
    "section",
    { class: "op", id: `topic-${name}` },
    el("h3", {}, el("span", { class: "method send" }, "kafka"), el("code", {}, channel.address)),
    prose("p", channel.description),
    prose("p", `Partitioning: ${channel["x-partitioning"]}`),
    prose("p", `Schema version: \`${channel["x-schema-version"]}\``),
  );
  for (const message of Object.values(channel.messages)) {
    section.append(el("h4", {}, `${message.name}: `, prose("span", message.summary)));
    section.append(schemaBlock("Key", message.bindings?.kafka?.key ?? {}));
    section.append(schemaBlock("Headers", message.headers ?? {}));
    section.append(schemaBlock("Value (JSON)", message.payload));
  }
  return section;
}

async function main() {
  const status = document.getElementById("status");
  try {
    const [openApi, asyncApi] = await Promise.all(
      ["/openapi.json", "/asyncapi.json"].map(async (url) => {
        const res = await fetch(url);
        if (!res.ok) throw new Error(`${url}: ${res.status}`);
        return await res.json();
      }),
    );
    const rest = document.getElementById("rest");
    rest.append(el("h2", {}, `REST (OpenAPI ${openApi.openapi})`));
    rest.append(prose("p", openApi.info.description));
    for (const [path, item] of Object.entries(openApi.paths)) {
      for (const [method, op] of Object.entries(item)) {
        rest.append(renderOperation(path, method, op));
      }
    }
    const sockets = document.getElementById("sockets");
    sockets.append(el("h2", {}, `WebSocket channels (AsyncAPI ${asyncApi.asyncapi})`));
    sockets.append(prose("p", asyncApi.info.description));
    const topics = document.getElementById("topics");
    topics.append(el("h2", {}, "Kafka topics (AsyncAPI server kafka)"));
    for (const [name, channel] of Object.entries(asyncApi.channels)) {
      if (channel.bindings?.kafka) topics.append(renderTopic(name, channel));
      else sockets.append(renderChannel(name, channel, asyncApi.operations));
    }
    status.remove();
  } catch (error) {
    status.textContent = `Could not load the API documents: ${error.message}`;
  }
}

main();
