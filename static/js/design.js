// Starts GOV.UK Frontend's components (static/vendor/govuk-frontend, design/samordna.scss):
// the header's menu button on a phone, tabs, the error summary's links to their fields.
// Every page works without it; the class tells the CSS that the components are running.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
