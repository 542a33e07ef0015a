"""Verdicts and their reasons (pmf_excel/rules/verdicts.py): every sentence the engine says, pinned word for word."""

import pytest

from pmf_excel import PMFValueError, assess, direction_of_travel, rag, tolerance_breach
from pmf_excel.rules.models import Trend
from pmf_excel.rules.policy import DEFAULT_POLICY, builtin_policies
from pmf_excel.rules.thresholds import Limits
from pmf_excel.rules.verdicts import (average_figure, breach_of, check_officer_rating, comparison_figures, judge,
                                      deliverable_rag, deliverable_status_name, explain_direction, missed_target,
                                      read_measure)

POLICIES = {"default": DEFAULT_POLICY, "officer": builtin_policies()["officer judges amber"],
            "green5": builtin_policies()["within 5% green, 5-10% amber"],
            "green2pp": DEFAULT_POLICY.model_copy(update={"green_within": "2pp"}),
            "greenwide": DEFAULT_POLICY.model_copy(update={"green_within": "10%"}),
            "band": DEFAULT_POLICY.model_copy(update={"no_change_band": 0.1}),
            "absolute": DEFAULT_POLICY.model_copy(update={"no_change_band": 5, "no_change_kind": "absolute"})}

#: What mutmut makes of a blank string: a word, state or class named so must never match a blank cell.
MUTATED_BLANK = "X" * 4

DIRECTIONS = [
    ('5', '4', 'Bigger is better', 'default', ('Improving', 'Improving: 5 is better than 4 (bigger is better).')),
    ('5', '4', 'Smaller is better', 'default', ('Worsening', 'Worsening: 5 is worse than 4 (smaller is better).')),
    ('5', '5', 'Bigger is better', 'default', ('No change', 'No change: 5 both times.')),
    ('5', '4', 'NA', 'default', ('Not comparable', "Not comparable: the polarity 'NA' gives no direction.")),
    ('NA', '4', 'Bigger is better', 'default', ('Not comparable', "Not comparable: the current value is 'NA'.")),
    ('5', '', 'Bigger is better', 'default', ('Not comparable', "Not comparable: the previous value is 'blank'.")),
    ('5', '  ', 'Bigger is better', 'default', ('Not comparable', "Not comparable: the previous value is 'blank'.")),
    ('71%', '9.3', 'Bigger is better', 'default', ('Not comparable',
     "Not comparable: '71%' is a percentage and '9.3' a count.")),
    ('105', '100', 'Bigger is better', 'band', ('No change',
     'No change: 105 against 100 is within the no-change band of 10.')),
    ('110', '100', 'Bigger is better', 'band', ('No change',
     'No change: 110 against 100 is within the no-change band of 10.')),
    ('100', '100', 'Bigger is better', 'band', ('No change', 'No change: 100 both times.')),
    ('104', '100', 'Smaller is better', 'absolute', ('No change',
     'No change: 104 against 100 is within the no-change band of 5.')),
    (0.71, '70%', 'Bigger is better', 'default', ('Improving',
     'Improving: 71% is better than 70% (bigger is better).')),
    ('70%', 0.71, 'Bigger is better', 'default', ('Worsening', 'Worsening: 70% is worse than 71% (bigger is better).')),
    ('1 min 27 secs', '1 min 9 secs', 'Smaller is better', 'default', ('Worsening',
     'Worsening: 1 min 27 secs is worse than 1 min 9 secs (smaller is better).')),
    ('£1.5m', '£1.2m', 'Bigger is better', 'default', ('Improving',
     'Improving: £1.5m is better than £1.2m (bigger is better).')),
]

TRENDS = [
    ('5', (4, 3, 2), 'Bigger is better', 'default', ('Improving',
     'Improving: the trend over 4 periods (this one and 3 earlier) rises by 3, which is better '
     '(bigger is better).')),
    ('5', (6, 7, 8), 'Bigger is better', 'default', ('Worsening',
     'Worsening: the trend over 4 periods (this one and 3 earlier) falls by 3, which is worse (bigger'
     ' is better).')),
    ('5', (6, 7, 8), 'Smaller is better', 'default', ('Improving',
     'Improving: the trend over 4 periods (this one and 3 earlier) falls by 3, which is better '
     '(smaller is better).')),
    ('5', (5, 5, 5), 'Bigger is better', 'default', ('No change',
     'No change: the trend over 4 periods (this one and 3 earlier) moves by 0, within the no-change '
     'band.')),
    ('5', (5.1, 4.9, 5), 'Bigger is better', 'band', ('No change',
     'No change: the trend over 4 periods (this one and 3 earlier) moves by 0.06, within the no-'
     'change band.')),
    ('NA', (4, 3), 'Bigger is better', 'default', ('Not comparable', "Not comparable: the current value is 'NA'.")),
    ('5', (4,), 'Bigger is better', 'default', ('Not comparable',
     'Not comparable: a trend needs at least two earlier figures and only one of the last 1 periods '
     'has one.')),
    ('5', (None, 'x', 'NA'), 'Bigger is better', 'default', ('Not comparable',
     'Not comparable: a trend needs at least two earlier figures and none of the last 3 periods have '
     'one.')),
    ('5', (4, '71%', 3), 'Bigger is better', 'default', ('Improving',
     'Improving: the trend over 3 periods (this one and 2 earlier) rises by 1.9286, which is better '
     '(bigger is better).')),
    ('50%', ('40%', 0.3, '20%'), 'Bigger is better', 'default', ('Improving',
     'Improving: the trend over 4 periods (this one and 3 earlier) rises by 30%, which is better '
     '(bigger is better).')),
    ('', (1, 2), 'Bigger is better', 'default', ('Not comparable', "Not comparable: the current value is 'blank'.")),
]


@pytest.mark.parametrize("current, previous, polarity, policy, explained", DIRECTIONS)
def test_each_direction_of_travel_says_why_in_its_own_words(current, previous, polarity, policy, explained):
    assert explain_direction(current, previous, polarity, POLICIES[policy]) == explained


@pytest.mark.parametrize("current, earlier, polarity, policy, explained", TRENDS)
def test_each_direction_by_trend_says_why_in_its_own_words(current, earlier, polarity, policy, explained):
    assert explain_direction(current, Trend(figures=earlier), polarity, POLICIES[policy]) == explained


ASSESSED = [
    (('90%', '86%', '5%', 'Bigger is better', None, 'default'), 'Green',
     'Green: 90% is on or better than the target 86%.',
     []),
    (('86%', '86%', '5%', 'Bigger is better', None, 'default'), 'Green',
     'Green: 86% is on or better than the target 86%.',
     []),
    (('84%', '86%', '5%', 'Bigger is better', None, 'default'), 'Amber',
     'Amber: 84% is worse than the target 86% but within the tolerance 5% of the target (down to 81.7%).',
     []),
    (('80%', '86%', '5%', 'Bigger is better', None, 'default'), 'Red',
     'Red: 80% is worse than the target 86% and outside the tolerance 5% of the target (down to 81.7%).',
     []),
    (('80%', '86%', 'NA', 'Bigger is better', None, 'default'), 'Red',
     'Red: 80% is worse than the target 86% and there is no tolerance band.',
     []),
    (('80%', '86%', '5pp', 'Bigger is better', None, 'default'), 'Red',
     'Red: 80% is worse than the target 86% and outside the tolerance 5 percentage points (down to 81%).',
     []),
    (('74%', '<70%', '70.1%-75%', 'Smaller is better', None, 'default'), 'Amber',
     'Amber: 74% is worse than the target <70% but within the tolerance 70.1%–75%.',
     []),
    (('77%', '<70%', '70.1%-75%', 'Smaller is better', None, 'default'), 'Red',
     'Red: 77% is worse than the target <70% and outside the tolerance 70.1%–75%.',
     []),
    (('93%', '95%', '92% (tolerance score)', 'Bigger is better', None, 'default'), 'Amber',
     'Amber: 93% is worse than the target 95% but within the tolerance 92% (the limit itself).',
     []),
    (('1000', '900-1200', '<>10% of the range', 'NA - dependent', None, 'default'), 'Green',
     'Green: 1000 is inside the target range 900–1200.',
     []),
    (('1250', '900-1200', '<>10% of the range', 'NA - dependent', None, 'default'), 'Red',
     'Red: 1250 is outside the target range 900–1200 and outside the tolerance 10% of the range (870–1230).',
     []),
    (('1300', '900-1200', '<>10% of the range', 'NA - dependent', None, 'default'), 'Red',
     'Red: 1300 is outside the target range 900–1200 and outside the tolerance 10% of the range (870–1230).',
     []),
    (('1250', '900-1200', 'NA', 'NA - dependent', None, 'default'), 'Red',
     'Red: 1250 is outside the target range 900–1200 and there is no tolerance band.',
     []),
    (('80%', '86%', 'close to target', 'Bigger is better', None, 'officer'), 'Red',
     "Red: 80% is worse than the target 86%; its amber band is given only in words ('close to target'), which the "
     "engine does not turn into a number: the officer's rating places it, Amber or Red.",
     []),
    (('£1.222m overspend', '0%', '0.5%', 'smaller is better', '£733.967m', 'default'), 'Amber',
     'Amber: £1.222m (0.1665% of the base £733.967m) is worse than the target 0% but within the tolerance 0.5% of '
     'the base (up to 0.5%).',
     []),
    (('£5m overspend', '0%', '0.5%', 'smaller is better', '£733.967m', 'default'), 'Red',
     'Red: £5m (0.6812% of the base £733.967m) is worse than the target 0% and outside the tolerance 0.5% of the '
     'base (up to 0.5%).',
     []),
    (('5', 'NA', '5%', 'Bigger is better', None, 'default'), 'No target',
     "No target: the target is 'NA'.",
     []),
    (('5', '', '5%', 'Bigger is better', None, 'default'), 'No target',
     "No target: the target is 'blank'.",
     []),
    (('5', '10', '5%', 'NA', None, 'default'), 'No target',
     "No target: the polarity 'No direction' gives no direction, so only a range target can be judged and '10' is "
     'not one.',
     []),
    (('NA', '10', '5%', 'Bigger is better', None, 'default'), 'No data',
     "No data: the performance is 'NA'.",
     []),
    (('97', '100', '10%', 'Bigger is better', None, 'green5'), 'Green',
     'Green: 97 is worse than the target 100 but within its green band (within 5% of the target: down to 95).',
     []),
    (('92', '100', '10%', 'Bigger is better', None, 'green5'), 'Amber',
     'Amber: 92 is worse than the target 100 and outside its green band (within 5% of the target: down to 95) but '
     'within the tolerance 10% of the target (down to 90).',
     []),
    (('85', '100', '10%', 'Bigger is better', None, 'green5'), 'Red',
     'Red: 85 is worse than the target 100 and outside its green band (within 5% of the target: down to 95) and '
     'outside the tolerance 10% of the target (down to 90).',
     []),
    (('85%', '86%', '5pp', 'Bigger is better', None, 'green2pp'), 'Green',
     'Green: 85% is worse than the target 86% but within its green band (within 2 percentage points: down to 84%).',
     []),
    (('83%', '86%', '5pp', 'Bigger is better', None, 'green2pp'), 'Amber',
     'Amber: 83% is worse than the target 86% and outside its green band (within 2 percentage points: down to 84%) '
     'but within the tolerance 5 percentage points (down to 81%).',
     []),
    (('85', '90', '5%', 'Smaller is better', None, 'default'), 'Green',
     'Green: 85 is on or better than the target 90.',
     []),
    (('95', '100', '5%', 'Bigger is better', None, 'greenwide'), 'Green',
     'Green: 95 is worse than the target 100 but within its green band (within 10% of the target: down to 90).',
     ['tolerance_inside_green_band']),
    (('85', '100', '5%', 'Bigger is better', None, 'greenwide'), 'Red',
     'Red: 85 is worse than the target 100 and outside its green band (within 10% of the target: down to 90) and '
     'outside the tolerance 5% of the target (no tolerance band).',
     ['tolerance_inside_green_band']),
    (('95', '100', '5%', 'Smaller is better', None, 'greenwide'), 'Green',
     'Green: 95 is on or better than the target 100.',
     ['tolerance_inside_green_band']),
    (('£1m', '0%', '0.5%', 'smaller is better', '£733.967m', 'greenwide'), 'Green',
     'Green: £1m (0.1362% of the base £733.967m) is worse than the target 0% but within its green band (within 10% '
     'of the base: up to 10%).',
     ['tolerance_inside_green_band']),
    (('1250', '900-1200', '<>10% of the range', 'NA - dependent', None, 'greenwide'), 'Green',
     'Green: 1250 is outside the target range 900–1200 but within its green band (within 10% of the target: '
     '810–1320).',
     ['tolerance_inside_green_band']),
    (('12', '10 (year-end)', '5%', 'Bigger is better', None, 'default'), 'Green',
     'Green: 12 is on or better than the target 10.',
     ['year_end_target']),
    (('12', '<10', '5%', 'Bigger is better', None, 'default'), 'Green',
     'Green: 12 is on or better than the target <10.',
     ['comparator_against_polarity']),
    (('12', '10', '9 (tolerance score)', 'Smaller is better', None, 'default'), 'Red',
     'Red: 12 is worse than the target 10 and outside the tolerance 9 (the limit itself).',
     ['tolerance_on_better_side']),
    (('12', '10', '60%', 'Bigger is better', None, 'default'), 'Green',
     'Green: 12 is on or better than the target 10.',
     ['wide_tolerance']),
    (('-5', '10', '5%', 'Smaller is better', None, 'default'), 'Green',
     'Green: -5 is on or better than the target 10.',
     ['negative_smaller_is_better']),
    (('5', '-10', '5%', 'Smaller is better', None, 'default'), 'Red',
     'Red: 5 is worse than the target -10 and outside the tolerance 5% of the target (up to -9.5).',
     ['negative_smaller_is_better']),
    (('53.49%%', '50%', '5%', 'Bigger is better', None, 'default'), 'Green',
     'Green: 53.49% is on or better than the target 50%.',
     ['typo']),
    (('5 (revised)', '4', '5%', 'Bigger is better', None, 'default'), 'Green',
     'Green: 5 is on or better than the target 4.',
     ['revised']),
    (('5 (provisional)', '4', '5%', 'Bigger is better', None, 'default'), 'Green',
     'Green: 5 is on or better than the target 4.',
     ['provisional']),
    (('1,300', '1,200 (300 - Q1 profile)', '5%', 'Bigger is better', None, 'default'), 'Green',
     'Green: 1300 is on or better than the target 1200.',
     ['profile_in_target']),
    (('1,300', '1,200 (300 profile)', '5%', 'Bigger is better', None, 'default'), 'Green',
     'Green: 1300 is on or better than the target 1200.',
     ['profile_in_target']),
    (('12', '10', '9-11', 'Smaller is better', None, 'default'), 'Red',
     'Red: 12 is worse than the target 10 and outside the tolerance 9–11.',
     []),
]

WARNINGS = {
    ('95', '100', '5%', 'Bigger is better', 'tolerance_inside_green_band'):
        "The tolerance '5%' lies inside the green band of 10%: there is no Amber band.",
    ('85', '100', '5%', 'Bigger is better', 'tolerance_inside_green_band'):
        "The tolerance '5%' lies inside the green band of 10%: there is no Amber band.",
    ('95', '100', '5%', 'Smaller is better', 'tolerance_inside_green_band'):
        "The tolerance '5%' lies inside the green band of 10%: there is no Amber band.",
    ('£1m', '0%', '0.5%', 'smaller is better', 'tolerance_inside_green_band'):
        "The tolerance '0.5%' lies inside the green band of 10%: there is no Amber band.",
    ('1250', '900-1200', '<>10% of the range', 'NA - dependent', 'tolerance_inside_green_band'):
        "The tolerance '<>10% of the range' lies inside the green band of 10%: there is no Amber band.",
    ('12', '10 (year-end)', '5%', 'Bigger is better', 'year_end_target'):
        "The target '10 (year-end)' is a year-end target used for a quarter: the quarter needs a profiled target.",
    ('12', '<10', '5%', 'Bigger is better', 'comparator_against_polarity'):
        "The target '<10' points the other way from 'Bigger is better': judged by the polarity.",
    ('12', '10', '9 (tolerance score)', 'Smaller is better', 'tolerance_on_better_side'):
        "The tolerance '9 (tolerance score)' lies on the better side of the target '10', so it gives no Amber band.",
    ('12', '10', '60%', 'Bigger is better', 'wide_tolerance'):
        "A tolerance of 60% of the target is unusually wide: if it is a limit, write it as '60% (tolerance score)'.",
    ('-5', '10', '5%', 'Smaller is better', 'negative_smaller_is_better'):
        "'Smaller is better' meets a negative value ('-5' against '10'): a more negative number is judged better; "
        'check that is what the measure means (a widening gap is often written as a more negative number).',
    ('5', '-10', '5%', 'Smaller is better', 'negative_smaller_is_better'):
        "'Smaller is better' meets a negative value ('5' against '-10'): a more negative number is judged better; "
        'check that is what the measure means (a widening gap is often written as a more negative number).',
    ('53.49%%', '50%', '5%', 'Bigger is better', 'typo'):
        "'53.49%%' has a doubled % sign; read as a percentage.",
    ('5 (revised)', '4', '5%', 'Bigger is better', 'revised'):
        "'5 (revised)' is a revised figure.",
    ('5 (provisional)', '4', '5%', 'Bigger is better', 'provisional'):
        "'5 (provisional)' is provisional.",
    ('1,300', '1,200 (300 - Q1 profile)', '5%', 'Bigger is better', 'profile_in_target'):
        "The target '1,200 (300 - Q1 profile)' also writes a quarterly profile (300 for Q1): judged against the "
        "annual figure 1200. A policy with target_profile = 'profile figure' judges it against the profile.",
    ('1,300', '1,200 (300 profile)', '5%', 'Bigger is better', 'profile_in_target'):
        "The target '1,200 (300 profile)' also writes a quarterly profile (300): judged against the annual figure "
        "1200. A policy with target_profile = 'profile figure' judges it against the profile.",
}


@pytest.mark.parametrize("given, rag, reason, codes", ASSESSED)
def test_each_rag_says_why_in_its_own_words_with_its_findings(given, rag, reason, codes):
    performance, target, tolerance, polarity, base, policy = given
    assessed = assess(performance, target, tolerance, polarity, base=base, policy=POLICIES[policy])
    assert (assessed.rag, assessed.reason, [w.code for w in assessed.warnings]) == (rag, reason, codes)
    for warning in assessed.warnings:
        assert warning.message == WARNINGS[(performance, target, tolerance, polarity, warning.code)]


STATUSES = ("Expected one of: On Track, Medium Issue/Slippage, Significant issues/risks/slippage, Complete, No update "
            "available (or blank).")


@pytest.mark.parametrize("status, rag, name", [
    ("on track", "Green", "On Track"), ("ON  TRACK", "Green", "On Track"), ("Medium Issue/Slippage", "Amber",
                                                                           "Medium Issue/Slippage"),
    ("significant issues/risks/slippage", "Red", "Significant issues/risks/slippage"),
    ("Complete", "Complete", "Complete"), ("No update available", "No update", "No update available"),
    ("", "No update", ""), (None, "No update", ""), ("  ", "No update", "")])
def test_a_deliverable_status_gives_its_rag_and_its_name_as_the_list_writes_it(status, rag, name):
    assert (deliverable_rag(status), deliverable_status_name(status)) == (rag, name)


def test_a_status_outside_the_list_is_refused_naming_the_list_the_policy_has():
    for wrong in ("Late", 5):
        with pytest.raises(PMFValueError) as raised:
            deliverable_rag(wrong)
        assert str(raised.value) == f'"{wrong}" is not a deliverable status the framework can read. {STATUSES}'
    own = DEFAULT_POLICY.model_copy(update={"statuses": (("Fine", "Green"), ("Late", "Red"))})
    assert (deliverable_rag("fine", own), deliverable_status_name("LATE", own)) == ("Green", "Late")
    with pytest.raises(PMFValueError) as raised:
        deliverable_status_name("On Track", own)
    assert str(raised.value) == ('"On Track" is not a deliverable status the framework can read. Expected one of '
                                 "the statuses: Fine, Late, or blank for no update.")


@pytest.mark.parametrize("formula", ['="On Track"', ' =IF(A1>0,"Complete","On Track")'])
def test_a_status_that_is_a_formula_saved_without_its_result_is_refused_not_read_as_its_words(formula):
    """The reader recovers such a cell as the formula's text; its words are not its result."""
    with pytest.raises(PMFValueError) as raised:
        deliverable_rag(formula)
    assert str(raised.value) == (f'"{formula}" is not a deliverable status the framework can read. It is a formula '
                                 "saved without its result (by a program other than Excel): open the workbook in "
                                 "Excel so that it calculates, save it and consolidate again, or type the entry "
                                 f"itself. {STATUSES}")
    assert DEFAULT_POLICY.read_state(formula.replace("On Track", "Green")) is None
    assert DEFAULT_POLICY.read_state("Green =") == "Green"  # an = after the words is no formula


@pytest.mark.parametrize("figures, average", [
    (["5", "7", "x", "NA", "71%"], ("COUNT", 6.0, "", "average of 2: 6")),
    ([0.5, "50%"], ("PERCENTAGE", 0.5, "%", "average of 2: 50%")),
    (["3 days", 4], ("DAYS", 3.5, "days", "average of 2: 3.5 days")),
    ([4, "3 days"], ("DAYS", 3.5, "days", "average of 2: 3.5 days")),
    (["NA"], None), ([], None)])
def test_the_average_of_earlier_figures_takes_those_comparable_with_the_first(figures, average):
    found = average_figure(figures)
    assert (None if found is None else (found.kind.name, found.number, found.unit, found.text)) == average


def test_each_basis_picks_its_comparison_figure():
    window = ["4", "6", "8", "10", "12"]
    assert comparison_figures(DEFAULT_POLICY, "p", "ly", window) == ("p", "ly")
    short, long = comparison_figures(builtin_policies()["ten percent, average trend"], "p", "ly", window)
    assert (short, long.number, long.text) == ("p", 7.0, "average of 4: 7")
    assert comparison_figures(builtin_policies()["direction by trend over five quarters"], "p", "ly", window) == (
        "p", Trend(figures=("4", "6", "8", "10")))
    two = DEFAULT_POLICY.model_copy(update={"short_term_basis": "average of last periods", "average_periods": 2})
    assert comparison_figures(two, "p", "ly", window)[0].number == 5.0


def test_a_breach_is_red_only_and_none_without_a_figure_or_target():
    assert [tolerance_breach(p, t, "5%", "Bigger is better") for p, t in (("80%", "86%"), ("84%", "86%"),
                                                                          ("NA", "86%"), ("5", "NA"))] == [
        True, False, None, None]
    assert [breach_of(r) for r in ("Red", "Amber", "Green", "No data", "No target")] == [True, False, False, None,
                                                                                           None]


RED = "Red: 80% is worse than the target 86% and outside the tolerance 5% of the target (down to 81.7%)."


def test_the_officers_rating_is_read_beside_the_engines_and_a_difference_says_both():
    engine = assess("80%", "86%", "5%", "Bigger is better")
    assert check_officer_rating(None, engine) is None and check_officer_rating("  ", engine) is None
    assert check_officer_rating("red", engine) == ("Red", True, "The officer's rating Red is the engine's.")
    assert check_officer_rating("Amber", engine) == (
        "Amber", False, f"The officer rates it Amber; the engine suggests Red: {RED}")
    words = builtin_policies()["yellow and getting better"]
    assert check_officer_rating("Yellow", assess("84%", "86%", "5%", "Bigger is better", policy=words), words) == (
        "Amber", True, "The officer's rating Yellow is the engine's.")
    with pytest.raises(PMFValueError) as raised:
        check_officer_rating("Purple", engine, words)
    assert str(raised.value) == ('"Purple" is not an officer\'s rating the framework can read. Expected Green, '
                                 "Yellow, Red, or blank for none.")


def test_an_amber_band_in_words_is_placed_by_the_officer_amber_or_red_never_green():
    officer = builtin_policies()["officer judges amber"]
    engine = assess("80%", "86%", "close to target", "Bigger is better", policy=officer)
    assert check_officer_rating("Amber", engine, officer) == (
        "Amber", True, "The officer places the missed target Amber within the amber band given in words ('close to "
                       "target'); the engine does not place it.")
    assert check_officer_rating("Red", engine, officer).agrees is True
    assert check_officer_rating("Green", engine, officer).agrees is False


@pytest.mark.parametrize("last_year, rag, how", [
    ("82%", "Red", "fell back from"), ("78%", "Amber", "improved on"), ("80%", "Red", "held level with"),
    ("NA", "Red", "cannot be compared with")])
def test_a_dot_aware_policy_says_how_the_missed_target_moved(last_year, rag, how):
    assessed = assess("80%", "86%", "5%", "Bigger is better", last_year=last_year,
                      policy=builtin_policies()["dot-aware"])
    assert (assessed.rag, assessed.reason) == (rag, f"{rag}: 80% is worse than the target 86%, and {how} the "
                                                    "long-term comparison (the policy DOT-aware v1 colours a missed "
                                                    "target by its direction of travel).")


def test_maintained_counts_as_improved_where_the_policy_says_so():
    assessed = assess("70%", "86%", "5%", "Bigger is better", last_year="70%",
                      policy=builtin_policies()["direction-aware outside tolerance"])
    assert (assessed.rag, assessed.reason) == ("Amber", (
        "Amber: 70% is worse than the target 86% and outside its green band (within 10% of the target: down to "
        "77.4%), and held level with the long-term comparison (the policy Direction-aware outside tolerance v1 "
        "colours a missed target by its direction of travel, maintained counting as improved)."))


@pytest.mark.parametrize("forecast, rag, why", [
    ("90%", "Amber", "the year-end forecast 90% meets the target of 86% (the policy Amber by year-end forecast v1 "
                     "colours a missed target by its forecast)"),
    ("80%", "Red", "the year-end forecast 80% does not meet the target of 86% (the policy Amber by year-end forecast "
                   "v1 colours a missed target by its forecast)"),
    (None, "Red", "no year-end forecast was given (the policy Amber by year-end forecast v1 colours a missed target "
                  "by it)"),
    ("NA", "Red", "no year-end forecast was given (the policy Amber by year-end forecast v1 colours a missed target "
                  "by it)")])
def test_a_forecast_policy_says_whether_the_forecast_meets_the_target(forecast, rag, why):
    assessed = assess("80%", "86%", "5%", "Bigger is better", forecast=forecast,
                      policy=builtin_policies()["amber by year-end forecast"])
    assert (assessed.rag, assessed.reason) == (rag, f"{rag}: 80% is worse than the target 86%, and {why}.")


BASE = "Expected a positive amount such as £733.967m."


def test_a_budget_base_is_a_positive_amount_and_a_bare_number_against_it_is_pounds():
    assert rag(1_000_000, "0%", "0.5%", "Smaller is better", base="£733.967m") == "Amber"
    assert rag("£1m", "0%", "0.5%", "Smaller is better", base="£1") == "Red"
    for wrong in ("£0", "-£5", "5%", 0):
        with pytest.raises(PMFValueError) as raised:
            rag("£1m", "0%", "0.5%", "Smaller is better", base=wrong)
        assert str(raised.value) == f'"{wrong}" is not a budget base the framework can read. {BASE}'
    with pytest.raises(PMFValueError, match="comparable with the target"):
        rag("£1m", "0%", "0.5%", "Smaller is better", base="")


@pytest.mark.parametrize("performance, target, message", [
    ("5%", "10", "The target '10' is a count but this is a percentage: type the performance in the target's unit."),
    ("£5", "10%", "The target '10%' is a percentage but this is a money: type the performance in the target's unit "
                  "or give the measure its budget base."),
    ("5", "10%", "The target '10%' is a percentage but this is a count: type the performance in the target's unit."),
    ("4/5", "Category 2", "The target 'Category 2' is a category but this is a rating: type the performance in the "
                          "target's unit.")])
def test_a_performance_in_another_unit_than_its_target_is_refused_saying_both(performance, target, message):
    with pytest.raises(PMFValueError) as raised:
        rag(performance, target, "5%", "Bigger is better")
    assert str(raised.value) == (f'"{performance}" is not a performance comparable with the target the framework '
                                 f"can read. {message}")


def test_a_figure_exactly_on_a_limit_takes_the_better_colour_unless_the_policy_says_the_worse():
    exclusive = DEFAULT_POLICY.model_copy(update={"boundaries_inclusive": False})
    assert [rag(p, "86%", "5%", "Bigger is better", policy=exclusive) for p in ("86%", "81.7%", "90%", "84%")] == [
        "Amber", "Red", "Green", "Amber"]
    assert [rag(p, "86%", "5%", "Bigger is better") for p in ("86%", "81.7%")] == ["Green", "Amber"]
    assert [rag(p, "900-1200", "<>10% of the range", "NA - dependent", policy=exclusive)
            for p in ("900", "1200", "870", "1230", "1000")] == ["Amber", "Amber", "Red", "Red", "Green"]
    assert [rag(p, "900-1200", "<>10% of the range", "NA - dependent") for p in ("900", "1200", "870", "1230")] == [
        "Green", "Green", "Amber", "Amber"]


def test_a_target_in_words_is_no_target_only_where_the_polarity_gives_no_direction():
    assert read_measure("July completion", "NA", "NA").target.text == "July completion"
    with pytest.raises(PMFValueError, match='"July completion" is not a target'):
        read_measure("July completion", "NA", "Bigger is better")
    assert rag(0.9, 0.86, 0.05, "Bigger is better") == "Green"


def test_an_unhashable_cell_is_read_uncached_with_the_same_answer():
    assert read_measure("86%", "5%", "Bigger is better", base=None) == read_measure("86%", "5%", "Bigger is better")
    with pytest.raises(PMFValueError, match="not a target"):
        read_measure(["86%"], "5%", "Bigger is better")
    with pytest.raises(PMFValueError, match="not a tolerance"):
        read_measure("86%", ["5%"], "Bigger is better")


def test_a_points_policy_reads_a_green_band_as_points_of_a_percentage_target_but_a_share_of_a_base():
    points = DEFAULT_POLICY.model_copy(update={"tolerance_meaning": "percentage points", "green_within": "2%"})
    assessed = assess("84.5%", "86%", "5%", "Bigger is better", policy=points)
    assert (assessed.rag, assessed.reason) == ("Green", "Green: 84.5% is worse than the target 86% but within its "
                                                        "green band (within 2 percentage points: down to 84%).")
    assessed = assess("£1m", "0%", "0.5%", "Smaller is better", base="£733.967m", policy=points)
    assert assessed.reason == ("Green: £1m (0.1362% of the base £733.967m) is worse than the target 0% but within "
                               "its green band (within 2% of the base: up to 2%).")
    assert assess("82%", "86%", "5%", "Bigger is better", policy=points).reason == (
        "Amber: 82% is worse than the target 86% and outside its green band (within 2 percentage points: down to "
        "84%) but within the tolerance 5 percentage points (down to 81%).")


@pytest.mark.parametrize("performance, forecast, rag_, reason", [
    ("350", "1,300", "Green", "Green: 350 is on or better than the target 300 (the Q1 profile of 1200)."),
    ("250", "1,300", "Amber", "Amber: 250 is worse than the target 300 (the Q1 profile of 1200), and the year-end "
                              "forecast 1300 meets the year-end target of 1200 (the policy Judged against the quarter's "
                              "profile v1 colours a missed target by its forecast)."),
    ("250", "1,100", "Red", "Red: 250 is worse than the target 300 (the Q1 profile of 1200), and the year-end "
                            "forecast 1100 does not meet the year-end target of 1200 (the policy Judged against the quarter's "
                            "profile v1 colours a missed target by its forecast).")])
def test_a_profiled_quarter_is_judged_by_its_profile_and_its_forecast_by_the_annual_figure(performance, forecast, rag_,
                                                                                         reason):
    policy = builtin_policies()["judged against the quarter's profile"].model_copy(update={"amber_by_forecast": True})
    assessed = assess(performance, "1,200 (300 - Q1 profile)", "5%", "Bigger is better", policy=policy,
                      forecast=forecast)
    assert (assessed.rag, assessed.reason) == (rag_, reason)


@pytest.mark.parametrize("forecast, rag_, said", [("1,250", "Amber", "meets"), ("1,100", "Red", "does not meet")])
def test_a_forecast_judged_against_the_catalogues_year_end_target_names_that_target(forecast, rag_, said):
    """The quarter's target is the catalogue's profile of its year-end one: the reason names the figure the forecast
    was judged against, not the quarter's."""
    policy = builtin_policies()["amber by year-end forecast"]
    assessed = assess("250", "300", "5%", "Bigger is better", policy=policy, forecast=forecast,
                      year_end_target="1,200")
    assert (assessed.rag, assessed.reason) == (rag_, (
        f"{rag_}: 250 is worse than the target 300, and the year-end forecast {forecast.replace(',', '')} {said} the "
        "year-end target of 1200 (the policy Amber by year-end forecast v1 colours a missed target by its forecast)."))


def test_a_budget_forecast_is_judged_as_a_share_of_the_base():
    assessed = assess("£1m overspend", "0%", "0.5%", "Smaller is better", base="£733.967m", forecast="£2m",
                      policy=builtin_policies()["amber by year-end forecast"])
    assert assessed.reason == ("Red: £1m (0.1362% of the base £733.967m) is worse than the target 0%, and the "
                               "year-end forecast 0.2725% does not meet the target of 0% (the policy Amber by "
                               "year-end forecast v1 colours a missed target by its forecast).")


@pytest.mark.parametrize("performance, target, tolerance, polarity, rag_, reason", [
    ("", "86%", "5%", "Bigger is better", "No data", "No data: the performance is 'blank'."),
    ("  ", "86%", "5%", "Bigger is better", "No data", "No data: the performance is 'blank'."),
    ("NA", "86%", "5%", "Bigger is better", "No data", "No data: the performance is 'NA'."),
    ("5", "July completion", "NA", "NA", "No target", "No target: the polarity 'No direction' gives no direction, so "
                                                     "only a range target can be judged and 'July completion' is not "
                                                     "one."),
    ("5", "NA - establishing baseline", "5%", "Bigger is better", "No target",
     "No target: the target is 'NA - establishing baseline'.")])
def test_no_data_and_no_target_say_what_was_given(performance, target, tolerance, polarity, rag_, reason):
    assessed = assess(performance, target, tolerance, polarity, last_quarter="4", last_year="3")
    assert (assessed.rag, assessed.reason, assessed.breach) == (rag_, reason, None)
    assert assessed.policy == "PMF default v1"


def test_an_assessment_carries_its_figure_limits_policy_and_both_directions():
    assessed = assess("84%", "86%", "5%", "Bigger is better", last_quarter="85%", last_year="80%",
                      policy=builtin_policies()["yellow and getting better"])
    assert (assessed.rag, assessed.breach, assessed.dot_short, assessed.dot_long) == ("Amber", False, "Worsening",
                                                                                      "Improving")
    assert (assessed.performance.number, assessed.performance.text) == (0.84, "84%")
    assert assessed.policy == "Yellow and getting better v1"
    assert (assessed.thresholds.green_low, assessed.thresholds.amber_low) == (0.86, 0.817)
    assert assess("84%", "86%", "5%", "Bigger is better").dot_short is None


@pytest.mark.parametrize("performance, target, tolerance, polarity, update, reason", [
    ("21%", "10%-20%", "5pp", "NA - dependent", {"green_within": "2pp"},
     "Green: 21% is outside the target range 10%–20% but within its green band (within 2 percentage points: "
     "8%–22%)."),
    ("4.4/5", "4.5/5", "10%", "Bigger is better", {"green_within": "5%"},
     "Green: 4.4/5 is worse than the target 4.5/5 but within its green band (within 5% of the target: down to "
     "4.275/5)."),
    ("100", "100", "10%", "Bigger is better", {"green_within": "5%", "boundaries_inclusive": False},
     "Green: 100 is worse than the target 100 but within its green band (within 5% of the target: down to 95)."),
    ("100", "100", "10%", "Bigger is better", {"green_within": "5%"},
     "Green: 100 is on or better than the target 100."),
])
def test_a_green_band_is_described_in_its_targets_unit_and_its_edge_follows_the_policys_boundaries(
        performance, target, tolerance, polarity, update, reason):
    assert assess(performance, target, tolerance, polarity, policy=DEFAULT_POLICY.model_copy(update=update)).reason \
        == reason


def test_a_green_band_policy_leaves_a_measure_without_a_target_no_target():
    assert assess("5", "NA", "5%", "Bigger is better",
                  policy=DEFAULT_POLICY.model_copy(update={"green_within": "5%"})).rag == "No target"


def test_a_trend_moves_by_an_amount_in_its_figures_unit():
    assert explain_direction("4.6/5", Trend(figures=("4.2/5", "4/5")), "Bigger is better") == (
        "Improving", "Improving: the trend over 3 periods (this one and 2 earlier) rises by 0.6/5, which is better "
                     "(bigger is better).")


def test_an_average_of_excel_numbers_is_a_number_and_an_unreadable_figure_is_skipped_not_the_end():
    average = average_figure([4, 6])
    assert (average.kind.name, average.unit, average.text) == ("NUMBER", "", "average of 2: 5")
    assert average_figure(["5", "x", "7"]).text == "average of 2: 6"


def test_a_blank_status_has_no_name_whatever_the_status_list_calls_its_statuses():
    odd = DEFAULT_POLICY.model_copy(update={"statuses": ((MUTATED_BLANK, "Green"), ("Late", "Red"))})
    assert [deliverable_status_name(blank, odd) for blank in (None, "", "  ")] == ["", "", ""]


def test_an_amber_band_in_words_on_a_range_target_is_left_to_the_officer():
    assessed = assess("1250", "900-1200", "close to range", "NA - dependent",
                      policy=builtin_policies()["officer judges amber"])
    assert (assessed.rag, assessed.reason) == ("Red", (
        "Red: 1250 is outside the target range 900–1200; its amber band is given only in words ('close to range'), "
        "which the engine does not turn into a number: the officer's rating places it, Amber or Red."))


def test_no_tolerance_or_one_in_words_is_no_tolerance_inside_a_green_band():
    green = DEFAULT_POLICY.model_copy(update={"green_within": "5%"})
    assert assess("90", "100", "NA", "Bigger is better", policy=green).warnings == ()
    officer = builtin_policies()["officer judges amber"].model_copy(update={"green_within": "5%"})
    assert assess("90", "100", "close", "Bigger is better", policy=officer).warnings == ()


def test_a_tolerance_over_half_the_target_is_flagged_as_wide():
    assert [w.code for w in assess("90", "100", "50%", "Bigger is better").warnings] == []
    assert [w.code for w in assess("90", "100", "51%", "Bigger is better").warnings] == ["wide_tolerance"]


def test_a_range_target_judged_by_a_direction_is_worse_than_its_edge_not_outside_it():
    assert assess("850", "900-1200", "5%", "Bigger is better").reason == (
        "Red: 850 is worse than the target 900–1200 and outside the tolerance 5% of the target (down to 855).")


def test_a_zero_figure_or_target_is_not_negative():
    assert assess("0", "10", "5%", "Smaller is better").warnings == ()
    assert assess("5", "0", "5%", "Smaller is better").warnings == ()


def test_findings_about_the_definition_are_kept_with_no_data_and_no_target():
    assert [w.code for w in assess("NA", "10 (year-end)", "5%", "Bigger is better").warnings] == ["year_end_target"]
    assessed = assess("5", "10 (year-end)", "5%", "NA")
    assert (assessed.rag, [w.code for w in assessed.warnings]) == ("No target", ["year_end_target"])


def test_figures_are_printed_in_their_units_in_every_reason():
    assert assess("4.4/5", "4.5/5", "5%", "Bigger is better").reason == (
        "Amber: 4.4/5 is worse than the target 4.5/5 but within the tolerance 5% of the target (down to 4.275/5).")
    assert explain_direction("4.5/5", "4/5", "Bigger is better") == (
        "Improving", "Improving: 4.5/5 is better than 4/5 (bigger is better).")
    assert explain_direction("5 days", "4 days", "Smaller is better") == (
        "Worsening", "Worsening: 5 days is worse than 4 days (smaller is better).")
    assert (average_figure(["4/5", "4.2/5"]).text, average_figure(["3 days", "4 days"]).text) == (
        "average of 2: 4.1/5", "average of 2: 3.5 days")
    assert assess("3.9 days", "3.86 days", "4 days-5 days", "Smaller is better").reason == (
        "Amber: 3.9 days is worse than the target 3.86 days but within the tolerance 4 days–5 days.")


def test_both_directions_of_an_assessment_follow_the_policys_no_change_band():
    band = DEFAULT_POLICY.model_copy(update={"no_change_band": 0.1})
    assessed = assess("105", "100", "5%", "Bigger is better", last_quarter="100", last_year="100", policy=band)
    assert (assessed.dot_short, assessed.dot_long) == ("No change", "No change")


def test_a_change_within_float_noise_is_no_change_said_as_the_same_figure():
    assert explain_direction(0.1 + 0.2, 0.3, "Bigger is better") == ("No change", "No change: 0.3 both times.")
    assert direction_of_travel(1e-13, 0, "Bigger is better") == "No change"
    assert direction_of_travel(3e-12, 0, "Bigger is better") == "Improving"


def test_limits_are_inclusive_when_judged():
    limits = Limits(100, 200, 50, 250)
    assert [judge(x, limits) for x in (100, 200, 50, 250, 49, 251)] == ["Green", "Green", "Amber", "Amber", "Red",
                                                                        "Red"]


def test_a_forecast_meets_the_year_end_target_by_the_policys_boundaries():
    exclusive = builtin_policies()["amber by year-end forecast"].model_copy(update={"boundaries_inclusive": False})
    assert [assess("250", "300", "5%", "Bigger is better", forecast=f, year_end_target="1,200", policy=exclusive).rag
            for f in ("1,200", "1,201")] == ["Red", "Amber"]


def test_a_breach_follows_the_base_and_the_policy_with_its_comparisons():
    assert tolerance_breach("£1m", "0%", "0.5%", "Smaller is better", base="£733.967m") is False
    assert tolerance_breach("84%", "86%", "5%", "Bigger is better", policy=builtin_policies()["dot-aware"],
                            last_year="80%") is False
    forecast = builtin_policies()["amber by year-end forecast"]
    assert [tolerance_breach("84%", "86%", "5%", "Bigger is better", policy=forecast, forecast=f)
            for f in ("90%", "80%")] == [False, True]


def test_a_green_band_and_a_band_tolerance_of_ratings_are_printed_with_their_scale():
    green = DEFAULT_POLICY.model_copy(update={"green_within": "5%"})
    assert assess("4.1/5", "3/5-4/5", "10%", "NA - dependent", policy=green).reason == (
        "Green: 4.1/5 is outside the target range 3/5–4/5 but within its green band (within 5% of the target: "
        "2.85/5–4.2/5).")
    assert assess("4.3/5", "4.5/5", "4.2/5-4.4/5", "Bigger is better").reason == (
        "Amber: 4.3/5 is worse than the target 4.5/5 but within the tolerance 4.2/5–4.4/5.")


def test_a_forecast_is_printed_in_its_unit():
    assessed = assess("4.3/5", "4.5/5", "5%", "Bigger is better", forecast="4.6/5",
                      policy=builtin_policies()["amber by year-end forecast"])
    assert "the year-end forecast 4.6/5 meets the target of 4.5/5" in assessed.reason


def test_a_dot_aware_policy_judges_the_direction_with_its_own_no_change_band():
    policy = DEFAULT_POLICY.model_copy(update={"dot_aware_rag": True, "no_change_band": 0.1})
    assessed = assess("80%", "86%", "5%", "Bigger is better", last_year="78%", policy=policy)
    assert assessed.rag == "Red" and "held level with the long-term comparison" in assessed.reason


def test_a_performance_against_an_excel_number_target_is_printed_in_its_own_unit():
    assert assess("84%", 0.86, 0.05, "Bigger is better").reason == (
        "Amber: 84% is worse than the target 0.86 but within the tolerance 5% of the target (down to 0.817).")


def test_a_points_policy_leaves_a_budget_tolerance_a_share_of_the_base():
    points = DEFAULT_POLICY.model_copy(update={"tolerance_meaning": "percentage points"})
    assert assess("£1m", "0%", "0.5%", "Smaller is better", base="£733.967m", policy=points).reason == (
        "Amber: £1m (0.1362% of the base £733.967m) is worse than the target 0% but within the tolerance 0.5% of the "
        "base (up to 0.5%).")


def test_a_measure_with_nothing_to_judge_against_keeps_its_colour_under_a_forecast_policy():
    forecast = builtin_policies()["amber by year-end forecast"]
    no_direction = read_measure("86%", "5%", "NA", policy=forecast)
    assert missed_target("Amber", no_direction, "80%", None, "NA", forecast, "90%") == ("Amber", "")
    no_target = read_measure("NA", "5%", "Bigger is better", policy=forecast)
    assert missed_target("Red", no_target, "80%", None, "Bigger is better", forecast, "90%") == ("Red", "")
