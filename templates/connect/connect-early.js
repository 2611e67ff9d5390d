// Runs first, in the page's head: starts the status call before the rest of the page is
// parsed and its main script compiled, since that call is the checklist's critical path.
// The main script takes the answer over (connect.js, "start").
(function () {
  "use strict";
  try {
    var hash = new URLSearchParams(location.hash.slice(1)), query = new URLSearchParams(location.search);
    var token = hash.get("token") || query.get("token") || sessionStorage.getItem("connect.token");
    if (!token || token.split(".").length !== 3) return;
    var api = JSON.parse(document.getElementById("connect-data").textContent).api, controller = new AbortController();
    var headers = { Accept: "application/json", Authorization: "Bearer " + token };
    if (query.get("lang")) headers["Accept-Language"] = query.get("lang");
    setTimeout(function () { controller.abort(); }, 10000);
    window.connectFirstCall = { token: token, reply: fetch(api + "/status", { headers: headers, signal: controller.signal,
      credentials: "same-origin", cache: "no-store", referrerPolicy: "no-referrer" }) };
  } catch (e) { /* the main script makes the call itself */ }
})();
