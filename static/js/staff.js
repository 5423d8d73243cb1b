// GOV.UK Frontend and MOJ Frontend on the staff pages (sortable tables and the like). Progressive
// enhancement only: every page works without it. No inline script: the Content-Security-Policy forbids it.
import { initAll as initGovuk } from "../vendor/govuk-frontend/govuk-frontend.min.js";
import { initAll as initMoj } from "../vendor/moj-frontend/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();

// The menu's headings are <details> disclosures and work without this; with it, Escape closes the open one
// (focus back on its heading) and a click elsewhere on the page closes it, as a reader of a menu expects.
const menuGroups = () => document.querySelectorAll(".app-nav-group__disclosure[open]");
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const group of menuGroups()) {
    const hadFocus = group.contains(document.activeElement);
    group.open = false;
    if (hadFocus) group.querySelector("summary").focus();
  }
});
document.addEventListener("click", (event) => {
  for (const group of menuGroups()) {
    if (!group.contains(event.target)) group.open = false;
  }
});
