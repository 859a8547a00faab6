// "Introduced by": suggest the user's contacts as they type, from /contacts/names.
(function () {
  "use strict";

  document.querySelectorAll("input[data-suggest][list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest");
    var timer = null;
    var asked = "";

    function fill(people) {
      list.textContent = "";
      people.forEach(function (person) {
        var option = document.createElement("option");
        option.value = person.name;
        if (person.detail) {
          option.label = person.name + " · " + person.detail;
        }
        list.appendChild(option);
      });
    }

    function ask() {
      var typed = input.value.trim();
      if (typed.length < 2 || typed === asked) {
        return;
      }
      asked = typed;
      fetch(url + "?q=" + encodeURIComponent(typed), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (people) {
          if (input.value.trim() === typed) {
            fill(people);
          }
        })
        .catch(function () {
          // No suggestions is fine: the name typed is still checked when saved.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 150);
    });
  });
})();
