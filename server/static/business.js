/* The business page: submit a draft (text or file), show the review, re-review, chat. */
"use strict";

(() => {
  const { el, clear, t, api, showError } = Coach;
  const $ = (id) => document.getElementById(id);
  const state = { token: null, reviews: [], comparison: null };

  function tokenFromPath() {
    const match = window.location.pathname.match(/^\/r\/([A-Za-z0-9_-]{16,})$/);
    return match ? match[1] : null;
  }

  function selectedRoute() {
    const checked = document.querySelector('input[name="route"]:checked');
    return checked && checked.value ? checked.value : null;
  }

  function render() {
    const latest = state.reviews[state.reviews.length - 1];
    if (!latest) return;
    const report = latest.report;
    $("result").hidden = false;
    $("private-link").value = state.link || window.location.href;
    $("sub-status").textContent = Coach.statusLabel(state.status || "received");
    $("sub-revision").textContent = String(latest.revision);
    $("summary").textContent = report.summary || "";
    ReportView.renderNotices($("notices"), report);
    ReportView.renderBadges($("badges"), report);
    ReportView.renderLegend($("legend"));
    ReportView.renderDraft($("draft-view"), latest.text, report, $("span-info"));
    ReportView.renderCriteria($("criteria"), report, $("draft-view"));
    ReportView.renderFlags($("flags"), report);
    ReportView.renderTiming($("timing"), report);
    const previous = state.reviews[state.reviews.length - 2];
    $("comparison").hidden = !previous;
    if (previous) ReportView.renderComparison($("comparison-list"), previous.report, report);
  }

  async function load(token) {
    const view = await api(`/api/reviews/${encodeURIComponent(token)}`);
    state.token = token;
    state.link = view.link;
    state.status = view.status;
    state.reviews = view.reviews;
    $("compose").hidden = true;
    render();
  }

  async function submitReview(event) {
    event.preventDefault();
    const errorBox = $("form-error");
    errorBox.hidden = true;
    const file = $("file").files[0];
    const text = $("draft").value;
    const route = selectedRoute();
    const button = $("submit-review");
    button.disabled = true;
    $("form-status").textContent = t("checking");
    try {
      let created;
      if (file) {
        const form = new FormData();
        form.append("file", file);
        if (route) form.append("route", route);
        created = await api("/api/reviews/upload", { method: "POST", body: form });
      } else {
        created = await api("/api/reviews", { method: "POST", json: { text, route } });
      }
      // Reload from the link: the stored text is exactly what the offsets refer to.
      state.reviews = [];
      window.history.pushState({}, "", `/r/${created.token}`);
      await load(created.token);
      $("result").scrollIntoView({ block: "start" });
    } catch (err) {
      showError(errorBox, err);
    } finally {
      button.disabled = false;
      $("form-status").textContent = "";
    }
  }

  async function submitRevision(event) {
    event.preventDefault();
    const errorBox = $("revise-error");
    errorBox.hidden = true;
    const latest = state.reviews[state.reviews.length - 1];
    try {
      const revised = await api(`/api/reviews/${encodeURIComponent(state.token)}/revisions`, {
        method: "POST", json: { text: $("revise-text").value, route: latest ? latest.route : null },
      });
      $("revise-form").hidden = true;
      $("edit-again").hidden = false;
      await load(state.token);
      if (revised.comparison && revised.comparison.summary) {
        $("comparison-list").prepend(el("li", { class: "compare-summary" }, revised.comparison.summary));
      }
      $("comparison").scrollIntoView({ block: "start" });
    } catch (err) {
      showError(errorBox, err);
    }
  }

  // --- chat --------------------------------------------------------------------------------

  function parseEvents(buffer, onEvent) {
    let index;
    while ((index = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      let name = "message", data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5).trim();
      }
      try { onEvent(name, JSON.parse(data)); } catch (err) { /* a malformed event is skipped */ }
    }
    return buffer;
  }

  async function ask(event) {
    event.preventDefault();
    const input = $("chat-question");
    const question = input.value.trim();
    if (!question) return;
    input.value = "";
    const log = $("chat-log");
    const answerText = el("p", { class: "answer-text" }, t("thinking"));
    const answer = el("div", { class: "bubble bubble-answer" }, answerText);
    log.append(el("li", { class: "chat-item" }, el("div", { class: "bubble bubble-question" }, question), answer));
    let streamed = "";
    try {
      const response = await fetch("/api/chat/stream", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify({ question, token: state.token }),
      });
      if (!response.ok) {
        const body = await response.json().catch(() => null);
        throw new Coach.ApiError(response.status, body?.error?.code, body?.error?.message || t("error_generic"));
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer = parseEvents(buffer + decoder.decode(value, { stream: true }), (name, data) => {
          if (name === "token") { streamed += data.text || ""; answerText.textContent = streamed; }
          else if (name === "final") {
            answerText.textContent = data.text;
            const cites = ReportView.citationList(data.citations);
            if (cites) answer.append(cites);
            for (const notice of data.notices || []) answer.append(el("p", { class: "meta" }, notice));
          } else if (name === "error") {
            answerText.textContent = Coach.localMessage(data.error?.message || t("error_generic"));
            answer.classList.add("bubble-error");
          }
        });
      }
    } catch (err) {
      answerText.textContent = Coach.localMessage(err.message || t("error_generic"));
      answer.classList.add("bubble-error");
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const draft = $("draft");
    const counter = $("draft-count");
    const max = Number(counter.dataset.max);
    const count = () => {
      const n = Array.from(draft.value).length;
      counter.textContent = `${n.toLocaleString()} / ${max.toLocaleString()}`;
      counter.classList.toggle("over", n > max);
    };
    draft.addEventListener("input", count);
    count();
    $("review-form").addEventListener("submit", submitReview);
    $("revise-form").addEventListener("submit", submitRevision);
    $("edit-again").addEventListener("click", () => {
      const latest = state.reviews[state.reviews.length - 1];
      $("revise-text").value = latest ? latest.text : "";
      $("revise-form").hidden = false;
      $("edit-again").hidden = true;
      $("revise-text").focus();
    });
    $("revise-cancel").addEventListener("click", () => { $("revise-form").hidden = true; $("edit-again").hidden = false; });
    $("copy-link").addEventListener("click", async () => {
      const input = $("private-link");
      input.select();
      try { await navigator.clipboard.writeText(input.value); } catch (err) { document.execCommand?.("copy"); }
      $("copy-link").textContent = t("copied");
    });
    $("chat-form").addEventListener("submit", ask);
    document.addEventListener("coach:lang", render);
    window.addEventListener("popstate", () => window.location.reload());
    const token = tokenFromPath();
    if (token) {
      load(token).catch((err) => { $("compose").hidden = false; showError($("form-error"), err); });
    }
  });
})();
