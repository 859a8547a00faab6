// "Add to Networking CRM": opens the app's add-contact form in a new tab, filled in from the
// page the person is on. crm/contacts/bookmarklet.py puts the app's address in place of
// CAPTURE_ADDRESS and packs this file into the link dragged to the bookmarks bar.
(function () {
  // Each value is cut so the whole address fits the 4 KB request line a server reads.
  function param(name, text, room) {
    var letters = Array.from(String(text || "")).slice(0, room);
    var encoded = encodeURIComponent(letters.join(""));
    while (encoded.length > room) {
      letters.pop();
      encoded = encodeURIComponent(letters.join(""));
    }
    return name + "=" + encoded;
  }
  var query = [
    param("title", document.title, 600),
    param("url", location.href, 1500),
    param("selection", window.getSelection(), 600)
  ].join("&");
  window.open(CAPTURE_ADDRESS + "?" + query, "_blank", "noopener");
})()
