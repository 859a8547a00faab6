// Ask before leaving a page whose long text (notes, a message) was typed but not saved.
// Only while a textarea differs from what was saved; sending its own form is saving it.
(function () {
  "use strict";

  var areas = Array.prototype.slice.call(document.querySelectorAll("form textarea"));
  if (!areas.length) {
    return;
  }
  // A form sent back with errors holds text that is not saved yet, even untouched.
  function refused(area) {
    return Boolean(area.form && area.form.querySelector('[aria-invalid="true"]'));
  }
  var saved = areas.map(function (area) {
    return refused(area) && area.value.trim() ? null : area.defaultValue;
  });
  var sending = null;

  function unsaved() {
    return areas.some(function (area, index) {
      return area.form !== sending && area.value !== saved[index];
    });
  }

  document.addEventListener("submit", function (event) {
    // A submit another script cancelled (a confirm answered No) sends nothing.
    sending = event.defaultPrevented ? null : event.target;
  });

  window.addEventListener("beforeunload", function (event) {
    if (unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Back from the browser's history: the page is live again and nothing is being sent.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      sending = null;
    }
  });
})();
