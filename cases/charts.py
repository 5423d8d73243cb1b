"""Chart geometry shared by every server-side SVG chart (the dashboard's bars, the fairness intervals)."""

import math


def round_ticks(top: float, *, steps: int = 4, smallest_step: float = 0.0) -> list[float]:
    """Tick values from 0 to at least `top`, in steps of 1, 2 or 5 times a power of ten.

    `smallest_step` keeps a scale of counts in whole numbers (1); rates may step by tenths.
    """
    if top <= 0:
        return [0.0, 1.0]
    raw = top / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    step = max(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw), smallest_step)
    return [round(i * step, 10) for i in range(math.ceil(top / step - 1e-9) + 1)]
