/* Rendering of one review (REPORT) — shared by the business page and the staff detail page.
   Offsets in a report are Python code-point offsets, so the draft is sliced as an array of
   code points (Array.from), not as UTF-16 units. All text goes in through textContent. */
"use strict";

const ReportView = (() => {
  const { el, clear, t, CRITERIA } = Coach;

  function checklistLabel(key) {
    const node = document.getElementById("checklist-labels");
    if (!node) return key;
    try {
      const labels = JSON.parse(node.textContent);
      const item = labels[key];
      return item ? (Coach.lang === "en" ? item.en : item.ja) : key;
    } catch (err) { return key; }
  }

  function spansOf(report, length) {
    const spans = [];
    const add = (name, ev) => {
      if (Number.isInteger(ev.start) && Number.isInteger(ev.end) && ev.start >= 0 && ev.start < ev.end && ev.end <= length) {
        spans.push({ name, start: ev.start, end: ev.end, signal: ev.signal || "" });
      }
    };
    for (const name of CRITERIA) for (const ev of (report.criteria[name]?.evidence || [])) add(name, ev);
    for (const ev of (report.injection?.evidence || [])) add("injection", ev);
    return spans;
  }

  /** The draft with evidence spans as <mark> elements (one colour per point; overlaps marked). */
  function renderDraft(container, text, report, info) {
    clear(container);
    const chars = Array.from(text);
    const spans = spansOf(report, chars.length);
    const cuts = new Set([0, chars.length]);
    spans.forEach((s) => { cuts.add(s.start); cuts.add(s.end); });
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i < points.length - 1; i += 1) {
      const a = points[i], b = points[i + 1];
      const piece = chars.slice(a, b).join("");
      const covering = spans.filter((s) => s.start <= a && s.end >= b);
      if (!covering.length) { container.append(document.createTextNode(piece)); continue; }
      const names = [...new Set(covering.map((s) => s.name))];
      const label = names.map((n) => Coach.criterionLabel(n)).join(" / ");
      const mark = el("mark", {
        class: `hl hl-${names[0]}${names.length > 1 ? " hl-multi" : ""}`,
        tabindex: "0", "data-points": names.join(" "), title: `${t("evidence_for")} ${label}`,
        role: "button", "aria-label": `${piece} — ${t("evidence_for")} ${label}`,
      }, piece);
      const select = () => {
        container.querySelectorAll("mark.selected").forEach((m) => m.classList.remove("selected"));
        mark.classList.add("selected");
        if (info) info.textContent = `${t("evidence_for")} ${label}`;
      };
      mark.addEventListener("click", select);
      mark.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(); } });
      container.append(mark);
    }
  }

  function renderLegend(container) {
    clear(container);
    for (const name of [...CRITERIA]) {
      container.append(el("span", { class: `legend-item hl-${name}` }, Coach.criterionLabel(name)));
    }
  }

  function badge(verdict) {
    return el("span", { class: `badge badge-${verdict || "none"}` }, Coach.verdictLabel(verdict));
  }

  function renderBadges(container, report) {
    clear(container);
    for (const name of CRITERIA) {
      const result = report.criteria[name];
      if (!result) continue;
      container.append(el("a", { class: `badge-card border-${name}`, href: `#crit-${name}`, role: "listitem" },
        el("span", { class: "badge-name" }, Coach.criterionLabel(name)), badge(result.verdict)));
    }
  }

  function citationList(citations) {
    if (!citations || !citations.length) return null;
    return el("div", { class: "citations" },
      el("h5", {}, t("sources")),
      citations.map((c) => el("details", { class: "citation" },
        el("summary", {}, [c.source, c.section].filter(Boolean).join(" — ")),
        el("blockquote", {}, c.text))));
  }

  function renderCriteria(container, report, draftView) {
    clear(container);
    for (const name of CRITERIA) {
      const r = report.criteria[name];
      if (!r) continue;
      const fixes = r.fixes || [];
      const fixedItems = new Set(fixes.map((f) => f.item));
      const missingOnly = (r.missing || []).filter((m) => !fixedItems.has(m));
      const card = el("article", { class: `card criterion border-${name}`, id: `crit-${name}`, "aria-labelledby": `crit-${name}-title` },
        el("header", { class: "criterion-head" },
          el("h3", { id: `crit-${name}-title` }, Coach.criterionLabel(name)), badge(r.verdict)),
        reasonText(r, report) ? el("p", { class: "reason" }, reasonText(r, report)) : null,
        (r.evidence && r.evidence.length && draftView) ? el("button", {
          type: "button", class: "btn btn-small", onclick: () => focusPoint(draftView, name),
        }, t("show_in_text")) : el("p", { class: "meta" }, t("no_evidence")),
        (r.present && r.present.length) ? el("div", {},
          el("h4", {}, t("present")),
          el("ul", { class: "present" }, r.present.map((p) => el("li", {}, checklistLabel(p))))) : null,
        (fixes.length || missingOnly.length) ? el("div", {},
          el("h4", {}, t("missing")),
          el("ul", { class: "fixes" },
            fixes.map((f) => el("li", {},
              el("strong", {}, f.label || checklistLabel(f.item)), el("p", {}, f.advice),
              f.example ? el("div", { class: "example" }, el("span", { class: "example-label" }, t("example")), el("p", {}, f.example)) : null)),
            missingOnly.map((m) => el("li", {}, el("strong", {}, checklistLabel(m)))))) : null,
        (!fixes.length && r.suggestions && r.suggestions.length) ? el("ul", { class: "suggestions" }, r.suggestions.map((s) => el("li", {}, s))) : null,
        citationList(r.citations));
      container.append(card);
    }
  }

  function focusPoint(draftView, name) {
    const marks = draftView.querySelectorAll("mark.hl");
    let first = null;
    marks.forEach((m) => {
      const hit = (m.dataset.points || "").split(" ").includes(name);
      m.classList.toggle("dim", !hit);
      if (hit && !first) first = m;
    });
    if (first) { first.scrollIntoView({ block: "center", behavior: "smooth" }); first.focus({ preventScroll: true }); }
  }

  function renderFlags(container, report) {
    clear(container);
    container.append(el("h3", {}, t("flags_title")));
    const list = el("ul", { class: "flag-list" });
    const details = report.flag_details || {};
    const toG = report.flags?.to_g, sales = report.flags?.sales_pitch;
    list.append(el("li", { class: toG ? "flag-on" : "flag-off" }, t(toG ? "flag_to_g_on" : "flag_to_g_off"),
      toG && reasonText(details.to_g, report) ? el("span", { class: "meta block" }, reasonText(details.to_g, report)) : null));
    list.append(el("li", { class: sales ? "flag-on" : "flag-off" }, t(sales ? "flag_sales_on" : "flag_sales_off"),
      sales && reasonText(details.sales_pitch, report) ? el("span", { class: "meta block" }, reasonText(details.sales_pitch, report)) : null));
    if (report.injection && report.injection.evidence && report.injection.evidence.length) {
      list.append(el("li", { class: "flag-on" }, t("injection_note")));
    }
    container.append(list);
  }

  /** A reason in the page's language: the report's own (the draft's language, possibly an LLM's
      rewrite) when they match, else the analyzer's text in the other language when the report has it. */
  function reasonText(result, report) {
    if (!result) return "";
    if (Coach.lang === (report.language || "ja")) return result.reason || "";
    return result.reason_bilingual?.[Coach.lang] || result.reason || "";
  }

  function renderTiming(container, report) {
    const timing = report.screening?.timing;
    container.hidden = !timing;
    clear(container);
    if (!timing) return;
    const english = Coach.lang === "en" && timing.advice_en;  // reports stored before 30 Nov have no English
    container.append(el("h3", {}, t("timing_title")),
      el("p", {}, el("strong", {}, english ? timing.period_en : timing.period)),
      el("p", {}, english ? timing.advice_en : timing.advice));
  }

  function renderNotices(container, report) {
    clear(container);
    // Notices written "日本語 / English" show the half for the page's language.
    for (const notice of report.notices || []) container.append(el("li", {}, Coach.localMessage(notice)));
    container.hidden = !(report.notices || []).length;
  }

  /** Verdict before → after per point, and what is still missing (from the two reports). */
  function renderComparison(container, before, after) {
    clear(container);
    const rank = { fail: 0, partial: 1, pass: 2 };
    for (const name of CRITERIA) {
      const b = before.criteria[name]?.verdict, a = after.criteria[name]?.verdict;
      const change = rank[a] > rank[b] ? "improved" : rank[a] < rank[b] ? "worsened" : "unchanged";
      const missing = after.criteria[name]?.missing || [];
      container.append(el("li", { class: `compare-${change}` },
        el("strong", {}, Coach.criterionLabel(name)), " ",
        badge(b), el("span", { "aria-hidden": "true" }, " → "), badge(a), " ",
        el("span", { class: `change change-${change}` }, t(change)),
        missing.length ? el("span", { class: "meta block" }, `${t("still_missing")}: ${missing.map(checklistLabel).join("、")}`) : null));
    }
  }

  return { renderDraft, renderLegend, renderBadges, renderCriteria, renderFlags, renderTiming, renderNotices, renderComparison, badge, citationList, checklistLabel };
})();
