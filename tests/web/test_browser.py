"""The pages in a real browser: Debian's Chromium driven by Playwright, against
a real server over a real ledger."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from conftest import TOKEN

PAGES = ["/", "/claims", "/timeline", "/conflicts", "/paste", "/review", "/articles/wk-01",
         "/claims/wk-01-1"]


@pytest.mark.parametrize("path", PAGES)
def test_each_page_loads_without_script_errors(page: Any, server: str, path: str) -> None:
    response = page.goto(server + path)
    assert response.status == 200
    assert page.locator("main h1").count() == 1
    if path in ("/", "/timeline"):
        chart = page.locator(".chart[data-rendered='true'] svg, .chart[data-rendered='true'] "
                             "canvas").first
        chart.wait_for(timeout=15_000)


def test_the_claims_table_filters_and_links_to_evidence(page: Any, server: str) -> None:
    page.goto(server + "/claims")
    everything = page.locator("table.claims tbody tr").count()
    page.select_option("select[name=outcome]", "injured")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"outcome=injured"))
    rows = page.locator("table.claims tbody tr")
    assert 0 < rows.count() < everything
    assert set(rows.evaluate_all("rs => rs.map(r => r.className)")) == {"outcome-injured"}
    page.fill("input[name=search]", "kharkiv")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"search=kharkiv"))
    found = page.locator("td.evidence").all_inner_texts()
    assert found and all("kharkiv" in t.lower() for t in found)
    page.locator("table.claims tbody tr td.num a").first.click()
    page.wait_for_url(re.compile(r"/claims/"))
    assert page.locator("blockquote.evidence").first.inner_text()


def test_an_article_shows_its_claims_highlighted(page: Any, server: str) -> None:
    page.goto(server + "/articles/wk-01")
    marks = page.locator("#article-text mark")
    assert marks.count() >= 2
    assert "1,800" in page.locator("#article-text").inner_text()
    killed = page.locator("#article-text mark.o-killed").first
    assert killed.evaluate("m => getComputedStyle(m).borderBottomColor") == "rgb(192, 57, 43)"
    assert page.locator(".claim-card:visible").count() == 0
    killed.click()
    card = page.locator(".claim-card:visible")
    assert card.count() >= 1
    assert "killed" in card.first.inner_text()


def test_pasted_text_is_highlighted_at_once(page: Any, server: str) -> None:
    page.goto(server + "/paste")
    # Characters outside the BMP are two UTF-16 units in the browser but one
    # code point in the server's offsets.
    page.fill("#paste-input", "\U0001F4E3\U0001F4E3 Shelling killed 7 civilians and injured 23 "
                              "in Kherson on Monday, the regional governor said.")
    page.locator("#paste-text mark").first.wait_for(timeout=30_000)
    marked = page.locator("#paste-text mark.o-killed").inner_text()
    assert "Shelling killed 7" in marked and marked.rstrip().endswith("said.")
    assert page.locator("#paste-text").inner_text().startswith("\U0001F4E3\U0001F4E3 Shelling")
    items = page.locator("#paste-claims li").all_inner_texts()
    assert any(i.startswith("7 killed") for i in items)
    assert any(i.startswith("23 injured") for i in items)


def test_a_stored_script_never_runs(page: Any, server: str) -> None:
    page.goto(server + "/articles/hostile-1")
    assert page.locator("a[href^='javascript:']").count() == 0
    assert "javascript:window.__xss='url'" in page.locator("main").inner_text()
    text = page.locator("#article-text").inner_text()
    assert "<script>window.__xss = 'text'; alert('xss')</script>" in text
    assert "<script>window.__xss='title'</script>" in page.locator("h1").inner_text()
    for path in ("/articles/hostile-1", "/claims?search=market", "/", "/review"):
        page.goto(server + path)
        page.locator("mark, tr, li").first.hover()
        assert page.evaluate("window.__xss") is None, path
        assert page.locator("a[href^='javascript:']").count() == 0, path


def test_a_review_in_the_queue_shows_everywhere(page: Any, server: str) -> None:
    page.goto(server + "/review")
    page.fill("#queue-token", TOKEN)
    first = page.locator(".queue-item").first
    cid = first.get_attribute("data-claim")
    first.locator("blockquote").click()
    page.keyboard.press("e")
    form = first.locator("form.edit")
    form.wait_for(state="visible")
    form.locator("input[name=low]").fill("4321")
    form.locator("input[name=high]").fill("4321")
    form.locator("select[name=qualifier]").select_option("exact")
    form.locator("input[name=note]").fill("figure read again")
    form.locator("input[name=note]").press("Enter")
    page.wait_for_selector(f".queue-item[data-claim='{cid}'][data-verdict='corrected']")
    second = page.locator(".queue-item:not(.done)").first
    other = second.get_attribute("data-claim")
    page.keyboard.press("r")
    page.wait_for_selector(f".queue-item[data-claim='{other}'][data-verdict='rejected']")

    detail = httpx.get(f"{server}/api/claims/{cid}").json()
    assert detail["claim"]["figure"]["low"] == 4321 and detail["claim"]["review"] == "corrected"
    page.goto(f"{server}/claims/{cid}")
    assert "4,321" in page.locator("h1").inner_text()
    assert "corrected" in page.locator("ol.reviews").inner_text()
    article = detail["claim"]["article_id"]
    page.goto(f"{server}/articles/{article}#claim-{cid}")
    assert "4,321" in page.locator(".claim-card:visible").inner_text()
    assert page.locator("#article-text mark.selected").count() == 1
    page.goto(f"{server}/claims?search=")
    assert page.locator(f"tr[data-claim='{other}']").count() == 0
    page.goto(f"{server}/review")
    assert page.locator(f".queue-item[data-claim='{cid}']").count() == 0


def test_a_review_without_the_token_is_refused_in_the_page(page: Any, server: str) -> None:
    page.goto(server + "/claims/wk-01-1")
    page.click("button[data-verdict=confirmed]")
    status = page.locator(".review-form .status")
    status.wait_for()
    page.wait_for_function("document.querySelector('.review-form .status').textContent"
                           ".includes('Authorization')")
    assert httpx.get(f"{server}/api/claims/wk-01-1").json()["claim"]["review"] is None
