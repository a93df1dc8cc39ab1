// Starts GOV.UK Frontend's components (static/vendor/govuk-frontend, design/samordna.scss):
// the header's menu button on a phone, tabs, the error summary's links to their fields.
// Every page works without it; the class tells the CSS that the components are running.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// The confirmation dialog (templates/base.html): a button with data-confirm="<question>" asks
// before its form is sent (deleting a paragraph renumbers the rest; a deleted document or
// agenda item is gone). The dialog's action button is named after the button that opened it,
// "Avbryt" has the focus, Escape cancels, and the focus returns to the button. The question is
// set as text, never as HTML. Without JavaScript the button sends its form at once.
const dialog = document.getElementById("app-confirm");
if (dialog && typeof dialog.showModal === "function") {
  const ok = dialog.querySelector("[data-confirm-ok]");
  let asking = null;
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button[data-confirm]") : null;
    if (!button || !button.form) return;
    event.preventDefault();
    asking = button;
    dialog.querySelector("#app-confirm-text").textContent = button.dataset.confirm;
    ok.textContent = button.textContent.replace(/\s+/g, " ").trim();
    dialog.returnValue = "";
    dialog.showModal();
  });
  ok.addEventListener("click", () => dialog.close("ok"));
  dialog.querySelector("[data-confirm-cancel]").addEventListener("click", () => dialog.close("cancel"));
  dialog.addEventListener("close", () => {
    const button = asking;
    asking = null;
    if (!button) return;
    if (dialog.returnValue === "ok") {
      button.form.requestSubmit(button); // with the button's name and value, as a click would send
    } else {
      button.focus();
    }
  });
}
