// GOV.UK Frontend and MOJ Frontend on the staff pages (sortable tables and the like). Progressive
// enhancement only: every page works without it. No inline script: the Content-Security-Policy forbids it.
import { initAll as initGovuk } from "../vendor/govuk-frontend/govuk-frontend.min.js";
import { initAll as initMoj } from "../vendor/moj-frontend/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();
