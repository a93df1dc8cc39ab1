// Minutes editor enhancements. Every form also works without JavaScript.
(function () {
  "use strict";

  // Buttons with data-confirm ask before submitting (deleting a paragraph renumbers the rest).
  document.addEventListener("click", function (event) {
    const button = event.target instanceof Element ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Autosave feedback: say "Sparar…" while htmx posts a paragraph form.
  document.addEventListener("htmx:beforeRequest", function (event) {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.classList.contains("paragraph-form")) {
      const status = form.querySelector(".save-status");
      if (status) status.textContent = "Sparar…";
    }
  });
  document.addEventListener("htmx:responseError", function (event) {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.classList.contains("paragraph-form")) {
      const status = form.querySelector(".save-status");
      if (status) status.textContent = "Kunde inte spara. Använd knappen Spara.";
    }
  });
})();
