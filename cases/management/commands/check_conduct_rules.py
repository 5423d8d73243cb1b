"""python manage.py check_conduct_rules

Checks every case against the conduct rules (cases/conduct_check.py): prints each rule with its
citation, the number of cases (or people) that break it and up to five of their references, and exits
non-zero if any rule is broken. Run in CI over the `small` demo data."""

import time

from django.core.management.base import BaseCommand, CommandError

from cases.conduct_check import conduct_rules_check


class Command(BaseCommand):
    help = "Check every case's outcome, forum, rank and finding against the Police (Conduct) Regulations 2020."

    def handle(self, *args, **options):
        started = time.monotonic()
        results = conduct_rules_check()
        broken = [r for r in results if r.count]
        for result in results:
            mark = "FAIL" if result.count else "ok  "
            line = f"{mark} {result.count:>7,}  {result.rule.title} [{result.rule.citation}]"
            if result.references:
                more = ", ..." if result.count > len(result.references) else ""
                line += f"\n{'':14}e.g. {', '.join(result.references)}{more}"
            self.stdout.write(line)
        elapsed = time.monotonic() - started
        summary = f"{len(results)} rules checked in {elapsed:.1f}s: {len(broken)} broken."
        if broken:
            raise CommandError(summary)
        self.stdout.write(summary)
