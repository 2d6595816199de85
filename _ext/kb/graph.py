"""The topic map: the topics as a graph, drawn at build time as static SVG (no JavaScript).

The ``kb-topic-map`` directive (used on ``topic-map.md``) is filled on ``doctree-resolved`` with

- an inline SVG: one node per topic on a circle (deterministic: grouped by the topic's first tag
  in ``kb_tags`` order, then navigation order), coloured by that tag, labelled with the title and
  linking to the topic; one curved edge per pair of topics linked in prose (thicker when they
  link both ways); a legend of the tag colours. Colours of text and lines come from Furo's CSS
  variables, so the map follows the light and dark themes. A circle stays readable for 12-30
  topics; labels wrap onto two lines.
- the same graph as text, its accessible alternative: each topic (linked) with its tags and the
  topics it links to. The SVG is a labelled group whose only interactive parts are the topic
  links, each named by the topic title.

Edges are the prose links :mod:`kb.backlinks` stores (not ``related:``). The page is rewritten
when titles, tags or links between topics change. Stores nothing.
"""

from __future__ import annotations

import html
import math
import textwrap

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from . import store

# Colours kb-c0 ... kb-c11 are defined in static/kb/kb.css (Tableau 10 plus two, readable in
# light and dark themes).
PALETTE_SIZE = 12
SIZE = 1000
CENTRE = SIZE / 2
RADIUS = 260
NODE_R = 11
TOP = CENTRE - RADIUS - 95  # the drawing is cropped to the circle and its labels


class TopicMap(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        return [store.placeholder(kind="topic-map")]


def graph(app: Sphinx) -> dict:
    """Topics (ordered for the circle), their titles and first tags, and directed edges."""
    env = app.env
    meta = store.get(env).topics
    tag_order = {tag: i for i, tag in enumerate(app.config.kb_tags)}
    topic_list = store.topics(app)
    position = {d: i for i, d in enumerate(topic_list)}

    def first_tag(docname: str) -> str:
        return meta[docname].tags[0] if meta[docname].tags else ""

    circle = sorted(topic_list, key=lambda d: (tag_order.get(first_tag(d), len(tag_order)), position[d]))
    edges = set()
    for target, sources in store.links_between(app).items():
        for source in sources:
            if source in meta and target in meta:
                edges.add((source, target))
    return {
        "topics": circle,
        "titles": {d: store.title(env, d) for d in circle},
        "tags": {d: list(meta[d].tags) for d in circle},
        "edges": sorted(edges),
    }


def tag_colours(app: Sphinx) -> dict[str, str]:
    """tag -> colour class (kb-c0 ... kb-c11 in kb.css: no inline styles, for a strict CSP)."""
    return {tag: f"kb-c{i % PALETTE_SIZE}" for i, tag in enumerate(app.config.kb_tags)}


def _first_line_shift(sin: float, count: int) -> float:
    """Vertical shift (em) of a label's first line: centred beside the node on the sides, above the
    node at the top of the circle, below it at the bottom."""
    if abs(sin) < 0.7:
        return -(count - 1) * 0.6
    return 0.9 if sin > 0 else -(count - 1) * 1.2


def svg(app: Sphinx, docname: str, g: dict) -> str:
    colours = tag_colours(app)
    n = len(g["topics"])
    points = {}
    for i, d in enumerate(g["topics"]):
        angle = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
        points[d] = (CENTRE + RADIUS * math.cos(angle), CENTRE + RADIUS * math.sin(angle), angle)
    edges = set(g["edges"])
    out = [
        f'<svg class="kb-topic-map" viewBox="0 {TOP} {SIZE} {SIZE - 2 * TOP}" role="group" '
        f'aria-labelledby="kb-map-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="kb-map-title">Map of the topics and the links between them</title>',
        '<g class="kb-map-edges" aria-hidden="true">',
    ]
    drawn = set()
    for a, b in sorted(edges):
        pair = tuple(sorted((a, b)))
        if pair in drawn:
            continue
        drawn.add(pair)
        both = (b, a) in edges
        (x1, y1, _), (x2, y2, _) = points[a], points[b]
        cx, cy = (x1 + x2) / 4 + CENTRE / 2, (y1 + y2) / 4 + CENTRE / 2  # halfway to the centre
        cls = "kb-edge kb-edge-both" if both else "kb-edge"
        out.append(f'<path class="{cls}" d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"/>')
    out.append("</g>")
    out.append('<g class="kb-map-nodes">')
    for d in g["topics"]:
        x, y, angle = points[d]
        tag = g["tags"][d][0] if g["tags"][d] else ""
        colour = colours.get(tag, "kb-c-none")
        lx, ly = x + (NODE_R + 8) * math.cos(angle), y + (NODE_R + 8) * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        lines = textwrap.wrap(g["titles"][d], 21) or [d]
        if len(lines) > 3:
            lines = lines[:2] + [textwrap.shorten(" ".join(lines[2:]), 20, placeholder="…")]
        dy0 = _first_line_shift(math.sin(angle), len(lines))
        href = html.escape(app.builder.get_relative_uri(docname, d))
        tspans = "".join(
            f'<tspan x="{lx:.1f}" dy="{(dy0 if i == 0 else 1.2):.2f}em">{html.escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        out.append(
            f'<a href="{href}" class="kb-map-node" aria-label="{html.escape(g["titles"][d])}">'
            f'<circle class="{colour}" cx="{x:.1f}" cy="{y:.1f}" r="{NODE_R}"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" dominant-baseline="middle">{tspans}</text>'
            "</a>"
        )
    out.append("</g></svg>")
    return "\n".join(out)


def legend(app: Sphinx, g: dict) -> nodes.Element:
    colours = tag_colours(app)
    used = []
    for d in g["topics"]:
        if g["tags"][d] and g["tags"][d][0] not in used:
            used.append(g["tags"][d][0])
    items = "".join(
        f'<li><span class="kb-swatch {colours[t]}" aria-hidden="true"></span>'
        f"{html.escape(t)}</li>"
        for t in used
    )
    text = (
        '<p class="kb-map-legend-title">Colour: the topic’s first tag. Thick lines: the topics link '
        "to each other; thin lines: one links to the other.</p>"
        f'<ul class="kb-map-legend">{items}</ul>'
    )
    return nodes.raw("", text, format="html")


def text_alternative(app: Sphinx, docname: str, g: dict) -> nodes.Element:
    section = nodes.container(classes=["kb-map-text"])
    intro = nodes.paragraph(text="The same map as a list: each topic, its tags and the topics it links to.")
    section += intro
    items = nodes.bullet_list()
    outgoing: dict[str, list[str]] = {}
    for a, b in g["edges"]:
        outgoing.setdefault(a, []).append(b)
    order = {d: i for i, d in enumerate(store.topics(app))}
    for d in sorted(g["topics"], key=lambda d: order[d]):
        para = nodes.paragraph()
        para += store.make_link(app, docname, d, g["titles"][d])
        if g["tags"][d]:
            para += nodes.Text(" (" + ", ".join(g["tags"][d]) + ")")
        targets = sorted(outgoing.get(d, []), key=lambda t: order[t])
        if targets:
            para += nodes.Text(" links to: ")
            for i, t in enumerate(targets):
                if i:
                    para += nodes.Text(", ")
                para += store.make_link(app, docname, t, g["titles"][t])
            para += nodes.Text(".")
        else:
            para += nodes.Text(" links to no other topic.")
        items += nodes.list_item("", para)
    section += items
    return section


def render(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in store.find_placeholders(doctree, "topic-map"):
        g = graph(app)
        figure = nodes.container(classes=["kb-topic-map-figure"])
        figure += nodes.raw("", svg(app, docname, g), format="html")
        figure += legend(app, g)
        node.replace_self([figure, text_alternative(app, docname, g)])


def view(app: Sphinx, docname: str):
    if "topic-map" not in store.get(app.env).features.get(docname, ()):
        return None
    return graph(app)


def setup(app: Sphinx) -> None:
    app.add_directive("kb-topic-map", TopicMap)
    app.connect("doctree-resolved", render, priority=450)
    store.register_view(view)
