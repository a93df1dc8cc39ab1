// Two people in one set of minutes (issue 16, point 5): who else has the editor open and in
// which §, and the choice after a save met a newer version. Uses the editor's interface
// (static/js/minutes.js): window.Samordna.editor and its samordna:paragraph-* events.
//
// Presence: templates/minutes/_presence.html posts a heartbeat with htmx (on load, every few
// seconds, and when a § is opened or closed); this script adds the open § to it, keeps the
// list from being re-announced when nothing changed, marks the §§ others are in ("Ann
// Rilegård skriver här") and says goodbye when the page is left.
//
// Conflict: the autosave's answer (templates/minutes/_paragraph_status.html) then holds a
// <template> with both texts side by side and three choices. The panel is put above the §;
// until a choice is made the secretary's text stays in the form and the §'s autosave pauses.
//   keep mine  - the form is saved over the newer version (the server records it);
//   take theirs - the form gets the saved text and version, nothing is saved;
//   merge      - the form gets the merged text and the newer version, unsaved: the
//                secretary checks it (⟦ ⟧ marks where both changed the same words) and saves.
(function () {
  "use strict";

  function editor() {
    return (window.Samordna && window.Samordna.editor) || null;
  }
  function sectionOf(pk) {
    return document.getElementById("p" + pk);
  }
  function formOf(pk) {
    const section = sectionOf(pk);
    return section ? section.querySelector("form.paragraph-form") : null;
  }
  function pkOf(element) {
    const section = element instanceof Element ? element.closest("section.paragraph[data-paragraph]") : null;
    return section ? Number(section.getAttribute("data-paragraph")) : null;
  }
  function emitState(pk, state) {
    const section = sectionOf(pk);
    if (section) section.setAttribute("data-state", state);
    document.dispatchEvent(new CustomEvent("samordna:paragraph-state", { detail: { pk: pk, state: state } }));
  }

  // --- Presence ------------------------------------------------------------------------------

  let openPk = null;
  document.addEventListener("samordna:paragraph-open", function (event) {
    openPk = event.detail ? Number(event.detail.pk) : null;
  });
  document.addEventListener("samordna:paragraph-close", function (event) {
    if (event.detail && Number(event.detail.pk) === openPk) openPk = null;
  });
  function currentPk() {
    if (openPk !== null) return openPk;
    const api = editor();
    const pk = api && api.current ? api.current() : null;
    return pk === null || pk === undefined ? null : Number(pk);
  }

  // This page's own id, in each heartbeat and in the goodbye: the server refuses a heartbeat
  // of a page that has said goodbye (one already on its way when the tab closed). A page
  // brought back from the back-forward cache is a new page.
  function newPageId() {
    const words = new Uint32Array(4);
    crypto.getRandomValues(words);
    return Array.from(words, function (n) { return n.toString(36).padStart(7, "0"); }).join("");
  }
  let pageId = newPageId();
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) pageId = newPageId();
  });

  document.addEventListener("htmx:configRequest", function (event) {
    const elt = event.detail.elt;
    if (elt instanceof Element && elt.classList.contains("presence")) {
      const pk = currentPk();
      event.detail.parameters.paragraph = pk === null ? "" : String(pk);
      event.detail.parameters.page = pageId;
    }
  });

  // The same list again is not swapped (a live region would read it out every few seconds).
  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    if (target instanceof Element && target.classList.contains("presence-list")) {
      const incoming = document.createElement("div");
      incoming.innerHTML = event.detail.serverResponse;
      if (incoming.innerHTML.trim() === target.innerHTML.trim()) {
        event.detail.shouldSwap = false;
        markParagraphs(target);
      }
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.target;
    if (target instanceof Element && target.classList.contains("presence-list")) markParagraphs(target);
  });

  // "Ann Rilegård skriver här" at the top of the read form of each § someone else is in.
  function markParagraphs(list) {
    const names = new Map();
    list.querySelectorAll("li[data-paragraph]").forEach(function (item) {
      const pk = item.getAttribute("data-paragraph");
      if (!pk) return;
      if (!names.has(pk)) names.set(pk, []);
      names.get(pk).push(item.getAttribute("data-name") || "");
    });
    document.querySelectorAll(".presence-badge").forEach(function (badge) {
      const pk = badge.getAttribute("data-paragraph");
      if (!names.has(pk)) badge.remove();
    });
    names.forEach(function (who, pk) {
      const section = sectionOf(pk);
      if (!section) return;
      const text = (who.length > 1 ? who.slice(0, -1).join(", ") + " och " + who[who.length - 1] : who[0]) + " skriver här";
      let badge = section.querySelector(".presence-badge");
      if (!badge) {
        badge = document.createElement("p");
        badge.className = "presence-badge";
        badge.setAttribute("data-paragraph", pk);
        const read = section.querySelector(".paragraph-read") || section;
        read.insertBefore(badge, read.firstChild);
      }
      if (badge.textContent !== text) badge.textContent = text;
    });
  }

  // Leaving the page: gone from the others' lists at once, not after the TTL.
  window.addEventListener("pagehide", function () {
    const box = document.querySelector(".presence[data-presence-url]");
    if (!box || !navigator.sendBeacon) return;
    const data = new FormData();
    data.append("csrfmiddlewaretoken", box.getAttribute("data-csrf") || "");
    data.append("leaving", "1");
    data.append("page", pageId);
    navigator.sendBeacon(box.getAttribute("data-presence-url"), data);
  });

  // --- Conflict ------------------------------------------------------------------------------

  // pk -> {version, theirs, merged, mode: "choose"|"merged", resolving}
  const conflicts = new Map();
  let applying = false; // the script itself is filling the form: not the secretary typing
  const skipNext = new Set(); // §§ whose next autosave is the script's own filling, not typing

  function jsonIn(panel, suffix) {
    const element = panel.querySelector('script[type="application/json"][id$="-' + suffix + '"]');
    return element ? JSON.parse(element.textContent) : null;
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.target;
    if (!(target instanceof Element) || !target.classList.contains("save-status")) return;
    const template = target.querySelector("template.conflict-template");
    const pk = pkOf(target);
    if (!template || pk === null) return;
    template.remove();
    showConflict(pk, template.content.cloneNode(true));
  });

  function showConflict(pk, fragment) {
    const section = sectionOf(pk);
    if (!section) return;
    const old = section.querySelector(".conflict-panel");
    if (old) old.remove();
    const panel = fragment.querySelector(".conflict-panel");
    if (!panel) return;
    conflicts.set(pk, {
      version: panel.getAttribute("data-version"),
      theirs: jsonIn(panel, "theirs"),
      merged: jsonIn(panel, "merged"),
      theirsRead: panel.querySelector("template.conflict-theirs-read"),
      mode: "choose",
      resolving: false,
    });
    const head = section.querySelector(".paragraph-head");
    if (head) head.after(panel);
    else section.insertBefore(panel, section.firstChild);
    emitState(pk, "conflict");
    // Focus moves to the comparison unless the secretary is typing in the § (the alert says
    // so; Escape closes the §, and the choices are the next stops of Tab).
    const form = formOf(pk);
    const heading = panel.querySelector("[tabindex='-1']");
    if (heading && !(form && form.contains(document.activeElement))) heading.focus();
  }

  // Autosave pauses while a § has an unresolved conflict (or an unchecked merge).
  document.addEventListener("htmx:confirm", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("paragraph-form")) return;
    const pk = pkOf(form);
    if (skipNext.has(pk)) {
      skipNext.delete(pk);
      event.preventDefault();
      return;
    }
    const conflict = conflicts.get(pk);
    if (conflict && !conflict.resolving) event.preventDefault();
  });
  document.addEventListener("input", function (event) {
    const form = event.target instanceof Element ? event.target.closest("form.paragraph-form") : null;
    if (!form || applying) return;
    const pk = pkOf(form);
    skipNext.delete(pk);
    const conflict = conflicts.get(pk);
    if (!conflict) return;
    // The editor marks the § unsaved on typing; it stays a conflict until a choice is made.
    emitState(pk, conflict.mode === "merged" ? "unsaved" : "conflict");
    const status = document.getElementById("status-" + pk);
    if (status) {
      status.textContent = conflict.mode === "merged"
        ? "Sammanfogad text, inte sparad: granska och spara."
        : "Inte sparad: välj först vad som ska gälla.";
    }
  });

  function setField(form, name, value) {
    const field = form.elements.namedItem(name);
    if (!field) return;
    if (field instanceof HTMLInputElement && field.type === "checkbox") {
      field.checked = Boolean(value);
    } else if (name !== "body") {
      field.value = value === null || value === undefined ? "" : String(value);
    }
  }

  function fill(pk, values) {
    const form = formOf(pk);
    if (!form || !values) return;
    applying = true;
    try {
      Object.keys(values).forEach(function (name) {
        if (name !== "body" && name !== "version") setField(form, name, values[name]);
      });
      const api = editor();
      if (api && api.setBody) api.setBody(pk, values.body || "");
      else setField(form, "body", values.body || "");
      const body = form.querySelector("[name=body]");
      if (body && body.value !== (values.body || "") && !(api && api.setBody)) body.value = values.body || "";
      setField(form, "version", values.version);
      const section = sectionOf(pk);
      if (section) section.setAttribute("data-version", String(values.version));
    } finally {
      applying = false;
    }
  }

  function finish(pk) {
    conflicts.delete(pk);
    const section = sectionOf(pk);
    const panel = section ? section.querySelector(".conflict-panel") : null;
    if (panel) panel.remove();
  }

  function save(pk, resolution) {
    const form = formOf(pk);
    const conflict = conflicts.get(pk);
    if (!form || !conflict || !window.htmx) return;
    setField(form, "version", conflict.version);
    conflict.resolving = true;
    const status = document.getElementById("status-" + pk);
    window.htmx.ajax("POST", form.getAttribute("hx-post") || form.action, {
      source: form, target: status || form, swap: "innerHTML", values: { resolution: resolution },
    }).then(function () {
      if (status && status.querySelector(".ok")) {
        finish(pk);
        const api = editor();
        if (api && api.open) api.open(pk);
      } else if (conflicts.has(pk)) {
        conflicts.get(pk).resolving = false;
      }
    });
  }

  function takeTheirs(pk) {
    const conflict = conflicts.get(pk);
    if (!conflict || !conflict.theirs) return;
    fill(pk, conflict.theirs);
    skipNext.add(pk); // the filled text is the saved one: no autosave of it
    const title = document.getElementById("p" + pk + "-title");
    if (title) title.textContent = conflict.theirs.title;
    const read = document.getElementById("p" + pk + "-body");
    if (read && conflict.theirsRead) read.innerHTML = conflict.theirsRead.innerHTML;
    finish(pk);
    emitState(pk, "saved");
    const status = document.getElementById("status-" + pk);
    if (status) status.textContent = "Den sparade texten gäller (version " + conflict.theirs.version + ").";
    const api = editor();
    if (api && api.open) api.open(pk);
  }

  function merge(pk) {
    const conflict = conflicts.get(pk);
    const section = sectionOf(pk);
    if (!conflict || !conflict.merged || !section) return;
    fill(pk, conflict.merged);
    conflict.mode = "merged";
    conflict.version = String(conflict.merged.version);
    const panel = section.querySelector(".conflict-panel");
    if (panel) {
      const choices = panel.querySelector(".conflict-choices");
      const note = document.createElement("div");
      note.className = "conflict-merged";
      const text = document.createElement("p");
      text.textContent = "Den sammanfogade texten står nu i formuläret och är inte sparad. " +
        "Där ni båda har ändrat samma ställe står båda texterna mellan ⟦ ⟧: ändra till det som ska gälla och spara.";
      const button = document.createElement("button");
      button.type = "button";
      button.setAttribute("data-conflict-choice", "save-merged");
      button.textContent = "Spara den sammanfogade texten";
      note.appendChild(text);
      note.appendChild(button);
      if (choices) choices.replaceWith(note);
    }
    emitState(pk, "unsaved");
    const status = document.getElementById("status-" + pk);
    if (status) status.textContent = "Sammanfogad text, inte sparad: granska och spara.";
    const api = editor();
    if (api && api.open) api.open(pk);
  }

  document.addEventListener("click", function (event) {
    const button = event.target instanceof Element ? event.target.closest("[data-conflict-choice]") : null;
    if (!button) return;
    const pk = pkOf(button);
    if (pk === null) return;
    event.preventDefault();
    const choice = button.getAttribute("data-conflict-choice");
    if (choice === "mine") save(pk, "mine");
    else if (choice === "theirs") takeTheirs(pk);
    else if (choice === "merge") merge(pk);
    else if (choice === "save-merged") save(pk, "merge");
  });

  // The form's own "Spara" while a merge waits for checking saves it as the merge.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("paragraph-form")) return;
    const pk = pkOf(form);
    const conflict = conflicts.get(pk);
    if (conflict && conflict.mode === "merged" && !conflict.resolving) {
      event.preventDefault();
      save(pk, "merge");
    }
  }, true);
})();
