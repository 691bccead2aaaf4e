/* Staff desk: login, list with filters, detail with status change and audit, batch import.
   Auth is the HttpOnly session cookie set by /api/staff/login; a 401 sends you to the login. */
"use strict";

(() => {
  const { el, clear, t, api, showError } = Coach;
  const $ = (id) => document.getElementById(id);
  const page = () => document.querySelector("[data-page]")?.dataset.page;

  function toLogin() {
    const next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(`/staff/login?next=${next}`);
  }

  async function guarded(promise) {
    try { return await promise; } catch (err) {
      if (err.status === 401) { toLogin(); return new Promise(() => {}); }
      throw err;
    }
  }

  async function whoami() {
    const me = await guarded(api("/api/staff/me"));
    $("whoami").textContent = `${me.username} (${me.role})`;
    $("logout").hidden = false;
    return me;
  }

  // --- login ---------------------------------------------------------------------------------
  function initLogin() {
    $("login-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      $("login-error").hidden = true;
      try {
        await api("/api/staff/login", { method: "POST", json: { username: $("username").value, password: $("password").value } });
        const next = new URLSearchParams(window.location.search).get("next") || "/staff";
        // Only same-site paths: never redirect to another origin.
        window.location.assign(next.startsWith("/staff") ? next : "/staff");
      } catch (err) { showError($("login-error"), err); }
    });
  }

  // --- list ----------------------------------------------------------------------------------
  function verdictPills(verdicts) {
    // ①–④ are the playbook's POINT numbers; the full name is in the title and for screen readers.
    return Coach.CRITERIA.map((name, i) => {
      const badge = ReportView.badge(verdicts[name]);
      badge.prepend("①②③④"[i] + " ");
      badge.title = Coach.criterionLabel(name);
      badge.setAttribute("aria-label", `${Coach.criterionLabel(name)}: ${Coach.verdictLabel(verdicts[name])}`);
      return badge;
    });
  }

  function flagPills(flags) {
    const pills = [];
    if (flags.to_g) pills.push(el("span", { class: "pill pill-warn" }, "To G"));
    if (flags.sales_pitch) pills.push(el("span", { class: "pill pill-warn" }, Coach.lang === "en" ? "Sales tone" : "営業色"));
    if (flags.injection) pills.push(el("span", { class: "pill pill-alert" }, Coach.lang === "en" ? "Instruction" : "指示文"));
    return pills.length ? pills : [el("span", { class: "meta" }, t("none"))];
  }

  const PAGE = 50;
  let offset = 0;
  let lastList = null;
  function renderList(list) {
    lastList = list;
    $("page-prev").disabled = offset === 0;
    $("page-next").disabled = offset + PAGE >= list.total;
    $("page-info").textContent = list.total ? `${offset + 1}–${Math.min(offset + PAGE, list.total)} / ${list.total}` : "";
    const body = clear(document.querySelector("#submissions-table tbody"));
    $("list-count").textContent = `${list.total} ${t("count")}`;
    for (const row of list.items) {
      body.append(el("tr", { "data-id": row.id },
        el("td", {}, Coach.formatDate(row.created_at)),
        el("td", {}, el("a", { href: `/staff/s/${encodeURIComponent(row.id)}` }, row.title || row.id),
          row.revisions > 1 ? el("span", { class: "meta block" }, `${t("revisions")}: ${row.revisions}`) : null),
        el("td", {}, Coach.routeLabel(row.route)),
        el("td", {}, verdictPills(row.verdicts)),
        el("td", {}, flagPills(row.flags)),
        el("td", {}, row.bureau || "—"),
        el("td", {}, Coach.statusLabel(row.status))));
    }
  }

  async function loadList() {
    $("list-error").hidden = true;
    const form = new FormData($("filter-form"));
    const params = new URLSearchParams();
    for (const [key, value] of form.entries()) if (value) params.append(key, value);
    window.history.replaceState({}, "", params.toString() ? `/staff?${params}` : "/staff");
    params.set("limit", String(PAGE));
    params.set("offset", String(offset));
    try { renderList(await guarded(api(`/api/staff/submissions?${params}`))); } catch (err) { showError($("list-error"), err); }
  }

  async function initList() {
    await whoami();
    const bureaus = await guarded(api("/api/staff/bureaus"));
    const select = $("f-bureau");
    for (const name of bureaus) select.append(el("option", { value: name }, name));
    const params = new URLSearchParams(window.location.search);
    const form = $("filter-form");
    for (const [key, value] of params.entries()) {
      const fields = form.querySelectorAll(`[name="${CSS.escape(key)}"]`);
      fields.forEach((field) => {
        if (field.type === "checkbox") field.checked = field.checked || field.value === value;
        else field.value = value;
      });
    }
    form.addEventListener("submit", (e) => { e.preventDefault(); offset = 0; loadList(); });
    form.addEventListener("reset", () => { offset = 0; setTimeout(loadList, 0); });
    $("page-prev").addEventListener("click", () => { offset = Math.max(0, offset - PAGE); loadList(); });
    $("page-next").addEventListener("click", () => { offset += PAGE; loadList(); });
    document.addEventListener("coach:lang", () => lastList && renderList(lastList));
    await loadList();
  }

  // --- detail --------------------------------------------------------------------------------
  function row(label, ...value) { return el("tr", {}, el("th", { scope: "row" }, label), el("td", {}, ...value)); }

  function renderScreening(detail) {
    const body = clear($("screening-table"));
    const report = detail.report;
    for (const name of Coach.CRITERIA) {
      const r = report?.criteria?.[name];
      body.append(row(Coach.criterionLabel(name), ReportView.badge(r?.verdict), r?.reason ? el("span", { class: "meta block" }, r.reason) : null));
    }
    body.append(row(t("flags_filter"), flagPills(detail.flags)));
    const s = report?.screening;
    if (s) {
      if (s.first_check) body.append(row(t("first_check"), s.first_check));
      for (const p of s.judgement_points || []) body.append(row(p.label, p.assessment));
      if (s.bureaus?.length) body.append(row(t("bureaus_guess"), s.bureaus.slice(0, 3).map((b) => el("span", { class: "pill" }, b.name))));
      if (s.timing) body.append(row(t("timing_title"), `${s.timing.period} — ${s.timing.advice}`));
    }
    if (report?.summary) body.append(row(Coach.lang === "en" ? "Summary" : "要約", report.summary));
  }

  function renderAudit(entries) {
    const body = clear($("audit-table"));
    for (const e of entries) {
      const detail = Object.entries(e.detail || {}).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join(", ");
      body.append(el("tr", {}, el("td", {}, Coach.formatDate(e.at)), el("td", {}, e.actor), el("td", {}, e.action), el("td", {}, detail)));
    }
  }

  let lastDetail = null;
  function renderDetail(detail) {
    lastDetail = detail;
    $("detail-title").textContent = detail.title || detail.id;
    $("detail-meta").textContent = `ID ${detail.id} · ${Coach.formatDate(detail.created_at)} · ${Coach.routeLabel(detail.route)} · ${t("revisions")}: ${detail.revisions}`;
    $("current-status").textContent = Coach.statusLabel(detail.status);
    $("current-reason").textContent = detail.status_reason ? `(${detail.status_reason})` : "";
    const select = clear($("new-status"));
    for (const s of detail.next_statuses) select.append(el("option", { value: s }, Coach.statusLabel(s)));
    renderScreening(detail);
    renderAudit(detail.audit);
    ReportView.renderLegend($("legend"));
    if (detail.report) {
      ReportView.renderDraft($("draft-view"), detail.text, detail.report, $("span-info"));
      ReportView.renderCriteria($("criteria"), detail.report, $("draft-view"));
      ReportView.renderFlags($("flags"), detail.report);
    } else {
      $("draft-view").textContent = detail.text;
    }
  }

  async function initDetail() {
    await whoami();
    const id = decodeURIComponent(window.location.pathname.split("/").pop());
    const base = `/api/staff/submissions/${encodeURIComponent(id)}`;
    $("export-md").href = `${base}/export.md`;
    $("export-pdf").href = `${base}/export.pdf`;
    const load = async () => {
      try { renderDetail(await guarded(api(base))); } catch (err) { showError($("detail-error"), err); }
    };
    $("status-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      $("status-error").hidden = true;
      try {
        await guarded(api(`${base}/status`, { method: "POST", json: { status: $("new-status").value, reason: $("status-reason").value } }));
        $("status-reason").value = "";
        $("status-done").textContent = "✓";
        await load();
      } catch (err) { showError($("status-error"), err); }
    });
    document.addEventListener("coach:lang", () => lastDetail && renderDetail(lastDetail));
    await load();
  }

  // --- import --------------------------------------------------------------------------------
  function renderJob(job) {
    $("import-status").hidden = false;
    const processed = job.done + job.failed;
    const pct = job.total ? Math.round((processed / job.total) * 100) : 0;
    $("import-bar").firstElementChild.style.width = `${pct}%`;
    $("import-bar").setAttribute("aria-valuenow", String(pct));
    $("import-counts").textContent = `${processed} / ${job.total} (${pct}%) · OK ${job.done} · NG ${job.failed} · ${job.state}`;
    const list = clear($("import-errors"));
    for (const e of job.errors) list.append(el("li", {}, `#${e.line}${e.id ? ` (${e.id})` : ""}: ${Coach.localMessage(e.message)}`));
  }

  async function initImport() {
    await whoami();
    $("import-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      $("import-error").hidden = true;
      const file = $("import-file").files[0];
      if (!file) return;
      const form = new FormData();
      form.append("file", file);
      try {
        let job = await guarded(api("/api/staff/imports", { method: "POST", body: form }));
        renderJob(job);
        while (job.state === "queued" || job.state === "running") {
          await new Promise((r) => setTimeout(r, 700));
          job = await guarded(api(`/api/staff/imports/${encodeURIComponent(job.id)}`));
          renderJob(job);
        }
      } catch (err) { showError($("import-error"), err); }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const logout = $("logout");
    if (logout) logout.addEventListener("click", async () => {
      try { await api("/api/staff/logout", { method: "POST" }); } catch (err) { /* already out */ }
      window.location.assign("/staff/login");
    });
    const run = { login: initLogin, list: initList, detail: initDetail, import: initImport }[page()];
    if (run) Promise.resolve(run()).catch((err) => console.error(err));
  });
})();
