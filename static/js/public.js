// GOV.UK Frontend on the public hotline pages. A module script: browsers that cannot run it get the
// plain HTML pages, which work on their own. The body class GOV.UK's template sets with an inline
// script is set here instead (the Content-Security-Policy allows no inline script).
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
