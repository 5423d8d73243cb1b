"""What the load harness requests: every staff list page, the main detail pages and every API list.

Each entry is one request as one role makes it. `weight` is how often it comes up in the mix (the
number of times it appears in one pass over the mix); the weights follow who uses the system most:
investigators and supervisors all day, vetting officers and the hotline triage desk at their own
lists, the commissioner at the dashboard and the monitoring pages, the oversight body's systems at
the API. Placeholders in braces ({officer}, {case}, ...) are filled by capture.py with the objects
bench/pages.py picks (the officer with the most allegations, and so on).

Not requested: the CSV exports (downloads, streamed whole) and the admin.
"""

from dataclasses import dataclass

SUPERVISOR = "dps_supervisor"
INVESTIGATOR = "dps_investigator"
COMMISSIONER = "commissioner"
VETTING = "vetting_officer"
TRIAGE = "hotline_triage"
PANEL = "panel_reviewer"
OVERSIGHT = "oversight"  # an API client with a token, not a person with a session


@dataclass(frozen=True)
class Page:
    key: str  # short and unique: the locust request name, the floor's look-up key
    label: str
    role: str
    path: str
    weight: int
    api: bool = False


PAGES: list[Page] = [
    # Cases and allegations: the working lists.
    Page("case-list", "case list, page 1", SUPERVISOR, "/cases/", 4),
    Page("case-list-inv", "case list, page 1 (investigator)", INVESTIGATOR, "/cases/", 3),
    Page(
        "case-filtered",
        "case list, filtered and sorted",
        SUPERVISOR,
        "/cases/?status=investigation&severity=gross_misconduct&sort=oldest",
        2,
    ),
    Page("case-deep", "case list, filtered, by reference, page 907", SUPERVISOR,
         "/cases/?status=investigation&sort=reference&page=907", 2),
    Page("case-detail", "case detail (most allegations)", INVESTIGATOR, "/cases/{case}/", 3),
    Page("my-work", "my work (busiest investigator)", INVESTIGATOR, "/work/", 4),
    Page("timeliness", "regulation 19 reports due", SUPERVISOR, "/cases/timeliness/", 1),
    Page("allegation-list", "allegation list", SUPERVISOR, "/allegations/", 2),
    Page("conviction-list", "convictions", VETTING, "/convictions/", 1),
    Page("conflicts", "conflicts of interest", SUPERVISOR, "/conflicts/", 1),
    Page("search", "search (surname)", INVESTIGATOR, "/search/?q=Smith", 2),
    # Officers.
    Page("officer-collar", "officer search by collar number", INVESTIGATOR, "/officers/?q={collar}", 3),
    Page("officer-surname", "officer search by surname prefix", SUPERVISOR, "/officers/?q=Smi", 3),
    Page("officer-profile", "officer profile (most allegations)", INVESTIGATOR, "/officers/{officer}/", 3),
    Page("officer-flags", "officer's risk flags (same officer)", SUPERVISOR, "/risk/officers/{officer}/", 1),
    Page("officer-clearances", "officer's vetting clearances", VETTING, "/vetting/officers/{officer}/clearances/", 1),
    # Onyx reviews, risk, fairness, audit, documents.
    Page("review-list", "Onyx reviews", SUPERVISOR, "/reviews/", 2),
    Page("review-list-panel", "my panel reviews", PANEL, "/reviews/", 1),
    Page("review-detail", "Onyx review detail", SUPERVISOR, "/reviews/{review}/", 1),
    Page("risk-list", "risk flags", SUPERVISOR, "/risk/", 2),
    Page("dashboard", "commissioner's dashboard", COMMISSIONER, "/dashboard/", 2),
    Page("fairness", "fairness monitoring, last 12 months", COMMISSIONER, "/fairness/", 1),
    Page("fairness-10y", "fairness monitoring, ten years", SUPERVISOR, "/fairness/?date_from=2016-01-01", 1),
    Page("fairness-imports", "fairness data imports", SUPERVISOR, "/fairness/imports/", 1),
    Page("audit", "access audit", COMMISSIONER, "/audit/", 1),
    Page("retention", "documents due for retention review", SUPERVISOR, "/documents/retention/", 1),
    # Vetting and the hotline desk.
    Page("vetting-reviews", "vetting reviews", VETTING, "/vetting/reviews/", 3),
    Page("vetting-review", "vetting review detail", VETTING, "/vetting/reviews/{vetting_review}/", 1),
    Page("clearance-expiry", "clearances expiring", VETTING, "/vetting/clearances/expiring/", 2),
    Page("withdrawals", "vetting withdrawals", VETTING, "/vetting/withdrawals/", 1),
    Page("pnd", "PND checks", VETTING, "/vetting/pnd/", 1),
    Page("triage", "hotline triage list", TRIAGE, "/triage/", 3),
    Page("triage-report", "hotline report (triage)", TRIAGE, "/triage/{report}/", 1),
    # The API's lists.
    Page("api-cases", "API cases (oversight token)", OVERSIGHT, "/api/v1/cases/", 3, api=True),
    Page("api-cases-staff", "API cases, 100 oldest first (supervisor)", SUPERVISOR,
         "/api/v1/cases/?page_size=100&sort=oldest", 1, api=True),
    Page("api-allegations", "API allegations (oversight token)", OVERSIGHT, "/api/v1/allegations/", 2, api=True),
    Page("api-reviews", "API Onyx reviews (oversight token)", OVERSIGHT, "/api/v1/reviews/", 1, api=True),
    Page("api-case-events", "API case events (supervisor)", SUPERVISOR, "/api/v1/cases/{case}/events/", 1, api=True),
    Page("api-officers", "API officers (supervisor)", SUPERVISOR, "/api/v1/officers/", 1, api=True),
    Page("api-risk-flags", "API risk flags (commissioner)", COMMISSIONER, "/api/v1/risk-flags/", 1, api=True),
    Page("api-vetting-reviews", "API vetting reviews", VETTING, "/api/v1/vetting-reviews/", 1, api=True),
    Page("api-hotline", "API hotline reports (triage)", TRIAGE, "/api/v1/hotline-reports/", 1, api=True),
]

ROLES = sorted({page.role for page in PAGES})
