"""Generate synthetic topic pages into a copy of the knowledge base, for benchmarks and scale tests.

The pages look like real topics to every part of the build: valid front matter (summary, tags,
related), glossary-term links, links to sibling pages and to real topics, three sections each, in a
hierarchy of parts under ``topics/synthetic/`` with one toctree per part. Their filler prose uses
no glossary term, so the knowledge-base lint has nothing to report.

    python tools/synthetic.py PROJECT_COPY 400     # adds 400 pages (+ part and index pages)
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

PER_PART = 40
SEED = 20261125
TAGS = ["foundations", "history", "democratization", "licensing", "security", "ethics"]
FILLER = (
    "The committee met again to weigh the proposal, read the comments that arrived during the "
    "spring, and asked the authors to explain how their plan would work for small teams with "
    "modest budgets. Several members wanted clearer examples, a timetable and a short list of "
    "open questions, so that readers could follow the reasoning from start to finish."
).split()


def glossary_terms(project: Path) -> list[str]:
    """Term names of the project's glossary (unindented lines inside the glossary directive)."""
    text = (project / "glossary.md").read_text(encoding="utf-8")
    block = text.split("{glossary}", 1)[1].split("```", 1)[0]
    return [line.strip() for line in block.splitlines() if re.match(r"^[^\s:]", line)]


def real_topics(project: Path) -> list[str]:
    return sorted(p.stem for p in (project / "topics").glob("*.md"))


def _prose(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(FILLER) for _ in range(words)).capitalize() + "."


def _page(rng, number, part, title, siblings, terms, topics) -> str:
    prev_page, next_page = siblings
    related = [f"synthetic/part-{part:02d}/page-{s:04d}" for s in (prev_page, next_page) if s is not None]
    links = [f"[page {s}](page-{s:04d}.md)" for s in (prev_page, next_page) if s is not None]
    topic = rng.choice(topics)
    sections = []
    for heading in ("Background", "Discussion", "Outlook"):
        chosen = rng.sample(terms, 4)
        term_links = ", ".join(f"{{term}}`{t}`" for t in chosen)
        sections.append(
            f"## {heading}\n\n{_prose(rng, 60)} See {term_links}.\n\n{_prose(rng, 50)}\n"
        )
    return (
        "---\n"
        f"summary: Synthetic page {number} of part {part}, generated for measurements.\n"
        "reviewed: 2026-11-01\n"
        f"tags: [{TAGS[number % len(TAGS)]}]\n"
        f"related: [{', '.join(related)}]\n"
        "---\n\n"
        f"# {title}\n\n"
        f"{_prose(rng, 40)} Its reference code is kbsyn{number:04d}. Continue with {' or '.join(links)}, read the "
        f"[part overview](index.md) or the real topic [{topic}](../../{topic}.md).\n\n"
        + "\n".join(sections)
    )


def generate(project: Path, count: int, seed: int = SEED) -> list[str]:
    """Write ``count`` synthetic pages into ``project``; return their docnames."""
    rng = random.Random(seed)
    terms, topics = glossary_terms(project), real_topics(project)
    root = project / "topics" / "synthetic"
    parts = [list(range(start, min(start + PER_PART, count))) for start in range(0, count, PER_PART)]
    docnames = []
    for part_number, numbers in enumerate(parts, start=1):
        folder = root / f"part-{part_number:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        entries = []
        for i, number in enumerate(numbers):
            prev_page = numbers[i - 1] if i > 0 else None
            next_page = numbers[i + 1] if i + 1 < len(numbers) else None
            text = _page(rng, number, part_number, f"Synthetic topic {number}", (prev_page, next_page), terms, topics)
            (folder / f"page-{number:04d}.md").write_text(text, encoding="utf-8")
            entries.append(f"page-{number:04d}")
            docnames.append(f"topics/synthetic/part-{part_number:02d}/page-{number:04d}")
        first = f"[the first page](page-{numbers[0]:04d}.md)"
        (folder / "index.md").write_text(
            "---\n"
            f"summary: Part {part_number} of the synthetic pages.\n"
            "reviewed: 2026-11-01\n"
            "tags: [history]\n"
            "related: []\n"
            "---\n\n"
            f"# Synthetic part {part_number}\n\n{_prose(rng, 30)} Start with {first}, or go back to "
            "[all synthetic pages](../index.md).\n\n"
            "```{toctree}\n:maxdepth: 1\n\n" + "\n".join(entries) + "\n```\n",
            encoding="utf-8",
        )
    parts_list = "\n".join(f"part-{n:02d}/index" for n in range(1, len(parts) + 1))
    overview_links = " ".join(f"[part {n}](part-{n:02d}/index.md)" for n in range(1, len(parts) + 1))
    (root / "index.md").write_text(
        "---\nsummary: Synthetic pages generated for measurements and scale tests.\n"
        "reviewed: 2026-11-01\ntags: [history]\nrelated: []\n---\n\n"
        f"# Synthetic pages\n\n{_prose(rng, 30)} Parts: {overview_links}\n\n"
        "```{toctree}\n:maxdepth: 1\n\n" + parts_list + "\n```\n",
        encoding="utf-8",
    )
    index = project / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8")
        + "\n```{toctree}\n:caption: Synthetic pages\n:hidden:\n\ntopics/synthetic/index\n```\n",
        encoding="utf-8",
    )
    # New pages belong in the published-pages manifest (kb.redirects checks it).
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from kbpages import add as add_to_manifest

    add_to_manifest(project / "pages.txt", {*docnames, "topics/synthetic/index"} | {d.rsplit("/", 1)[0] + "/index" for d in docnames})
    return docnames


if __name__ == "__main__":
    generated = generate(Path(sys.argv[1]), int(sys.argv[2]))
    print(f"{len(generated)} synthetic pages written")


# -- Synthetic catalogue entries (tools/bench_catalogue.py) -------------------------------------------

# makers and licences (with a version) that the real catalogue has records and files for
MAKERS = ["ai2", "google", "meta", "mistral", "openai"]
LICENCES = [("apache-2.0", "2.0"), ("mit", "standard"), ("llama-3.1-community", "2024-07-23"), ("cc-by-nc-4.0", "4.0")]
STATUS_CYCLE = ["open", "restricted", "described", "not-released"]


def generate_models(project: Path, count: int, seed: int = SEED) -> list[str]:
    """Write ``count`` valid catalogue entries into ``project``/models; return their ids."""
    rng = random.Random(seed)
    folder = project / "models"
    folder.mkdir(exist_ok=True)
    components = ["weights", "inference_code", "training_code", "training_data", "data_documentation",
                  "paper", "model_card", "checkpoints", "evaluation_code"]
    ids = []
    for number in range(count):
        ident = f"synthetic-{number:04d}"
        licence, version = LICENCES[number % len(LICENCES)]
        lines = [
            f"id: {ident}",
            f"name: Synthetic model {number}",
            f"maker: {MAKERS[number % len(MAKERS)]}",
            f"released: {2019 + number % 8}-{1 + number % 12:02d}",
            f"modality: [{['text', 'image', 'code', 'audio'][number % 4]}]",
            f"parameters: [{1 + number % 70}B]",
            "licence:",
            f"  id: {licence}",
            f"  version: \"{version}\"",
            f"  evidence: https://huggingface.co/synthetic/{ident}#licence",
            "components:",
        ]
        for component in components:
            lines += [f"  {component}:", f"    status: {rng.choice(STATUS_CYCLE)}",
                      f"    evidence: https://huggingface.co/synthetic/{ident}#{component}"]
        lines += [f"verdict: Synthetic entry {number}, generated for measurements; {_prose(rng, 8)}",
                  "reviewed: 2026-11-01"]
        (folder / f"{ident}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        ids.append(ident)
    return ids
