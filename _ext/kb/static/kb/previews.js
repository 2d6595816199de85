/*
 * Link previews (kb extension): hovering or focusing a link to a glossary term shows its
 * definition; a link to a topic shows the topic's summary. Data: the page's own
 * <script type="application/json" id="kb-previews-data"> block (kb/previews.py).
 * One role="tooltip" element, referenced by the link's aria-describedby while it is shown;
 * hidden on mouseleave, blur and Escape. No dependencies.
 *
 * Touch: a tap on such a link shows its preview instead of leaving the page (the reader keeps
 * their place); the preview then carries a link to follow and a close button, and a second tap on
 * the same link follows it. A tap elsewhere, the close button or Escape hides it.
 */
"use strict";
(() => {
  const block = document.getElementById("kb-previews-data");
  if (!block) return;
  const data = JSON.parse(block.textContent);
  const root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);
  const here = window.location.pathname;
  let tip = null;
  let current = null;
  let hideTimer = 0;

  // [title, text] for a link, or null when the link has no preview.
  const previewFor = (link) => {
    const url = new URL(link.getAttribute("href"), window.location.href);
    if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return null;
    const path = decodeURIComponent(url.pathname.slice(root.pathname.length));
    if (url.hash) {
      const term = data.terms[path + decodeURIComponent(url.hash)];
      if (term) return term;
    }
    if (url.pathname === here) return null; // a link within the page itself
    return data.pages[path] || null;
  };

  const tooltip = () => {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "kb-preview";
      tip.className = "kb-preview";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      tip.addEventListener("mouseenter", () => window.clearTimeout(hideTimer));
      tip.addEventListener("mouseleave", () => lastPointer !== "touch" && scheduleHide());
      document.body.append(tip);
    }
    return tip;
  };

  const place = (link, box) => {
    const r = link.getBoundingClientRect();
    const margin = 8;
    box.style.left = "0px";
    box.style.top = "0px";
    const width = box.offsetWidth;
    const height = box.offsetHeight;
    const viewWidth = document.documentElement.clientWidth;
    const left = Math.max(margin, Math.min(r.left, viewWidth - width - margin));
    let top = r.bottom + 6;
    if (top + height > window.innerHeight - margin && r.top - 6 - height > margin) {
      top = r.top - 6 - height;
    }
    box.style.left = `${left + window.scrollX}px`;
    box.style.top = `${top + window.scrollY}px`;
  };

  const hide = () => {
    window.clearTimeout(hideTimer);
    if (tip) tip.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    touched = null;
  };
  const scheduleHide = () => {
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(hide, 200);
  };

  let touched = null; // the link whose preview a tap opened
  let lastPointer = "mouse";

  const show = (link, preview, byTouch = false) => {
    window.clearTimeout(hideTimer);
    if (current && current !== link) current.removeAttribute("aria-describedby");
    const box = tooltip();
    const title = document.createElement("strong");
    title.textContent = preview[0];
    const text = document.createElement("span");
    text.textContent = preview[1];
    box.replaceChildren(title, text);
    if (byTouch) {
      // a preview opened by a tap holds a link and a button: a small non-modal dialog, not a tooltip
      const actions = document.createElement("span");
      actions.className = "kb-preview-actions";
      const go = document.createElement("a");
      go.href = link.href;
      go.textContent = `Open “${preview[0]}”`;
      const close = document.createElement("button");
      close.type = "button";
      close.textContent = "Close";
      close.addEventListener("click", () => hide());
      actions.append(go, close);
      box.append(actions);
      box.setAttribute("role", "dialog");
      box.setAttribute("aria-label", `Preview: ${preview[0]}`);
      touched = link;
    } else {
      box.setAttribute("role", "tooltip");
      box.removeAttribute("aria-label");
      touched = null;
    }
    box.hidden = false;
    place(link, box);
    link.setAttribute("aria-describedby", box.id);
    current = link;
  };

  const start = () => {
    const main = document.querySelector("article[role=main], [role=main], main") || document.body;
    for (const link of main.querySelectorAll("a.reference.internal[href]")) {
      // generated lists (See also, Referenced by, cards, topic lists, usage lists) are left alone
      if (link.closest(".headerlink, .kb-see-also, .kb-backlinks, .sd-card, .kb-topic-list, .kb-map-text, .kb-term-usage")) continue;
      const preview = previewFor(link);
      if (!preview) continue;
      link.addEventListener("mouseenter", () => lastPointer !== "touch" && show(link, preview));
      link.addEventListener("focus", () => lastPointer !== "touch" && show(link, preview));
      link.addEventListener("mouseleave", () => lastPointer !== "touch" && scheduleHide());
      link.addEventListener("blur", () => touched !== link && hide());
      link.addEventListener("click", (event) => {
        if (lastPointer !== "touch" || (touched === link && tip && !tip.hidden)) return; // follow it
        event.preventDefault();
        show(link, preview, true);
      });
    }
    // which kind of pointer acted last; a tap outside an open preview closes it
    document.addEventListener("pointerdown", (event) => {
      lastPointer = event.pointerType || "mouse";
      if (lastPointer === "touch" && tip && !tip.hidden && !tip.contains(event.target) && !event.target.closest("a")) {
        hide();
      }
    }, true);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && tip && !tip.hidden) {
        const from = touched;
        hide();
        if (from) from.focus();
      }
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
