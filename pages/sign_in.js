// The sign-in form (paste a token; one click per role in dev) and refusals, for every page.
import { el, forgetToken, keepToken } from "./common.js";

/** Replaces the page with a sign-in form: paste a token, or (dev only) one click per role. */
export function showSignIn(config, { role, sub, why } = {}) {
  const input = el("textarea", {
    id: "token-input",
    rows: "3",
    placeholder: "eyJhbGciOi...",
    required: "",
  });
  const form = el(
    "form",
    { id: "token-form" },
    el("label", { for: "token-input" }, "Paste a token"),
    input,
    el("button", { type: "submit" }, "Open"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    useToken(input.value.trim());
  });
  const box = el("div", { id: "dev-signin" });
  document.getElementById("app").replaceChildren(el(
    "section",
    { class: "card signin" },
    el("h1", {}, "Sign in"),
    why ? el("p", { class: "why" }, why) : null,
    form,
    box,
  ));
  if (config.devSignIn) box.append(...devSignIn(role, sub));
}

/** The dev sign-in: an id and one button per role. */
function devSignIn(role, sub) {
  const id = el("input", { id: "dev-sub", placeholder: "id" });
  id.value = sub ?? "";
  const buttons = ["customer", "restaurant", "ops", "driver"].map((r) => {
    const button = el("button", {
      type: "button",
      class: `dev-role${r === role ? " primary" : ""}`,
      "data-role": r,
    }, r);
    button.addEventListener("click", async () => {
      const res = await fetch("/dev/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ role: r, sub: id.value.trim() || `${r}-1` }),
      });
      if (res.ok) useToken((await res.json()).token);
    });
    return button;
  });
  return [
    el("h2", {}, "Dev sign-in"),
    el("p", { class: "muted" }, "The service runs with the dev secret."),
    el("div", { class: "dev-row" }, id, buttons),
  ];
}

/** Keeps a token for this tab and opens the page again with it (never in the address). */
function useToken(token) {
  keepToken(token);
  location.reload();
}

/** Shows a refusal (or another error) instead of data. */
export function showError(title, message) {
  const again = el("button", { type: "button", id: "sign-in-again" }, "Sign in with another token");
  again.addEventListener("click", () => {
    forgetToken();
    location.reload();
  });
  document.getElementById("app").replaceChildren(el(
    "section",
    { class: "card refusal", id: "refusal" },
    el("h1", {}, title),
    el("p", {}, message),
    el("p", {}, again),
  ));
}
