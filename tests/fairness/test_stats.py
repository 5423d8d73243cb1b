"""Rates, intervals and ratios against figures worked by hand (z = 1.959964)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest

from cases.fairness import stats


def wilson_by_hand(k, n, z=1.959963984540054):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_wilson_interval_of_3_in_10_is_the_hand_figure():
    r = stats.proportion(3, 10)
    assert r.value == 0.3
    # By hand: centre 0.35551, half-width 0.24771.
    assert r.low == pytest.approx(0.10779, abs=1e-5)
    assert r.high == pytest.approx(0.60322, abs=1e-5)
    assert not r.one_sided


def test_zero_count_gives_a_one_sided_interval_from_zero():
    r = stats.proportion(0, 10)
    assert r.value == 0 and r.low == 0
    assert r.high == pytest.approx(3.8415 / (10 + 3.8415), abs=1e-4)  # z^2 / (n + z^2)
    assert r.one_sided


def test_a_group_with_every_case_upheld_has_an_interval_up_to_one():
    r = stats.proportion(10, 10)
    assert r.value == 1 and r.high == pytest.approx(1)
    assert r.low == pytest.approx(10 / (10 + 3.8415), abs=1e-4)
    assert r.one_sided


def test_an_empty_group_is_no_data_not_a_division_by_zero():
    r = stats.proportion(0, 0)
    assert r.no_data and r.low is None and r.percent() == "no data"
    assert stats.poisson_rate(0, 0).no_data


def test_small_groups_are_marked_with_the_threshold_given():
    assert stats.proportion(2, 9, small_below=10).small
    assert not stats.proportion(2, 10, small_below=10).small


@given(st.integers(min_value=1, max_value=5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_agrees_with_scipy_and_the_formula(kn):
    k, n = kn
    r = stats.proportion(k, n)
    low, high = wilson_by_hand(k, n)
    assert r.low == pytest.approx(max(low, 0), abs=1e-9)
    assert r.high == pytest.approx(min(high, 1), abs=1e-9)
    ci = binomtest(k, n).proportion_ci(method="wilson")
    assert (r.low, r.high) == pytest.approx((ci.low, ci.high))


def test_risk_ratio_by_the_log_method_matches_the_hand_figure():
    # 20 of 100 against 10 of 100: RR 2, SE = sqrt(1/20 - 1/100 + 1/10 - 1/100) = sqrt(0.13) = 0.360555
    ratio = stats.risk_ratio(stats.proportion(20, 100), stats.proportion(10, 100))
    assert ratio.value == pytest.approx(2.0)
    assert ratio.low == pytest.approx(2 * math.exp(-1.959964 * 0.360555), rel=1e-5)  # 0.98656
    assert ratio.high == pytest.approx(2 * math.exp(1.959964 * 0.360555), rel=1e-5)  # 4.05448
    assert "includes 1" in ratio.words("Black officers", "White", "to have an allegation")


def test_a_ratio_whose_interval_is_above_one_says_so_in_words():
    # 181 of 1000 against 100 of 1000: RR 1.81 (the Casey review's "81% more likely").
    ratio = stats.risk_ratio(stats.proportion(181, 1000), stats.proportion(100, 1000))
    assert ratio.value == pytest.approx(1.81)
    assert ratio.low > 1
    words = ratio.words("Black officers and staff", "White", "to have an allegation made against them")
    assert words.startswith("Black officers and staff are 81% more likely than White")


def test_rate_ratio_of_poisson_rates_matches_the_hand_figure():
    # 30 allegations per 100 people against 20 per 200: 30 vs 10 per 100, RR 3, SE sqrt(1/30 + 1/20).
    ratio = stats.rate_ratio(stats.poisson_rate(30, 100), stats.poisson_rate(20, 200))
    se = math.sqrt(1 / 30 + 1 / 20)
    assert ratio.value == pytest.approx(3.0)
    assert (ratio.low, ratio.high) == pytest.approx(
        (3 * math.exp(-1.959964 * se), 3 * math.exp(1.959964 * se)), rel=1e-5
    )


def test_poisson_interval_is_the_exact_garwood_one():
    # 5 events in 100 people: exact 95% limits for the count are 1.6235 and 11.6683.
    r = stats.poisson_rate(5, 100)
    assert r.value == 5.0
    assert (r.low, r.high) == pytest.approx((1.6235, 11.6683), abs=1e-4)
    zero = stats.poisson_rate(0, 100)
    assert zero.low == 0 and zero.high == pytest.approx(3.6889, abs=1e-4) and zero.one_sided


def test_ratios_with_zero_counts_have_no_interval_and_no_error():
    none_in_group = stats.risk_ratio(stats.proportion(0, 50), stats.proportion(5, 50))
    assert none_in_group.value == 0 and none_in_group.low is None and "this group has none" in none_in_group.reason
    none_in_reference = stats.risk_ratio(stats.proportion(5, 50), stats.proportion(0, 50))
    assert none_in_reference.value is None and "reference group has none" in none_in_reference.reason
    empty = stats.risk_ratio(stats.proportion(0, 0), stats.proportion(5, 50))
    assert empty.value is None and "No comparison" in empty.words("A", "B", "to x")


def test_two_groups_with_everything_upheld_compare_as_equal():
    ratio = stats.risk_ratio(stats.proportion(7, 7), stats.proportion(12, 12))
    assert ratio.value == 1 and ratio.low == pytest.approx(1) and ratio.high == pytest.approx(1)
