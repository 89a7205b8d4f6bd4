// The HS picker: an HS code field marked data-hs-picker gets suggestions from the zone's own search
// (GET /api/v1/cooperation/hs) as the user types. Without this script the field still takes a code, and
// the link beside it opens the search page.
(function () {
  "use strict";
  var fields = document.querySelectorAll("input[data-hs-picker]");
  Array.prototype.forEach.call(fields, function (field, index) {
    var list = document.createElement("datalist");
    list.id = "hs-picker-" + index;
    field.parentNode.appendChild(list);
    field.setAttribute("list", list.id);
    field.setAttribute("autocomplete", "off");
    var timer = null;
    var asked = "";
    field.addEventListener("input", function () {
      var query = field.value.trim();
      if (query.length < 2 || /^\d{6}\b/.test(query)) {
        if (/^\d{6}\s/.test(query)) { field.value = query.slice(0, 6); }
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (query === asked) { return; }
        asked = query;
        var url = field.getAttribute("data-hs-picker") + "?limit=20&q=" + encodeURIComponent(query);
        fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.json() : {items: []}; })
          .then(function (data) {
            while (list.firstChild) { list.removeChild(list.firstChild); }
            data.items.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.code + " " + item.name;
              option.label = item.chapter + " " + item.chapter_name;  // the chapter in the reader's language
              list.appendChild(option);
            });
          })
          .catch(function () { /* the search page link still works */ });
      }, 200);
    });
    field.addEventListener("change", function () {
      var match = /^(\d{6})\s/.exec(field.value);
      if (match) { field.value = match[1]; }
    });
  });
})();
