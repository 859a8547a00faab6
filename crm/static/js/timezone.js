// Preselect the browser's own time zone in a fresh form, so due dates land on the user's day.
(function () {
  var select = document.querySelector('select[data-browser-zone="preselect"]');
  if (!select || !window.Intl) {
    return;
  }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  var aliases = {};
  try {
    aliases = JSON.parse(select.getAttribute("data-aliases") || "{}");
  } catch (error) {
    aliases = {};
  }
  // Browsers still report some old names (Asia/Calcutta, Europe/Kiev): use the listed one.
  var wanted = aliases[zone] || zone;
  for (var i = 0; i < select.options.length; i += 1) {
    if (select.options[i].value === wanted) {
      select.value = wanted;
      return;
    }
  }
})();
