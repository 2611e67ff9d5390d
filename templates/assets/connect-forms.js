// The hosted connect page's credential forms, fetched after the first paint together with
// the catalog they are built from. The page hands over what they use: its words, its calls,
// its cards. Every text is set with textContent; what is typed stays in the form until saved.
window.connectForms = function (page) {
  "use strict";
  var t = page.t, $ = page.$, note = page.note, request = page.request, data = page.data;
  function buildForm(entry, r, type, opener) {
    opener.hidden = true;
    var form = document.createElement("form"), words = page.labels()[type.type] || { fields: {} };
    form.noValidate = true;
    form.className = "credentials";
    var inputs = (type.fields || []).map(function (field) { return fieldControl(form, r, field, words.fields[field.name] || {}); });
    var where = document.createElement("p"), row = document.createElement("div"), save = document.createElement("button"), cancel = document.createElement("button");
    where.className = "where";
    where.textContent = t("where_secrets_go", { app: page.appName(), operator: data.operator.name }) + " ";
    if (data.operator.privacy) {
      var link = document.createElement("a");
      link.href = data.operator.privacy;
      link.rel = "noopener";
      link.target = "_blank";
      link.textContent = t("privacy");
      where.appendChild(link);
    }
    row.className = "form-actions";
    save.type = "submit";
    save.className = "button";
    save.textContent = t("save");
    cancel.type = "button";
    cancel.className = "button secondary";
    cancel.textContent = t("cancel");
    row.append(save, cancel);
    form.append(where, row);
    entry.li.querySelector(".requirement-actions").appendChild(form);
    entry.form = { el: form, inputs: inputs };
    opener.setAttribute("aria-expanded", "true");
    function close(focus) {
      form.remove();
      entry.form = null;
      opener.hidden = false;
      opener.setAttribute("aria-expanded", "false");
      page.actions(entry);
      if (focus) (entry.button || opener).focus();
    }
    cancel.addEventListener("click", function () { note(entry, ""); close(true); });
    form.addEventListener("keydown", function (event) { if (event.key === "Escape") { event.preventDefault(); note(entry, ""); close(true); } });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (save.disabled) return;
      var bad = inputs.filter(function (i) { return !check(i); });
      if (bad.length) { note(entry, t("error_form"), true); return bad[0].control.focus(); }
      var config = {};
      inputs.forEach(function (i) { var v = value(i); if (v !== null) config[i.field.name] = v; });
      save.disabled = true;
      save.textContent = t("saving");
      request("POST", page.api + "/" + encodeURIComponent(r.id) + "/credentials", { type: type.type, config: config }, true).then(function (reply) {
        save.disabled = false;
        save.textContent = t("save");
        if (reply.status === 201) {
          form.reset();
          close(false);
          note(entry, t("note_saved"));
          entry.status = null;
          return page.refresh().then(function () {
            if ($("done").hidden) entry.li.querySelector(".requirement-title").focus();
          });
        }
        // Whatever went wrong, what was typed stays in the form.
        if (reply.status === 401) { page.failed(reply, true); return note(entry, t("error_kept"), true); }
        if (reply.status === 404) { note(entry, t("error_gone"), true); return page.refresh(); }
        var details = reply.status === 400 && reply.json && reply.json.error && reply.json.error.details || {}, placed = false;
        inputs.forEach(function (i) {
          var message = details["config." + i.field.name];
          if (message) { showError(i, message); placed = true; }
        });
        note(entry, placed ? t("error_form") : t(reply.status === 429 ? "error_busy" : reply.status === 0 ? "error_offline" : "error_kept"), true);
      });
    });
    if (inputs[0]) inputs[0].control.focus();
  }
  function fieldControl(form, r, field, words) {
    var box = $("field-template").content.firstElementChild.cloneNode(true);
    var id = "f-" + r.id + "-" + field.name, control;
    if (field.type === "enum") {
      control = document.createElement("select");
      [""].concat(field.enum || []).forEach(function (v) { var o = document.createElement("option"); o.value = v; o.textContent = v; control.appendChild(o); });
    } else if (field.type === "object") {
      control = document.createElement("textarea");
      control.rows = 3;
    } else {
      control = document.createElement("input");
      control.type = field.secret ? "password" : field.type === "url" ? "url" : "text";
      if (field.type === "integer") control.inputMode = "numeric";
      control.spellcheck = false;
      control.autocapitalize = "off";
    }
    control.id = id;
    control.name = field.name;
    control.autocomplete = "off";
    if (field.default) control.placeholder = field.default;
    control.required = !!field.required;
    box.querySelector("label").htmlFor = id;
    box.querySelector(".field-name").textContent = words.label || field.label;
    box.querySelector(".field-required").hidden = !field.required;
    var help = box.querySelector(".field-help"), error = box.querySelector(".field-error"), helpText = words.help || field.help || "";
    help.id = id + "-help";
    error.id = id + "-error";
    help.textContent = field.type === "object" ? [helpText, t("object_hint")].filter(Boolean).join(" ") : helpText;
    control.setAttribute("aria-describedby", help.id + " " + error.id);
    box.querySelector(".field-control").appendChild(control);
    var input = { field: field, control: control, error: error };
    if (field.secret && control.tagName === "INPUT") {
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "toggle";
      toggle.textContent = t("show");
      toggle.setAttribute("aria-pressed", "false");
      toggle.setAttribute("aria-controls", id);
      toggle.addEventListener("click", function () {
        var shown = control.type === "password";
        control.type = shown ? "text" : "password";
        toggle.textContent = t(shown ? "hide" : "show");
        toggle.setAttribute("aria-pressed", String(shown));
      });
      box.querySelector(".field-control").appendChild(toggle);
    }
    // Pasted values often carry a stray space or line break.
    control.addEventListener("paste", function () { setTimeout(function () { trim(control); }, 0); });
    control.addEventListener("blur", function () { trim(control); if (control.value) check(input); });
    control.addEventListener("input", function () { if (control.getAttribute("aria-invalid")) check(input); });
    form.appendChild(box);
    return input;
  }
  function trim(control) { if (control.tagName !== "TEXTAREA") control.value = control.value.trim(); }
  function showError(input, message) {
    input.error.textContent = message;
    if (message) input.control.setAttribute("aria-invalid", "true"); else input.control.removeAttribute("aria-invalid");
  }
  function check(input) {
    var v = input.control.value.trim(), f = input.field, message = "";
    if (!v) message = f.required ? t("error_required") : "";
    else if (f.type === "url") { try { var u = new URL(v); if (!/^https?:$/.test(u.protocol) || !u.hostname) message = t("error_url"); } catch (e) { message = t("error_url"); } }
    else if (f.type === "integer" && !/^-?\d+$/.test(v)) message = t("error_integer");
    else if (f.type === "enum" && (f.enum || []).indexOf(v) < 0) message = t("error_enum");
    else if (f.type === "object" && v.split("\n").some(function (l) { return l.trim() && l.indexOf(":") < 1; })) message = t("error_object");
    showError(input, message);
    return !message;
  }
  function value(input) {
    var v = input.control.value.trim(), f = input.field;
    if (!v) return null;
    if (f.type === "integer") return parseInt(v, 10);
    if (f.type !== "object") return v;
    var object = {};
    v.split("\n").forEach(function (line) {
      var at = line.indexOf(":");
      if (at > 0) object[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    });
    return object;
  }
  return buildForm;
};
