import { getCountries, getCountryCallingCode } from "libphonenumber-js/max";
import { PAGE_WORDS, type PageLanguage } from "./page-words.js";
import type { LinkPageView } from "./ports.js";

/** The page's own escaping: the instance's name is the one outside text on it. */
function escape(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const head = (title: string, lang: PageLanguage, csrf?: string) => `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escape(title)}</title>
<link rel="stylesheet" href="/l/assets/page.css">
${csrf ? `<meta name="csrf" content="${escape(csrf)}">` : ""}
</head>`;

/**
 * The live page: the QR (drawn by page.js from the stream), its countdown, the steps. The words
 * page.js needs ride in data attributes: no inline script, so the CSP stays `script-src 'self'`.
 */
/** Every country with phone numbering rules, by name in the page's language. */
function countryOptions(lang: PageLanguage, selected: string | undefined): string {
  const names = new Intl.DisplayNames([lang], { type: "region" });
  return getCountries()
    .map((code) => ({ code, label: `${names.of(code) ?? code} (+${getCountryCallingCode(code)})` }))
    .sort((a, b) => a.label.localeCompare(b.label, lang))
    .map(
      ({ code, label }) =>
        `<option value="${code}"${code === selected ? " selected" : ""}>${escape(label)}</option>`,
    )
    .join("");
}

/** "Link with phone number instead": the form page.js posts (with the CSRF token) and its answers. */
function phoneSection(lang: PageLanguage, defaultCountry: string | undefined): string {
  const w = PAGE_WORDS[lang];
  const e = w.errors;
  return `<section id="by-phone"
  data-bad-number="${escape(e["bad-number"])}" data-cooldown="${escape(e.cooldown("{s}"))}"
  data-already-linked="${escape(e["already-linked"])}" data-failed="${escape(e.failed)}" data-refused="${escape(e.refused)}">
<button id="phone-toggle" type="button">${escape(w.byPhone)}</button>
<form id="phone-form" hidden>
<label>${escape(w.country)}<select name="country"><option value=""></option>${countryOptions(lang, defaultCountry)}</select></label>
<label>${escape(w.phone)}<input name="phone" type="tel" inputmode="tel" autocomplete="tel" maxlength="40" required></label>
<button type="submit">${escape(w.getCode)}</button>
</form>
<p id="phone-error" role="alert" hidden></p>
<div id="code-box" hidden><p id="code"></p><p>${escape(w.codeHow)}</p></div>
</section>`;
}

export function livePage(
  view: LinkPageView,
  lang: PageLanguage,
  phone: { csrf: string; defaultCountry?: string },
): string {
  const w = PAGE_WORDS[lang];
  const other: PageLanguage = lang === "en" ? "ru" : "en";
  const until = new Date(view.expiresAt).toISOString();
  return `${head(w.title(view.instance), lang, phone.csrf)}
<body data-state="${view.state}" data-expires="${until}"
  data-waiting="${escape(w.waiting)}" data-refresh="${escape(w.refreshIn)}" data-seconds="${escape(w.seconds)}"
  data-linked="${escape(w.linked)}" data-already-linked="${escape(w.alreadyLinked)}" data-gone="${escape(w.gone)}" data-gone-hint="${escape(w.goneHint)}">
<main>
<nav><a href="?lang=${other}" hreflang="${other}">${escape(w.switchTo)}</a></nav>
<h1>${escape(w.heading(view.instance))}</h1>
<section id="qr" aria-live="polite">
<img id="qr-image" alt="QR" hidden>
<p id="status">${escape(view.state === "linked" ? w.linked : w.waiting)}</p>
<p id="countdown" hidden></p>
</section>
<ol id="steps">${w.steps.map((step) => `<li>${escape(step)}</li>`).join("")}</ol>
${view.state === "live" ? phoneSection(lang, phone.defaultCountry) : ""}
<p class="expires">${escape(w.expires)} <time id="expires" datetime="${until}"></time></p>
<noscript><p>${escape(w.noScript)}</p></noscript>
</main>
<script src="/l/assets/page.js"></script>
</body>
</html>
`;
}

/** The one page of every unknown, expired, revoked or long-linked id: it names nothing. */
export function gonePage(lang: PageLanguage): string {
  const w = PAGE_WORDS[lang];
  return `${head(w.gone, lang)}
<body data-state="gone">
<main>
<h1>${escape(w.gone)}</h1>
<p>${escape(w.goneHint)}</p>
</main>
</body>
</html>
`;
}

/**
 * The Mini App's page: the same QR view, without the link's parts (no phone path, no expiry);
 * page.js trades Telegram's initData (in the URL's fragment) for a viewer token first.
 */
export function miniAppPage(instance: string, lang: PageLanguage): string {
  const w = PAGE_WORDS[lang];
  return `${head(w.title(instance), lang)}
<body data-mode="app" data-state="waiting" data-expires=""
  data-waiting="${escape(w.waiting)}" data-refresh="${escape(w.refreshIn)}" data-seconds="${escape(w.seconds)}"
  data-linked="${escape(w.linked)}" data-already-linked="${escape(w.alreadyLinked)}" data-gone="${escape(w.sessionOver)}" data-gone-hint="">
<main>
<h1>${escape(w.heading(instance))}</h1>
<section id="qr" aria-live="polite">
<img id="qr-image" alt="QR" hidden>
<p id="status">${escape(w.waiting)}</p>
<p id="countdown" hidden></p>
</section>
<ol id="steps">${w.steps.map((step) => `<li>${escape(step)}</li>`).join("")}</ol>
</main>
<script src="/l/assets/page.js"></script>
</body>
</html>
`;
}
