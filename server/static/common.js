/* Shared helpers: DOM building (text only), language switch, JSON fetch with error messages.
   Every piece of user or corpus text enters the page through textContent — never innerHTML. */
"use strict";

const Coach = (() => {
  const EN = {
    skip: "Skip to content", brand: "Kanmin Kyoso Proposal Coach", brand_staff: "Proposal Coach — Staff desk",
    brand_sub: "Pre-check based on Kitakyushu's public-private co-creation playbook",
    footer: "This tool is an automated pre-check to help you write your proposal. City staff make every decision.",
    intro_title: "Check your proposal against the four points",
    intro_body: "We check your draft against the playbook's four points (issue-driven, why this city, one proposal = one solution, roles and cost split) and suggest what to add, with the playbook passages behind each suggestion.",
    disclosure_title: "Automated pre-check, and how your text is stored",
    disclosure_auto: "The result is an automated pre-check by a program, not a decision.",
    disclosure_store: "Your draft and its review are stored on the city's server so that staff can pre-screen it.",
    disclosure_retention_pre: "They are kept for", disclosure_retention_post: "days and then deleted automatically.",
    disclosure_link: "Each proposal gets its own unguessable private link. Only people with the link can see the result; do not share it.",
    disclosure_idea: "As the playbook promises, your idea will never simply be taken.",
    compose_title: "Your draft", route_legend: "Type of proposal", route_theme: "Theme-based (answering a theme set by the city)",
    route_free: "Free proposal", route_none: "Not decided yet", draft_label: "Paste your draft",
    draft_placeholder: "Subject, the problem, the solution, why Kitakyushu, roles and cost split…",
    draft_help: "Japanese or English drafts can be checked.",
    upload_label: "Or choose a file (.docx / .pdf / .txt)", submit: "Check my draft",
    result_title: "Result", link_intro: "This is the private link of this proposal. Bookmark it to come back to the result or to re-check after editing.",
    link_aria: "Private link", new_draft: "Check another proposal", copy: "Copy", copied: "Copied", status_label: "Status", revision_label: "Version",
    comparison_title: "What changed since the last check", draft_view_title: "Your draft (evidence highlighted)",
    span_hint: "Select a highlighted passage to see which point it supports.",
    edit_again: "Edit and check again", revise_label: "Edited draft", revise_submit: "Check again", cancel: "Cancel",
    chat_title: "Ask about the playbook", chat_intro: "Answers are drawn from passages of the playbook and the city's plans, with their sources.",
    chat_intro_llm: "Answers are written from passages of the playbook and the city's plans, with their sources, and stream as they are written.",
    chat_label: "Question", chat_placeholder: "e.g. When is the best time to submit?", ask: "Ask",
    checking: "Checking…", sending: "Sending…", thinking: "Looking it up…", error_generic: "Something went wrong. Please try again.",
    network_error: "Could not reach the server. Your text is still here; please try again.",
    present: "Already there", missing: "To add", example: "For example, you could write:", sources: "Playbook passages",
    show_in_text: "Show in the draft", no_evidence: "No passage of the draft supports this point yet.",
    flags_title: "Points to watch", flag_to_g_on: "This reads partly like selling a product to the city (To G). The playbook looks for co-creation on a regional issue.",
    flag_to_g_off: "No sign of a plain sale to the city.",
    flag_sales_on: "The draft reads partly like a sales pitch. Putting the regional issue first makes it stronger.",
    flag_sales_off: "No strong sales tone.", injection_note: "Some sentences address the reviewer directly. They were ignored and do not affect the result.",
    timing_title: "Timing", improved: "improved", worsened: "needs attention", unchanged: "unchanged",
    still_missing: "Still to add", evidence_for: "Evidence for", injection: "Instruction to the reviewer (ignored)",
    // staff
    staff_login_title: "Staff sign-in", username: "User name", password: "Password", sign_in: "Sign in", sign_out: "Sign out",
    submissions: "Submissions", import_nav: "Batch import", filters: "Filters", apply: "Apply", reset: "Reset",
    any: "Any", route_label: "Route", status: "Status", bureau: "Bureau", since: "From", until: "To",
    flags_filter: "Flags", title_search: "Title contains", received_at: "Received", title_col: "Title",
    revisions: "Versions", count: "submissions", open: "Open", back: "Back to list",
    screening_title: "Pre-screening summary", status_change: "Change status", reason: "Reason",
    reason_required: "(required for rejection)", change: "Change", audit_title: "Audit log",
    export_md: "Export Markdown", export_pdf: "Export PDF", text_title: "Draft", first_check: "First check (STEP 2)",
    judgement: "Decision points (STEP 4)", bureaus_guess: "Likely bureaus", none: "none",
    import_title: "Batch import", import_help: "CSV with a 'text' column (and optional 'route'), or JSON Lines with {\"text\", \"route\"}.",
    import_start: "Import", import_progress: "Progress", import_errors: "Lines not imported",
    prev: "Previous", next: "Next", at: "When", actor: "Who", action: "What", detail: "Detail", route_theme_short: "Theme", route_free_short: "Free", route_none_short: "Not chosen",
  };
  const JA_EXTRA = {
    copied: "コピーしました", checking: "確認しています…", sending: "送信しています…", thinking: "調べています…",
    error_generic: "エラーが発生しました。もう一度お試しください。",
    network_error: "サーバーに接続できませんでした。入力した文章は残っています。もう一度お試しください。",
    present: "書けている点", missing: "書き足すとよい点", example: "こう書くと伝わります:", sources: "手引きの該当箇所",
    show_in_text: "本文で根拠を見る", no_evidence: "このポイントの根拠となる箇所はまだ見つかりません。",
    flags_title: "気をつけたい点",
    flag_to_g_on: "市への製品・サービスの販売(To G)と読める箇所があります。手引きは、地域の課題を一緒に解決する「共創」の提案を求めています。",
    flag_to_g_off: "市への単なる販売と読める箇所は見当たりません。",
    flag_sales_on: "営業色が強く読める箇所があります。地域の課題を先に書くと、提案が伝わりやすくなります。",
    flag_sales_off: "強い営業色は見当たりません。",
    injection_note: "審査者に向けた指示のような文がありました。判定には使っておらず、結果に影響しません。",
    timing_title: "提案の時期", improved: "改善", worsened: "要確認", unchanged: "変化なし", still_missing: "まだ書き足すとよい点",
    evidence_for: "根拠:", injection: "審査者への指示文(無視しました)",
    flags_filter: "フラグ", first_check: "一次確認(STEP 2)", bureaus_guess: "想定される担当部署",
    revisions: "版数", sources_label: "出典", any: "すべて", count: "件", open: "開く", none: "なし", route_theme_short: "テーマ型", route_free_short: "フリー型", route_none_short: "未選択",
  };
  const CRITERIA = ["issue_driven", "why_this_city", "one_solution", "cost_split"];
  const CRITERION_LABELS = {
    ja: { issue_driven: "課題ドリブン", why_this_city: "なぜこの自治体なのか", one_solution: "1提案＝1ソリューション", cost_split: "役割分担・費用負担", injection: "指示文" },
    en: { issue_driven: "Issue-driven", why_this_city: "Why this city", one_solution: "One proposal, one solution", cost_split: "Roles and cost split", injection: "Instruction" },
  };
  const VERDICT_LABELS = {
    ja: { pass: "充足", partial: "一部不足", fail: "不足" },
    en: { pass: "Meets it", partial: "Partly", fail: "Missing" },
  };
  const STATUS_EN = { received: "Received", first_check: "First check", coordination: "Bureau coordination", dialogue: "Dialogue", decision: "Internal decision", agreement: "Contract / agreement", rejected: "Not adopted" };
  const STATUS_JA = { received: "受付", first_check: "一次確認", coordination: "担当部署調整", dialogue: "対話", decision: "庁内意思決定", agreement: "契約・協定", rejected: "不採用" };

  const originals = new Map();
  let lang = (localStorage.getItem("coach-lang") === "en") ? "en" : "ja";

  function t(key) {
    if (lang === "en") return EN[key] ?? JA_EXTRA[key] ?? key;
    if (JA_EXTRA[key] !== undefined) return JA_EXTRA[key];
    const el = document.querySelector(`[data-i18n="${key}"]`);
    return (el && originals.get(el)) || EN[key] || key;
  }

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((el) => {
      if (!originals.has(el)) originals.set(el, el.textContent);
      el.textContent = lang === "en" ? (EN[el.dataset.i18n] ?? originals.get(el)) : originals.get(el);
    });
    document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
      if (!el.dataset.jaPlaceholder) el.dataset.jaPlaceholder = el.placeholder;
      el.placeholder = lang === "en" ? (EN[el.dataset.i18nPlaceholder] ?? el.dataset.jaPlaceholder) : el.dataset.jaPlaceholder;
    });
    document.querySelectorAll("[data-i18n-aria]").forEach((el) => {
      if (!el.dataset.jaAria) el.dataset.jaAria = el.getAttribute("aria-label") || "";
      el.setAttribute("aria-label", lang === "en" ? (EN[el.dataset.i18nAria] ?? el.dataset.jaAria) : el.dataset.jaAria);
    });
    const toggle = document.getElementById("lang-toggle");
    if (toggle) {
      toggle.textContent = lang === "en" ? "日本語" : "English";
      toggle.setAttribute("aria-pressed", String(lang === "en"));
    }
    document.dispatchEvent(new CustomEvent("coach:lang", { detail: lang }));
  }

  /** el("p", {class: "x"}, "text", child…): children that are strings become text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  class ApiError extends Error {
    constructor(status, code, message) { super(message); this.status = status; this.code = code; }
  }

  async function api(path, options = {}) {
    const opts = { credentials: "same-origin", ...options, headers: { Accept: "application/json", ...(options.headers || {}) } };
    if (opts.json !== undefined) {
      opts.body = JSON.stringify(opts.json);
      opts.headers["Content-Type"] = "application/json";
      delete opts.json;
    }
    let response;
    try { response = await fetch(path, opts); } catch (err) { throw new ApiError(0, "network", t("network_error")); }
    if (response.status === 204) return null;
    const type = response.headers.get("content-type") || "";
    const body = type.includes("json") ? await response.json().catch(() => null) : null;
    if (!response.ok) {
      const error = body && body.error ? body.error : { code: "http_" + response.status, message: t("error_generic") };
      throw new ApiError(response.status, error.code, error.message);
    }
    return body;
  }

  /** Japanese / English halves of an error message ("ja / en"): show the one for the language. */
  function localMessage(message) {
    const parts = String(message || "").split(" / ");
    if (parts.length < 2) return message;
    return lang === "en" ? parts.slice(1).join(" / ") : parts[0];
  }

  function showError(node, err) {
    node.hidden = false;
    node.textContent = localMessage(err && err.message ? err.message : t("error_generic"));
  }

  function routeLabel(route) {
    return route === "theme" ? t("route_theme_short") : route === "free" ? t("route_free_short") : t("route_none_short");
  }

  function statusLabel(status) { return (lang === "en" ? STATUS_EN : STATUS_JA)[status] || status; }

  function formatDate(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    return d.toLocaleString(lang === "en" ? "en-GB" : "ja-JP", { dateStyle: "medium", timeStyle: "short" });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const toggle = document.getElementById("lang-toggle");
    if (toggle) toggle.addEventListener("click", () => {
      lang = lang === "en" ? "ja" : "en";
      localStorage.setItem("coach-lang", lang);
      applyLanguage();
    });
    applyLanguage();
  });

  return {
    t, el, clear, api, ApiError, showError, localMessage, routeLabel, statusLabel, formatDate, CRITERIA,
    criterionLabel: (name) => CRITERION_LABELS[lang][name] || name,
    verdictLabel: (v) => VERDICT_LABELS[lang][v] || v || "—",
    get lang() { return lang; },
  };
})();
