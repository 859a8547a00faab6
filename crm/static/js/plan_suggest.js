// Name fields on the Plan page: as the person types, ask the server for matching contacts
// and offer them in the shared datalist. Without this script the first names still show.
(function () {
  "use strict";
  var list = document.getElementById("contact-names");
  if (!list || !window.fetch) { return; }
  var timer = null;
  var asked = "";

  function refill(names) {
    list.textContent = "";
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      list.appendChild(option);
    });
  }

  function ask(input) {
    var typed = input.value.trim();
    if (typed === asked || typed.length < 2) { return; }
    asked = typed;
    var url = input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(typed);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (names) { if (typed === asked) { refill(names); } })
      .catch(function () { /* suggestions are a help, never a requirement */ });
  }

  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { ask(input); }, 200);
    });
  });
}());
