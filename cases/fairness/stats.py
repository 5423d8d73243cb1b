"""Rates with their 95% intervals and ratios against a reference group.

- A proportion (k of n: people with an allegation, allegations that reached case to answer) has a
  Wilson score interval (scipy's `binomtest(...).proportion_ci(method="wilson")`); it stays inside
  0..1 and is honest for small n and for k = 0 or k = n, where it is one-sided (touches 0 or 1).
- A rate that can exceed one per person (allegations per 100 people) is a Poisson count over a
  population: exact (Garwood) interval from the chi-squared distribution.
- A ratio of two rates or proportions has its 95% interval by the log method (Katz): exp(log RR +- z SE)
  with SE = sqrt(1/a - 1/n1 + 1/b - 1/n2) for proportions and sqrt(1/a + 1/b) for Poisson rates. With a
  zero count on either side the log is undefined: the ratio is given (0 or none) without an interval.
- n = 0 is "no data", never a division by zero.
"""

import math
from dataclasses import dataclass

from scipy.stats import binomtest, chi2, norm

CONFIDENCE = 0.95
Z = float(norm.ppf(1 - (1 - CONFIDENCE) / 2))  # 1.959963984540054


@dataclass(frozen=True)
class Rate:
    count: int
    denominator: int
    value: float | None  # per `per` (1 for a proportion, 100 for "per 100 people")
    low: float | None
    high: float | None
    per: int = 1
    small: bool = False
    one_sided: bool = False

    @property
    def no_data(self) -> bool:
        return self.value is None

    def percent(self) -> str:
        return "no data" if self.value is None else f"{self.value * 100 / self.per:.1f}%"


@dataclass(frozen=True)
class Ratio:
    value: float | None
    low: float | None
    high: float | None
    reason: str = ""  # why there is no ratio or no interval, in words

    def words(self, group: str, reference: str, what: str) -> str:
        """The interval's meaning in plain words, for a commissioner."""
        if self.value is None:
            return f"No comparison for {group}: {self.reason}."
        if self.low is None:
            return f"{group}: {self.value:.2f} times as likely as {reference} {what}; no interval ({self.reason})."
        if self.low > 1:
            return (
                f"{group} are {_times(self.value)} {reference} {what}. The difference is unlikely to be "
                f"chance: 95 times in 100, an interval like this one ({self.low:.2f} to {self.high:.2f}) holds the "
                f"true ratio, and all of it is above 1."
            )
        if self.high < 1:
            return (
                f"{group} are {_times(self.value)} {reference} {what}. The whole interval ({self.low:.2f} to "
                f"{self.high:.2f}) is below 1, so the difference is unlikely to be chance."
            )
        return (
            f"{group}: {self.value:.2f} times as likely as {reference} {what}, but the interval ({self.low:.2f} to "
            f"{self.high:.2f}) includes 1: these figures cannot tell this apart from no difference."
        )


def _times(value: float) -> str:
    if value >= 1:
        return f"{(value - 1) * 100:.0f}% more likely than"
    return f"{(1 - value) * 100:.0f}% less likely than"


def proportion(count: int, n: int, *, small_below: int = 0) -> Rate:
    """k of n with a 95% Wilson interval."""
    if count < 0 or n < 0 or count > n:
        raise ValueError(f"not a proportion: {count} of {n}")
    if n == 0:
        return Rate(count, n, None, None, None, small=True)
    ci = binomtest(count, n).proportion_ci(confidence_level=CONFIDENCE, method="wilson")
    return Rate(
        count,
        n,
        count / n,
        float(ci.low),
        float(ci.high),
        small=n < small_below,
        one_sided=count in (0, n),
    )


def poisson_rate(count: int, population: int, *, per: int = 100, small_below: int = 0) -> Rate:
    """Events per `per` people with an exact (Garwood) 95% interval."""
    if count < 0 or population < 0:
        raise ValueError("negative count")
    if population == 0:
        return Rate(count, population, None, None, None, per=per, small=True)
    alpha = 1 - CONFIDENCE
    low = 0.0 if count == 0 else chi2.ppf(alpha / 2, 2 * count) / 2
    high = chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    scale = per / population
    return Rate(
        count,
        population,
        count * scale,
        float(low) * scale,
        float(high) * scale,
        per=per,
        small=population < small_below,
        one_sided=count == 0,
    )


def _log_interval(ratio: float, se: float) -> tuple[float, float]:
    return math.exp(math.log(ratio) - Z * se), math.exp(math.log(ratio) + Z * se)


def risk_ratio(group: Rate, reference: Rate) -> Ratio:
    """Ratio of two proportions (group / reference), 95% interval by the log method."""
    a, n1, b, n2 = group.count, group.denominator, reference.count, reference.denominator
    if n1 == 0 or n2 == 0:
        return Ratio(None, None, None, "one of the groups has no one in it")
    if b == 0:
        return Ratio(None, None, None, "the reference group has none")
    value = (a / n1) / (b / n2)
    if a == 0:
        return Ratio(value, None, None, "this group has none")
    se = math.sqrt(1 / a - 1 / n1 + 1 / b - 1 / n2)
    low, high = _log_interval(value, se)
    return Ratio(value, low, high)


def rate_ratio(group: Rate, reference: Rate) -> Ratio:
    """Ratio of two Poisson rates (group / reference), 95% interval by the log method."""
    a, t1, b, t2 = group.count, group.denominator, reference.count, reference.denominator
    if t1 == 0 or t2 == 0:
        return Ratio(None, None, None, "one of the groups has no one in it")
    if b == 0:
        return Ratio(None, None, None, "the reference group has none")
    value = (a / t1) / (b / t2)
    if a == 0:
        return Ratio(value, None, None, "this group has none")
    low, high = _log_interval(value, math.sqrt(1 / a + 1 / b))
    return Ratio(value, low, high)


def ratio_for(group: Rate, reference: Rate) -> Ratio:
    return rate_ratio(group, reference) if group.per != 1 else risk_ratio(group, reference)
