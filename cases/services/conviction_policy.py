"""The configurable review policy for cautions and convictions: what the register and the vetting review's
trigger record recommend for each one (refer for vetting review and consider misconduct, refer for vetting
review, or record only). The rules are rows (`ConvictionPolicyRule`, edited in the admin, defaults seeded by
migration cases/0020); the first active rule by order whose conditions all match decides.

The policy is a recommendation only: every new caution or conviction still opens a vetting review
(`conviction_recorded`, whatever the policy says). The defaults and their sources are in docs/vetting-rules.md
("Convictions and cautions: the review policy").

GUIDANCE, NOT REGULATION. No regulation read sets this policy (the Conduct, Complaints and Misconduct and
Vetting Regulations, as far as they were read, do not say how a caution or conviction weighs in vetting; a
conviction's weight in misconduct is CR reg 2(1) "gross misconduct", see cases/services/convictions.py). The
defaults rest on two College of Policing texts:
- the Vetting Code of Practice (July 2023), a code of practice "presented to Parliament pursuant to Section
  39A(5) of the Police Act 1996" (its title page), which the College calls "a statutory piece of guidance" that
  forces must be aware of and comply with (college.police.uk, "Vetting guidance - have your say", 2023), so
  guidance with statutory standing, not regulation (primary text: gov.uk/government/publications/
  police-vetting-code-of-practice/vetting-code-of-practice; only its section 1, paras 1.1-1.5, could be read
  through the search tool. Para 1.4 says vetting identifies people "unsuitable through criminal activity or
  association" and those with "a demonstrable lack of honesty"; ⚠ the paragraph on cautions and convictions was
  not reached, so its rule is taken from the College's own summary, college.police.uk article "Vetting Code of
  Practice updated", 2023);
- the Authorised Professional Practice on vetting (APP), which is guidance (its 2017 edition's contents were
  seen, not its paragraphs on convictions; ⚠ taken from Lancashire Constabulary's summary of it).
So each rule is the force's policy, configurable in the admin, and a force adopting the system must check the
defaults against the Code's and the APP's current text."""

from django.db import transaction
from django.db.models import Q

from ..models import Conviction, ConvictionPolicyRule


def rule_condition(rule: ConvictionPolicyRule) -> Q:
    """The convictions a rule's conditions match, as a filter (a blank or null condition matches any)."""
    q = Q()
    if rule.categories:
        q &= Q(category__in=rule.categories)
    if rule.kind:
        q &= Q(kind=rule.kind)
    if rule.as_minor is not None:
        q &= Q(as_minor=rule.as_minor)
    if rule.while_serving is not None:
        q &= Q(while_serving=rule.while_serving)
    return q


def rule_matches(rule: ConvictionPolicyRule, conviction: Conviction) -> bool:
    """The same conditions as rule_condition, for one conviction in hand."""
    return (
        (not rule.categories or conviction.category in rule.categories)
        and (not rule.kind or conviction.kind == rule.kind)
        and (rule.as_minor is None or conviction.as_minor == rule.as_minor)
        and (rule.while_serving is None or conviction.while_serving == rule.while_serving)
    )


def policy_rule_for(conviction: Conviction) -> ConvictionPolicyRule | None:
    """The first active rule by order that matches the conviction, or None."""
    for rule in ConvictionPolicyRule.objects.filter(active=True).order_by("order"):
        if rule_matches(rule, conviction):
            return rule
    return None


def conviction_policy_stamp(conviction: Conviction) -> None:
    """Store the policy's decision on a conviction just written (conviction_record, the admin)."""
    rule = policy_rule_for(conviction)
    conviction.policy_rule, conviction.policy_action = rule, rule.action if rule else ""
    Conviction.objects.filter(pk=conviction.pk).update(
        policy_rule=conviction.policy_rule, policy_action=conviction.policy_action
    )


def conviction_policy_apply() -> int:
    """Re-apply the rules to every conviction, set-based: clear the decision, then one UPDATE per active rule,
    lowest priority (highest order) first, so that the first matching rule is the last to write and wins. The
    rules are locked for the run, so two runs (two admins saving rules) do not interleave. Returns the number
    of rules applied."""
    with transaction.atomic():
        rules = list(ConvictionPolicyRule.objects.select_for_update().filter(active=True).order_by("-order"))
        Conviction.objects.exclude(policy_rule=None, policy_action="").update(policy_rule=None, policy_action="")
        for rule in rules:
            Conviction.objects.filter(rule_condition(rule)).update(policy_rule=rule, policy_action=rule.action)
    return len(rules)
