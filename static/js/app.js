/* Covenant's few behaviours, all progressive: every page works without them.
 * - Main menu: disclosure buttons (click, Enter or Space opens; Escape closes;
 *   a click elsewhere closes), never hover-only.
 * - "/" focuses the global search box (unless typing in a field).
 * - Tables with bulk actions: "select all on this page".
 * - Tabs (role=tablist): arrow keys, Home and End move between tabs (WAI-ARIA).
 */
(function () {
  "use strict";

  function closeMenus(except) {
    document.querySelectorAll(".menu-title[aria-expanded='true']").forEach(function (button) {
      if (button === except) return;
      button.setAttribute("aria-expanded", "false");
      var list = document.getElementById(button.getAttribute("aria-controls"));
      if (list) list.hidden = true;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".menu-title");
    if (button) {
      var open = button.getAttribute("aria-expanded") === "true";
      closeMenus(button);
      button.setAttribute("aria-expanded", open ? "false" : "true");
      var list = document.getElementById(button.getAttribute("aria-controls"));
      if (list) list.hidden = open;
      return;
    }
    if (!event.target.closest(".menu-links")) closeMenus(null);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var inMenu = document.activeElement && document.activeElement.closest(".menu-section");
      closeMenus(null);
      if (inMenu) inMenu.querySelector(".menu-title").focus();
      return;
    }
    var target = event.target;
    var typing = target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var box = document.getElementById("global-q");
      if (box) {
        event.preventDefault();
        box.focus();
        box.select();
      }
    }
  });

  document.addEventListener("focusin", function (event) {
    if (!event.target.closest(".menu")) closeMenus(null);
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-select-all]")) {
      var table = event.target.closest("table");
      table.querySelectorAll("tbody input[name='pk']").forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
  });

  /* Tabs: one tab stop; arrows move between tabs (and activate them). */
  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest("[role='tab']");
    if (!tab) return;
    var tabs = Array.prototype.slice.call(tab.closest("[role='tablist']").querySelectorAll("[role='tab']"));
    var index = tabs.indexOf(tab);
    var next = null;
    if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
    else if (event.key === "ArrowLeft") next = tabs[(index - 1 + tabs.length) % tabs.length];
    else if (event.key === "Home") next = tabs[0];
    else if (event.key === "End") next = tabs[tabs.length - 1];
    if (next) {
      event.preventDefault();
      next.focus();
      next.click();
    }
  });

  document.addEventListener("click", function (event) {
    var tab = event.target.closest("[role='tab']");
    if (!tab) return;
    tab.closest("[role='tablist']").querySelectorAll("[role='tab']").forEach(function (other) {
      var selected = other === tab;
      other.setAttribute("aria-selected", selected ? "true" : "false");
      other.tabIndex = selected ? 0 : -1;
    });
    var panel = document.getElementById(tab.getAttribute("aria-controls"));
    if (panel) panel.setAttribute("aria-labelledby", tab.id);
  });

  /* After htmx swaps a tab panel in, move nothing: focus stays on the tab (ARIA pattern). */
})();
