// The minutes editor. Every form also works without JavaScript: each § then opens with
// ?redigera=<pk> and its text is the HTML in a textarea. With JavaScript a § opens in place
// (click or Enter on its heading, Escape closes), its text is edited with Quill (vendored in
// static/vendor/quill/) and autosaved by htmx with the version check of the form.
//
// Interface for the other parts of the editor page (outline, presence, text modules):
//   window.Samordna.editor.open(pk), .close(pk), .current(), .getBody(pk), .setBody(pk, html),
//   .insertHTML(html); events on document: samordna:paragraph-open / -close ({pk}) and
//   samordna:paragraph-state ({pk, state: saved|unsaved|saving|conflict|error}).
(function () {
  "use strict";

  const STATE_TEXT = {
    unsaved: "Inte sparad",
    saving: "Sparar…",
    error: "Kunde inte spara. Använd knappen Spara.",
  };
  // What the rich text may hold: the stored HTML subset (minutes/drafting/rendering.py). A
  // paste keeps these and drops everything else (fonts, colours, styles, classes).
  const FORMATS = ["bold", "italic", "underline", "strike", "list", "link", "table"];

  // Pasting under the site's Content-Security-Policy (style-src 'self'): a parsed document
  // inherits the page's policy, so every style attribute of pasted HTML (Word writes one on
  // nearly every element) would be refused with a console error, and Quill could not read the
  // bold or italics Google Docs writes as styles. So the clipboard parses the HTML with its
  // style attributes renamed and <style> sheets made inert, turns Word's list paragraphs
  // (mso-list) into lists as Quill's own Word normaliser does, and applies the remaining
  // declarations through the CSSOM, which the policy allows. Only FORMATS survive either way.
  const STYLE = "data-pasted-style";
  function inertHTML(html) {
    return String(html)
      .replace(/(<[a-zA-Z][^>]*?\s)style\s*=/g, "$1" + STYLE + "=")
      .replace(/<(\/?)style\b/gi, "<$1pasted-sheet");
  }
  function wordLists(doc) {
    const source = doc.documentElement.innerHTML;
    const marked = Array.from(doc.querySelectorAll("[" + STYLE + "*=mso-list]"));
    const items = [];
    marked.forEach(function (el) {
      const style = el.getAttribute(STYLE) || "";
      if (/mso-list:[^;]*ignore/i.test(style)) { el.remove(); return; } // the list marker
      const id = style.match(/mso-list:[^;]*\bl(\d+)/i);
      if (!id) return;
      const level = style.match(/mso-list:[^;]*\blevel(\d+)/i);
      const format = new RegExp("@list l" + id[1] + ":level" + (level ? level[1] : "1") +
        "\\s*\\{[^\\}]*mso-level-number-format:\\s*([\\w-]+)", "i").exec(source);
      items.push({ id: id[1], el: el, type: format && format[1] === "bullet" ? "bullet" : "ordered" });
    });
    while (items.length) {
      const group = [items.shift()];
      while (items.length && items[0].id === group[0].id &&
             items[0].el === group[group.length - 1].el.nextElementSibling) group.push(items.shift());
      const list = doc.createElement("ul");
      group.forEach(function (item) {
        const li = doc.createElement("li");
        li.setAttribute("data-list", item.type);
        while (item.el.firstChild) li.appendChild(item.el.firstChild);
        list.appendChild(li);
      });
      group[0].el.replaceWith(list);
      group.slice(1).forEach(function (item) { item.el.remove(); });
    }
  }
  function applyStyles(doc) {
    doc.querySelectorAll("[" + STYLE + "]").forEach(function (el) {
      (el.getAttribute(STYLE) || "").split(";").forEach(function (part) {
        const colon = part.indexOf(":");
        if (colon > 0 && el.style) el.style.setProperty(part.slice(0, colon).trim().toLowerCase(), part.slice(colon + 1).trim());
      });
      el.removeAttribute(STYLE);
    });
  }
  // A paste of plain text alone (a PDF viewer, a text file) over several lines: lines broken at
  // the page's width are joined back into their paragraph (a word hyphenated at a line's end
  // joined whole), a line starting with a bullet becomes an item of a bulleted list and one
  // starting with "1." or "1)" of a numbered list. Text is only ever escaped into the HTML it
  // becomes: nothing pasted is taken as markup. Lines of one paragraph each (no line is as short
  // as a page's width makes them) stay paragraphs.
  const BULLET = /^\s*[•●▪◦·*\-–]\s+/;
  const NUMBERED = /^\s*\d{1,3}[.)]\s+/;
  function escapeText(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function plainTextHTML(text) {
    const lines = String(text).replace(/\r\n?/g, "\n").split("\n").map(function (l) { return l.replace(/\s+$/, ""); });
    const longest = lines.reduce(function (n, l) { return Math.max(n, l.length); }, 0);
    const wrapped = longest >= 40 && longest <= 120; // a page's or a mail's width
    const blocks = [];
    let current = null;
    let previous = "";
    lines.forEach(function (line) {
      if (!line.trim()) { current = null; previous = ""; return; }
      const kind = BULLET.test(line) ? "bullet" : NUMBERED.test(line) ? "ordered" : "p";
      if (current && kind === "p" && wrapped && previous.length >= 0.7 * longest) {
        if (/\p{L}-$/u.test(current.text) && /^\s*\p{Ll}/u.test(line)) current.text = current.text.slice(0, -1) + line.trim();
        else current.text += " " + line.trim();
      } else {
        current = { kind: kind, text: line.replace(kind === "bullet" ? BULLET : kind === "ordered" ? NUMBERED : /^\s+/, "") };
        blocks.push(current);
      }
      previous = line;
    });
    let html = "";
    blocks.forEach(function (block, i) {
      const text = escapeText(block.text);
      if (block.kind === "p") { html += "<p>" + text + "</p>"; return; }
      const tag = block.kind === "bullet" ? "ul" : "ol";
      if (i === 0 || blocks[i - 1].kind !== block.kind) html += "<" + tag + ">";
      html += '<li data-list="' + block.kind + '">' + text + "</li>";
      if (i === blocks.length - 1 || blocks[i + 1].kind !== block.kind) html += "</" + tag + ">";
    });
    return html;
  }

  if (typeof window.Quill !== "undefined") {
    const Clipboard = window.Quill.import("modules/clipboard");
    class InertClipboard extends Clipboard {
      onPaste(range, data) {
        if (!data.html && data.text && /\n./.test(data.text)) {
          return super.onPaste(range, { text: data.text, html: plainTextHTML(data.text) });
        }
        return super.onPaste(range, data);
      }
      convertHTML(html) { return super.convertHTML(inertHTML(html)); }
      normalizeHTML(doc) {
        wordLists(doc);
        // The sheets were kept for wordLists; their text is no content (Outlook on the web's is
        // not inside a comment, so it would be pasted as words).
        doc.querySelectorAll("pasted-sheet").forEach(function (sheet) { sheet.remove(); });
        applyStyles(doc);
        super.normalizeHTML(doc);
      }
    }
    window.Quill.register("modules/clipboard", InertClipboard, true);
  }

  const editors = new Map(); // pk -> {quill, input}
  let openPk = null;

  function sectionOf(pk) {
    return document.getElementById("p" + pk);
  }
  function formOf(pk) {
    const section = sectionOf(pk);
    return section ? section.querySelector("form.paragraph-form") : null;
  }
  function toggleOf(pk) {
    const section = sectionOf(pk);
    return section ? section.querySelector(".paragraph-toggle") : null;
  }
  function pkOf(element) {
    const section = element instanceof Element ? element.closest("section.paragraph[data-paragraph]") : null;
    return section ? Number(section.getAttribute("data-paragraph")) : null;
  }
  function emit(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  function setState(pk, state, text) {
    const section = sectionOf(pk);
    if (!section) return;
    section.setAttribute("data-state", state);
    const status = section.querySelector(".save-status");
    if (status) {
      status.setAttribute("data-state", state);
      if (text !== undefined) status.textContent = text;
      else if (STATE_TEXT[state]) status.textContent = STATE_TEXT[state];
    }
    emit("samordna:paragraph-state", { pk: pk, state: state });
  }

  // Quill's HTML, as the server stores it: Quill writes every space as &nbsp;, and an empty
  // editor as an empty paragraph.
  function htmlOf(quill) {
    const html = quill.getSemanticHTML().replace(/&nbsp;/g, " ");
    return quill.getText().trim() === "" && html.indexOf("<table") === -1 ? "" : html;
  }

  function toolbar(pk) {
    const bar = document.createElement("div");
    bar.className = "rt-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Textformat");
    const buttons = [
      ["ql-bold", null, "Fetstil (Ctrl+B)"],
      ["ql-italic", null, "Kursiv (Ctrl+I)"],
      ["ql-list", "bullet", "Punktlista (Ctrl+Skift+8)"],
      ["ql-list", "ordered", "Numrerad lista (Ctrl+Skift+7)"],
      ["ql-link", null, "Länk (Ctrl+K)"],
      ["ql-table", null, "Infoga tabell"],
      ["ql-table-row", null, "Ny tabellrad", "+ rad"],
      ["ql-table-column", null, "Ny tabellkolumn", "+ kolumn"],
    ];
    buttons.forEach(function (spec) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = spec[0];
      if (spec[1]) button.value = spec[1];
      button.setAttribute("aria-label", spec[2]);
      button.title = spec[2];
      if (spec[3]) button.textContent = spec[3];
      bar.appendChild(button);
    });
    bar.id = "p" + pk + "-toolbar";
    return bar;
  }

  // The textarea becomes a Quill editor and a hidden input[name=body] it keeps in sync.
  function ensureEditor(pk) {
    if (editors.has(pk)) return editors.get(pk);
    const form = formOf(pk);
    if (!form || typeof window.Quill === "undefined") return null;
    const textarea = form.querySelector("textarea[name=body]");
    if (!textarea) return null;
    const field = textarea.closest(".field") || textarea.parentElement;
    const label = field.querySelector("label");
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "body";
    input.value = textarea.value;
    const box = document.createElement("div");
    box.className = "rt-box";
    const bar = toolbar(pk);
    const area = document.createElement("div");
    area.className = "rt-editor";
    box.appendChild(bar);
    box.appendChild(area);
    textarea.replaceWith(input);
    input.after(box);

    const quill = new window.Quill(area, {
      theme: "snow",
      formats: FORMATS,
      placeholder: "Skriv paragrafens text…",
      modules: {
        table: true,
        history: { delay: 1000, maxStack: 200, userOnly: true },
        toolbar: {
          container: bar,
          handlers: {
            table: function () { this.quill.getModule("table").insertTable(2, 2); },
            "table-row": function () { this.quill.getModule("table").insertRowBelow(); },
            "table-column": function () { this.quill.getModule("table").insertColumnRight(); },
          },
        },
        keyboard: {
          bindings: {
            // Tab leaves the editor (no keyboard trap); lists are made with the toolbar,
            // "- " or "1. " at the start of a line, or Ctrl+Shift+8 / Ctrl+Shift+7.
            tab: null,
            indent: null,
            "indent code-block": null,
            bulletList: {
              key: 56, shortKey: true, shiftKey: true,
              handler: function (range, context) {
                this.quill.format("list", context.format.list === "bullet" ? false : "bullet", "user");
              },
            },
            orderedList: {
              key: 55, shortKey: true, shiftKey: true,
              handler: function (range, context) {
                this.quill.format("list", context.format.list === "ordered" ? false : "ordered", "user");
              },
            },
            link: {
              key: "k", shortKey: true,
              handler: function () {
                bar.querySelector(".ql-link").click();
              },
            },
          },
        },
      },
    });
    quill.setContents(quill.clipboard.convert({ html: input.value }), "silent");
    quill.history.clear();
    const root = quill.root;
    root.setAttribute("role", "textbox");
    root.setAttribute("aria-multiline", "true");
    if (label) {
      label.id = label.id || "p" + pk + "-body-label";
      label.removeAttribute("for");
      root.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { quill.focus(); });
    } else {
      root.setAttribute("aria-label", "Text");
    }
    quill.on("text-change", function (delta, old, source) {
      if (source === "silent") return;
      input.value = htmlOf(quill);
      // The form's htmx autosave listens for input events.
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    const entry = { quill: quill, input: input };
    editors.set(pk, entry);
    return entry;
  }

  // The edit form of a § is not on the page until the § is first opened (the server renders
  // it only for ?redigera=<pk>): it is fetched from the edit element's data-src, once, and
  // stays, so a § closed with unsaved text keeps its form, its autosave and its conflict.
  function loadPart(container) {
    if (!container || container.querySelector("form") || !container.getAttribute("data-src")) {
      return Promise.resolve(true);
    }
    if (container._loading) return container._loading;
    container.setAttribute("aria-busy", "true");
    container._loading = fetch(container.getAttribute("data-src"), {
      credentials: "same-origin", headers: { "Accept": "text/html" },
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    }).then(function (html) {
      container.innerHTML = html;
      if (window.htmx) window.htmx.process(container);
      container.removeAttribute("aria-busy");
      return true;
    }).catch(function () {
      container.removeAttribute("aria-busy");
      container._loading = null;
      const fallback = container.getAttribute("data-fallback");
      container.innerHTML = "";
      const p = document.createElement("p");
      p.className = "error";
      p.setAttribute("role", "alert");
      p.textContent = "Formuläret kunde inte hämtas. ";
      if (fallback) {
        const a = document.createElement("a");
        a.href = fallback;
        a.textContent = "Försök igen";
        p.appendChild(a);
      }
      container.appendChild(p);
      return false;
    });
    return container._loading;
  }

  function open(pk, options) {
    pk = Number(pk);
    const section = sectionOf(pk);
    const edit = section ? section.querySelector(".paragraph-edit") : null;
    if (!edit) return false;
    if (openPk !== null && openPk !== pk) close(openPk, { focus: false });
    edit.hidden = false;
    section.classList.add("is-open");
    const toggle = toggleOf(pk);
    if (toggle) toggle.setAttribute("aria-expanded", "true");
    openPk = pk;
    loadPart(edit).then(function (loaded) {
      if (!loaded || openPk !== pk) return;
      const entry = ensureEditor(pk);
      if (!options || options.focus !== false) {
        if (entry) entry.quill.focus();
        else {
          const first = edit.querySelector("input:not([type=hidden]), textarea");
          if (first) first.focus();
        }
      }
      emit("samordna:paragraph-open", { pk: pk });
    });
    return true;
  }

  // "Ändra närvaro för …" in the attendance list fetches its form when it opens.
  document.addEventListener("toggle", function (event) {
    const details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.open) return;
    const part = details.querySelector(":scope > .lazy-part");
    if (part) loadPart(part);
  }, true);

  function close(pk, options) {
    pk = Number(pk);
    const section = sectionOf(pk);
    const edit = section ? section.querySelector(".paragraph-edit") : null;
    if (!edit || edit.hidden) return false;
    // Typed and not yet saved: save now instead of after the pause.
    if (section.getAttribute("data-state") === "unsaved" && window.htmx) {
      window.htmx.trigger(formOf(pk), "samordna:save");
    }
    edit.hidden = true;
    section.classList.remove("is-open");
    const toggle = toggleOf(pk);
    if (toggle) {
      toggle.setAttribute("aria-expanded", "false");
      if (!options || options.focus !== false) toggle.focus();
    }
    if (openPk === pk) openPk = null;
    emit("samordna:paragraph-close", { pk: pk });
    return true;
  }

  function getBody(pk) {
    const entry = editors.get(Number(pk));
    if (entry) return htmlOf(entry.quill);
    const form = formOf(pk);
    const field = form ? form.querySelector("[name=body]") : null;
    return field ? field.value : "";
  }

  function setBody(pk, html) {
    pk = Number(pk);
    const entry = ensureEditor(pk);
    if (entry) {
      entry.quill.setContents(entry.quill.clipboard.convert({ html: html }), "user");
      return;
    }
    const form = formOf(pk);
    const field = form ? form.querySelector("[name=body]") : null;
    if (field) {
      field.value = html;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function insertHTML(html) {
    if (openPk === null) return false;
    const entry = ensureEditor(openPk);
    if (!entry) return false;
    const quill = entry.quill;
    const range = quill.getSelection(true);
    quill.clipboard.dangerouslyPasteHTML(range ? range.index : quill.getLength() - 1, html, "user");
    return true;
  }

  window.Samordna = window.Samordna || {};
  window.Samordna.editor = {
    open: open,
    close: close,
    current: function () { return openPk; },
    getBody: getBody,
    setBody: setBody,
    insertHTML: insertHTML,
  };

  // Opening and closing: the heading's toggle (a link to ?redigera=<pk> without JavaScript),
  // a click anywhere in the read form, Escape, "Stäng", or opening another §.
  document.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const toggle = target.closest(".paragraph-toggle");
    if (toggle) {
      event.preventDefault();
      const pk = pkOf(toggle);
      if (toggle.getAttribute("aria-expanded") === "true") close(pk);
      else open(pk);
      return;
    }
    const closer = target.closest(".close-paragraph");
    if (closer) {
      event.preventDefault();
      close(pkOf(closer));
      return;
    }
    const read = target.closest(".paragraph-read");
    if (read && !target.closest("a, button, summary") && !String(window.getSelection() || "")) {
      const pk = pkOf(read);
      if (pk !== null && pk !== openPk && sectionOf(pk).querySelector(".paragraph-edit")) open(pk);
    }
  });
  document.addEventListener("keydown", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (event.key === " " && target.classList.contains("paragraph-toggle")) {
      event.preventDefault();
      target.click();
      return;
    }
    if (event.key === "Escape" && !event.defaultPrevented && openPk !== null) {
      if (target.closest(".ql-tooltip")) return; // Quill's link box closes itself first
      const section = sectionOf(openPk);
      if (section && section.contains(target)) {
        event.preventDefault();
        close(openPk);
      }
    }
  });
  // Leaving: focus moving into another § (or its read form) closes the open one.
  document.addEventListener("focusin", function (event) {
    if (openPk === null) return;
    const pk = pkOf(event.target);
    if (pk !== null && pk !== openPk) close(openPk, { focus: false });
  });

  // Save state of each §: unsaved on typing, saving while htmx posts, then what the server said.
  document.addEventListener("input", function (event) {
    const form = event.target instanceof Element ? event.target.closest("form.paragraph-form") : null;
    if (form) setState(pkOf(form), "unsaved");
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.classList.contains("paragraph-form")) {
      setState(pkOf(form), "saving");
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    if (!target || !target.classList.contains("save-status")) return;
    const pk = pkOf(target);
    const form = formOf(pk);
    const version = form ? form.querySelector("input[name=version]") : null;
    if (version) sectionOf(pk).setAttribute("data-version", version.value);
    const state = target.querySelector(".conflict") ? "conflict" : target.querySelector(".error") ? "error" : "saved";
    setState(pk, state);
  });
  document.addEventListener("htmx:responseError", function (event) {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.classList.contains("paragraph-form")) {
      setState(pkOf(form), "error");
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.classList.contains("paragraph-form")) {
      setState(pkOf(form), "error");
    }
  });

  // A long text folds in the read form to its first ten lines or so, with "Visa hela texten"
  // (the page stays one to scroll and find things in; opening the § or the preview shows it
  // all). Without JavaScript nothing folds.
  const FOLD_EM = 14;
  function foldLong() {
    document.querySelectorAll("section.paragraph .paragraph-read .para-body").forEach(function (body) {
      if (body.classList.contains("is-folded") || body.nextElementSibling && body.nextElementSibling.classList.contains("unfold")) return;
      const em = parseFloat(window.getComputedStyle(body).fontSize) || 16;
      if (body.scrollHeight <= em * FOLD_EM * 1.3) return;
      body.classList.add("is-folded");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "unfold link";
      button.setAttribute("aria-expanded", "false");
      if (body.id) button.setAttribute("aria-controls", body.id);
      button.textContent = "Visa hela texten";
      button.addEventListener("click", function () {
        const folded = body.classList.toggle("is-folded");
        button.setAttribute("aria-expanded", folded ? "false" : "true");
        button.textContent = folded ? "Visa hela texten" : "Visa mindre";
      });
      body.after(button);
    });
  }

  // A § opened by the server (?redigera=<pk>) gets its rich-text editor too.
  function start() {
    foldLong();
    const opened = document.querySelector("section.paragraph.is-open[data-paragraph]");
    if (opened) open(Number(opened.getAttribute("data-paragraph")), { focus: false });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
