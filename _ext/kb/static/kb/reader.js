/* Keyboard access to Furo's drawers (kb.accessibility).
 *
 * On small screens Furo opens its navigation and table-of-contents drawers when an icon is
 * clicked: the icons are labels of hidden checkboxes, which a keyboard cannot reach and a screen
 * reader cannot name. Each icon becomes a real button with a name and aria-expanded; Escape
 * closes an open drawer and returns the focus to its button. Without JavaScript the icons stay
 * Furo's labels and work with a mouse or touch as before.
 */
"use strict";

(() => {
  const NAMES = { __navigation: "Site navigation", __toc: "On this page" };
  const toggles = [];
  const sync = () => {
    for (const { button, box } of toggles) button.setAttribute("aria-expanded", String(box.checked));
  };
  for (const label of document.querySelectorAll("label.nav-overlay-icon, label.toc-overlay-icon")) {
    const box = document.getElementById(label.htmlFor);
    if (!box) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = `${label.className} kb-drawer-button`;
    button.setAttribute("aria-label", NAMES[box.id] || box.getAttribute("aria-label") || "Menu");
    button.append(...label.childNodes);
    button.addEventListener("click", () => {
      box.checked = !box.checked;
      sync();
    });
    label.replaceWith(button);
    toggles.push({ button, box });
  }
  // Furo's overlays (labels too) close a drawer when the page behind it is clicked.
  document.addEventListener("change", sync);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const { button, box } of toggles) {
      if (!box.checked) continue;
      box.checked = false;
      if (button.offsetParent !== null) button.focus();
    }
    sync();
  });
  sync();
})();
