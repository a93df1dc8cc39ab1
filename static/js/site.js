// Small progressive enhancements; every page works without JavaScript.
// Elements with data-autosubmit submit their form on change (e.g. a date picker).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLElement && el.dataset.autosubmit !== undefined && el.form) {
    el.form.requestSubmit();
  }
});
