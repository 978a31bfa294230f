/* The return sheet's keyboard, progress, autosave, checks while typing, value history and submit confirmation.
 *
 * Settings and words come from the page (#sheet-config, returns/sheet_script.py); the rules stay on the server:
 * the checks are asked of the "check" endpoint, the saves go to the "autosave" endpoint (the same service as the
 * form, with the version the page holds). What is typed and not yet saved is also kept in localStorage, so a crash
 * or a closed tab loses nothing: it is restored when the sheet is opened again, and saved from there.
 * Without this script the sheet still works as a plain form.
 */
(function () {
  "use strict";
  const configElement = document.getElementById("sheet-config");
  const form = document.getElementById("sheet-form");
  if (!configElement || !form) return;
  const config = JSON.parse(configElement.textContent);
  const words = config.words;
  const storageKey = "return-sheet:" + config.returnId;
  const say = (text, values) => text.replace(/%\((\w+)\)s/g, (_all, name) => String(values[name]));
  const statusElement = document.getElementById("autosave-status");

  function setStatus(text, kind) {
    if (!statusElement) return;
    statusElement.textContent = text;
    statusElement.dataset.kind = kind || "";
  }

  /* ---- notes behind a toggle; Alt+N opens the note of the current value ---- */
  function openNote(code, focus) {
    const note = document.getElementById("note-" + code);
    const toggle = document.getElementById("note-toggle-" + code);
    if (!note) return;
    note.hidden = false;
    if (toggle) toggle.setAttribute("aria-expanded", "true");
    if (focus) note.focus();
  }
  form.addEventListener("click", (event) => {
    const toggle = event.target.closest(".note-toggle");
    if (!toggle) return;
    const note = document.getElementById("note-" + toggle.dataset.code);
    if (note.hidden) openNote(toggle.dataset.code, true);
    else if (!note.value.trim()) {
      note.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
    }
  });
  form.addEventListener("keydown", (event) => {
    if (event.altKey && (event.key === "n" || event.key === "N") && event.target.matches("input.value")) {
      event.preventDefault();
      openNote(event.target.name.slice("value-".length), true);
    }
  });

  /* ---- progress: filled / required ---- */
  const progressElement = document.getElementById("sheet-progress");
  function showProgress() {
    if (!progressElement) return;
    const required = Array.from(form.querySelectorAll("input.value[data-required]"));
    const filled = required.filter((input) => input.value.trim() !== "").length;
    progressElement.textContent = say(words.progress, { filled: filled, required: required.length });
  }

  /* ---- what is typed and not saved: kept in localStorage ---- */
  const dirty = new Map(); // field name → value typed, not yet confirmed saved
  function keepLocally() {
    try {
      if (dirty.size) localStorage.setItem(storageKey, JSON.stringify(Object.fromEntries(dirty)));
      else localStorage.removeItem(storageKey);
    } catch (_error) {
      /* storage full or disabled: the autosave still runs */
    }
  }
  function restore() {
    let kept = {};
    try {
      kept = JSON.parse(localStorage.getItem(storageKey) || "{}");
    } catch (_error) {
      kept = {};
    }
    let restored = 0;
    for (const [name, value] of Object.entries(kept)) {
      const field = form.elements.namedItem(name);
      if (!field || field.value === value) continue;
      field.value = value;
      if (name.startsWith("note-") && value.trim()) openNote(name.slice("note-".length), false);
      dirty.set(name, value);
      restored += 1;
    }
    keepLocally();
    if (restored) setStatus(say(words.restored, { count: restored }), "restored");
    return restored;
  }

  /* ---- autosave ---- */
  let inFlight = null;
  let stopped = false;
  function formData() {
    const data = new FormData(form);
    data.delete("action");
    return data;
  }
  function setVersion(version) {
    document.querySelectorAll('input[name="version"]').forEach((input) => {
      input.value = version;
    });
  }
  function save(keepalive) {
    if (!config.editable || stopped || inFlight || !dirty.size) return inFlight || Promise.resolve();
    const sent = new Map(dirty);
    setStatus(words.saving, "saving");
    inFlight = fetch(config.urls.autosave, {
      method: "POST",
      body: formData(),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      keepalive: !!keepalive,
    })
      .then((response) => response.json().then((body) => ({ response, body })))
      .then(({ response, body }) => {
        if (response.ok) {
          setVersion(body.version);
          for (const [name, value] of sent) if (dirty.get(name) === value) dirty.delete(name);
          keepLocally();
          setStatus(dirty.size ? words.unsaved : body.message || words.saved, "saved");
        } else {
          if (response.status === 409 || response.status === 403) stopped = true; // reload before saving again
          setStatus((body.messages || []).join(" "), "refused");
        }
      })
      .catch(() => setStatus(words.offline, "offline"))
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  /* ---- problems while typing ---- */
  const panel = document.getElementById("live-problems-panel");
  let checkTimer = null;
  let checkSerial = 0;
  function showProblems(problems) {
    document.querySelectorAll("tr.live-problem").forEach((row) => row.classList.remove("live-problem"));
    if (!panel) return;
    const list = document.getElementById("live-problems");
    list.replaceChildren();
    for (const problem of problems) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = "#row-" + problem.code;
      link.textContent = problem.message;
      item.appendChild(link);
      list.appendChild(item);
      for (const code of problem.rows) {
        const row = document.getElementById("row-" + code);
        if (row) row.classList.add("live-problem");
      }
    }
    document.getElementById("live-problems-title").textContent = problems.length
      ? say(words.problems, { count: problems.length })
      : words.noProblems;
    panel.hidden = false;
    panel.dataset.count = String(problems.length);
  }
  function check() {
    const serial = ++checkSerial;
    return fetch(config.urls.check, { method: "POST", body: formData(), credentials: "same-origin" })
      .then((response) => response.json().then((body) => ({ response, body })))
      .then(({ response, body }) => {
        if (!response.ok) {
          setStatus((body.messages || []).join(" "), "refused");
          return null;
        }
        if (serial === checkSerial) showProblems(body.problems); // an older answer does not overwrite a newer one
        return body.problems.length;
      })
      .catch(() => null);
  }
  function checkSoon() {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, config.checkDelayMs);
  }

  /* ---- the submit confirmation, with the problem count ---- */
  const dialog = document.getElementById("submit-dialog");
  let confirmed = false;
  form.addEventListener("submit", (event) => {
    const submitter = event.submitter;
    if (inFlight) {
      // An autosave is under way: submit once it has answered, with the version it wrote.
      event.preventDefault();
      inFlight.finally(() => form.requestSubmit(submitter));
      return;
    }
    const submitting = submitter && submitter.value === "submit" && submitter.id !== "confirm-submit";
    if (submitting && dialog && !confirmed) {
      event.preventDefault();
      const text = document.getElementById("submit-dialog-problems");
      text.textContent = "";
      dialog.showModal();
      clearTimeout(checkTimer); // this check is of everything typed so far
      check().then((count) => {
        if (count === null) return;
        text.textContent = count ? say(words.confirmProblems, { count: count }) : words.confirmClean;
        text.dataset.count = String(count);
      });
      return;
    }
    // The form itself saves now: what is typed is no longer only local.
    dirty.clear();
    keepLocally();
  });
  const cancel = document.getElementById("cancel-submit");
  if (cancel) cancel.addEventListener("click", () => dialog.close());

  /* ---- one value's history ---- */
  const historyDialog = document.getElementById("history-dialog");
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".history-toggle");
    if (!button || !historyDialog) return;
    const code = button.dataset.code;
    const name = button.parentElement.firstChild.textContent.trim();
    fetch(config.urls.history.replace(config.historyCode, encodeURIComponent(code)), { credentials: "same-origin" })
      .then((response) => response.json())
      .then((body) => {
        document.getElementById("history-dialog-title").textContent = say(words.historyOf, { name: name });
        const tbody = historyDialog.querySelector("tbody");
        tbody.replaceChildren();
        const versions = body.versions || [];
        if (!versions.length) {
          const row = tbody.insertRow();
          const cell = row.insertCell();
          cell.colSpan = 5;
          cell.textContent = words.noHistory;
        }
        for (const version of versions) {
          const row = tbody.insertRow();
          const note =
            version.note_before === version.note_after
              ? version.note_after
              : (version.note_before || "—") + " → " + (version.note_after || "—");
          for (const text of [version.at, version.by, version.before || "—", version.after || "—", note]) {
            row.insertCell().textContent = text;
          }
        }
        historyDialog.showModal();
      });
  });
  const closeHistory = document.getElementById("close-history");
  if (closeHistory) closeHistory.addEventListener("click", () => historyDialog.close());

  /* ---- wiring ---- */
  if (config.editable) {
    form.addEventListener("input", (event) => {
      const field = event.target;
      if (!field.matches("input.value, textarea[name^=note-]")) return;
      dirty.set(field.name, field.value);
      keepLocally();
      setStatus(words.unsaved, "unsaved");
      showProgress();
      checkSoon();
    });
    setInterval(() => save(false), config.autosaveSeconds * 1000);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") save(true);
    });
    window.addEventListener("pagehide", () => save(true));
    if (restore()) {
      save(false);
      check();
    }
    showProgress();
  }
})();
