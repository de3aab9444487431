/**
 * The page's stylesheet and script, served as files (/l/assets/…) so that the CSP needs no
 * inline code. Plain CSS and JS for any phone browser: no framework, no build step.
 */

export const PAGE_CSS = `
:root { color-scheme: light dark; --fg: #111; --bg: #f6f7f5; --card: #fff; --muted: #5b6169; --ok: #1a7f37; }
@media (prefers-color-scheme: dark) { :root { --fg: #eee; --bg: #14171a; --card: #1d2125; --muted: #9aa2ab; --ok: #3fb950; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 560px; margin: 0 auto; padding: 16px; }
nav { text-align: right; font-size: 14px; }
nav a { color: var(--muted); }
h1 { font-size: 22px; margin: 8px 0 16px; }
#qr { background: var(--card); border-radius: 16px; padding: 16px; text-align: center; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
#qr-image { display: block; width: 100%; max-width: 420px; aspect-ratio: 1; margin: 0 auto; image-rendering: pixelated; background: #fff; border-radius: 8px; }
#status { font-size: 18px; margin: 12px 0 4px; }
body[data-state="linked"] #status { color: var(--ok); font-weight: 600; }
/* Linked: the steps are done and the link has died with the login, so only ✅ stays. */
body[data-state="linked"] ol, body[data-state="linked"] .expires { display: none; }
#countdown { color: var(--muted); margin: 4px 0 0; font-variant-numeric: tabular-nums; }
ol { padding-left: 22px; }
li { margin: 6px 0; }
.expires { color: var(--muted); font-size: 14px; }
#by-phone { margin: 16px 0; }
#by-phone button { font: inherit; padding: 10px 14px; border-radius: 10px; border: 1px solid var(--muted); background: var(--card); color: var(--fg); cursor: pointer; }
#phone-form { display: grid; gap: 10px; margin-top: 12px; }
#phone-form label { display: grid; gap: 4px; font-size: 14px; color: var(--muted); }
#phone-form select, #phone-form input { font: inherit; padding: 10px; border-radius: 10px; border: 1px solid var(--muted); background: var(--card); color: var(--fg); width: 100%; }
#code { font: 600 32px/1.2 ui-monospace, monospace; letter-spacing: 2px; margin: 12px 0 4px; }
#phone-error { color: #c62828; }
@media (min-width: 900px) {
  main { max-width: 920px; display: grid; grid-template-columns: 1fr 1fr; grid-template-rows: auto auto auto auto 1fr; gap: 0 32px; align-items: start; }
  nav, h1 { grid-column: 1 / -1; }
  #qr { grid-column: 1; grid-row: 3 / span 3; }
  ol { grid-column: 2; grid-row: 3; }
  #by-phone { grid-column: 2; grid-row: 4; }
  .expires { grid-column: 2; grid-row: 5; }
}
`;

export const PAGE_JS = `"use strict";
(function () {
  var body = document.body;
  var image = document.getElementById("qr-image");
  var status = document.getElementById("status");
  var countdown = document.getElementById("countdown");
  var expires = document.getElementById("expires");
  var nextAt = 0;
  var ended = false;
  if (expires) expires.textContent = new Date(body.dataset.expires).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  function show(state, text) {
    body.dataset.state = state;
    status.textContent = text;
  }
  function gone() {
    ended = true;
    image.hidden = true;
    image.removeAttribute("src");
    countdown.hidden = true;
    document.getElementById("steps").hidden = true;
    if (phone) phone.hidden = true;
    show("gone", body.dataset.gone + " " + body.dataset.goneHint);
  }
  function tick() {
    if (ended || !nextAt) return;
    var left = Math.max(0, Math.round((nextAt - Date.now()) / 1000));
    countdown.hidden = false;
    countdown.textContent = body.dataset.refresh + " " + left + " " + body.dataset.seconds;
  }
  setInterval(tick, 1000);
  var phone = document.getElementById("by-phone");
  if (phone) {
    var form = document.getElementById("phone-form");
    var error = document.getElementById("phone-error");
    var box = document.getElementById("code-box");
    var csrf = document.querySelector('meta[name="csrf"]').getAttribute("content");
    document.getElementById("phone-toggle").addEventListener("click", function () {
      form.hidden = !form.hidden;
      if (!form.hidden) form.elements.phone.focus();
    });
    form.addEventListener("submit", function (submitted) {
      submitted.preventDefault();
      error.hidden = true;
      var button = form.querySelector("button");
      button.disabled = true;
      fetch(location.pathname.replace(/\\/$/, "") + "/code", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({ phone: form.elements.phone.value, country: form.elements.country.value }),
      })
        .then(function (response) { return response.ok ? response.json() : { kind: "refused" }; })
        .catch(function () { return { kind: "failed" }; })
        .then(function (answer) {
          button.disabled = false;
          if (answer.kind === "code") {
            document.getElementById("code").textContent = answer.code;
            box.hidden = false;
            form.hidden = true;
            return;
          }
          var key = answer.kind.replace(/-([a-z])/g, function (_m, c) { return c.toUpperCase(); });
          error.textContent = (phone.dataset[key] || phone.dataset.failed).replace("{s}", answer.seconds);
          error.hidden = false;
        });
    });
  }
  if (body.dataset.state === "linked") return;
  var base = location.pathname.replace(/\\/$/, "");
  var stream;
  if (body.dataset.mode === "app") {
    // Telegram puts initData in the fragment (tgWebAppData); it goes to the server once, in a
    // POST body, for a viewer token: never into a URL the server or a proxy would log.
    // A viewer token opens one stream: a dropped one is opened again with a new token, a few times.
    var initData = new URLSearchParams(location.hash.slice(1)).get("tgWebAppData") || "";
    var reopens = 0;
    var openApp = function () {
      fetch(base + "/auth", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ initData: initData }) })
        .then(function (response) { return response.ok ? response.json() : {}; })
        .catch(function () { return {}; })
        .then(function (answer) {
          if (!answer.token) return gone();
          stream = new EventSource(base + "/events?t=" + encodeURIComponent(answer.token));
          stream.onmessage = onMessage;
          stream.onerror = function () {
            stream.close();
            if (ended) return;
            if (++reopens > 20) return gone();
            setTimeout(openApp, 1000);
          };
        });
    };
    openApp();
  } else {
    stream = new EventSource(base + "/events");
    stream.onmessage = onMessage;
  }
  function onMessage(message) {
    var event = JSON.parse(message.data);
    if (event.kind === "qr") {
      image.src = "data:image/png;base64," + event.png;
      image.hidden = false;
      nextAt = Date.now() + event.nextInMs;
      show("qr", "");
      tick();
    } else if (event.kind === "waiting") {
      image.hidden = true;
      nextAt = 0;
      countdown.hidden = true;
      show("waiting", body.dataset.waiting);
    } else if (event.kind === "linked" || event.kind === "already-linked") {
      ended = true;
      stream.close();
      image.hidden = true;
      countdown.hidden = true;
      show("linked", event.kind === "linked" ? body.dataset.linked : body.dataset.alreadyLinked);
      if (phone) phone.hidden = true;
      setTimeout(function () { window.close(); }, 4000);
    } else if (event.kind === "gone") {
      stream.close();
      gone();
    }
  };
})();
`;
