"""Machine readers (kb.machine, sphinx-llm-friendly): a Markdown copy of every page beside its
HTML, announced in its head, and llms.txt at the site's root listing them with their summaries."""

from __future__ import annotations

import re

from .helpers import site_path
from .test_site import TOPICS


def test_every_page_has_a_markdown_copy_beside_it_announced_in_its_head(site):
    pages = [p for p in site.content_pages() if str(p) != "404.html"]
    assert len(pages) > 50
    for page in pages:
        copy = (site.root / page).with_suffix(".md")
        assert copy.is_file(), f"{page} has no Markdown copy"
        link = site.soup(page).select_one('head link[rel="alternate"][type="text/markdown"]')
        assert link is not None and link["href"] == copy.name, page
    text = (site.root / "topics" / f"{TOPICS[0]}.md").read_text(encoding="utf-8")
    title = site.soup(f"topics/{TOPICS[0]}.html").h1.get_text().rstrip("#¶ ").strip()
    assert text.startswith(f"# {title}\n")
    assert not re.search(r"<(script|div|span|details|nav)\b", text), "HTML in the Markdown copy"
    assert "Reviewed " in text and re.search(r"Reviewed \d{1,2} \w+ \d{4}", text), "a date lost its words"
    assert "](https://" in text  # sources stay links


def test_llms_txt_lists_every_page_with_its_summary(site):
    text = (site.root / "llms.txt").read_text(encoding="utf-8")
    assert text.startswith("# ")
    listed = re.findall(r"^- \[.+?\]\(([^)\s]+)\)(: .+)?$", text, re.M)
    urls = {url for url, _ in listed}
    for page in [p for p in site.content_pages() if str(p) != "404.html"]:
        assert f"{site_path()}{page.with_suffix('.md')}" in urls, f"{page} is not in llms.txt"
    for stem in TOPICS:
        line = next(summary for url, summary in listed if url.endswith(f"topics/{stem}.md"))
        assert len(line) > 20, f"topics/{stem} is listed without its summary"
    # nothing in it or in the pages loads from elsewhere: the copy button the extension adds is gone
    assert "copy-as-markdown" not in (site.root / "index.html").read_text(encoding="utf-8")
