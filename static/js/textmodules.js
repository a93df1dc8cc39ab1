// Text modules in the minutes editor: the association's standard phrases and decisions.
//
// A "Textmoduler" button by the open paragraph's toolbar opens a listbox of the modules
// (arrow keys, Home/End, Enter or click inserts, Escape closes); typing "/" and a module's
// shortcut followed by Space or Enter in the text replaces it by the module (a Space stays
// after a phrase). A phrase goes
// into the paragraph's text at the cursor (window.Samordna.editor.insertHTML); a decision
// becomes a new "Att …" line of the paragraph's decision field. The modules come from
// #textmodules[data-url] (the meeting's association's, as JSON); the server sanitised them.
//
// Without the rich-text editor's interface (window.Samordna.editor), the widget is added to
// every paragraph form and a phrase is inserted as text into its body field.
(function () {
  "use strict";

  const root = document.getElementById("textmodules");
  if (!root) return;
  const status = document.getElementById("textmodules-status");
  // The same letters as minutes.models.text_modules.SHORTCUT_PATTERN, after a "/".
  const TYPED = /(?:^|[\s\u00a0(])\/([a-z0-9åäöéü][a-z0-9åäöéü_-]*)$/i;
  let modules = [];
  let loaded = null;

  function load() {
    if (!loaded) {
      loaded = fetch(root.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : { modules: [] }))
        .then((data) => {
          modules = data.modules || [];
          return modules;
        })
        .catch(() => modules);
    }
    return loaded;
  }

  function say(text) {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(() => { status.textContent = text; }, 50);
  }

  function editorApi() {
    return window.Samordna && window.Samordna.editor ? window.Samordna.editor : null;
  }

  function sectionOf(pk) {
    return document.querySelector(`section.paragraph[data-paragraph="${pk}"]`) || document.getElementById(`p${pk}`);
  }

  function pkOf(section) {
    return section.dataset.paragraph || section.id.replace(/^p/, "");
  }

  function quillIn(section) {
    const container = section.querySelector(".ql-container");
    return container && window.Quill && window.Quill.find ? window.Quill.find(container) : null;
  }

  // A phrase of one paragraph goes in where the cursor is, as running text.
  function inlineHTML(html) {
    const match = /^<p>((?:(?!<\/?p[\s>]).)*)<\/p>$/s.exec(html.trim());
    return match ? match[1] : html;
  }

  function textOf(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    return Array.from(doc.body.children).map((el) => el.textContent).join("\n\n") || doc.body.textContent;
  }

  function changed(field) {
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function insertPhrase(section, module) {
    const api = editorApi();
    if (api && String(api.current()) === String(pkOf(section))) {
      const quill = quillIn(section);
      if (quill) quill.focus(); // brings back the cursor the editor had before the menu
      api.insertHTML(inlineHTML(module.text));
    } else {
      const body = section.querySelector("textarea[name=body]");
      if (!body) return false;
      const text = textOf(module.text);
      const at = body.selectionStart ?? body.value.length;
      body.setRangeText(text, at, body.selectionEnd ?? at, "end");
      body.focus();
      changed(body);
    }
    say(`Frasen ”${module.name}” är infogad.`);
    return true;
  }

  function insertDecision(section, module) {
    const field = section.querySelector("textarea[name=clauses]");
    if (!field) return false;
    const value = field.value.replace(/\s+$/, "");
    field.value = value ? `${value}\n${module.text}` : module.text;
    changed(field);
    say(`Beslutssatsen ”${module.text}” är tillagd i beslutet.`);
    return true;
  }

  function insert(section, module) {
    return module.kind === "beslut" ? insertDecision(section, module) : insertPhrase(section, module);
  }

  // --- The menu: a button that opens a listbox -----------------------------------------------

  let counter = 0;

  function buildMenu(section) {
    const id = `textmoduler-${pkOf(section)}-${++counter}`;
    const wrap = document.createElement("div");
    wrap.className = "textmodules-menu";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary textmodules-button";
    button.textContent = "Textmoduler";
    button.setAttribute("aria-haspopup", "listbox");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", id);
    const list = document.createElement("ul");
    list.id = id;
    list.className = "textmodules-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Textmoduler");
    list.tabIndex = 0; // focusable, so a scrolling list is reachable by keyboard (axe)
    list.hidden = true;
    wrap.append(button, list);
    let active = -1;

    function options() {
      return Array.from(list.querySelectorAll("[role=option]"));
    }

    function activate(index) {
      const all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach((o, i) => {
        o.classList.toggle("active", i === active);
        o.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      list.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function fill() {
      list.replaceChildren();
      modules.forEach((m, i) => {
        const li = document.createElement("li");
        li.id = `${id}-${i}`;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.index = String(i);
        const kind = document.createElement("span");
        kind.className = "textmodules-kind";
        kind.textContent = m.kind === "beslut" ? "Beslut: " : "Fras: ";
        const shortcut = document.createElement("span");
        shortcut.className = "textmodules-shortcut";
        shortcut.textContent = ` /${m.shortcut}`;
        li.append(kind, document.createTextNode(m.name), shortcut);
        list.append(li);
      });
      if (!modules.length) {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.setAttribute("aria-disabled", "true");
        li.id = `${id}-tom`;
        li.textContent = "Förbundet har inga textmoduler.";
        list.append(li);
      }
    }

    function open() {
      load().then(() => {
        fill();
        list.hidden = false;
        button.setAttribute("aria-expanded", "true");
        activate(0);
        list.focus();
      });
    }

    function close(focusButton) {
      list.hidden = true;
      button.setAttribute("aria-expanded", "false");
      list.removeAttribute("aria-activedescendant");
      active = -1;
      if (focusButton) button.focus();
    }

    function choose(index) {
      const module = modules[index];
      close(false);
      if (module) insert(section, module);
      else button.focus();
    }

    button.addEventListener("click", () => (list.hidden ? open() : close(true)));
    button.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        open();
      }
    });
    list.addEventListener("keydown", (event) => {
      const handled = {
        ArrowDown: () => activate(active + 1),
        ArrowUp: () => activate(active - 1),
        Home: () => activate(0),
        End: () => activate(options().length - 1),
        Enter: () => choose(active),
        " ": () => choose(active),
        Escape: () => close(true),
      }[event.key];
      if (handled) {
        event.preventDefault();
        event.stopPropagation(); // Escape closes the menu, not the paragraph
        handled();
      } else if (event.key === "Tab") {
        close(false);
      }
    });
    list.addEventListener("mousedown", (event) => event.preventDefault()); // keep the editor's cursor
    list.addEventListener("click", (event) => {
      const option = event.target instanceof Element ? event.target.closest("[role=option]") : null;
      if (option && option.dataset.index !== undefined) choose(Number(option.dataset.index));
    });
    list.addEventListener("focusout", (event) => {
      if (!wrap.contains(event.relatedTarget)) close(false);
    });
    return wrap;
  }

  function attach(section) {
    if (!section || section.querySelector(".textmodules-menu")) return;
    const form = section.querySelector("form.paragraph-form");
    if (!form) return;
    const menu = buildMenu(section);
    // At the end of the rich-text toolbar (Quill marks it .ql-toolbar), else atop the form.
    const toolbar = section.querySelector(".ql-toolbar");
    if (toolbar) toolbar.append(menu);
    else form.prepend(menu);
    load();
  }

  // --- Typed shortcuts -----------------------------------------------------------------------

  function byShortcut(name) {
    const wanted = name.toLowerCase();
    return modules.find((m) => m.shortcut === wanted);
  }

  function typedInQuill(event, section) {
    const quill = quillIn(section);
    if (!quill) return false;
    const range = quill.getSelection();
    if (!range || range.length) return false;
    const from = Math.max(0, range.index - 60);
    const match = TYPED.exec(quill.getText(from, range.index - from));
    const module = match && byShortcut(match[1]);
    if (!module) return false;
    event.preventDefault();
    event.stopPropagation();
    const length = match[1].length + 1;
    quill.deleteText(range.index - length, length, "user");
    quill.setSelection(range.index - length, 0, "user");
    insert(section, module);
    if (module.kind !== "beslut" && event.key === " ") {
      // The Space that ended the shortcut stays, after the phrase, so one can type on.
      const after = quill.getSelection(true);
      if (after) {
        quill.insertText(after.index, " ", "user");
        quill.setSelection(after.index + 1, 0, "user"); // a user's insert at the cursor leaves it before
      }
    }
    return true;
  }

  function typedInTextarea(event, section, field) {
    if (field.selectionStart !== field.selectionEnd) return false;
    const before = field.value.slice(0, field.selectionStart);
    const match = TYPED.exec(before);
    const module = match && byShortcut(match[1]);
    if (!module || (field.name === "clauses" && module.kind !== "beslut")) return false;
    event.preventDefault();
    const start = field.selectionStart - match[1].length - 1;
    field.setRangeText("", start, field.selectionStart, "end");
    if (module.kind === "beslut") {
      if (field.name !== "clauses") changed(field);
      insertDecision(section, module);
    } else {
      field.setRangeText(textOf(module.text) + (event.key === " " ? " " : ""), start, start, "end");
      changed(field);
      say(`Frasen ”${module.name}” är infogad.`);
    }
    return true;
  }

  document.addEventListener("keydown", (event) => {
    if ((event.key !== " " && event.key !== "Enter") || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) {
      return;
    }
    const target = event.target instanceof Element ? event.target : null;
    const section = target && target.closest("section.paragraph");
    if (!section || !modules.length) return;
    if (target.closest(".ql-editor")) {
      typedInQuill(event, section);
    } else if (target instanceof HTMLTextAreaElement && (target.name === "body" || target.name === "clauses")) {
      typedInTextarea(event, section, target);
    }
  }, true);

  // --- Where the menu goes -------------------------------------------------------------------

  document.addEventListener("samordna:paragraph-open", (event) => attach(sectionOf(event.detail.pk)));

  function start() {
    load();
    const api = editorApi();
    if (api) {
      const current = api.current();
      if (current !== null && current !== undefined) attach(sectionOf(current));
    } else {
      document.querySelectorAll("section.paragraph").forEach(attach);
    }
  }

  // After the editor's own start (it may set up window.Samordna.editor on DOMContentLoaded).
  let started = false;
  function startOnce() {
    if (started) return;
    started = true;
    start();
  }
  if (document.readyState === "complete") startOnce();
  else {
    document.addEventListener("DOMContentLoaded", startOnce);
    window.addEventListener("load", startOnce);
  }
})();
