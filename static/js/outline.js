// The minutes editor's outline (templates/minutes/_outline.html). Without JavaScript its links
// jump to the § and its buttons POST the move and come back; with it:
// - a click (or Enter) on a § opens it in the editor (window.Samordna.editor.open);
// - each § shows its state live from the editor's samordna:paragraph-state events;
// - the move buttons, Alt+ArrowUp/Down on an item and drag and drop (SortableJS, vendored)
//   move the § without a reload: the server answers with the outline re-rendered and every
//   §'s new number, the page renumbers and reorders its paragraphs, and a live region says
//   what happened;
// - where the screen has no room for it beside the minutes, the outline starts folded.
(function () {
  "use strict";

  const STATE_TEXT = {
    saved: "sparad",
    unsaved: "inte sparad",
    saving: "sparar…",
    conflict: "konflikt",
    error: "inte sparad (fel)",
  };
  // Open at first only where the outline and the minutes at their full width fit side by side
  // (outline.css); elsewhere it starts folded, one click or Enter away.
  const ROOM = "(min-width: 90rem)";
  const states = new Map(); // pk -> the last state the editor reported; outlives a re-render
  let sortable = null;
  let busy = false;

  function list() {
    return document.getElementById("outline-list");
  }

  function itemOf(pk) {
    return document.getElementById("outline-" + pk);
  }

  function announce(text) {
    const region = document.getElementById("outline-status");
    if (!region) return;
    // Emptied first so the same sentence twice is announced twice.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function showState(pk, state) {
    const item = itemOf(pk);
    const badge = item && item.querySelector("[data-outline-state]");
    if (!badge || !Object.prototype.hasOwnProperty.call(STATE_TEXT, state)) return;
    badge.setAttribute("data-outline-state", state);
    badge.textContent = STATE_TEXT[state];
  }

  document.addEventListener("samordna:paragraph-state", function (event) {
    const detail = event.detail || {};
    if (detail.pk === undefined || detail.pk === null) return;
    states.set(String(detail.pk), detail.state);
    showState(detail.pk, detail.state);
  });

  // Jump: the link's own #p{pk} without the editor's API; with it, open the § in place.
  document.addEventListener("click", function (event) {
    const link = event.target instanceof Element ? event.target.closest(".outline-jump") : null;
    if (!link) return;
    const pk = Number(link.getAttribute("data-paragraph"));
    const section = document.getElementById("p" + pk);
    const editor = window.Samordna && window.Samordna.editor;
    if (!section || !editor || typeof editor.open !== "function") return;
    event.preventDefault();
    if (window.history && window.history.replaceState) window.history.replaceState(null, "", "#p" + pk);
    section.scrollIntoView({ block: "start" });
    editor.open(pk);
    if (!section.contains(document.activeElement)) {
      if (!section.hasAttribute("tabindex")) section.setAttribute("tabindex", "-1");
      section.focus({ preventScroll: true });
    }
  });

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Inside a §'s section, its old label becomes the new one wherever the page wrote it (the
  // heading, "Spara § 5", the buttons' hidden names), but never in what the secretary wrote
  // (the body, an open rich-text editor, form fields).
  const KEEP = ".para-body, [contenteditable], .ql-container, textarea, input, select, script, style";
  function relabel(root, before, after) {
    const pattern = new RegExp("(^|[^\\w§])" + escapeRegExp(before) + "(?!\\d)", "g");
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        const parent = node.parentElement;
        if (!parent || parent.closest(KEEP)) return NodeFilter.FILTER_REJECT;
        return node.nodeValue.indexOf(before) === -1 ? NodeFilter.FILTER_SKIP : NodeFilter.FILTER_ACCEPT;
      },
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      node.nodeValue = node.nodeValue.replace(pattern, function (_m, lead) { return lead + after; });
    });
  }

  // The page follows the server's order and numbers: each § renamed (relabel, and elements
  // marked data-paragraph-label="{pk}"), links to it elsewhere (the quorum warning) too, and
  // the paragraphs' sections put in the new order with their own move buttons updated.
  function renumberPage(paragraphs, oldLabels) {
    paragraphs.forEach(function (p) {
      document.querySelectorAll('[data-paragraph-label="' + p.pk + '"]').forEach(function (el) {
        el.textContent = p.label;
      });
      const before = oldLabels.get(String(p.pk));
      if (!before || before === p.label) return;
      const section = document.getElementById("p" + p.pk);
      if (section) relabel(section, before, p.label);
      document.querySelectorAll('a[href="#p' + p.pk + '"]').forEach(function (a) {
        if (!a.closest("#editor-outline") && a.textContent.trim() === before) a.textContent = p.label;
      });
    });
    const sections = paragraphs.map(function (p) { return document.getElementById("p" + p.pk); })
      .filter(function (s) { return s !== null; });
    sections.forEach(function (s, i) {
      s.querySelectorAll('button[name="direction"][value="up"]').forEach(function (b) { b.disabled = i === 0; });
      s.querySelectorAll('button[name="direction"][value="down"]').forEach(function (b) {
        b.disabled = i === sections.length - 1;
      });
    });
    if (sections.length < 2) return;
    const parent = sections[0].parentElement;
    if (!sections.every(function (s) { return s.parentElement === parent; })) return;
    // Whatever follows the last § in the document stays after them all.
    const inDocumentOrder = Array.from(parent.children).filter(function (c) { return sections.includes(c); });
    const after = inDocumentOrder[inDocumentOrder.length - 1].nextSibling;
    sections.forEach(function (s) { parent.insertBefore(s, after); });
  }

  function currentLabels() {
    const labels = new Map();
    document.querySelectorAll("#outline-list .outline-item").forEach(function (item) {
      labels.set(item.getAttribute("data-paragraph"), item.getAttribute("data-label"));
    });
    return labels;
  }

  function replaceOutline(html) {
    const current = list();
    if (!current) return;
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const fresh = template.content.firstElementChild;
    if (!fresh) return;
    current.replaceWith(fresh);
    states.forEach(function (state, pk) { showState(pk, state); });
    enableDragging();
  }

  // After a move the focus stays on what moved: the same button when it can still be used,
  // else the other one, else the link.
  function refocus(pk, direction) {
    const item = itemOf(pk);
    if (!item) return;
    const other = direction === "up" ? "down" : "up";
    const candidates = [
      item.querySelector('button[value="' + direction + '"]'),
      item.querySelector('button[value="' + other + '"]'),
      item.querySelector(".outline-jump"),
    ];
    const target = candidates.find(function (el) { return el && !el.disabled; });
    if (target) target.focus();
  }

  async function move(form, data, direction, revert) {
    if (busy) return;
    busy = true;
    if (sortable) sortable.option("disabled", true);
    const pk = form.closest(".outline-item").getAttribute("data-paragraph");
    const outline = list();
    if (outline) outline.setAttribute("aria-busy", "true");
    let answer = null;
    try {
      const response = await fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" },
      });
      answer = await response.json().catch(function () { return null; });
    } catch (err) {
      answer = null;
    } finally {
      busy = false;
      if (sortable) sortable.option("disabled", false);
      const now = list();
      if (now) now.removeAttribute("aria-busy");
    }
    if (!answer || typeof answer.outline !== "string") {
      if (revert) revert();
      announce("Paragrafen kunde inte flyttas. Ladda om sidan och försök igen.");
      return;
    }
    const oldLabels = currentLabels();
    replaceOutline(answer.outline);
    if (Array.isArray(answer.paragraphs)) renumberPage(answer.paragraphs, oldLabels);
    refocus(answer.moved || pk, direction);
    if (answer.message) announce(answer.message);
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("outline-move")) return;
    event.preventDefault();
    const button = event.submitter;
    const data = new FormData(form);
    if (button && button.name) data.set(button.name, button.value);
    move(form, data, button ? button.value : "");
  });

  // Alt+ArrowUp/Down anywhere in an item presses its move button.
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    const item = event.target instanceof Element ? event.target.closest(".outline-item") : null;
    if (!item) return;
    event.preventDefault();
    const button = item.querySelector('button[value="' + (event.key === "ArrowUp" ? "up" : "down") + '"]');
    if (button && !button.disabled) button.form.requestSubmit(button);
  });

  function enableDragging() {
    const el = list();
    if (sortable) sortable.destroy();
    sortable = null;
    if (!el || typeof window.Sortable === "undefined") return;
    sortable = window.Sortable.create(el, {
      handle: ".outline-handle",
      draggable: ".outline-item",
      animation: 150,
      forceFallback: true, // mouse and touch events, the same in every browser
      onStart: function (event) {
        event.item.outlineNext = event.item.nextElementSibling;
      },
      onEnd: function (event) {
        if (event.oldIndex === event.newIndex) return;
        const item = event.item;
        const next = item.outlineNext;
        const form = item.querySelector("form.outline-move");
        const data = new FormData(form);
        data.set("position", String(event.newIndex + 1));
        // Back where it was when the server could not be asked (its answer re-renders otherwise).
        move(form, data, "", function () { if (item.parentElement) item.parentElement.insertBefore(item, next); });
      },
    });
  }

  function start() {
    const fold = document.getElementById("outline-fold");
    if (fold && window.matchMedia && !window.matchMedia(ROOM).matches) fold.open = false;
    enableDragging();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
