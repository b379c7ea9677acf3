"""At 1366x768 (the most common laptop screen), in English and in French: the header holds on one line
and no select box cuts the text of any of its options."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}

# Each part of the header (brand, every navigation link, the tools): their boxes all overlap one
# horizontal band when the header is on one line; the band's height tells a wrapped header.
HEADER_ROWS = """() => {
  const parts = [...document.querySelectorAll('.site-header .brand, .site-nav li, .site-tools > *')]
    .map(e => e.getBoundingClientRect()).filter(r => r.height > 0);
  return {lowestTop: Math.max(...parts.map(r => r.top)), highestBottom: Math.min(...parts.map(r => r.bottom)),
          header: document.querySelector('.site-header').getBoundingClientRect().height};
}"""

# For each visible select: the widest option's text (in the select's own font) against the width the
# select gives its text (its inner width less its padding, where the arrow is drawn).
CUT_SELECTS = """() => {
  const canvas = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('select')].filter(s => s.offsetParent !== null).flatMap(select => {
    const style = getComputedStyle(select);
    canvas.font = style.font;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return [...select.options].map(o => ({select: select.name, text: o.text, width: canvas.measureText(o.text).width, room}))
      .filter(o => o.width > o.room + 0.5);
  });
}"""


@pytest.fixture
def staff_analyst(site, django_user_model):
    """The analyst with the Admin link too: the widest header a user sees."""
    django_user_model.objects.filter(username="analyst").update(is_staff=True)
    return site


@pytest.mark.parametrize("locale", ["en-US", "fr-FR"])
@pytest.mark.parametrize("path", ["/runs/", "/runs/new", "/methodology/"])
def test_the_header_holds_on_one_line_at_1366_px(staff_analyst, new_page, log_in, locale, path):
    page = new_page(viewport=LAPTOP, locale=locale)
    log_in(page, path)
    rows = page.evaluate(HEADER_ROWS)
    assert rows["lowestTop"] < rows["highestBottom"], rows
    assert rows["header"] < 90, rows


@pytest.mark.parametrize("locale", ["en-US", "fr-FR"])
@pytest.mark.parametrize("path", ["/runs/", "/runs/new", "/runs/compare"])
def test_no_select_box_cuts_its_text_at_1366_px(staff_analyst, new_page, log_in, locale, path):
    page = new_page(viewport=LAPTOP, locale=locale)
    log_in(page, path)
    assert page.evaluate(CUT_SELECTS) == []
