"""{% run_seal run as seal %}: the run's ledger entry (its seal and position), or None when it has none."""

from django import template

from audit import canonical, ledger

register = template.Library()


@register.simple_tag
def run_seal(run):
    return ledger.entry_for(canonical.RUN, run.pk)


@register.simple_tag
def last_ledger_check():
    """The latest recorded verify_ledger verdict, or None when the ledger was never verified."""
    from audit.models import LedgerCheck

    return LedgerCheck.objects.first()
