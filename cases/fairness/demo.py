"""The fairness app's part of the demo seed: the seed writes its allegations in bulk (no signals), so the
monthly summary the monitoring page and the dashboard read is built once at the end."""

from cases.demo import DemoSeed, demo_part

from .monthly import allegation_months_refresh


@demo_part(order=90)
def fairness_summary(seed: DemoSeed) -> None:
    rows = allegation_months_refresh()
    seed.log(f"fairness summary: {rows} monthly rows")
