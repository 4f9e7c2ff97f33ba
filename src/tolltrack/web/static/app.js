// tolltrack's pages: charts, highlights, the paste box and reviews.
// Every text from the server or the user goes into the page with textContent,
// never as HTML.
"use strict";
(function () {
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const TOKEN_KEY = "tolltrack-token";

  // ---- charts: a div names the JSON block that holds its Vega-Lite spec
  for (const el of $$("[data-spec]")) {
    const source = document.getElementById(el.dataset.spec);
    if (!source || !window.vegaEmbed) continue;
    window.vegaEmbed(el, JSON.parse(source.textContent), { actions: false })
      .then(() => el.setAttribute("data-rendered", "true"))
      .catch((err) => { el.textContent = "The chart could not be drawn: " + err.message; });
  }

  // ---- the token lives in this tab's session storage: never a cookie
  for (const input of $$(".token")) {
    input.value = sessionStorage.getItem(TOKEN_KEY) || "";
    input.addEventListener("input", () => {
      sessionStorage.setItem(TOKEN_KEY, input.value);
      for (const other of $$(".token")) if (other !== input) other.value = input.value;
    });
  }
  const token = () => sessionStorage.getItem(TOKEN_KEY) || "";

  async function send(method, url, body, needsToken) {
    const headers = { "Content-Type": "application/json" };
    if (needsToken) headers.Authorization = "Bearer " + token();
    const res = await fetch(url, { method, headers, body: JSON.stringify(body) });
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (!res.ok) {
      throw new Error(data && data.error ? data.error.message : res.status + " " + res.statusText);
    }
    return data;
  }
  const review = (id, body) =>
    send("POST", "/api/claims/" + encodeURIComponent(id) + "/review", body, true);

  // ---- figures in words, as the server writes them
  const n = (v) => Number(v).toLocaleString("en-US");
  function figureWords(f) {
    if (f.low === null) return f.text;
    if (f.qualifier === "range" || (f.qualifier === "vague" && f.high !== null && f.high !== f.low))
      return n(f.low) + "–" + n(f.high);
    if (f.qualifier === "vague") return n(f.low) + "+";
    const prefix = { at_least: "≥ ", at_most: "≤ ", approx: "~ " }[f.qualifier] || "";
    return prefix + n(f.low);
  }
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---- article page: a highlight shows its claims in the side panel
  function showClaims(mark) {
    for (const m of $$("mark.selected")) m.classList.remove("selected");
    mark.classList.add("selected");
    const wanted = mark.dataset.claims.split(" ");
    for (const card of $$(".claim-card")) card.hidden = !wanted.includes(card.dataset.index);
    const hint = $("#panel-hint");
    if (hint) hint.hidden = true;
  }
  for (const mark of $$("#article-text mark")) {
    mark.addEventListener("click", () => showClaims(mark));
    mark.addEventListener("keydown", (e) => { if (e.key === "Enter") showClaims(mark); });
  }
  if (location.hash.startsWith("#claim-")) {
    const card = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    const mark = card && $$("#article-text mark").find(
      (m) => m.dataset.claims.split(" ").includes(card.dataset.index));
    if (mark) { showClaims(mark); mark.scrollIntoView({ block: "center" }); }
  }

  // ---- paste: the claims of a pasted text, highlighted
  const pasteForm = $("#paste-form");
  if (pasteForm) {
    const input = $("#paste-input"), status = $("#paste-status");
    let timer = null, asked = 0;
    async function run() {
      const text = input.value;
      if (!text.trim()) return;
      const ask = ++asked;
      status.textContent = "reading…";
      const body = { document: text };
      if ($("#paste-date").value) body.date = $("#paste-date").value;
      try {
        const data = await send("POST", "/api/extract", body, false);
        if (ask === asked) showPasted(data);
      } catch (err) {
        if (ask === asked) status.textContent = err.message;
      }
    }
    function showPasted(data) {
      const out = $("#paste-text"), list = $("#paste-claims");
      out.replaceChildren();
      list.replaceChildren();
      const found = data.articles[0];
      if (!found) {
        status.textContent = data.rejects.map((r) => r.message).join("; ") || "nothing to read";
        return;
      }
      // The server's offsets count code points; JS strings count UTF-16 units,
      // so the text is cut as an array of code points.
      const chars = Array.from(found.article.text), claims = found.claims;
      const spans = [];
      claims.forEach((c, i) => c.mentions.forEach((m) => spans.push([m.start, m.end, i])));
      const cuts = Array.from(new Set([0, chars.length, ...spans.flatMap((s) => [s[0], s[1]])]))
        .filter((x) => x >= 0 && x <= chars.length).sort((a, b) => a - b);
      for (let k = 0; k + 1 < cuts.length; k++) {
        const [a, b] = [cuts[k], cuts[k + 1]];
        const piece = chars.slice(a, b).join("");
        const covering = spans.filter((s) => s[0] <= a && b <= s[1]).map((s) => s[2]);
        if (!covering.length) { out.append(document.createTextNode(piece)); continue; }
        out.append(el("mark", { class: "o-" + claims[covering[0]].outcome,
                                "data-claims": covering.join(" ") }, piece));
      }
      claims.forEach((c) => {
        const item = el("li", { class: "o-" + c.outcome });
        item.append(el("b", {}, figureWords(c.figure) + " " + c.outcome));
        item.append(document.createTextNode(" · " + c.victim.text + " · " +
          (c.claimant.text || "the outlet") + " · " + c.status));
        list.append(item);
      });
      status.textContent = claims.length + " claim" + (claims.length === 1 ? "" : "s");
    }
    pasteForm.addEventListener("submit", (e) => { e.preventDefault(); run(); });
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 700); });
  }

  // ---- a claim's review form
  function corrected(form) {
    const fields = {};
    for (const input of $$("input[name^='field-'], select[name^='field-']", form)) {
      if (input.value === input.dataset.original) continue;
      fields[input.name.slice(6)] = typed(input.name.slice(6), input.value);
    }
    return fields;
  }
  function typed(name, value) {
    if (value.trim() === "") return null;
    if (name === "low" || name === "high") {
      const plain = value.trim().replace(/[,\s]/g, "");
      if (!/^\d+$/.test(plain)) throw new Error(name + ": '" + value + "' is not a whole number");
      return Number(plain);
    }
    return value.trim();
  }
  for (const form of $$(".review-form")) {
    const status = $(".status", form);
    for (const button of $$("button[data-verdict]", form)) {
      button.addEventListener("click", async () => {
        const verdict = button.dataset.verdict;
        status.textContent = "saving…";
        try {
          const body = { verdict, note: form.note.value };
          if (verdict === "corrected") body.fields = corrected(form);
          await review(form.dataset.claim, body);
          status.textContent = "saved";
          location.reload();
        } catch (err) { status.textContent = err.message; }
      });
    }
  }

  // ---- the review queue, driven by the keyboard
  const queue = $("#queue");
  if (queue) {
    const status = $("#queue-status");
    const items = () => $$(".queue-item", queue).filter((li) => !li.classList.contains("done"));
    let current = null;
    function select(li) {
      if (current) current.classList.remove("current");
      current = li || null;
      if (current) { current.classList.add("current"); current.focus(); }
    }
    function step(by) {
      const all = items();
      if (!all.length) { select(null); return; }
      const at = all.indexOf(current);
      select(all[Math.min(all.length - 1, Math.max(0, at === -1 ? 0 : at + by))]);
    }
    async function decide(verdict, fields, note) {
      // One verdict at a time per claim: a second key press while the first
      // is being saved must not send another.
      if (!current || current.classList.contains("busy")) return;
      const li = current;
      li.classList.add("busy");
      const body = { verdict, note: note || "" };
      if (fields) body.fields = fields;
      status.textContent = "saving…";
      try {
        await review(li.dataset.claim, body);
        li.classList.add("done", "verdict-" + verdict);
        li.setAttribute("data-verdict", verdict);
        status.textContent = li.dataset.claim + ": " + verdict;
        const next = items();
        select(next.find((x) => x.compareDocumentPosition(li) & Node.DOCUMENT_POSITION_PRECEDING)
               || next[0]);
      } catch (err) { status.textContent = err.message; }
      li.classList.remove("busy");
    }
    function edit() {
      if (!current) return;
      const form = $("form.edit", current);
      form.hidden = false;
      for (const input of $$("input, select", form)) input.dataset.original = input.value;
      $("select, input", form).focus();
    }
    for (const form of $$("form.edit", queue)) {
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const fields = {};
        try {
          for (const input of $$("input, select", form)) {
            if (input.name === "note" || input.value === input.dataset.original) continue;
            fields[input.name] = typed(input.name, input.value);
          }
        } catch (err) { status.textContent = err.message; return; }
        form.hidden = true;
        if (!Object.keys(fields).length) { status.textContent = "nothing changed"; return; }
        decide("corrected", fields, form.note.value);
      });
      form.addEventListener("keydown", (e) => {
        if (e.key === "Escape") { form.hidden = true; current && current.focus(); }
      });
    }
    document.addEventListener("keydown", (e) => {
      if (e.target.closest("input, select, textarea") || e.ctrlKey || e.metaKey || e.altKey) return;
      const act = { j: () => step(1), k: () => step(-1), c: () => decide("confirmed"),
                    r: () => decide("rejected"), e: edit }[e.key];
      if (act) { e.preventDefault(); act(); }
    });
    for (const li of items()) li.addEventListener("click", () => select(li));
    step(0);
  }
})();
