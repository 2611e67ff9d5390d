// Search without a server: the build's index, ranked here. "/" or Ctrl+K opens it; arrows
// move, Enter opens, Escape closes. Prefixes match, and so do words one typo away.
(function () {
  "use strict";
  var index = null, dialog, input, list, results = [], active = -1;
  function words(text) { return (text || "").toLowerCase().match(/[\p{L}\p{N}]+/gu) || []; }
  // Optimal string alignment distance, capped: is `a` within one edit (or swap) of `b`?
  function near(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d[i] = [i]; }
    for (j = 0; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d[a.length][b.length] <= 1;
  }
  // How well `term` matches a word of `list`; the word it matched goes to `found`.
  function match(term, list, found) {
    var best = 0, word = null;
    for (var i = 0; i < list.length && best < 3; i++) {
      var w = list[i], s = w === term ? 3 : w.indexOf(term) === 0 ? 2 : term.length >= 4 && near(term, w) ? 1 : 0;
      if (s > best) { best = s; word = w; }
    }
    if (word && found) found[word] = 1;
    return best;
  }
  function prepare(entries) {
    return entries.map(function (e) {
      return { e: e, title: words(e.t), heads: e.h.map(function (h) { return words(h[1]); }), text: words(e.x) };
    });
  }
  function rank(query) {
    var terms = words(query), phrase = terms.join(" ");
    if (!terms.length) return [];
    return index.map(function (p) {
      var score = 0, heading = -1, found = {};
      for (var k = 0; k < terms.length; k++) {
        var best = 10 * match(terms[k], p.title, found);
        p.heads.forEach(function (h, i) {
          var s = 4 * match(terms[k], h, found);
          if (s > best) { best = s; heading = i; }
        });
        best = Math.max(best, match(terms[k], p.text, found));
        if (!best) return null;
        score += best;
      }
      var title = p.title.join(" ");
      if (title.indexOf(phrase) >= 0) score += 15;
      if (title.indexOf(phrase) === 0) score += 5;
      return { p: p, score: score, heading: heading, found: Object.keys(found) };
    }).filter(Boolean).sort(function (a, b) { return b.score - a.score || a.p.e.t.length - b.p.e.t.length; }).slice(0, 10);
  }
  // The words in `text` that the query matched, as <mark>s; the rest stays text.
  function marked(parent, text, found) {
    var re = found.length && new RegExp("(?<![\\p{L}\\p{N}])(" + found.join("|") + ")", "giu"), at = 0, m;
    while (re && (m = re.exec(text))) {
      parent.append(text.slice(at, m.index));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      parent.appendChild(mark);
      at = m.index + m[0].length;
    }
    parent.append(text.slice(at));
  }
  // About 160 characters of the page around its first match, cut at spaces.
  function snippet(text, found) {
    var lower = text.toLowerCase(), at = -1;
    found.forEach(function (w) { var i = lower.search(new RegExp("(?<![\\p{L}\\p{N}])" + w, "u")); if (i >= 0 && (at < 0 || i < at)) at = i; });
    var start = Math.max(0, at - 50), end = Math.min(text.length, Math.max(at, 0) + 110);
    if (start > 0) start = text.indexOf(" ", start) + 1;
    if (end < text.length) end = Math.max(text.lastIndexOf(" ", end), start + 1);
    return (start > 0 ? "\u2026" : "") + text.slice(start, end).trim() + (end < text.length ? "\u2026" : "");
  }
  function render() {
    list.textContent = "";
    active = results.length ? 0 : -1;
    if (!results.length && input.value.trim()) {
      var empty = document.createElement("li");
      empty.className = "search-empty";
      empty.textContent = "No results for \u201c" + input.value.trim() + "\u201d";
      list.appendChild(empty);
    }
    results.forEach(function (r, i) {
      var li = document.createElement("li"), a = document.createElement("a"), section = document.createElement("span");
      var head = r.heading >= 0 ? r.p.e.h[r.heading] : null;
      li.id = "search-result-" + i;
      li.setAttribute("role", "option");
      a.href = r.p.e.u + (head ? "#" + head[0] : "");
      a.tabIndex = -1;
      marked(a, r.p.e.t + (head ? " \u203a " + head[1] : ""), r.found);
      section.className = "search-section";
      section.textContent = r.p.e.s;
      var text = document.createElement("span");
      text.className = "search-snippet";
      marked(text, snippet(r.p.e.x, r.found), r.found);
      a.append(section, text);
      li.appendChild(a);
      list.appendChild(li);
    });
    highlight();
  }
  function highlight() {
    Array.prototype.forEach.call(list.children, function (li, i) { li.setAttribute("aria-selected", String(i === active)); });
    if (active >= 0) input.setAttribute("aria-activedescendant", "search-result-" + active); else input.removeAttribute("aria-activedescendant");
    if (active >= 0 && list.children[active].scrollIntoView) list.children[active].scrollIntoView({ block: "nearest" });
  }
  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "search-dialog";
    dialog.setAttribute("aria-label", "Search the docs");
    input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Search the docs";
    input.setAttribute("aria-label", "Search the docs");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "true");
    input.setAttribute("aria-controls", "search-results");
    input.autocomplete = "off";
    list = document.createElement("ul");
    list.id = "search-results";
    list.className = "search-results";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Results");
    dialog.append(input, list);
    document.body.appendChild(dialog);
    input.addEventListener("input", function () { results = index ? rank(input.value) : []; render(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (results.length) { active = (active + (event.key === "ArrowDown" ? 1 : results.length - 1)) % results.length; highlight(); }
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        location.href = list.children[active].querySelector("a").href;
      }
    });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
  }
  function open() {
    if (!dialog) build();
    if (!dialog.open) dialog.showModal();
    input.select();
    if (!index) {
      fetch(document.body.dataset.searchIndex).then(function (r) { return r.json(); }).then(function (entries) {
        index = prepare(entries);
        results = rank(input.value);
        render();
      });
    }
  }
  function init() {
    var bar = document.querySelector(".topbar");
    if (!bar || !document.body.dataset.searchIndex) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "search-open";
    button.textContent = "Search";
    var key = document.createElement("kbd");
    key.textContent = "/";
    button.appendChild(key);
    button.addEventListener("click", open);
    bar.insertBefore(button, bar.children[1] || null);
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName) || document.activeElement.isContentEditable;
      if ((event.key === "/" && !typing) || (event.key.toLowerCase() === "k" && (event.ctrlKey || event.metaKey))) {
        event.preventDefault();
        open();
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
