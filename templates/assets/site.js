// Progressive enhancement only: every page reads fully without this script.
// - Response panels become tabs (keyboard: arrows, Home, End).
// - The sidebar starts collapsed on small screens.
(function () {
  "use strict";

  function makeTabs(container, index) {
    var panels = Array.prototype.slice.call(container.querySelectorAll(".tab-panel"));
    if (panels.length < 2) return;
    var list = document.createElement("div");
    list.className = "tablist";
    list.setAttribute("role", "tablist");
    var buttons = panels.map(function (panel, i) {
      var title = panel.querySelector(".tab-title");
      var button = document.createElement("button");
      button.type = "button";
      button.id = "tab-" + index + "-" + i;
      button.setAttribute("role", "tab");
      button.setAttribute("aria-controls", panel.id);
      button.textContent = title ? title.textContent.trim() : panel.id;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", button.id);
      panel.setAttribute("tabindex", "0");
      button.addEventListener("click", function () { select(i, false); });
      list.appendChild(button);
      return button;
    });
    function select(i, focus) {
      buttons.forEach(function (button, j) {
        var on = i === j;
        button.setAttribute("aria-selected", on ? "true" : "false");
        button.tabIndex = on ? 0 : -1;
        panels[j].hidden = !on;
      });
      if (focus) buttons[i].focus();
    }
    list.addEventListener("keydown", function (event) {
      var current = buttons.indexOf(document.activeElement);
      if (current < 0) return;
      var next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: buttons.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      select((next + buttons.length) % buttons.length, true);
    });
    container.insertBefore(list, container.firstChild);
    container.classList.add("tabs-ready");
    select(0, false);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-tabs]"), makeTabs);
    var toggle = document.querySelector(".sidebar-toggle");
    if (toggle && window.matchMedia("(max-width: 48rem)").matches) toggle.open = false;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
