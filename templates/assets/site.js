// Progressive enhancement only: every page reads fully without this script. It adds the
// response and sample tabs (samples remember the reader's language), copy buttons, the
// theme toggle, the table of contents that follows the scroll, and a small sidebar tweak.
(function () {
  "use strict";
  var store = {
    get: function (key) { try { return localStorage.getItem(key); } catch (e) { return null; } },
    set: function (key, value) { try { localStorage.setItem(key, value); } catch (e) {} }
  };

  // The chosen theme applies before anything is drawn where it can.
  var theme = store.get("theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;

  function tabs(container, index, panelSelector, titleSelector, remember, keep) {
    var panels = Array.prototype.slice.call(container.querySelectorAll(panelSelector));
    if (panels.length < 2) return;
    var list = document.createElement("div");
    list.className = "tablist";
    list.setAttribute("role", "tablist");
    var buttons = panels.map(function (panel, i) {
      var title = panel.querySelector(titleSelector), button = document.createElement("button");
      button.type = "button";
      button.id = "tab-" + index + "-" + i;
      button.setAttribute("role", "tab");
      button.setAttribute("aria-controls", panel.id);
      button.textContent = title ? title.textContent.trim() : panel.id;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", button.id);
      panel.tabIndex = 0;
      button.addEventListener("click", function () { select(i, false, true); });
      list.appendChild(button);
      return button;
    });
    function select(i, focus, chosen) {
      buttons.forEach(function (button, j) {
        button.setAttribute("aria-selected", String(i === j));
        button.tabIndex = i === j ? 0 : -1;
        panels[j].hidden = i !== j;
      });
      if (focus) buttons[i].focus();
      if (chosen && remember) {
        if (keep) store.set(remember, panels[i].dataset.sample);
        document.dispatchEvent(new CustomEvent("sample-chosen", { detail: panels[i].dataset.sample }));
      }
    }
    list.addEventListener("keydown", function (event) {
      var current = buttons.indexOf(document.activeElement);
      var next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: buttons.length - 1 }[event.key];
      if (current < 0 || next === undefined) return;
      event.preventDefault();
      select((next + buttons.length) % buttons.length, true, true);
    });
    function byName(name) { return panels.findIndex(function (p) { return p.dataset.sample === name; }); }
    if (remember) document.addEventListener("sample-chosen", function (e) { var i = byName(e.detail); if (i >= 0) select(i, false, false); });
    container.insertBefore(list, container.firstChild);
    container.classList.add(remember ? "samples-ready" : "tabs-ready");
    var saved = remember && keep ? byName(store.get(remember)) : -1;
    select(saved >= 0 ? saved : 0, false, false);
  }

  function copyButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("pre"), function (pre) {
      var wrap = document.createElement("div"), button = document.createElement("button");
      wrap.className = "code-wrap";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      button.type = "button";
      button.className = "copy";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy code");
      button.addEventListener("click", function () {
        var done = function (text) { button.textContent = text; setTimeout(function () { button.textContent = "Copy"; }, 1500); };
        navigator.clipboard.writeText(pre.textContent.replace(/\n$/, "")).then(function () { done("Copied"); }, function () { done("Press Ctrl+C"); });
      });
      wrap.appendChild(button);
    });
  }

  function themeToggle() {
    var bar = document.querySelector(".topbar");
    if (!bar) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "theme-toggle";
    function current() {
      return document.documentElement.dataset.theme || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
    }
    function label() {
      var dark = current() === "dark";
      button.textContent = dark ? "Light" : "Dark";
      button.setAttribute("aria-label", dark ? "Switch to the light theme" : "Switch to the dark theme");
    }
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      document.documentElement.dataset.theme = next;
      store.set("theme", next);
      label();
    });
    label();
    bar.appendChild(button);
  }

  function followTheScroll() {
    var links = Array.prototype.slice.call(document.querySelectorAll(".toc a"));
    if (!links.length || !("IntersectionObserver" in window)) return;
    var targets = links.map(function (a) { return document.getElementById(decodeURIComponent(a.hash.slice(1))); });
    var observer = new IntersectionObserver(function () {
      var current = 0;
      targets.forEach(function (target, i) { if (target && target.getBoundingClientRect().top < 120) current = i; });
      links.forEach(function (a, i) { if (i === current) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current"); });
    }, { rootMargin: "0px 0px -70% 0px", threshold: [0, 1] });
    targets.forEach(function (t) { if (t) observer.observe(t); });
  }

  // "Copy page": the page's Markdown copy to the clipboard.
  function copyPage() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy-markdown]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var done = function (text) { button.textContent = text; setTimeout(function () { button.textContent = "Copy as Markdown"; }, 1500); };
        fetch(button.dataset.copyMarkdown).then(function (r) { return r.ok ? r.text() : Promise.reject(); })
          .then(function (text) { return navigator.clipboard.writeText(text); })
          .then(function () { done("Copied"); }, function () { done("Could not copy"); });
      });
    });
  }

  // Try it: send the documented request to this site (the proxy, or in sandbox mode the
  // sandbox's App host) and show the answer with its time.
  function tryIt(section) {
    var form = section.querySelector("form"), result = section.querySelector(".try-it-result");
    var reveal = function () {
      section.hidden = false;
      var entry = document.querySelector('.toc [data-needs-script] a[href="#' + section.querySelector("h2").id + '"]');
      if (entry) entry.parentNode.hidden = false;
    };
    // A demo credential from the sandbox, when it runs: a connect token, or the demo App.
    var demo = section.querySelector("[data-demo-token], [data-demo-key]"), sandboxOnly = "sandboxOnly" in section.dataset;
    var source = demo.hasAttribute("data-demo-key") ? "/_dev/demo-app" : "/_dev/demo-token";
    if (!sandboxOnly) reveal();
    fetch(source, { cache: "no-store" }).then(function (r) { if (r.ok) { demo.hidden = false; if (sandboxOnly) reveal(); } }, function () {});
    demo.addEventListener("click", function () {
      fetch(source, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (data) {
        form.elements.credential.value = data.token || data.access_key || "";
        if (data.hostname && form.elements.app_hostname) form.elements.app_hostname.value = data.hostname;
      });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var path = section.dataset.path, query = [];
      Array.prototype.forEach.call(form.querySelectorAll("[data-parameter]"), function (input) {
        path = path.replace("{" + input.name + "}", encodeURIComponent(input.value.trim()));
      });
      Array.prototype.forEach.call(form.querySelectorAll("[data-query]"), function (input) {
        if (input.value.trim()) query.push(encodeURIComponent(input.name) + "=" + encodeURIComponent(input.value.trim()));
      });
      if (query.length) path += "?" + query.join("&");
      var credential = form.elements.credential.value.trim(), headers = { Accept: "application/json" };
      if (credential) headers.Authorization = "Bearer " + credential;
      var options = { method: section.dataset.method, headers: headers, cache: "no-store" };
      if (form.elements.body) { options.body = form.elements.body.value; headers["Content-Type"] = "application/json"; }
      var controller = new AbortController(), timer = setTimeout(function () { controller.abort(); }, 15000);
      options.signal = controller.signal;
      var started = performance.now();
      fetch(path, options).then(function (response) {
        return response.text().then(function (text) {
          var pretty = text, lines = [];
          try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch (e) {}
          response.headers.forEach(function (value, name) { lines.push(name + ": " + value); });
          show(response.status + " " + response.statusText + " \u00b7 " + Math.round(performance.now() - started) + " ms", lines.join("\n"), pretty);
        });
      }, function () { show("No answer", "", "The request failed or timed out."); })
        .finally(function () { clearTimeout(timer); });
    });
    function show(status, headers, body) {
      result.hidden = false;
      result.querySelector(".try-it-status").textContent = status;
      result.querySelector(".try-it-headers").textContent = headers;
      result.querySelector(".try-it-body").textContent = body;
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-try-it]"), tryIt);
    // Tabs of one group follow each other on the page (a status chosen in Response Body shows
    // its example); sample languages are also remembered across pages.
    Array.prototype.forEach.call(document.querySelectorAll("[data-tabs]"), function (c, i) { tabs(c, "r" + i, ".tab-panel", ".tab-title", c.dataset.tabGroup, false); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-samples]"), function (c, i) { tabs(c, "s" + i, ".sample", ".sample-title", "sample-language", true); });
    copyButtons();
    copyPage();
    themeToggle();
    followTheScroll();
    var toggle = document.querySelector(".sidebar-toggle");
    if (toggle && matchMedia("(max-width: 48rem)").matches) toggle.open = false;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
