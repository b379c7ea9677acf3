"""The run page and the printable report show the run's seal, in English and in French."""

from __future__ import annotations

import pytest

from audit import canonical
from audit.models import LedgerEntry


@pytest.mark.parametrize(("language", "label", "position"), [
    ("en", "Ledger seal", "entry {} of the sealed ledger"), ("fr", "Sceau du registre", "entrée {} du registre scellé"),
])
@pytest.mark.parametrize("page", ["", "report"])
def test_the_run_s_seal_is_shown(page_client, make_run, language, label, position, page):
    run = make_run()
    entry = LedgerEntry.objects.get(kind=canonical.RUN, object_id=run.pk)
    html = page_client.get(f"/runs/{run.pk}/{page}", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert label in html
    assert entry.seal in html
    assert position.format(entry.position) in html
